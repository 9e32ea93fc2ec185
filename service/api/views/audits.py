"""POST /v1/modellen/{modelId}/audits: audit an uploaded copy of the model's workbook."""

from __future__ import annotations

from flask import Blueprint, Response, current_app, jsonify, request

from service import audit
from service.api.http import HTML, JSON, PROBLEM, negotiate, offers
from service.api.registry import model_api, reference_workbook
from service.errors import Problem

XLSX = audit.XLSX_MIMETYPE

# The audit report page: its own inline style, nothing else (no scripts, no requests).
REPORT_CSP = (
    "default-src 'none'; style-src 'unsafe-inline'; base-uri 'none'; "
    "form-action 'none'; frame-ancestors 'none'"
)

bp = Blueprint("audits", __name__, url_prefix="/v1")


@bp.post("/modellen/<model_id>/audits")
@offers(JSON, HTML, PROBLEM)
def audit_upload(model_id: str) -> Response:
    api = model_api(model_id)
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
    report = audit.audit_workbook(reference_workbook(api), request.get_data(), limits=limits)
    if mimetype == HTML:
        resp = current_app.response_class(audit.render_html(report), mimetype=HTML)
        resp.headers["Content-Security-Policy"] = REPORT_CSP
        return resp
    return jsonify({**api.header, "rapport": report})
