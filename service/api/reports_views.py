"""POST /v1/modellen/{modelId}/rapporten: the council report of a scenario or a comparison.

Thin: the options (`taal`, `onderdelen`) are checked by a marshmallow schema, the scenario
(`invoer`, `norm`) exactly as the calculation checks it, the variants (`varianten`) as the
comparison does; every field error comes back at once. The figures are the calculation's
(`ModelAPI.calculate`) or the comparison's (`compare`) answer, rendered by service.report.
"""

from __future__ import annotations

from typing import Any

from flask import Blueprint, Response, current_app
from marshmallow import Schema, ValidationError, fields, validate

from service import report
from service.analysis import norms
from service.api.comparisons import compare, load_comparison
from service.api.http import json_body, negotiate, offers
from service.api.models import ModelAPI
from service.api.norms import scenario_with_norm
from service.api.views import PROBLEM, _model
from service.errors import Problem, invalid_input, invalid_params

PDF = "application/pdf"
HTML = "text/html"
OPTIONS = frozenset({"taal", "onderdelen"})
BOTH = "Give a scenario (invoer, norm) or varianten (a comparison), not both."
# The report page: its own inline style and inline SVG, nothing else.
REPORT_CSP = (
    "default-src 'none'; style-src 'unsafe-inline'; img-src data:; base-uri 'none'; "
    "form-action 'none'; frame-ancestors 'none'"
)

bp = Blueprint("reports", __name__, url_prefix="/v1")


class ReportOptions(Schema):
    """The report's own fields beside the scenario or the variants."""

    taal = fields.String(load_default="nl", validate=validate.OneOf(report.LANGUAGES))
    onderdelen = fields.List(
        fields.String(validate=validate.OneOf(report.SECTIONS)),
        load_default=list(report.SECTIONS),
        validate=validate.Length(min=1),
    )


_options = ReportOptions()


def preload() -> None:
    """Import the report's renderers now (see `service.report.preload`)."""
    report.preload()


def load_report(api: ModelAPI, body: Any) -> tuple[dict[str, Any], dict[str, Any]]:
    """The options and the built report data; 400 with every field error of the body."""
    problems: list[dict[str, str]] = []
    options: dict[str, Any] = {"taal": "nl", "onderdelen": list(report.SECTIONS)}
    rest = body
    if isinstance(body, dict):
        rest = {k: v for k, v in body.items() if k not in OPTIONS}
        try:
            options = _options.load({k: v for k, v in body.items() if k in OPTIONS})
        except ValidationError as exc:
            problems += invalid_params(exc.messages)
        if "varianten" in rest and ({"invoer", "norm"} & rest.keys()):
            problems.append({"name": "varianten", "reason": BOTH})
    comparison = isinstance(rest, dict) and "varianten" in rest
    try:
        if comparison:
            variants = load_comparison(api, rest)
        else:
            values, norm = scenario_with_norm(api, rest)
    except Problem as exc:
        problems = list(exc.invalid_params or []) + problems
    if problems:
        raise invalid_input(problems)
    kwargs = {"lang": options["taal"], "sections": options["onderdelen"]}
    if comparison:
        answer = compare(api, variants)
        values_each = [
            norms.apply_norm(api.model, v["invoer"], v["norm"]) if "norm" in v else v["invoer"]
            for v in variants
        ]
        used = [norms.get_norm(v["norm"]) if "norm" in v else None for v in variants]
        data = report.comparison_report(api.model, answer, values_each, norms=used, **kwargs)
    else:
        data = report.scenario_report(api.model, api.calculate(values), values, norm=norm, **kwargs)
    return options, data


@bp.post("/modellen/<model_id>/rapporten")
@offers(PDF, HTML, PROBLEM)
def make_report(model_id: str) -> Response:
    api = _model(model_id)
    mimetype = negotiate()
    _, data = load_report(api, json_body())
    if mimetype == HTML:
        resp = current_app.response_class(report.render_html(data), mimetype=HTML)
        resp.headers["Content-Security-Policy"] = REPORT_CSP
        return resp
    resp = current_app.response_class(report.render_pdf(data), mimetype=PDF)
    kind = "vergelijking" if data["kind"] == "comparison" else "rapport"
    resp.headers["Content-Disposition"] = f'attachment; filename="{api.id}-{kind}.pdf"'
    return resp
