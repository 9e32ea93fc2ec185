"""The models the app serves, loaded once at start-up, and the readiness self-test."""

from __future__ import annotations

import logging
import math
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from flask import current_app

from service import audit
from service.api.model_api import ModelAPI
from service.errors import Problem

log = logging.getLogger(__name__)


@dataclass
class Registry:
    models: dict[str, ModelAPI] = field(default_factory=dict)
    # per model id, every served version oldest first; the last is `models[id]` itself
    versions: dict[str, dict[str, ModelAPI]] = field(default_factory=dict)
    # per model id and version: what `GET .../versies/{versie}` tells (service/api/versions.py)
    version_entries: dict[str, dict[str, dict[str, Any]]] = field(default_factory=dict)
    ready: bool = False
    reason: str = "not started"


def load(models_dir: Path) -> Registry:
    """Load every compiled model in `models_dir`, with its earlier versions in
    `models_dir/versions/` (docs/versions.md), and self-test each one.

    A stale or broken artifact makes `load_models` raise, and the app refuses to
    start; a model that loads but fails its self-test leaves the app not ready.
    """
    from service.api.versions import listing, same_contract, version_entries
    from service.engine import load_models
    from service.engine.versions import load_versions

    current = load_models(models_dir)
    reg = Registry(models={m_id: ModelAPI(m) for m_id, m in current.items()})
    if not reg.models:
        reg.reason = f"no compiled models in {models_dir}"
        return reg
    for model_id, served in load_versions(models_dir, current).items():
        apis = {v: ModelAPI(m) for v, m in served.models.items() if v != served.current.version}
        reg.versions[model_id] = {**apis, served.current.version: reg.models[model_id]}
        reg.version_entries[model_id] = version_entries(served.entries)
        # the model's document lists its versions (GET /v1/modellen/{modelId})
        reg.models[model_id].interface["versies"] = listing(reg.version_entries[model_id])
        described = {
            version: api
            for version, api in reg.versions[model_id].items()
            if same_contract(api, reg.models[model_id])
        }
        reg.models[model_id].contract_versions = list(described)
        reg.models[model_id].contract_series_years = [
            years for api in described.values() for years in api.contract_series_years
        ]
    for versions in reg.versions.values():
        for api in versions.values():
            try:
                self_test(api)
            except Exception as exc:  # noqa: BLE001 - reported through readiness
                log.exception("self-test of model %s %s failed", api.id, api.model.version)
                reg.reason = (
                    f"self-test of model {api.id!r} version {api.model.version!r} failed: "
                    f"{type(exc).__name__}"
                )
                return reg
    reg.ready, reg.reason = True, "ready"
    return reg


def self_test(api: ModelAPI) -> None:
    """The default scenario on every backend: every output present, all agree.

    `check_backends` holds numpy and C (single and batch) to the scalar artifact, so
    each comparison has two different implementations on its two sides (issue 14).
    """
    problems = api.model.check_backends()
    if problems:
        raise AssertionError("backends disagree: " + "; ".join(problems[:5]))
    single = api.calculate({})
    batch = api.calculate_many([{}])[0]
    assert batch["invoerHash"] == single["invoerHash"], "input hashes disagree"
    for column, other in zip(api.columns, batch["waarden"], strict=True):
        value = single["uitvoer"][column["groep"]][column["naam"]]
        same = (
            math.isclose(value, other, rel_tol=1e-9, abs_tol=1e-9)
            if isinstance(value, float) and isinstance(other, float)
            else value == other
        )
        if not same:
            raise AssertionError(f"backends disagree on {column['naam']}: {value!r} != {other!r}")


def registry() -> Registry:
    reg: Registry = current_app.extensions["mkba"]
    return reg


def model_api(model_id: str) -> ModelAPI:
    """The served model `model_id`; 404 `unknownModel` naming the known ones."""
    api = registry().models.get(model_id)
    if api is None:
        known = ", ".join(sorted(registry().models)) or "(none)"
        raise Problem(404, "unknownModel", f"No model {model_id!r}; known models: {known}.")
    return api


def reference_workbook(api: ModelAPI) -> audit.Reference:
    """The reference workbook beside the model's artifact (loaded once, then cached)."""
    return audit.load_reference(api.model, current_app.config["MODELS_DIR"] / f"{api.id}.xlsx")
