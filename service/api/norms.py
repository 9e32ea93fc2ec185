"""GET /v1/normen: the Dutch MKBA discount-rate norms a request may name (`norm`).

Its own module (routes on the v1 blueprint), beside the other endpoints of issue 15.
"""

from __future__ import annotations

from typing import Any

from flask import Response, jsonify

from service.analysis import norms
from service.api.views import bp


def norm_document(norm: dict[str, Any]) -> dict[str, Any]:
    """One norm in the API's Dutch, with its sources."""
    return {
        "id": norm["id"],
        "labelNl": norm["labelNl"],
        "labelEn": norm["labelEn"],
        "geldigVanaf": norm["validFrom"],
        "geldigTot": norm["validUntil"],
        "disconteringsvoet": norm["discountRate"],
        "risicovrijeVoet": norm["riskFreeRate"],
        "risicoOpslag": norm["riskPremium"],
        "toelichting": norm["note"],
        "bronnen": [
            {"titel": s["title"], "datum": s["date"], "url": s["url"]} for s in norm["sources"]
        ],
    }


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
