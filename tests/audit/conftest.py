"""Fixtures of the audit tests: every served model, the reference model's workbook, and one
LibreOffice run for all."""

from __future__ import annotations

import numpy as np
import pytest

from service.audit import Reference, export_workbook, load_reference
from service.engine import CompiledModel, load_models
from tests.audit.support import MODEL_IDS, REFERENCE, REFERENCE_MODEL, SPEC, set_cells
from tools.engines import engine_available, recalc_libreoffice

N_RANDOM = 8
# The municipality's copy: one formula edited (total costs + EUR 1000), one input changed.
EDITED_FORMULA = {"Cockpit!J5": "=$J$6+$J$9+1000"}
CHANGED_INPUT = {"Cockpit!C6": 0.2}


@pytest.fixture(scope="session")
def models() -> dict[str, CompiledModel]:
    """Every model in formulas_spec/, as the service serves them."""
    return load_models(SPEC)


@pytest.fixture(scope="session")
def references(models: dict[str, CompiledModel]) -> dict[str, Reference]:
    """The reference of every served model, by model id."""
    return {i: load_reference(m, SPEC / f"{i}.xlsx") for i, m in models.items()}


@pytest.fixture(scope="session")
def model(models: dict[str, CompiledModel]) -> CompiledModel:
    """The reference model, for the tests that edit its cells by address."""
    return models[REFERENCE_MODEL]


@pytest.fixture(scope="session")
def reference(references: dict[str, Reference]) -> Reference:
    return references[REFERENCE_MODEL]


@pytest.fixture(scope="session")
def reference_bytes() -> bytes:
    return REFERENCE.read_bytes()


def random_scenarios(model: CompiledModel, n: int, seed: int = 20261122) -> list[dict]:
    """Scenarios that move every input: defaults scaled by 0..2 within bounds, random ja/nee."""
    rng = np.random.default_rng(seed)
    out = []
    for _ in range(n):
        values: dict[str, object] = {}
        for spec in model.inputs:
            if spec.type == "yesno":
                values[spec.name] = bool(rng.integers(2))
                continue
            v = float(spec.default) * float(rng.uniform(0.0, 2.0))
            if spec.default == 0:
                v = float(rng.uniform(0.0, 0.5))
            lo = -np.inf if spec.min is None else spec.min
            hi = np.inf if spec.max is None else spec.max
            v = float(np.clip(v, lo, hi))
            if spec.type in ("count", "years") and float(spec.default).is_integer():
                v = float(round(v)) if round(v) >= lo else v
            values[spec.name] = v
        out.append(values)
    return out


@pytest.fixture(scope="session")
def libreoffice(
    models: dict[str, CompiledModel],
    references: dict[str, Reference],
    reference_bytes: bytes,
    tmp_path_factory: pytest.TempPathFactory,
) -> dict[str, object]:
    """Exports of every model (its defaults and random scenarios) and the reference model's
    edited copy, recalculated in one soffice run.

    {"scenarios": {model id: [(scenario, recalculated .xlsx), ...]}, "edited": .xlsx}"""
    if not engine_available("libreoffice"):
        pytest.skip("LibreOffice (soffice) not installed")
    src = tmp_path_factory.mktemp("lo-src")
    exports: list[tuple[str, dict]] = []
    paths = []
    for model_id in MODEL_IDS:
        for sc in [{}, *random_scenarios(models[model_id], N_RANDOM)]:
            p = src / f"{model_id}-{len(paths)}.xlsx"
            p.write_bytes(export_workbook(references[model_id], sc))
            paths.append(p)
            exports.append((model_id, sc))
    edited = src / "edited.xlsx"
    edited.write_bytes(set_cells(reference_bytes, CHANGED_INPUT, EDITED_FORMULA))
    paths.append(edited)
    out = recalc_libreoffice(paths, tmp_path_factory.mktemp("lo-out"))
    scenarios: dict[str, list[tuple[dict, object]]] = {i: [] for i in MODEL_IDS}
    for (model_id, sc), path in zip(exports, out[:-1], strict=True):
        scenarios[model_id].append((sc, path))
    return {"scenarios": scenarios, "edited": out[-1]}
