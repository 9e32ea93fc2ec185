"""GET /v1/health/live and /v1/health/ready, and the API's own OpenAPI document."""

from __future__ import annotations

from flask import Blueprint, Response, current_app, jsonify

from service.api.registry import registry
from service.errors import Problem

bp = Blueprint("health", __name__, url_prefix="/v1")


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
