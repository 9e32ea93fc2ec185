"""POST /v1/modellen/{modelId}/grafieken/...: the cost-benefit and tornado charts."""

from __future__ import annotations

from flask import Blueprint, Response, current_app

from service import analysis
from service.analysis import charts
from service.api import analyses as an
from service.api.http import PNG, SVG, json_body, negotiate, offers
from service.api.registry import model_api
from service.api.scenario import scenario_with_norm
from service.errors import invalid_input

TORNADO = an.Tornado()

bp = Blueprint("charts", __name__, url_prefix="/v1")


@bp.post("/modellen/<model_id>/grafieken/kosten-baten")
@offers(SVG, PNG)
def cost_benefit_chart(model_id: str) -> Response:
    api = model_api(model_id)
    mimetype = negotiate()
    values = scenario_with_norm(api, json_body())[0]
    data = charts.cost_benefit_chart(api.model, values, fmt="svg" if mimetype == SVG else "png")
    return current_app.response_class(data, mimetype=mimetype)


@bp.post("/modellen/<model_id>/grafieken/tornado")
@offers(SVG, PNG)
def tornado_chart(model_id: str) -> Response:
    api = model_api(model_id)
    mimetype = negotiate()
    result = an.run(analysis.tornado, api.model, json_body(), TORNADO)
    try:
        data = charts.tornado_chart(result, fmt="svg" if mimetype == SVG else "png")
    except analysis.AnalysisError as exc:  # e.g. the output sorted by is a text
        raise invalid_input(
            [{"name": "sorteerOp", "reason": an.sentence(e["message"])} for e in exc.errors]
        ) from None
    return current_app.response_class(data, mimetype=mimetype)
