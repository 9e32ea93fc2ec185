"""The /v1 endpoints. Thin: read the body, validate, hand to ModelAPI, answer."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, Response, current_app, jsonify
from marshmallow import ValidationError

from service.api.http import json_body
from service.api.models import ModelAPI
from service.api.registry import registry
from service.api.schemas import BatchRequest
from service.errors import Problem, invalid_params

bp = Blueprint("v1", __name__, url_prefix="/v1")

_batch_request = BatchRequest()


def _model(model_id: str) -> ModelAPI:
    api = registry().models.get(model_id)
    if api is None:
        known = ", ".join(sorted(registry().models)) or "(none)"
        raise Problem(404, "unknownModel", f"No model {model_id!r}; known models: {known}.")
    return api


def _invalid(params: list[dict[str, str]]) -> Problem:
    names = ", ".join(dict.fromkeys(p["name"] for p in params))
    return Problem(400, "invalidInput", f"The request has invalid fields: {names}.", params)


def _load(schema: Any, body: Any) -> dict[str, Any]:
    try:
        return dict(schema.load(body))
    except ValidationError as exc:
        raise _invalid(invalid_params(exc.messages)) from None


@bp.get("/modellen")
def list_models() -> Response:
    return jsonify({"modellen": [api.summary for api in registry().models.values()]})


@bp.get("/modellen/<model_id>")
def get_model(model_id: str) -> Response:
    return jsonify(_model(model_id).interface)


@bp.post("/modellen/<model_id>/berekeningen")
def calculate(model_id: str) -> Response:
    api = _model(model_id)
    body = _load(api.calculation_schema, json_body())
    return jsonify(api.calculate(body["invoer"]))


@bp.post("/modellen/<model_id>/batch-berekeningen")
def calculate_batch(model_id: str) -> Response:
    api = _model(model_id)
    body = _load(_batch_request, json_body())
    valid: list[tuple[int, dict[str, Any]]] = []
    answers: list[dict[str, Any]] = []
    for i, scenario in enumerate(body["scenarios"]):
        try:
            values = api.load_inputs(scenario["invoer"], prefix=f"scenarios.{i}.invoer")
        except ValidationError as exc:
            answers.append({"id": scenario["id"], "invalidParams": exc.messages})
            continue
        valid.append((i, api.resolve(values)))
        answers.append({"id": scenario["id"]})
    results = api.calculate_many([resolved for _, resolved in valid])
    for (i, _), result in zip(valid, results, strict=True):
        answers[i].update(result)
    return jsonify({**api.header, "resultaten": answers})


@bp.get("/openapi.json")
def openapi() -> Response:
    return jsonify(current_app.config["OPENAPI"])


@bp.get("/health/live")
def live() -> Response:
    return jsonify({"status": "up"})


@bp.get("/health/ready")
def ready() -> Response:
    reg = registry()
    if not reg.ready:
        raise Problem(503, "notReady", f"Not ready: {reg.reason}.")
    return jsonify({"status": "up", "modellen": sorted(reg.models)})
