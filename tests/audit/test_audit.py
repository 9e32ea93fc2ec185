"""Audit: changed inputs, edited formulas, changed constants and stale values, exactly."""

from __future__ import annotations

import datetime
import json
from pathlib import Path

import openpyxl
import pytest

from service.audit import (
    Reference,
    RejectedWorkbook,
    audit_workbook,
    export_workbook,
    load_reference,
    render_html,
)
from service.audit.audit import same
from service.audit.cells import normalize_formula
from service.compiler import compile_workbook
from service.engine import CompiledModel, load_models
from tests.audit.conftest import CHANGED_INPUT, EDITED_FORMULA, random_scenarios
from tests.audit.support import MODEL_IDS, rezip, set_cells
from tests.compiler.make_workbooks import _inp, _interface, _out

NOTHING = {
    "outputsEdited": 0,
    "outputsStale": 0,
    "changedInputs": 0,
    "inputsOutOfBounds": 0,
    "invalidInputs": 0,
    "editedFormulas": 0,
    "changedConstants": 0,
    "affectedCells": 0,
    "staleCells": 0,
    "extraSheets": 0,
}


def _departures(report: dict) -> dict:
    return {k: v for k, v in report["summary"].items() if k in NOTHING and v}


def _input_name(reference: Reference, cell: str) -> str:
    return reference.inputs_by_cell[cell].name


def test_the_reference_workbook_has_no_differences(
    reference: Reference, reference_bytes: bytes
) -> None:
    report = audit_workbook(reference, reference_bytes, "mkba-1gezin1plan.xlsx")
    assert report["verdict"] == "consistent"
    assert _departures(report) == {}
    assert report["summary"]["outputsMatching"] == len(reference.model.outputs)
    # The file caches 15 significant digits (as Excel does); the service keeps all 17.
    assert all(
        abs(o["difference"]) <= 1e-9 * max(1.0, abs(o["serviceValue"])) for o in report["outputs"]
    )
    json.dumps(report, allow_nan=False)


@pytest.mark.parametrize("model_id", MODEL_IDS)
def test_an_exported_scenario_differs_only_in_its_inputs(
    models: dict[str, CompiledModel], references: dict[str, Reference], model_id: str
) -> None:
    reference = references[model_id]
    report = audit_workbook(reference, export_workbook(reference, {}))
    assert report["verdict"] == "consistent" and _departures(report) == {}
    (values,) = random_scenarios(models[model_id], 1, seed=11)
    defaults = models[model_id].resolve({})
    changed = sorted(k for k, v in values.items() if not same(v, defaults[k]))
    report = audit_workbook(reference, export_workbook(reference, values))
    assert report["verdict"] == "consistent"
    assert changed and _departures(report) == {"changedInputs": len(changed)}
    assert sorted(report["changedInputs"]) == changed
    assert {o["verdict"] for o in report["outputs"]} == {"match"}


def test_the_reference_models_scenario_with_a_yes_no_switched(reference: Reference) -> None:
    values = {"disconteringsvoet": 0.0225, "kwaliteitVanLevenInQalys": True}
    report = audit_workbook(reference, export_workbook(reference, values))
    assert report["verdict"] == "consistent"
    assert _departures(report) == {"changedInputs": 2}
    assert sorted(report["changedInputs"]) == sorted(values)


def test_a_copy_with_one_edited_formula_and_one_changed_input(
    reference: Reference, libreoffice: dict
) -> None:
    report = audit_workbook(reference, libreoffice["edited"].read_bytes(), "gemeente.xlsx")
    (cell,) = EDITED_FORMULA
    assert report["changedInputs"] == [_input_name(reference, c) for c in CHANGED_INPUT]
    assert [(e["cell"], e["kind"], e["workbookFormula"]) for e in report["editedFormulas"]] == [
        (cell, "changed", EDITED_FORMULA[cell])
    ]
    assert report["changedConstants"] == report["staleCells"] == []
    assert report["inputsOutOfBounds"] == report["invalidInputs"] == []
    edited = [o for o in report["outputs"] if o["verdict"] == "edited"]
    assert edited and all(o["causes"] == [cell] for o in edited)
    assert {o["verdict"] for o in report["outputs"]} == {"match", "edited"}
    total = next(o for o in report["outputs"] if o["cell"] == cell)
    assert total["difference"] == pytest.approx(-1000)
    assert report["verdict"] == "departs" and not report["modelIntact"] and report["valuesCurrent"]


def test_an_input_changed_without_recalculation_leaves_stale_values(
    reference: Reference, reference_bytes: bytes
) -> None:
    report = audit_workbook(reference, set_cells(reference_bytes, CHANGED_INPUT))
    assert report["editedFormulas"] == [] and report["changedConstants"] == []
    stale = {s["cell"] for s in report["staleCells"]}
    assert stale and stale <= reference.dependents(set(CHANGED_INPUT))
    assert {o["verdict"] for o in report["outputs"]} == {"match", "stale"}
    assert report["valuesCurrent"] is False and report["verdict"] == "departs"


def test_changed_constant_and_formula_replaced_by_a_value(
    reference: Reference, reference_bytes: bytes
) -> None:
    data = set_cells(reference_bytes, {"Verdeling!C5": 0.5, "Cockpit!J5": 1364850.0})
    report = audit_workbook(reference, data)
    assert [c["cell"] for c in report["changedConstants"]] == ["Verdeling!C5"]
    assert [(e["cell"], e["kind"]) for e in report["editedFormulas"]] == [
        ("Cockpit!J5", "replacedByValue")
    ]
    assert report["staleCells"] == []  # dependents of the edits are not judged stale
    assert set(_departures(report)) == {"editedFormulas", "changedConstants", "affectedCells"}


def test_inputs_out_of_bounds_and_invalid(reference: Reference, reference_bytes: bytes) -> None:
    data = set_cells(reference_bytes, {"Gemeente!B4": -5.0, "Cockpit!B21": "misschien"})
    report = audit_workbook(reference, data)
    assert report["inputsOutOfBounds"] == ["fteAanpak"]
    assert report["invalidInputs"] == ["reductieOverlastMeetellen"]
    with pytest.raises(RejectedWorkbook, match="fteAanpak"):
        audit_workbook(reference, set_cells(reference_bytes, {"Gemeente!B4": "twaalf"}))


def test_a_workbook_without_the_models_sheets_is_refused(
    reference: Reference, reference_bytes: bytes
) -> None:
    import zipfile
    from io import BytesIO

    book = zipfile.ZipFile(BytesIO(reference_bytes)).read("xl/workbook.xml")
    data = rezip(reference_bytes, {"xl/workbook.xml": book.replace(b'"Verdeling"', b'"Blad2"')})
    with pytest.raises(RejectedWorkbook, match="missing sheets Verdeling") as exc:
        audit_workbook(reference, data)
    assert exc.value.status == 422


def test_html_summary_is_escaped(reference: Reference, reference_bytes: bytes) -> None:
    hostile = '=IF(1,"<script>alert(1)</script>",0)'
    report = audit_workbook(reference, set_cells(reference_bytes, None, {"Cockpit!J5": hostile}))
    html = render_html(report)
    assert "<script>alert" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert "departs from the reference model" in html and "Cockpit!J5" in html


def test_formulas_compare_without_whitespace_case_and_logical_calls() -> None:
    """LibreOffice writes the constants TRUE and FALSE as TRUE() and FALSE()."""
    assert normalize_formula("=IF( a1 ,TRUE(),false ( ))") == normalize_formula(
        "=IF(A1,TRUE,FALSE)"
    )
    assert normalize_formula('=IF(A1,"TRUE()",1)') != normalize_formula('=IF(A1,"TRUE",1)')
    assert normalize_formula("=$A$1") != normalize_formula("=A1")


def test_a_date_constant_is_the_number_it_holds(tmp_path: Path) -> None:
    """A date cell that formulas read is compared as its serial number, not its text."""
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "Blad"
    ws["A1"], ws["B1"], ws["C1"] = datetime.date(2024, 3, 15), 2, "=A1+B1"
    ws["A1"].number_format = "yyyy-mm-dd"
    _interface(wb, "Dates", [_inp("days", "number", 0, 10, "Blad!B1"), _out("due", "Blad!C1")])
    (tmp_path / "compiled").mkdir()
    wb.save(tmp_path / "dates.xlsx")
    compile_workbook(tmp_path / "dates.xlsx").write(tmp_path / "compiled" / "dates.py")
    model = load_models(tmp_path)["dates"]
    reference = load_reference(model, tmp_path / "dates.xlsx")
    report = audit_workbook(reference, export_workbook(reference, {"days": 3}))
    assert report["changedConstants"] == [] and report["verdict"] == "consistent"
    assert report["outputs"][0]["serviceValue"] == 45366.0 + 3
