"""GET /v1/normen: the Dutch MKBA discount-rate norms a request may name (`norm`)."""

from __future__ import annotations

from flask import Blueprint, Response, jsonify

from service.analysis import norms
from service.api.scenario import norm_document

bp = Blueprint("norms", __name__, url_prefix="/v1")


@bp.get("/normen")
def list_norms() -> Response:
    data = norms.table()
    return jsonify(
        {
            "versie": data["version"],
            "eenheid": data["unit"],
            "normen": [norm_document(n) for n in data["norms"]],
        }
    )
