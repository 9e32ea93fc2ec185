"""Export -> LibreOffice recalculation -> audit, for every model in formulas_spec/.

Each model's export of a scenario that moves its inputs is recalculated by LibreOffice
(one soffice run for all models); the recalculated copy must hold the service's outputs
and the audit must find it consistent, with only the scenario's inputs changed.
"""

from __future__ import annotations

import math
from pathlib import Path
from typing import Any

import pytest

from service.audit import audit_workbook, export_workbook, load_reference
from service.compiler.interface import yesno_value
from service.engine import CompiledModel, load_models
from tools.engines import cached_values, engine_available, recalc_libreoffice

SPEC = Path(__file__).resolve().parents[2] / "formulas_spec"
MODELS = load_models(SPEC)


def scenario(model: CompiledModel) -> dict[str, Any]:
    """Every bounded numeric input a third of the way up its range, every yes/no flipped."""
    values: dict[str, Any] = {}
    for spec in model.inputs:
        if spec.type == "yesno":
            values[spec.name] = spec.default != "ja"
        elif spec.min is not None and spec.max is not None and spec.min < spec.max:
            values[spec.name] = spec.min + (spec.max - spec.min) / 3
    return values


@pytest.fixture(scope="module")
def recalculated(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path | Exception]:
    """Per model its recalculated export, or the exception its export raised (so that
    one model's failure is reported by its own test, not by all)."""
    if not engine_available("libreoffice"):
        pytest.skip("LibreOffice (soffice) not installed")
    src = tmp_path_factory.mktemp("exports")
    paths: dict[str, Path] = {}
    failed: dict[str, Path | Exception] = {}
    for model_id, model in MODELS.items():
        try:
            reference = load_reference(model, SPEC / f"{model_id}.xlsx")
            data = export_workbook(reference, scenario(model))
        except Exception as exc:  # noqa: BLE001 - reported by the model's own test
            failed[model_id] = exc
            continue
        paths[model_id] = src / f"{model_id}.xlsx"
        paths[model_id].write_bytes(data)
    out = (
        recalc_libreoffice(list(paths.values()), tmp_path_factory.mktemp("recalculated"))
        if paths
        else []
    )
    return {**dict(zip(paths, out, strict=True)), **failed}


def _key(sheet_addr: tuple[str, str]) -> str:
    return f"{sheet_addr[0]}!{sheet_addr[1]}"


@pytest.mark.parametrize("model_id", sorted(MODELS))
def test_export_recalculated_and_audited(
    model_id: str, recalculated: dict[str, Path | Exception]
) -> None:
    model = MODELS[model_id]
    values = scenario(model)
    path = recalculated[model_id]
    if isinstance(path, Exception):
        raise path
    lo = {_key(k): v for k, v in cached_values(path).items()}
    outputs = model.calculate(values)
    for o in model.outputs:
        got, want = lo[o.cell], outputs[o.name]
        if o.type == "yesno":  # the cell holds ja/nee (or a logical), the API a boolean
            assert yesno_value(got) is want, (o.name, got, want)
        elif isinstance(want, float):
            assert math.isclose(got, want, rel_tol=1e-9, abs_tol=1e-9), (o.name, got, want)
        else:
            assert got == want, (o.name, got, want)
    reference = load_reference(model, SPEC / f"{model_id}.xlsx")
    report = audit_workbook(reference, path.read_bytes(), path.name)
    assert report["verdict"] == "consistent", report["summary"]
    assert report["modelIntact"] is True
    assert sorted(report["changedInputs"]) == sorted(
        name for name, v in values.items() if v != model.resolve({})[name]
    )
