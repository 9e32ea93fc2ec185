"""POST /v1/modellen/{modelId}/vergelijkingen: 2 to 10 named variants side by side."""

from __future__ import annotations

from flask import Blueprint, Response, jsonify

from service.api.http import json_body
from service.api.registry import model_api
from service.api.variants import compare, load_comparison

bp = Blueprint("comparisons", __name__, url_prefix="/v1")


@bp.post("/modellen/<model_id>/vergelijkingen")
def comparison(model_id: str) -> Response:
    api = model_api(model_id)
    return jsonify(compare(api, load_comparison(api, json_body())))
