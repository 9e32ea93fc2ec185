"""Array formulas run element by element on all three backends (Python, numpy, C)."""

from __future__ import annotations

import openpyxl
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from openpyxl.worksheet.formula import ArrayFormula

from service.compiler import compile_workbook, native
from service.engine import CompiledModel, load_model
from tests.compiler.make_workbooks import HEADER, group_row


@pytest.fixture(scope="module")
def model(tmp_path_factory: pytest.TempPathFactory) -> CompiledModel:
    tmp = tmp_path_factory.mktemp("cse")
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "In"
    ws["A1"], ws["A2"], ws["A3"] = 2.0, 3.0, 4.0
    ws["C1"] = ArrayFormula("C1:C3", "=In!A1:A3*2+In!A1")
    ws["D1"] = ArrayFormula("D1", "=SUM(In!A1:A3*In!A1:A3)")
    ws["E1"] = ArrayFormula("E1:F2", "=IF(In!A1:A2>2.5,In!A1:A2,{7,8})")
    ws["G1"] = "=SUM(C1:C3)+D1+E1+F2"
    itf = wb.create_sheet("Interface")
    itf.append(HEADER)
    itf.append(group_row("g"))
    itf.append(["input", "x", "x", "x", "", "number", 0, 10, "g", "In!A1"])
    itf.append(["input", "y", "y", "y", "", "number", 0, 10, "g", "In!A2"])
    itf.append(["output", "g", "g", "g", "", "number", None, None, "g", "In!G1"])
    wb.save(tmp / "cse.xlsx")
    compiled = compile_workbook(tmp / "cse.xlsx", all_cells=True)
    compiled.write(tmp / "cse.py")
    assert compiled.c_source is not None, "element formulas have a C form"
    if native.compiler() is not None:
        (tmp / compiled.c_name).write_text(compiled.c_source)
        native.build(tmp / compiled.c_name)
    return load_model(tmp / "cse.py")


def test_elements_have_excels_values(model: CompiledModel) -> None:
    got = model.calculate_results({"x": 3.0, "y": 2.0})
    # A1:A3 = 3, 2, 4; E1:F2 = IF({3;2}>2.5, {3;2}, {7,8}) broadcast to 2x2
    assert [got[f"In!C{i}"] for i in (1, 2, 3)] == [9.0, 7.0, 11.0]
    assert got["In!D1"] == 29.0
    assert [got[k] for k in ("In!E1", "In!F1", "In!E2", "In!F2")] == [3.0, 3.0, 7.0, 8.0]
    assert got["In!G1"] == 67.0


def test_the_three_backends_agree(model: CompiledModel) -> None:
    if native.compiler() is not None:
        assert model.native is not None

    @settings(max_examples=50, deadline=None, suppress_health_check=[HealthCheck.too_slow])
    @given(x=st.floats(0, 10), y=st.floats(0, 10))
    def check(x: float, y: float) -> None:
        assert model.check_backends({"x": x, "y": y}) == []

    check()
