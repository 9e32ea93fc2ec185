"""The versions of a model side by side, and the recalculation of a stored answer.

`GET /modellen/{modelId}/versies[/{versie}[/wijzigingen]]`, a calculation pinned to a
version (`POST /modellen/{modelId}/versies/{versie}/berekeningen` and batch), and
`POST /herberekeningen` (docs/versions.md).
"""

from __future__ import annotations

from typing import Any

from flask import Blueprint, Response, jsonify
from marshmallow import ValidationError

from service.api import versions as v
from service.api.http import json_body
from service.api.model_api import ModelAPI
from service.api.registry import registry
from service.errors import Problem, invalid_input

bp = Blueprint("versions", __name__, url_prefix="/v1")


def _versions(model_id: str) -> dict[str, ModelAPI]:
    served = registry().versions.get(model_id)
    if served is None:
        known = ", ".join(sorted(registry().models)) or "(none)"
        raise Problem(404, "unknownModel", f"No model {model_id!r}; known models: {known}.")
    return served


def _entry(model_id: str, versie: str) -> tuple[ModelAPI, dict[str, Any]]:
    api = v.pinned(_versions(model_id), model_id, versie)
    return api, registry().version_entries[model_id][versie]


@bp.get("/modellen/<model_id>/versies")
def list_versions(model_id: str) -> Response:
    _versions(model_id)  # 404 for a model not served
    current = registry().models[model_id].model.version
    entries = registry().version_entries[model_id]
    return jsonify({"modelId": model_id, "huidigeVersie": current, "versies": v.listing(entries)})


@bp.get("/modellen/<model_id>/versies/<versie>")
def get_version(model_id: str, versie: str) -> Response:
    api, entry = _entry(model_id, versie)
    document = {k: value for k, value in api.interface.items() if k != "versies"}
    return jsonify({**document, **{k: x for k, x in entry.items() if k != "wijzigingen"}})


@bp.get("/modellen/<model_id>/versies/<versie>/wijzigingen")
def changes(model_id: str, versie: str) -> Response:
    api, entry = _entry(model_id, versie)
    return jsonify(
        {
            **api.header,
            "vorigeVersie": entry["vorigeVersie"],
            "aantalWijzigingen": entry["aantalWijzigingen"],
            "wijzigingen": entry["wijzigingen"],
        }
    )


@bp.post("/modellen/<model_id>/versies/<versie>/berekeningen")
def calculate(model_id: str, versie: str) -> Response:
    from service.api.scenario import norm_document, scenario_with_norm

    api, _ = _entry(model_id, versie)
    values, norm = scenario_with_norm(api, json_body())
    answer = api.calculate(values)
    if norm is not None:
        answer["norm"] = norm_document(norm)
    return jsonify(answer)


@bp.post("/modellen/<model_id>/versies/<versie>/batch-berekeningen")
def calculate_batch(model_id: str, versie: str) -> Response:
    api, _ = _entry(model_id, versie)
    try:
        batch = api.load_batch(json_body())
    except ValidationError as exc:
        raise invalid_input(exc.messages) from None  # type: ignore[arg-type]
    return jsonify(
        {**api.header, "kolommen": api.columns, "resultaten": api.calculate_batch(batch)}
    )


@bp.post("/herberekeningen")
def recalculate() -> Response:
    request, api, values = v.load_recalculation(json_body(), registry().versions)
    v.check_identity(request, api, values)
    answer = api.calculate(values)
    if request["vergelijkMetHuidigeVersie"]:
        current = registry().models[api.id]
        now = current.calculate(v.current_values(current, answer["invoer"]))
        answer["huidigeVersie"] = now
        answer["verschillen"] = v.differences(answer["uitvoer"], now["uitvoer"])
    return jsonify(answer)
