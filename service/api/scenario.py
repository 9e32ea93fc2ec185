"""A scenario from a request body: its validated inputs with an optional discount-rate
norm (`norm`) applied, and a norm as the API shows it."""

from __future__ import annotations

from typing import Any

from marshmallow import ValidationError

from service.analysis import norms
from service.api.model_api import ModelAPI
from service.errors import invalid_input


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


def norm_problems(api: ModelAPI, norm: Any, invoer: Any, field: str) -> list[dict[str, str]]:
    """What is wrong with a `norm` field: an unknown id, a model without the
    discountRate role, or the discount-rate input given beside it."""
    if not isinstance(norm, str) or norm not in norms.norm_ids():
        return [{"name": field, "reason": f"Must be one of: {', '.join(norms.norm_ids())}."}]
    rate = api.model.roles.discount_rate
    if rate is None:
        reason = (
            f"Model {api.id} declares no discountRate role (an input role in its "
            "Interface sheet), so it cannot take a norm; give its discount rate in invoer."
        )
        return [{"name": field, "reason": reason}]
    if isinstance(invoer, dict) and rate in invoer:
        return [{"name": field, "reason": f"Give a norm or invoer.{rate}, not both."}]
    return []


def scenario_with_norm(api: ModelAPI, body: Any) -> tuple[dict[str, Any], dict[str, Any] | None]:
    """A calculation body {"invoer": {...}, "norm": "2021"}: the validated inputs with the
    norm's rate applied, and the norm; 400 with every field error at once."""
    if not isinstance(body, dict) or "norm" not in body:
        try:
            return api.load_request(body), None
        except ValidationError as exc:
            raise invalid_input(exc.messages) from None  # type: ignore[arg-type]
    rest = {k: v for k, v in body.items() if k != "norm"}
    problems = norm_problems(api, body["norm"], rest.get("invoer"), "norm")
    values: dict[str, Any] = {}
    try:
        values = api.load_request(rest)
    except ValidationError as exc:
        problems = list(exc.messages) + problems  # type: ignore[arg-type]
    if problems:
        raise invalid_input(problems)
    return norms.apply_norm(api.model, values, body["norm"]), norms.get_norm(body["norm"])
