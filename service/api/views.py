"""The /v1 endpoints. Thin: read the body, validate, hand to ModelAPI, answer."""

from __future__ import annotations

from flask import Blueprint, Response, current_app, jsonify
from marshmallow import ValidationError

from service.api.http import json_body
from service.api.models import ModelAPI
from service.api.registry import registry
from service.errors import Problem

bp = Blueprint("v1", __name__, url_prefix="/v1")


def _model(model_id: str) -> ModelAPI:
    api = registry().models.get(model_id)
    if api is None:
        known = ", ".join(sorted(registry().models)) or "(none)"
        raise Problem(404, "unknownModel", f"No model {model_id!r}; known models: {known}.")
    return api


def _invalid(params: list[dict[str, str]]) -> Problem:
    names = ", ".join(dict.fromkeys(p["name"] for p in params))
    return Problem(400, "invalidInput", f"The request has invalid fields: {names}.", params)


@bp.get("/modellen")
def list_models() -> Response:
    return jsonify({"modellen": [api.summary for api in registry().models.values()]})


@bp.get("/modellen/<model_id>")
def get_model(model_id: str) -> Response:
    return jsonify(_model(model_id).interface)


@bp.post("/modellen/<model_id>/berekeningen")
def calculate(model_id: str) -> Response:
    api = _model(model_id)
    try:
        values = api.load_request(json_body())
    except ValidationError as exc:
        raise _invalid(exc.messages) from None  # type: ignore[arg-type]
    return jsonify(api.calculate(values))


@bp.post("/modellen/<model_id>/batch-berekeningen")
def calculate_batch(model_id: str) -> Response:
    api = _model(model_id)
    try:
        scenarios = api.load_batch(json_body())
    except ValidationError as exc:
        raise _invalid(exc.messages) from None  # type: ignore[arg-type]
    valid = [s for s in scenarios if "values" in s]
    results = iter(api.calculate_many([s["values"] for s in valid]))
    answers = [
        {"id": s["id"], **next(results)}
        if "values" in s
        else {"id": s["id"], "invalidParams": s["errors"]}
        for s in scenarios
    ]
    return jsonify({**api.header, "kolommen": api.columns, "resultaten": answers})


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
