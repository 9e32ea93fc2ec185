"""The models the app serves, loaded once at start-up, and the readiness self-test."""

from __future__ import annotations

import logging
import math
from dataclasses import dataclass, field
from pathlib import Path

from flask import current_app

from service import audit
from service.api.model_api import ModelAPI
from service.errors import Problem

log = logging.getLogger(__name__)


@dataclass
class Registry:
    models: dict[str, ModelAPI] = field(default_factory=dict)
    ready: bool = False
    reason: str = "not started"


def load(models_dir: Path) -> Registry:
    """Load every compiled model in `models_dir` and self-test each one.

    A stale or broken artifact makes `load_models` raise, and the app refuses to
    start; a model that loads but fails its self-test leaves the app not ready.
    """
    from service.engine import load_models

    reg = Registry(models={m_id: ModelAPI(m) for m_id, m in load_models(models_dir).items()})
    if not reg.models:
        reg.reason = f"no compiled models in {models_dir}"
        return reg
    for api in reg.models.values():
        try:
            self_test(api)
        except Exception as exc:  # noqa: BLE001 - reported through readiness
            log.exception("self-test of model %s failed", api.id)
            reg.reason = f"self-test of model {api.id!r} failed: {type(exc).__name__}"
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
