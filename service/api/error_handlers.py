"""Every exception a request can end in, mapped to a problem+json answer.

Views raise `Problem`; Werkzeug raises an HTTPException (404, 405, 413, ...); the
engine raises `MissingRole`, exports and audits an `AuditError`. Anything else is
logged with its traceback and answered with a bare 500: no stack trace or exception
text ever leaves the server.
"""

from __future__ import annotations

from http import HTTPStatus

from flask import Flask, Response, current_app, g, request
from werkzeug.exceptions import HTTPException

from service.audit.errors import AuditError
from service.engine.roles import MissingRole
from service.errors import Problem

_HTTP_CODES = {
    404: ("notFound", "No resource at this path."),
    405: ("methodNotAllowed", "This method is not allowed on this path."),
    406: ("notAcceptable", "This resource is only available as application/json."),
    413: ("bodyTooLarge", "The request body is larger than the limit."),
    415: ("unsupportedMediaType", "Send the request body as application/json."),
}


def _from_http_exception(exc: HTTPException) -> Response:
    status = exc.code or 500
    code, detail = _HTTP_CODES.get(status, ("httpError", HTTPStatus(status).description))
    if status == 405:
        allowed = sorted(getattr(exc, "valid_methods", None) or [])
        detail = f"{request.method} is not allowed here; allowed: {', '.join(allowed)}."
        headers = {"Allow": ", ".join(allowed)}
    elif status == 413:
        limit = request.max_content_length  # this endpoint's (uploads have their own)
        detail = f"The request body is larger than the limit of {limit} bytes."
        headers = {}
    else:
        headers = {}
    return Problem(status, code, detail, headers=headers).response()


def _from_unexpected(exc: Exception) -> Response:
    current_app.logger.exception(
        "unhandled error on %s %s (request id %s)",
        request.method,
        request.path,
        g.get("request_id"),
    )
    return Problem(500, "internalError", "The server could not complete the request.").response()


def _from_audit_error(exc: AuditError) -> Response:
    return Problem(exc.status, exc.code, exc.detail, exc.invalid_params).response()


def missing_role(exc: MissingRole) -> Problem:
    """A request that needs a role the model does not declare: 400 when a request field
    (`hint`) could stand in for it, else 404 (this model has no such resource)."""
    detail = f"Model {exc.model_id!r} declares no {exc.role} role in its Interface sheet"
    if exc.hint:
        return Problem(400, "missingRole", f"{detail}; name it in {exc.hint}.")
    return Problem(404, "missingRole", f"{detail}, so it has no such resource.")


def register_error_handlers(app: Flask) -> None:
    """Answer every exception of `app`'s requests with problem+json."""
    app.register_error_handler(Problem, lambda exc: exc.response())
    app.register_error_handler(MissingRole, lambda exc: missing_role(exc).response())
    app.register_error_handler(AuditError, _from_audit_error)
    app.register_error_handler(HTTPException, _from_http_exception)
    app.register_error_handler(Exception, _from_unexpected)
