"""POST /v1/modellen/{modelId}/rapporten: the council report of a scenario or a comparison.

Thin: the options (`taal`, `onderdelen`) are checked by a marshmallow schema, the scenario
(`invoer`, `norm`) exactly as the calculation checks it, the variants (`varianten`) as the
comparison does; every field error comes back at once. The figures are the calculation's
(`ModelAPI.calculate`) or the comparison's (`compare`) answer, rendered by service.report.
"""

from __future__ import annotations

from flask import Blueprint, Response, current_app

from service import report
from service.api.http import PROBLEM, json_body, negotiate, offers
from service.api.registry import model_api
from service.api.report_request import load_report

PDF = "application/pdf"
HTML = "text/html"
# The report page: its own inline style and inline SVG, nothing else.
REPORT_CSP = (
    "default-src 'none'; style-src 'unsafe-inline'; img-src data:; base-uri 'none'; "
    "form-action 'none'; frame-ancestors 'none'"
)

bp = Blueprint("reports", __name__, url_prefix="/v1")


def preload() -> None:
    """Import the report's renderers now (see `service.report.preload`)."""
    report.preload()


@bp.post("/modellen/<model_id>/rapporten")
@offers(PDF, HTML, PROBLEM)
def make_report(model_id: str) -> Response:
    api = model_api(model_id)
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
