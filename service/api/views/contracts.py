"""GET /v1/modellen/{modelId}/openapi.json|yaml: the per-model contracts."""

from __future__ import annotations

from typing import Any

import yaml
from flask import Blueprint, Response, current_app, jsonify

from service.api.contract import model_contract
from service.api.http import PROBLEM, YAML, offers
from service.api.registry import model_api

bp = Blueprint("contracts", __name__, url_prefix="/v1")


def contract(model_id: str) -> dict[str, Any]:
    """The model's contract, built at its first request and kept (the app's models are fixed)."""
    api = model_api(model_id)
    cache: dict[str, dict[str, Any]] = current_app.extensions.setdefault("mkba-contracts", {})
    if model_id not in cache:
        cache[model_id] = model_contract(current_app.config["OPENAPI"], api)
    return cache[model_id]


@bp.get("/modellen/<model_id>/openapi.json")
def model_openapi_json(model_id: str) -> Response:
    return jsonify(contract(model_id))


@bp.get("/modellen/<model_id>/openapi.yaml")
@offers(YAML, PROBLEM)
def model_openapi_yaml(model_id: str) -> Response:
    text = yaml.safe_dump(contract(model_id), sort_keys=False, allow_unicode=True)
    return current_app.response_class(text, mimetype=YAML)
