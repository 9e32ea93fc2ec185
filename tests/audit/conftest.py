"""Fixtures of the audit tests: the model, its reference, and one LibreOffice run for all."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from service.audit import Reference, export_workbook, load_reference
from service.engine import CompiledModel, load_models
from tests.audit.support import REFERENCE, set_cells
from tools.engines import engine_available, recalc_libreoffice

N_RANDOM = 8
# The municipality's copy: one formula edited (total costs + EUR 1000), one input changed.
EDITED_FORMULA = {"Cockpit!J5": "=$J$6+$J$9+1000"}
CHANGED_INPUT = {"Cockpit!C6": 0.2}


@pytest.fixture(scope="session")
def model() -> CompiledModel:
    return load_models(Path("formulas_spec"))["mkba-1gezin1plan"]


@pytest.fixture(scope="session")
def reference(model: CompiledModel) -> Reference:
    return load_reference(model, REFERENCE)


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
    model: CompiledModel, reference: Reference, reference_bytes: bytes, tmp_path_factory
) -> dict[str, object]:
    """Exports of random scenarios and the edited copy, recalculated in one soffice run."""
    if not engine_available("libreoffice"):
        pytest.skip("LibreOffice (soffice) not installed")
    src = tmp_path_factory.mktemp("lo-src")
    scenarios = random_scenarios(model, N_RANDOM)
    paths = []
    for i, sc in enumerate(scenarios):
        p = src / f"scenario-{i}.xlsx"
        p.write_bytes(export_workbook(reference, sc))
        paths.append(p)
    edited = src / "edited.xlsx"
    edited.write_bytes(set_cells(reference_bytes, CHANGED_INPUT, EDITED_FORMULA))
    paths.append(edited)
    out = recalc_libreoffice(paths, tmp_path_factory.mktemp("lo-out"))
    return {"scenarios": list(zip(scenarios, out[:-1], strict=True)), "edited": out[-1]}
