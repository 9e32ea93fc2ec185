"""Export: a scenario as the reference workbook with its inputs and every cached value."""

from __future__ import annotations

import math
import zipfile
from io import BytesIO
from pathlib import Path

import pytest

from service.audit import InvalidScenario, Reference, export_workbook
from service.audit.audit import same
from service.engine import CompiledModel
from tests.audit.conftest import random_scenarios
from tests.audit.support import REFERENCE
from tools.engines import cached_values, formula_cells


def _key(sheet_addr: tuple[str, str]) -> str:
    return f"{sheet_addr[0]}!{sheet_addr[1]}"


def test_reference_values_are_the_workbooks_cached_values(reference: Reference) -> None:
    cached = {_key(k): v for k, v in cached_values(REFERENCE).items()}
    values = reference.values({})
    assert len(values) == len(formula_cells(REFERENCE)) == 1215
    wrong = {k: (v, cached.get(k)) for k, v in values.items() if not same(cached.get(k), v)}
    assert wrong == {}


def test_reference_outputs_are_the_models_outputs(
    model: CompiledModel, reference: Reference
) -> None:
    for sc in random_scenarios(model, 20, seed=7):
        cells = reference.values(sc)
        outputs = model.calculate(sc)
        for o in model.outputs:
            assert same(cells[o.cell], outputs[o.name]), o.name


def test_export_holds_inputs_formulas_and_cached_values(
    model: CompiledModel, reference: Reference, tmp_path: Path
) -> None:
    (sc,) = random_scenarios(model, 1, seed=3)
    path = tmp_path / "scenario.xlsx"
    path.write_bytes(export_workbook(reference, sc))
    cached = {_key(k): v for k, v in cached_values(path).items()}
    for spec in model.inputs:
        want = ("ja" if sc[spec.name] else "nee") if spec.type == "yesno" else sc[spec.name]
        assert cached[spec.cell] == want, spec.name
    assert formula_cells(path) == formula_cells(REFERENCE)
    values = reference.values(sc)
    assert all(same(cached[k], v) for k, v in values.items())
    outputs = model.calculate(sc)
    assert all(same(cached[o.cell], outputs[o.name]) for o in model.outputs)


def test_export_keeps_every_other_part_of_the_package(reference: Reference) -> None:
    exported = zipfile.ZipFile(BytesIO(export_workbook(reference, {"disconteringsvoet": 0.0225})))
    original = zipfile.ZipFile(REFERENCE)
    assert exported.namelist() == original.namelist()
    changed = [n for n in original.namelist() if original.read(n) != exported.read(n)]
    assert set(changed) <= {f"xl/worksheets/sheet{i}.xml" for i in range(1, 7)}
    assert exported.read("xl/charts/chart1.xml") == original.read("xl/charts/chart1.xml")


def test_exports_recalculated_by_libreoffice_give_the_services_outputs(
    model: CompiledModel, reference: Reference, libreoffice: dict
) -> None:
    for sc, path in libreoffice["scenarios"]:
        lo = {_key(k): v for k, v in cached_values(path).items()}
        outputs = model.calculate(sc)
        for o in model.outputs:
            got, want = lo[o.cell], outputs[o.name]
            if isinstance(want, float):
                assert math.isclose(got, want, rel_tol=1e-9, abs_tol=1e-9), (o.name, got, want)
            else:
                assert str(got) == str(want), o.name
        values = reference.values(sc)
        assert [k for k, v in values.items() if not same(lo.get(k), v)] == []


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
