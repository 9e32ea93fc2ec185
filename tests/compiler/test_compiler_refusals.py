"""Unsupported constructs stop compilation with sheet!cell, the formula and the reason."""

from __future__ import annotations

import inspect
from pathlib import Path

import openpyxl
import pytest

from service.compiler import CompileError, compile_workbook
from tests.compiler.make_workbooks import HEADER, group_row

CASES = [
    ("=NOSUCHFUNC(Invoer!B1)", "unknown function NOSUCHFUNC"),
    ('=INDIRECT("Invoer!B1")', "volatile function INDIRECT"),
    ("=OFFSET(Invoer!B1,Invoer!B1,0)", "OFFSET is not supported (computed offsets)"),
    ("=NOW()", "volatile function NOW"),
    ("=RAND()*Invoer!B1", "volatile function RAND"),
    ("=[1]Blad1!A1+Invoer!B1", "external link"),
    ("=SEQUENCE(Invoer!B1)", "dynamic-array function SEQUENCE"),
    ("=FILTER(Invoer!B1:B2,Invoer!B1:B2>0)", "dynamic-array function FILTER"),
    ("={1,2,3}*Invoer!B1", "array constant used as a single value"),
    ("=A1#+Invoer!B1", "spilled-range reference"),
    ('=AND(Invoer!B1>0,"abc")', "AND of a text value"),
    ('=MIN("2024-01-01",Invoer!B1)', "used as a number"),
    ('=Invoer!B1+"1,5"', "used as a number"),
    ("=ROW(Invoer!B1:B2)+Invoer!B1", "ROW of a multi-row range"),
    ("=ROWS(Invoer!B1*2)", "ROWS needs a reference"),
    ("=BESSELJ(Invoer!B1,1)", "not implemented exactly"),
    ("=VLOOKUP(Invoer!B1,Invoer!B1:B2,1,TRUE)", "approximate match over cells that change"),
    ("=Invoer!B1:B2*2", "used as a single value"),
    ("=Onbekend!A1+1", "unknown sheet"),
    ("=Invoer!A:A", "whole rows/columns"),
]


def _book(tmp: Path, formula: str, extra: dict[str, str] | None = None) -> Path:
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "Invoer"
    ws["B1"], ws["B2"] = 1, 2
    calc = wb.create_sheet("Reken")
    calc["C3"] = formula
    for k, v in (extra or {}).items():
        calc[k] = v
    itf = wb.create_sheet("Interface")
    itf.append(HEADER)
    itf.append(group_row("g"))
    itf.append(["input", "x", "x", "x", "", "number", 0, 10, "g", "Invoer!B1"])
    itf.append(["output", "y", "y", "y", "", "number", None, None, "g", "Reken!C3"])
    path = tmp / "bad.xlsx"
    wb.save(path)
    return path


@pytest.mark.parametrize(("formula", "reason"), CASES)
def test_refused_with_cell_formula_and_reason(tmp_path: Path, formula: str, reason: str) -> None:
    with pytest.raises(CompileError) as info:
        compile_workbook(_book(tmp_path, formula))
    msg = str(info.value)
    assert msg.startswith("Reken!C3: "), msg
    assert formula in msg
    assert reason in msg


def test_circular_reference_names_the_cycle(tmp_path: Path) -> None:
    path = _book(tmp_path, "=D3+Invoer!B1", {"D3": "=E3*2", "E3": "=C3-1"})
    with pytest.raises(CompileError) as info:
        compile_workbook(path)
    msg = str(info.value)
    assert "circular reference" in msg
    assert "Reken!C3" in msg and "Reken!D3" in msg and "Reken!E3" in msg


def test_self_reference(tmp_path: Path) -> None:
    with pytest.raises(CompileError, match="circular reference"):
        compile_workbook(_book(tmp_path, "=C3+1"))


def test_input_cell_with_formula_is_refused(tmp_path: Path) -> None:
    wb_path = _book(tmp_path, "=Invoer!B1*2")
    wb = openpyxl.load_workbook(wb_path)
    wb["Invoer"]["B1"] = "=B2*2"
    wb.save(wb_path)
    with pytest.raises(CompileError, match="an input cell must hold a value"):
        compile_workbook(wb_path)


def test_a_bad_cell_no_output_needs_is_refused_too(tmp_path: Path) -> None:
    """Every formula cell is compiled (the export and the audit compute them all), so a
    display cell the model cannot evaluate is refused at compile time, not at export."""
    path = _book(tmp_path, "=Invoer!B1*2", {"Z9": "=NOW()"})
    with pytest.raises(CompileError, match=r"Reken!Z9: =NOW\(\): volatile function NOW"):
        compile_workbook(path)


def test_a_cell_no_output_needs_is_computed_by_calculate_cells_only(tmp_path: Path) -> None:
    """Single calculations compute what the outputs need; the export and audit every cell."""
    from service.engine import load_model

    path = _book(tmp_path, "=Invoer!B1*2", {"Z9": "=C3/1000"})
    art = tmp_path / "display.py"
    compile_workbook(path).write(art)
    model = load_model(art)
    assert model.module.RESULTS == ("Reken!C3",)
    assert "Reken!Z9" in model.module.FORMULAS
    # one body: calculate() returns the results before the cells no output needs
    scalar = inspect.getsource(model.module.calculate)
    assert scalar.index("if not _every_cell:") < scalar.index("Reken_Z9 =")
    assert scalar.count("Reken_Z9 =") == 1
    assert "Reken_Z9" not in inspect.getsource(model.module.calculate_cells)
    assert "Reken_Z9" not in inspect.getsource(model.module.calculate_vector)
    cells = model.module.calculate_cells(3.0)
    assert (cells["Reken!C3"], cells["Reken!Z9"]) == (6.0, 0.006)


def test_defined_names_resolve_to_their_cells(tmp_path: Path) -> None:
    from openpyxl.workbook.defined_name import DefinedName

    from service.engine import load_model

    path = _book(tmp_path, "=Invoer!B1*Tarief+SUM(Bedragen)")
    wb = openpyxl.load_workbook(path)
    wb.defined_names["Tarief"] = DefinedName("Tarief", attr_text="Invoer!$B$2")
    wb.defined_names["Bedragen"] = DefinedName("Bedragen", attr_text="Invoer!$B$1:$B$2")
    wb.save(path)
    art = tmp_path / "named.py"
    compile_workbook(path).write(art)
    assert load_model(art).calculate({"x": 3.0}) == {"y": 3.0 * 2 + 5.0}


def test_array_formulas_compile_element_by_element_or_are_refused(tmp_path: Path) -> None:
    from openpyxl.worksheet.formula import ArrayFormula

    from service.engine import load_model

    path = _book(tmp_path, "=Invoer!B1*2")
    wb = openpyxl.load_workbook(path)
    wb["Reken"]["C3"] = ArrayFormula("C3", "=SUM(Invoer!B1:B2*2)")
    wb["Reken"]["D1"] = ArrayFormula("D1:D2", "=Invoer!B1:B2*10")
    wb["Reken"]["E1"] = ArrayFormula("E1", "=MATCH(1,Invoer!B1:B2*1,0)")
    wb.save(path)
    # every formula cell is compiled (export, audit): a refused cell stops a plain compile
    with pytest.raises(CompileError) as info:
        compile_workbook(path)
    assert info.value.cell == "Reken!E1"
    art = tmp_path / "cse.py"
    compiled = compile_workbook(path, per_cell=True)
    compiled.write(art)
    assert load_model(art).calculate({"x": 4.0}) == {"y": (4.0 + 2.0) * 2}
    compiled = compile_workbook(path, all_cells=True, per_cell=True)
    (refusal,) = compiled.refused
    assert refusal.cell == "Reken!E1"
    assert "array expression as the table of MATCH" in refusal.reason
    compiled.write(art)
    got = load_model(art).calculate_results({"x": 4.0})
    assert (got["Reken!D1"], got["Reken!D2"]) == (40.0, 20.0)


def test_per_cell_mode_lists_refusals_and_keeps_the_rest(tmp_path: Path) -> None:
    """An audit compiles what it can: refused cells (and their readers) are listed."""
    from service.engine import load_model

    path = _book(tmp_path, "=Invoer!B1*2", {"D3": "=BESSELJ(Invoer!B1,1)", "E3": "=D3+1"})
    compiled = compile_workbook(path, all_cells=True, per_cell=True)
    refused = {e.cell: (e.formula, e.reason) for e in compiled.refused}
    assert refused["Reken!D3"] == ("=BESSELJ(Invoer!B1,1)", refused["Reken!D3"][1])
    assert "not implemented exactly" in refused["Reken!D3"][1]
    assert "depends on Reken!D3" in refused["Reken!E3"][1]
    art = tmp_path / "audit.py"
    compiled.write(art)
    model = load_model(art)
    assert model.module.REFUSED.keys() == {"Reken!D3", "Reken!E3"}
    assert model.calculate_results({"x": 4.0}) == {"Reken!C3": 8.0}


def test_every_constant_type_compiles(tmp_path: Path) -> None:
    """Times, dates (before and after 1900-03-01), durations, booleans, errors, escaped
    and "="-text constants: Excel's values, never a crash."""
    import datetime as dt

    from service.engine import ExcelError, load_model

    cells = {
        "D1": dt.time(6, 0),
        "D2": dt.date(1900, 1, 1),
        "D3": dt.date(1900, 3, 1),
        "D4": dt.datetime(2024, 1, 31, 12, 0),
        "D5": dt.timedelta(days=1, hours=12),
        "D6": True,
        "D7": "#N/A",
        "D8": "a_x0001_b",
        "D9": "=tekst",
    }
    formulas = {f"E{i}": f"=D{i}" for i in range(1, 10)}
    path = _book(tmp_path, "=Invoer!B1*2", {**cells, **formulas})
    wb = openpyxl.load_workbook(path)
    wb["Reken"]["D9"].data_type = "s"  # a text cell that starts with "="
    wb.save(path)
    art = tmp_path / "consts.py"
    compile_workbook(path, all_cells=True).write(art)
    got = load_model(art).calculate_results({})
    assert [got[f"Reken!E{i}"] for i in range(1, 10)] == [
        0.25,
        1.0,
        61.0,
        45322.5,
        1.5,
        True,
        ExcelError("#N/A"),
        "a\x01b",
        "=tekst",
    ]


ODD = {
    "=Table1[Col]": "unsupported reference",
    "=SUM((Invoer!B1,Invoer!B2))": "union/intersection",
    "=SUM(Invoer!B1:B2 Invoer!B2:B3)": "union/intersection",
    "=@Invoer!B1:B2": "unsupported operator",
    "=LET(x,1,x)": "unsupported reference",
    "=SUM(": "cannot parse",
    "=R1C1": "R1C1-style reference",
    "=A1048577": "beyond the sheet",
    "=SUM(1:1)": "whole rows/columns",
    '=HYPERLINK("x")': "unknown function HYPERLINK",
    '="unterminated': "cannot parse",
    "=CHOOSE(1,Invoer!B1:B2)": "CHOOSE of ranges",
    "=INDEX(Invoer!B1:B2,0)": "INDEX of a whole row or column",
    "=COUNTIF(Invoer!B1:B2,Invoer!B1:B2)": "used as a single value",
    '=INT("1/2")': "used as a number",
    "=ISREF(INDEX(Invoer!B1:B2,1))": "ISREF of a function result",
    "=_xlfn.SINGLE(Invoer!B1)": "dynamic-array function SINGLE",
}


def test_odd_formulas_are_refused_not_crashed(tmp_path: Path) -> None:
    """Per-cell mode on formulas an audit may meet: each refused with its reason."""
    extra = {f"E{i}": f for i, f in enumerate(ODD, start=1)}
    compiled = compile_workbook(
        _book(tmp_path, "=Invoer!B1*2", extra), all_cells=True, per_cell=True
    )
    reasons = {e.formula: e.reason for e in compiled.refused}
    for formula, reason in ODD.items():
        assert reason in reasons.get(formula, ""), (formula, reasons.get(formula))


def test_per_cell_mode_refuses_a_cycle_and_keeps_the_rest(tmp_path: Path) -> None:
    path = _book(tmp_path, "=Invoer!B1*2", {"D3": "=E3*2", "E3": "=D3-1", "F3": "=D3+1"})
    compiled = compile_workbook(path, all_cells=True, per_cell=True)
    refused = {e.cell: e.reason for e in compiled.refused}
    assert "circular reference" in refused["Reken!D3"]
    assert "circular reference" in refused["Reken!E3"]
    assert "depends on Reken!D3" in refused["Reken!F3"]
    assert "Reken!C3" not in refused
