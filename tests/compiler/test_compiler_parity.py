"""Every formula cell: compiled (scalar, numpy and C) == formulas' ExcelModel == LibreOffice.

Default scenario plus 200 random scenarios within the interface's bounds, relative 1e-9.
Peers' results are memoised (see parity.py); LibreOffice runs once for all scenario files.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from service.compiler import native
from service.compiler.workbook import load_workbook
from tests.compiler import parity
from tests.compiler.make_workbooks import ERROR_CASES
from tools.engines import engine_available

pytestmark = pytest.mark.parity
ROOT = parity.ROOT
WB = Path(__file__).parent / "workbooks"
REFERENCE = sorted((ROOT / "formulas_spec").glob("*.xlsx"))
WORKBOOKS = {
    p.stem: p
    for p in [*REFERENCE, WB / "functions.xlsx", WB / "mini-mkba.xlsx", WB / "lookup-model.xlsx"]
}
WORKBOOKS["errors"] = WB / "errors.xlsx"
SCENARIOS = {"errors": 2, "lookup-model": 40}  # the error table has no real inputs
HAVE_LO = engine_available("libreoffice")
# Workbooks with a C form, and the share of scenarios its C function must answer itself
# (the served workbooks' random scenarios stay within bounds: no Excel errors). A model
# without one (NPV, ROUND, lookups: see its artifact's NATIVE line) runs on Python alone.
NATIVE = {p.stem: 1.0 for p in REFERENCE if (p.parent / "compiled" / f"{p.stem}.c").exists()}

# Cells where a peer is known to differ from Excel (and from the compiled model, which
# follows Excel). Each is compared with the other peer and with Excel's value instead.
DEVIATIONS: dict[tuple[str, str], dict[str, str]] = {
    ("errors", "Fouten!B6"): {
        "libreoffice": "SQRT(-1) is Err:502 in LibreOffice, written to .xlsx as #VALUE!"
    },
    ("errors", "Fouten!B7"): {
        "libreoffice": "LN(0) is Err:502 in LibreOffice, written to .xlsx as #VALUE!"
    },
    ("errors", "Fouten!B23"): {
        "libreoffice": "LibreOffice takes odd roots of negative numbers: (-8)^(1/3) = -2",
        "formulas": "formulas returns a complex number for (-8)^(1/3)",
    },
    ("errors", "Fouten!B24"): {
        "libreoffice": "LibreOffice gives #NUM! for 0^-1 (Excel: #DIV/0!)",
        "formulas": "formulas gives #VALUE! for 0^-1 (Excel: #DIV/0!)",
    },
    ("errors", "Fouten!B25"): {"formulas": "formulas gives #VALUE! on overflow (Excel: #NUM!)"},
    ("errors", "Fouten!B35"): {
        "libreoffice": "LibreOffice has no logical type (TRUE is 1); Excel sorts logicals last"
    },
    ("functions", "Functies!A61"): {
        "libreoffice": "SQRT of a negative is Err:502 in LibreOffice, written as #VALUE!"
    },
    ("functions", "Functies!A11"): {
        "formulas": "formulas' TRIM keeps inner runs of spaces (Excel collapses them)"
    },
    ("functions", "Functies!A17"): {
        "formulas": "formulas writes numbers as text with 17 digits (Excel: 15 significant)"
    },
}


class Case:
    """Everything compared for one workbook, computed once per test session."""

    def __init__(self, name: str, src: Path, tmp: Path) -> None:
        self.name = name
        self.model = parity.compile_all_cells(src, tmp)
        self.cells = list(self.model.module.RESULTS)
        book = load_workbook(src)
        self.scenarios = parity.scenarios(book.inputs, n=SCENARIOS.get(name, parity.N_SCENARIOS))
        self.scalar = parity.ours(self.model, self.scenarios)
        self.vector = parity.ours_vector(self.model, self.scenarios)
        self.native = (
            None if self.model.native is None else parity.ours_native(self.model, self.scenarios)
        )
        peers = parity.Peers(src, self.scenarios, self.cells, with_lo=HAVE_LO)
        self.formulas = peers.formulas
        self.libreoffice = peers.libreoffice

    def deviating(self, peer: str) -> set[str]:
        """Cells where `peer` is known to differ from Excel in this workbook."""
        return {c for (wb, c), d in DEVIATIONS.items() if wb == self.name and peer in d}


_CASES: dict[str, Case] = {}


@pytest.fixture(scope="module", params=sorted(WORKBOOKS))
def case(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Case:
    name = request.param
    if name not in _CASES:
        _CASES[name] = Case(name, WORKBOOKS[name], tmp_path_factory.mktemp(name))
    return _CASES[name]


def _compare(case: Case, mine: list[dict[str, Any]], peer_name: str) -> None:
    peer = case.formulas if peer_name == "formulas" else case.libreoffice
    assert peer is not None
    skip = case.deviating(peer_name)
    cells = [c for c in case.cells if c not in skip]
    bad = parity.mismatches(mine, peer, cells)
    assert not bad, f"{case.name} vs {peer_name}:\n" + "\n".join(bad)
    # a documented deviation must still be one (else the note is stale)
    for c in skip:
        differs = any(not parity.same(m[c], p[c]) for m, p in zip(mine, peer, strict=True))
        assert differs, f"{case.name} {c}: {peer_name} now agrees; drop the deviation note"


def test_scalar_matches_formulas(case: Case) -> None:
    _compare(case, case.scalar, "formulas")


def test_vector_matches_formulas(case: Case) -> None:
    _compare(case, case.vector, "formulas")


@pytest.mark.skipif(not HAVE_LO, reason="LibreOffice (soffice) is not installed")
def test_scalar_matches_libreoffice(case: Case) -> None:
    _compare(case, case.scalar, "libreoffice")


@pytest.mark.skipif(not HAVE_LO, reason="LibreOffice (soffice) is not installed")
def test_vector_matches_libreoffice(case: Case) -> None:
    _compare(case, case.vector, "libreoffice")


def test_vector_matches_scalar(case: Case) -> None:
    bad = parity.mismatches(case.vector, case.scalar, case.cells)
    assert not bad, "\n".join(bad)


def test_scenario_count(case: Case) -> None:
    assert len(case.scenarios) == 1 + SCENARIOS.get(case.name, parity.N_SCENARIOS)


def test_error_table_gives_excels_values(tmp_path: Path) -> None:
    """Each row of the error table equals Excel's documented value (scalar and numpy)."""
    model = parity.compile_all_cells(WORKBOOKS["errors"], tmp_path)
    got = model.calculate_results()
    vec = model.calculate_results_columns({"unused": [1.0, 2.0]})
    for row, (what, formula, expected) in enumerate(ERROR_CASES, start=1):
        cell = f"Fouten!B{row}"
        exp = parity.normalise(expected)
        assert parity.same(got[cell], exp), f"{what}: {formula} gave {got[cell]!r}, Excel {exp!r}"
        for v in vec[cell]:
            assert parity.same(v, exp), f"{what} (numpy): {formula} gave {v!r}, Excel {exp!r}"


# Excel's values of the functions workbook's deviating cells on its defaults (amount
# 1234.5, Tabel!D2 "  beta  team "), worked out by hand from Microsoft's function reference:
# SQRT "If number is negative, SQRT returns the #NUM! error value"; TRIM "removes all spaces
# from text except for single spaces between words"; & joins a number as Excel's General
# format shows it.
EXCEL_ON_DEFAULTS = {
    ("functions", "Functies!A61"): ("=SQRT(-Invoer!B2)", "#NUM!"),
    ("functions", "Functies!A11"): ("=TRIM(Tabel!D2)", "beta team"),
    ("functions", "Functies!A17"): ('="bedrag: "&Invoer!B2', "bedrag: 1234.5"),
}


def test_deviations_match_excel(tmp_path: Path) -> None:
    """Every documented peer deviation is in a cell whose Excel value the model gives: the
    value Excel documents (ERROR_CASES, or worked out above), not a peer's."""
    expected = {
        ("errors", f"Fouten!B{row}"): (formula, value)
        for row, (_, formula, value) in enumerate(ERROR_CASES, start=1)
    }
    expected.update(EXCEL_ON_DEFAULTS)
    results: dict[str, tuple[dict[str, Any], dict[str, Any]]] = {}
    for wb, cell in DEVIATIONS:
        assert (wb, cell) in expected, f"{wb} {cell}: a deviation without Excel's value"
        if wb not in results:
            (tmp_path / wb).mkdir()
            model = parity.compile_all_cells(WORKBOOKS[wb], tmp_path / wb)
            results[wb] = (model.module.FORMULAS, model.calculate_results())
        formulas, got = results[wb]
        formula, value = expected[(wb, cell)]
        assert formulas[cell]["formula"] == formula, f"{wb} {cell}: the note is about {formula}"
        exp = parity.normalise(value)
        assert parity.same(got[cell], exp), f"{wb} {cell}: {got[cell]!r}, Excel {exp!r}"


def _native(case: Case) -> list[dict[str, Any]]:
    """The native engine's results where it answered, the scalar backend's elsewhere."""
    if case.name in NATIVE and native.compiler() is not None:
        assert case.native is not None, f"{case.name} has a C form: its native engine loads"
    if case.model.module.NATIVE is None:
        pytest.skip(f"{case.name} has no C form (see NATIVE in its artifact)")
    if case.native is None:
        pytest.skip(f"{case.name}: no C compiler, so no native engine")
    answered = sum(r is not None for r in case.native)
    assert answered >= NATIVE.get(case.name, 0.0) * len(case.native), (
        f"{case.name}: the C function declined {len(case.native) - answered} scenarios"
    )
    return [n if n is not None else s for n, s in zip(case.native, case.scalar, strict=True)]


def test_native_matches_formulas(case: Case) -> None:
    _compare(case, _native(case), "formulas")


@pytest.mark.skipif(not HAVE_LO, reason="LibreOffice (soffice) is not installed")
def test_native_matches_libreoffice(case: Case) -> None:
    _compare(case, _native(case), "libreoffice")
