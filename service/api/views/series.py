"""POST /v1/modellen/{modelId}/tijdreeksen and its chart: costs and benefits over time.

Thin: the body is validated here (every field error at once), the figures come from
`service.analysis.timeline`, the chart from `service.analysis.charts`. A model that
declares no yearly series has neither resource: 404 missingRole.
"""

from __future__ import annotations

from typing import Any

from flask import Blueprint, Response, current_app, jsonify
from marshmallow import Schema, ValidationError, fields, validate

from service.analysis import AnalysisError, charts, timeline
from service.api.http import PNG, SVG, json_body, negotiate, offers
from service.api.model_api import ModelAPI
from service.api.registry import model_api
from service.api.scenario import norm_document, scenario_with_norm
from service.errors import Problem, invalid_input, invalid_params

bp = Blueprint("series", __name__, url_prefix="/v1")

MAX_YEARS = 1000  # a bound for the schema; the model's own horizon is checked after it


class _Years(Schema):
    jaren = fields.Integer(
        strict=True,
        load_default=timeline.DEFAULT_BUDGET_YEARS,
        validate=validate.Range(min=1, max=MAX_YEARS),
    )


_YEARS = _Years()  # one instance: a schema is built once, not per request


def load_timeline_request(api: ModelAPI, body: Any) -> tuple[dict[str, Any], Any, int]:
    """The validated inputs, the norm (or None) and `jaren` of a body {"invoer": {...},
    "norm": "2021", "jaren": 2}; 400 with every field error at once."""
    problems: list[dict[str, str]] = []
    years = timeline.DEFAULT_BUDGET_YEARS
    rest = body
    if isinstance(body, dict):
        rest = {k: v for k, v in body.items() if k != "jaren"}
        try:
            if "jaren" in body:  # else the default, which is what loading {} gives
                years = _YEARS.load({"jaren": body["jaren"]})["jaren"]
        except ValidationError as exc:
            problems += invalid_params(exc.messages)
        horizon = len(timeline.series_roles(api.model).years)
        if not problems and years > horizon:
            reason = f"Must be at most {horizon}, the years of the model's series."
            problems.append({"name": "jaren", "reason": reason})
    values: dict[str, Any] = {}
    norm = None
    try:
        values, norm = scenario_with_norm(api, rest)
    except Problem as exc:
        problems = (exc.invalid_params or []) + problems
    if problems:
        raise invalid_input(problems)
    return values, norm, years


def _stream(s: dict[str, Any]) -> dict[str, Any]:
    return {"nietContant": s["undiscounted"], "contant": s["discounted"], "ncw": s["ncw"]}


def _flow(f: dict[str, Any], head: dict[str, Any]) -> dict[str, Any]:
    b = f["budget"]
    return {
        **head,
        "kosten": _stream(f["costs"]),
        "baten": _stream(f["benefits"]),
        "saldo": _stream(f["saldo"]),
        "cumulatiefSaldo": {
            "nietContant": f["cumulative"]["undiscounted"],
            "contant": f["cumulative"]["discounted"],
        },
        "terugverdienJaar": f["paybackYear"],
        "terugverdiendBinnenHorizon": f["paybackYear"] is not None,
        "begroting": {
            "jaren": b["years"],
            "kosten": b["costs"],
            "baten": b["benefits"],
            "saldo": b["saldo"],
            "saldoInLaatsteJaar": b["saldoInLastYear"],
        },
    }


def _timeline(api: ModelAPI, values: dict[str, Any], years: int) -> dict[str, Any]:
    """The analysis; a scenario whose series hold an Excel error is refused (400)."""
    try:
        return timeline.timeline(api.model, values, budget_years=years)
    except AnalysisError as exc:
        raise invalid_input(
            [
                {"name": "invoer", "reason": e["message"][:1].upper() + e["message"][1:] + "."}
                for e in exc.errors
            ]
        ) from None


def timeline_document(
    api: ModelAPI, values: dict[str, Any], norm: Any, years: int
) -> dict[str, Any]:
    """The answer: per year per line, per actor and in total, in the API's Dutch."""
    result = _timeline(api, values, years)
    return {
        **api.header,
        "invoer": api.resolve(values),
        **({} if norm is None else {"norm": norm_document(norm)}),
        "jaren": result["years"],
        "disconteringsfactoren": result["discountFactors"],
        "begrotingJaren": years,
        "totaal": _flow(result["total"], {}),
        "posten": [
            {
                "naam": x["name"],
                "labelNl": x["labelNl"],
                "labelEn": x["labelEn"],
                "soort": "kosten" if x["kind"] == "costs" else "baten",
                "nietContant": x["undiscounted"],
                "contant": x["discounted"],
                "ncw": x["ncw"],
            }
            for x in result["lines"]
        ],
        "actoren": [
            _flow(a, {"actor": a["actor"], "labelNl": a["labelNl"], "labelEn": a["labelEn"]})
            for a in result["actors"]
        ],
    }


@bp.post("/modellen/<model_id>/tijdreeksen")
def timeline_answer(model_id: str) -> Response:
    api = model_api(model_id)
    timeline.series_roles(api.model)  # a model without series has no such resource
    values, norm, years = load_timeline_request(api, json_body())
    return jsonify(timeline_document(api, values, norm, years))


@bp.post("/modellen/<model_id>/grafieken/cumulatief-saldo")
@offers(SVG, PNG)
def timeline_chart(model_id: str) -> Response:
    api = model_api(model_id)
    mimetype = negotiate()
    timeline.series_roles(api.model)
    values, _norm, years = load_timeline_request(api, json_body())
    result = _timeline(api, values, years)
    fmt = "svg" if mimetype == SVG else "png"
    data = charts.timeline_chart(result, api.model.title, fmt=fmt)
    return current_app.response_class(data, mimetype=mimetype)
