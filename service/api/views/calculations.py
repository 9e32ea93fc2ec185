"""POST /v1/modellen/{modelId}/berekeningen: one scenario, as JSON or as the workbook."""

from __future__ import annotations

from flask import Blueprint, Response, current_app, jsonify

from service import audit, observability
from service.api import price_level
from service.api.http import JSON, PROBLEM, json_body, negotiate, offers
from service.api.registry import model_api, reference_workbook
from service.api.scenario import norm_document, scenario_with_norm
from service.errors import Problem, invalid_input

XLSX = audit.XLSX_MIMETYPE

bp = Blueprint("calculations", __name__, url_prefix="/v1")


@bp.post("/modellen/<model_id>/berekeningen")
@offers(JSON, XLSX, PROBLEM)
def calculate(model_id: str) -> Response:
    api = model_api(model_id)
    body, prices = price_level.split(json_body())  # an optional price year
    problems = price_level.problems(api, prices)
    try:
        values, norm = scenario_with_norm(api, body)  # an optional discount-rate norm
    except Problem as exc:
        raise invalid_input((exc.invalid_params or []) + problems) from None
    if problems:
        raise invalid_input(problems)
    if prices is not price_level.ABSENT and negotiate() == XLSX:
        reason = "The workbook holds the model's own prices; ask JSON for another price year."
        raise invalid_input([{"name": price_level.FIELD, "reason": reason}])
    if negotiate() == XLSX:
        data = audit.export_workbook(reference_workbook(api), values)
        resp = current_app.response_class(data, mimetype=XLSX)
        resp.headers["Content-Disposition"] = f'attachment; filename="{api.id}.xlsx"'
        return resp
    with observability.calculation(api.id, "single", 1):
        answer = api.calculate(values)
    if norm is not None:
        answer["norm"] = norm_document(norm)
    return jsonify(price_level.convert(api, answer, prices))
