"""The /v1 endpoints. Thin: read the body, validate, hand to ModelAPI, answer."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, Response, current_app, jsonify, request
from marshmallow import ValidationError

from service import analysis, audit
from service.analysis import charts
from service.api import analyses as an
from service.api.http import json_body, negotiate, offers
from service.api.models import ModelAPI
from service.api.registry import registry
from service.errors import Problem, invalid_input

JSON = "application/json"
PROBLEM = "application/problem+json"
HTML = "text/html"
SVG = "image/svg+xml"
PNG = "image/png"
XLSX = audit.XLSX_MIMETYPE

# The audit report page: its own inline style, nothing else (no scripts, no requests).
REPORT_CSP = (
    "default-src 'none'; style-src 'unsafe-inline'; base-uri 'none'; "
    "form-action 'none'; frame-ancestors 'none'"
)

bp = Blueprint("v1", __name__, url_prefix="/v1")


def _model(model_id: str) -> ModelAPI:
    api = registry().models.get(model_id)
    if api is None:
        known = ", ".join(sorted(registry().models)) or "(none)"
        raise Problem(404, "unknownModel", f"No model {model_id!r}; known models: {known}.")
    return api


@bp.get("/modellen")
def list_models() -> Response:
    return jsonify({"modellen": [api.summary for api in registry().models.values()]})


@bp.get("/modellen/<model_id>")
def get_model(model_id: str) -> Response:
    return jsonify(_model(model_id).interface)


def _scenario(api: ModelAPI) -> dict[str, Any]:
    """The validated `invoer` of a {"invoer": {...}, "norm": ...} body, the norm applied."""
    from service.api.norms import scenario_with_norm  # routes import views

    return scenario_with_norm(api, json_body())[0]


def _reference(api: ModelAPI) -> audit.Reference:
    """The reference workbook beside the model's artifact (loaded once, then cached)."""
    return audit.load_reference(api.model, current_app.config["MODELS_DIR"] / f"{api.id}.xlsx")


def _attachment(data: bytes, mimetype: str, filename: str) -> Response:
    resp = current_app.response_class(data, mimetype=mimetype)
    resp.headers["Content-Disposition"] = f'attachment; filename="{filename}"'
    return resp


@bp.post("/modellen/<model_id>/berekeningen")
@offers(JSON, XLSX, PROBLEM)
def calculate(model_id: str) -> Response:
    from service.api.norms import norm_document, scenario_with_norm  # routes import views

    api = _model(model_id)
    values, norm = scenario_with_norm(api, json_body())  # an optional discount-rate norm
    if negotiate() == XLSX:
        data = audit.export_workbook(_reference(api), values)
        return _attachment(data, XLSX, f"{api.id}.xlsx")
    answer = api.calculate(values)
    if norm is not None:
        answer["norm"] = norm_document(norm)
    return jsonify(answer)


@bp.post("/modellen/<model_id>/batch-berekeningen")
def calculate_batch(model_id: str) -> Response:
    api = _model(model_id)
    try:
        scenarios = api.load_batch(json_body())
    except ValidationError as exc:
        raise invalid_input(exc.messages) from None  # type: ignore[arg-type]
    valid = [s for s in scenarios if "values" in s]
    answers = api.calculate_many([s["values"] for s in valid], [s["id"] for s in valid])
    if len(valid) < len(scenarios):
        results = iter(answers)
        answers = [
            next(results) if "values" in s else {"id": s["id"], "invalidParams": s["errors"]}
            for s in scenarios
        ]
    return jsonify({**api.header, "kolommen": api.columns, "resultaten": answers})


def _analysis(api: ModelAPI, function: Any, fields: Any, *required: str) -> dict[str, Any]:
    """An analysis of the request body, in the API's Dutch, after the model header."""
    result = an.run(function, api.model, json_body(), fields, required)
    return {**api.header, **an.dutch(result)}


@bp.post("/modellen/<model_id>/gevoeligheidsanalyses")
def sensitivity(model_id: str) -> Response:
    api = _model(model_id)
    return jsonify(_analysis(api, analysis.tornado, an.TORNADO))


@bp.post("/modellen/<model_id>/omslagwaarden")
def switching_value(model_id: str) -> Response:
    api = _model(model_id)
    result = an.run(analysis.switching_value, api.model, json_body(), an.SWITCHING, ("invoerNaam",))
    now = result["current"]
    result["current"] = {"inputValue": now["input"], "outputValue": now["output"]}
    return jsonify({**api.header, **an.dutch(result)})


@bp.post("/modellen/<model_id>/onzekerheidsanalyses")
def uncertainty(model_id: str) -> Response:
    api = _model(model_id)
    return jsonify(_analysis(api, analysis.monte_carlo, an.MONTE_CARLO, "kansverdelingen"))


@bp.get("/modellen/<model_id>/effectdomeinen")
def effect_domains(model_id: str) -> Response:
    api = _model(model_id)
    domains = [{"domein": k, **an.dutch(v)} for k, v in analysis.domains(api.model).items()]
    return jsonify({**api.header, "domeinen": domains})


@bp.post("/modellen/<model_id>/effectmetingen")
def effect(model_id: str) -> Response:
    api = _model(model_id)
    required = ("domein", "interventiegroep", "controlegroep")
    return jsonify(_analysis(api, analysis.measure_effect, an.EFFECT, *required))


@bp.post("/modellen/<model_id>/verklaringen")
def explain(model_id: str) -> Response:
    api = _model(model_id)
    return jsonify(_analysis(api, analysis.explain, an.EXPLAIN, "uitvoerNaam"))


@bp.post("/modellen/<model_id>/verdelingen")
def ledger(model_id: str) -> Response:
    api = _model(model_id)
    values = _scenario(api)
    result = an.dutch(analysis.ledger(api.model, values))
    return jsonify({**api.header, "invoer": api.resolve(values), **result})


@bp.post("/modellen/<model_id>/grafieken/kosten-baten")
@offers(SVG, PNG)
def cost_benefit_chart(model_id: str) -> Response:
    api = _model(model_id)
    mimetype = negotiate()
    values = _scenario(api)
    data = charts.cost_benefit_chart(api.model, values, fmt="svg" if mimetype == SVG else "png")
    return current_app.response_class(data, mimetype=mimetype)


@bp.post("/modellen/<model_id>/grafieken/tornado")
@offers(SVG, PNG)
def tornado_chart(model_id: str) -> Response:
    api = _model(model_id)
    mimetype = negotiate()
    result = an.run(analysis.tornado, api.model, json_body(), an.TORNADO)
    try:
        data = charts.tornado_chart(result, fmt="svg" if mimetype == SVG else "png")
    except analysis.AnalysisError as exc:  # e.g. the output sorted by is a text
        raise invalid_input(
            [{"name": "sorteerOp", "reason": an.sentence(e["message"])} for e in exc.errors]
        ) from None
    return current_app.response_class(data, mimetype=mimetype)


@bp.post("/modellen/<model_id>/audits")
@offers(JSON, HTML, PROBLEM)
def audit_upload(model_id: str) -> Response:
    api = _model(model_id)
    mimetype = negotiate()
    if request.mimetype != XLSX:
        raise Problem(
            415,
            "unsupportedMediaType",
            f"Content-Type {request.mimetype or '(none)'!r} is not supported; "
            f"send the workbook itself as {XLSX}.",
        )
    limit = current_app.config["MAX_UPLOAD_BYTES"]
    request.max_content_length = limit
    limits = audit.Limits(max_upload_bytes=limit)
    report = audit.audit_workbook(_reference(api), request.get_data(), limits=limits)
    if mimetype == HTML:
        resp = current_app.response_class(audit.render_html(report), mimetype=HTML)
        resp.headers["Content-Security-Policy"] = REPORT_CSP
        return resp
    return jsonify({**api.header, "rapport": report})


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
