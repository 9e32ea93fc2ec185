"""POST /v1/modellen/{modelId}/batch-berekeningen: many scenarios in one engine call."""

from __future__ import annotations

from flask import Blueprint, Response, jsonify
from marshmallow import ValidationError

from service import observability
from service.api.http import json_body
from service.api.registry import model_api
from service.errors import invalid_input

bp = Blueprint("batch", __name__, url_prefix="/v1")


@bp.post("/modellen/<model_id>/batch-berekeningen")
def calculate_batch(model_id: str) -> Response:
    api = model_api(model_id)
    try:
        batch = api.load_batch(json_body())
    except ValidationError as exc:
        raise invalid_input(exc.messages) from None  # type: ignore[arg-type]
    with observability.calculation(api.id, "batch", batch.valid):
        answers = api.calculate_batch(batch)
    return jsonify({**api.header, "kolommen": api.columns, "resultaten": answers})
