"""Export: a scenario as the reference workbook with its inputs and every cached value."""

from __future__ import annotations

import math
import zipfile
from io import BytesIO
from pathlib import Path

import pytest

from service.audit import InvalidScenario, Reference, audit_workbook, export_workbook
from service.audit.audit import same
from service.engine import CompiledModel, OutputSpec
from tests.audit.conftest import random_scenarios
from tests.audit.support import MODEL_IDS, REFERENCE, SPEC
from tools.engines import cached_values, formula_cells

every_model = pytest.mark.parametrize("model_id", MODEL_IDS)
KEPT = {"outputs", "outputsMatching"}  # summary counts that are not departures


def _key(sheet_addr: tuple[str, str]) -> str:
    return f"{sheet_addr[0]}!{sheet_addr[1]}"


def _as_cell(spec: OutputSpec, value: object) -> object:
    """An output as its cell holds it (a yes/no output is the text ja/nee there)."""
    if spec.type == "yesno" and isinstance(value, bool):
        return "ja" if value else "nee"
    return value


def test_reference_values_are_the_workbooks_cached_values(reference: Reference) -> None:
    """The reference model's workbook holds LibreOffice's values (a generated one may not)."""
    cached = {_key(k): v for k, v in cached_values(REFERENCE).items()}
    values = reference.values({})
    assert len(values) == len(formula_cells(REFERENCE)) > 0  # openpyxl counts them too
    wrong = {k: (v, cached.get(k)) for k, v in values.items() if not same(cached.get(k), v)}
    assert wrong == {}


@every_model
def test_every_formula_cell_of_the_workbook_is_compiled(
    references: dict[str, Reference], model_id: str
) -> None:
    reference = references[model_id]
    assert set(reference.formulas) == {_key(k) for k in formula_cells(SPEC / f"{model_id}.xlsx")}
    # every formula cell, and the outputs that sit on a constant cell
    constant_outputs = {o.cell for o in reference.model.outputs} - set(reference.formulas)
    assert set(reference.values({})) == set(reference.formulas) | constant_outputs


@every_model
def test_reference_outputs_are_the_models_outputs(
    models: dict[str, CompiledModel], references: dict[str, Reference], model_id: str
) -> None:
    model, reference = models[model_id], references[model_id]
    for sc in [{}, *random_scenarios(model, 20, seed=7)]:
        cells = reference.values(sc)
        outputs = model.calculate(sc)
        for o in model.outputs:
            assert same(cells[o.cell], _as_cell(o, outputs[o.name])), o.name


@every_model
def test_export_holds_inputs_formulas_and_cached_values(
    models: dict[str, CompiledModel],
    references: dict[str, Reference],
    model_id: str,
    tmp_path: Path,
) -> None:
    model, reference = models[model_id], references[model_id]
    (sc,) = random_scenarios(model, 1, seed=3)
    path = tmp_path / "scenario.xlsx"
    path.write_bytes(export_workbook(reference, sc))
    cached = {_key(k): v for k, v in cached_values(path).items()}
    for spec in model.inputs:
        want = ("ja" if sc[spec.name] else "nee") if spec.type == "yesno" else sc[spec.name]
        assert cached[spec.cell] == want, spec.name
    assert formula_cells(path) == formula_cells(SPEC / f"{model_id}.xlsx")
    values = reference.values(sc)
    assert [k for k, v in values.items() if not same(cached.get(k), v)] == []
    outputs = model.calculate(sc)
    assert all(same(cached[o.cell], _as_cell(o, outputs[o.name])) for o in model.outputs)


@every_model
def test_export_keeps_every_other_part_of_the_package(
    models: dict[str, CompiledModel], references: dict[str, Reference], model_id: str
) -> None:
    (sc,) = random_scenarios(models[model_id], 1, seed=5)
    exported = zipfile.ZipFile(BytesIO(export_workbook(references[model_id], sc)))
    original = zipfile.ZipFile(SPEC / f"{model_id}.xlsx")
    assert exported.namelist() == original.namelist()
    changed = [n for n in original.namelist() if original.read(n) != exported.read(n)]
    assert changed and all(n.startswith("xl/worksheets/sheet") for n in changed)


@every_model
def test_exports_recalculated_by_libreoffice_give_the_services_outputs(
    models: dict[str, CompiledModel],
    references: dict[str, Reference],
    libreoffice: dict,
    model_id: str,
) -> None:
    model, reference = models[model_id], references[model_id]
    for sc, path in libreoffice["scenarios"][model_id]:
        lo = {_key(k): v for k, v in cached_values(path).items()}
        outputs = model.calculate(sc)
        for o in model.outputs:
            got, want = lo[o.cell], _as_cell(o, outputs[o.name])
            if isinstance(want, float):
                assert math.isclose(got, want, rel_tol=1e-9, abs_tol=1e-9), (o.name, got, want)
            else:
                assert str(got) == str(want), o.name
        values = reference.values(sc)
        assert [k for k, v in values.items() if not same(lo.get(k), v)] == []


@every_model
def test_an_export_recalculated_by_libreoffice_audits_without_departures(
    models: dict[str, CompiledModel],
    references: dict[str, Reference],
    libreoffice: dict,
    model_id: str,
) -> None:
    """The round trip: export -> LibreOffice recalculates -> audit finds only the scenario."""
    model, reference = models[model_id], references[model_id]
    defaults = model.resolve({})
    for sc, path in libreoffice["scenarios"][model_id]:
        report = audit_workbook(reference, path.read_bytes(), path.name)
        changed = sorted(k for k, v in sc.items() if not same(v, defaults[k]))
        assert sorted(report["changedInputs"]) == changed
        departures = {k: v for k, v in report["summary"].items() if v and k not in KEPT}
        assert departures == ({"changedInputs": len(changed)} if changed else {}), report
        assert report["verdict"] == "consistent"
        assert {o["verdict"] for o in report["outputs"]} == {"match"}


@pytest.mark.parametrize(
    ("values", "names"),
    [
        ({"fteAanpak": "=1+1"}, ["fteAanpak"]),
        (
            {"reductieOverlastMeetellen": '=HYPERLINK("http://x","ja")'},
            ["reductieOverlastMeetellen"],
        ),
        ({"reductieOverlastMeetellen": "ja"}, ["reductieOverlastMeetellen"]),
        ({"fteAanpak": True, "onbekend": 1}, ["fteAanpak", "onbekend"]),
        ({"fteAanpak": float("nan")}, ["fteAanpak"]),
        ({"fteAanpak": -1}, ["fteAanpak"]),
    ],
)
def test_export_refuses_text_and_invalid_values(
    reference: Reference, values: dict, names: list[str]
) -> None:
    with pytest.raises(InvalidScenario) as exc:
        export_workbook(reference, values)
    assert exc.value.status == 422
    assert [p["name"] for p in exc.value.invalid_params or []] == names
