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
    ("=OFFSET(Invoer!B1,1,0)", "volatile function OFFSET"),
    ("=NOW()", "volatile function NOW"),
    ("=RAND()*Invoer!B1", "volatile function RAND"),
    ("=[1]Blad1!A1+Invoer!B1", "external link"),
    ("=SEQUENCE(Invoer!B1)", "dynamic-array function SEQUENCE"),
    ("=FILTER(Invoer!B1:B2,Invoer!B1:B2>0)", "dynamic-array function FILTER"),
    ("=SUM({1,2,3})", "array constants"),
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
    art.write_text(compile_workbook(path).source)
    model = load_model(art)
    assert model.module.RESULTS == ("Reken!C3",)
    assert "Reken!Z9" in model.module.FORMULAS
    assert "Reken_Z9" not in inspect.getsource(model.module.calculate)
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
    art.write_text(compile_workbook(path).source)
    assert load_model(art).calculate({"x": 3.0}) == {"y": 3.0 * 2 + 5.0}


def test_array_formula_is_refused(tmp_path: Path) -> None:
    from openpyxl.worksheet.formula import ArrayFormula

    path = _book(tmp_path, "=Invoer!B1*2")
    wb = openpyxl.load_workbook(path)
    wb["Reken"]["C3"] = ArrayFormula("C3", "=SUM(Invoer!B1:B2*2)")
    wb.save(path)
    with pytest.raises(CompileError, match=r"Reken!C3: .*array formulas"):
        compile_workbook(path)
