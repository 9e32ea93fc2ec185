"""Every construct the C writer accepts, run: C == the Python artifact bit for bit, or
the C function declines. (The Python artifact is held to the spreadsheet engines by the
parity suite; the reference workbook uses only part of this subset.)"""

from __future__ import annotations

import math
from pathlib import Path

import numpy as np
import openpyxl
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from service.compiler import compile_workbook
from service.compiler import native as cnative
from service.engine import CompiledModel, load_model
from service.engine.native import same_values
from tests.compiler import golden
from tests.compiler.make_workbooks import _inp, _interface, _out

# One output per formula; inputs A (Invoer!B1), B (B2), C (B3) and the yes/no T (B4).
FORMULAS = [
    "=A+B*C-C",
    "=A/B",
    "=A^B",
    "=(ABS(A)+1)^0.5",
    "=-A%",
    "=IF(A>B,A,B)",
    "=IF(A>=B,1,2)+IF(A<=B,4,8)+IF(A=B,16,0)+IF(A<>B,32,0)",
    "=IF(AND(A>0,B<0),1,2)",
    "=IF(OR(A>0,NOT(B>0)),A,C)",
    '=IF(T="ja",A,B)',
    '=IF("JA"=T,1,0)+IF(T<>"nee",2,0)',
    "=SUM(A,B,C)",
    "=SUM(Invoer!B1:B3)",
    "=SUM(A/B)",
    "=MIN(A,B,3)",
    "=MAX(A*2,B)",
    "=AVERAGE(A,B,C)",
    "=SUMPRODUCT(Invoer!B1:B3,Reken!A1:A3)",
    "=ABS(A-B)",
    "=IFERROR(A/B,0)",
    "=IF(A/B>1,1,0)",
    "=Leeg!A1+A",
    "=IF(TRUE,A,B)+IF(2>3,A,B)",
    "=A*(1+B)^C",
    # constant exponents: a C compiler's built-in pow would make x*x, 1/x or sqrt of them
    "=A^2+A^-1+A^0.5+(1+A)^3+A^0+A^1",
    "=ROUND(A*B,2)",
    "=ROUNDUP(A/3,1)+ROUNDDOWN(B,-1)",
    "=TRUNC(C*7,1)+TRUNC(A)",
    "=ROUND(A,B)",
    "=NPV(C/10,A,B,Invoer!B1:B3)",
    "=NPV(A,1,2,3)",
]


def _workbook(path: Path) -> None:
    wb = openpyxl.Workbook()
    inp = wb.active
    assert inp is not None
    inp.title = "Invoer"
    for row, (name, value) in enumerate((("A", 2.0), ("B", 3.0), ("C", 0.5), ("T", "ja")), 1):
        inp.cell(row=row, column=1, value=name)
        inp.cell(row=row, column=2, value=value)
    reken = wb.create_sheet("Reken")
    for row, value in enumerate((1.5, -2.0, 4.0), 1):
        reken.cell(row=row, column=1, value=value)
    wb.create_sheet("Leeg")
    uit = wb.create_sheet("Uitvoer")
    names = {"A": "Invoer!$B$1", "B": "Invoer!$B$2", "C": "Invoer!$B$3", "T": "Invoer!$B$4"}
    for row, formula in enumerate(FORMULAS, 1):
        for name, ref in names.items():
            formula = _replace_name(formula, name, ref)
        uit.cell(row=row, column=1, value=formula)
    rows = [
        _inp("a", "number", -1e6, 1e6, "Invoer!B1"),
        _inp("b", "number", -1e6, 1e6, "Invoer!B2"),
        _inp("c", "number", -1e6, 1e6, "Invoer!B3"),
        _inp("t", "yesno", None, None, "Invoer!B4"),
    ]
    rows += [_out(f"f{row}", f"Uitvoer!A{row}") for row in range(1, len(FORMULAS) + 1)]
    _interface(wb, "C subset", rows)
    wb.save(path)


def _replace_name(formula: str, name: str, ref: str) -> str:
    """Put a cell reference where a one-letter input name stands (not inside a word)."""
    out = []
    for i, ch in enumerate(formula):
        before = formula[i - 1] if i else ""
        after = formula[i + 1] if i + 1 < len(formula) else ""
        alone = not (before.isalnum() or before in tuple('!"$')) and not (
            after.isalnum() or after in tuple('"(')
        )
        out.append(ref if ch == name and alone else ch)
    return "".join(out)


@pytest.fixture(scope="module")
def model(tmp_path_factory: pytest.TempPathFactory) -> CompiledModel:
    if cnative.compiler() is None:
        pytest.skip("no C compiler")
    tmp = tmp_path_factory.mktemp("subset")
    _workbook(tmp / "subset.xlsx")
    compiled = compile_workbook(tmp / "subset.xlsx")
    assert compiled.c_source is not None, [
        line for line in compiled.source.splitlines() if line.startswith("NATIVE")
    ]
    compiled.write(tmp / "subset.py")
    (tmp / compiled.c_name).write_text(compiled.c_source)
    cnative.build(tmp / compiled.c_name)
    loaded = load_model(tmp / "subset.py")
    assert loaded.native is not None
    return loaded


NUMBERS = st.one_of(
    st.floats(allow_nan=False, allow_infinity=False),
    st.floats(min_value=-4, max_value=4),
    st.sampled_from([0.0, -0.0, 1.0, -1.0, 2.0, 0.5, 3.0, 1e-320, 1e308, -1e308]),
)
TEXTS = st.sampled_from(["ja", "JA", "nee", "Nee", "", "x"])


def test_every_formula_compiles_to_c(model: CompiledModel) -> None:
    source = (Path(model.module.__file__).parent / "subset.c").read_text()  # type: ignore[arg-type]
    for row in range(1, len(FORMULAS) + 1):
        assert f"Uitvoer!A{row} =" in source


@settings(max_examples=500, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(a=NUMBERS, b=NUMBERS, c=NUMBERS, t=TEXTS)
def test_c_agrees_with_python_or_declines(
    model: CompiledModel, a: float, b: float, c: float, t: str
) -> None:
    args = [a, b, c, t]
    python = model.module.calculate(*args)
    native = model.native.calculate(args)  # type: ignore[union-attr]
    # declining is always allowed (a power of a negative base declines even where Python
    # computes one); answering differently never is
    if native is not None:
        assert same_values(native, python)
        assert all(v.__class__ is float and math.isfinite(v) for v in python)


def test_ordinary_scenarios_take_the_fast_path(model: CompiledModel) -> None:
    for args in ([2.0, 3.0, 0.5, "ja"], [1.5, -0.25, 2.0, "NEE"], [7.0, 7.0, -1.0, "x"]):
        native = model.native.calculate(args)  # type: ignore[union-attr]
        assert native is not None, args
        assert same_values(native, model.module.calculate(*args))


def test_a_division_by_zero_is_declined(model: CompiledModel) -> None:
    assert model.native.calculate([2.0, 0.0, 0.5, "ja"]) is None  # type: ignore[union-attr]


def test_constructs_without_a_c_form_leave_the_model_on_python() -> None:
    mini = Path(__file__).parent / "workbooks" / "mini-mkba.xlsx"
    compiled = compile_workbook(mini)
    assert compiled.c_source is None
    (line,) = [x for x in compiled.source.splitlines() if x.startswith("NATIVE")]
    assert line.startswith("NATIVE = None  # ") and "no C form: a cell of type s" in line


def test_golden_table_shows_the_c_code() -> None:
    assert "  c:      (S_A1 + S_A2)" in golden.render()


def test_constant_powers_round_as_libm_pow(model: CompiledModel) -> None:
    """A C compiler's built-in pow turns pow(x, 2.0) into x*x, which rounds differently
    now and then: many bases, each bit for bit against Python's float ** (libm's pow)."""
    bases = np.random.default_rng(20261123).uniform(0.5, 2.0, 20_000)
    rows = np.zeros((len(bases), len(model.inputs)))
    rows[:, 0] = bases
    rows[:, 1:3] = (3.0, 0.5)  # b and c; t is text code 0 ("JA")
    results, status = model.native.calculate_many(rows)  # type: ignore[union-attr]
    assert not status.any()
    for base, row in zip(bases.tolist(), results, strict=True):
        assert same_values(row.tolist(), model.module.calculate(base, 3.0, 0.5, "ja"))


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    pool=st.lists(st.tuples(NUMBERS, NUMBERS, NUMBERS, TEXTS), min_size=1, max_size=3),
    picks=st.lists(st.tuples(st.integers(0, 2), st.integers(0, 2), st.integers(0, 3)), max_size=30),
)
def test_a_batch_keeps_shared_cells_and_still_agrees(
    model: CompiledModel, pool: list[tuple[float, float, float, str]], picks: list[tuple[int, ...]]
) -> None:
    """Rows that repeat some inputs of the previous row and change others (including a
    division by zero that comes and goes): the batch function, which recomputes only the
    cells whose inputs changed, declines where the scalar C function does and otherwise
    gives Python's results bit for bit."""
    scenarios = [list(pool[0])]
    for j, k, which in picks:  # take input `which` (or all, for 3) from pool entry j
        row = list(scenarios[-1])
        source = pool[j % len(pool)]
        if which == 3:
            row = list(source)
        else:
            row[which] = source[which]
        row[3] = pool[k % len(pool)][3]
        scenarios.append(row)
    rows = model.native.rows(  # type: ignore[union-attr]
        [np.array([s[i] for s in scenarios]) for i in range(4)], len(scenarios)
    )
    assert rows is not None
    results, status = model.native.calculate_many(rows)  # type: ignore[union-attr]
    for i, args in enumerate(scenarios):
        single = model.native.calculate(args)  # type: ignore[union-attr]
        assert (status[i] == 0) == (single is not None), (i, args)
        if single is not None:
            assert same_values(results[i].tolist(), model.module.calculate(*args))
