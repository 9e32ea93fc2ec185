"""GET /v1/modellen and /v1/modellen/{modelId}: the served models and their interface."""

from __future__ import annotations

from flask import Blueprint, Response, jsonify

from service.api.registry import model_api, registry

bp = Blueprint("models", __name__, url_prefix="/v1")


@bp.get("/modellen")
def list_models() -> Response:
    return jsonify({"modellen": [api.summary for api in registry().models.values()]})


@bp.get("/modellen/<model_id>")
def get_model(model_id: str) -> Response:
    return jsonify(model_api(model_id).interface)
