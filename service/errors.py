"""Every error the API returns is an RFC 9457 problem+json document, made here.

Views raise `Problem` (or let Werkzeug raise an HTTPException); the handlers
registered by `register_error_handlers` turn both into problem+json. Anything
else is logged with its traceback and answered with a bare 500: no stack trace
or exception text ever leaves the server.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from http import HTTPStatus
from typing import Any

from flask import Flask, Response, current_app, g, request
from werkzeug.exceptions import HTTPException

from service.audit.errors import AuditError
from service.engine.roles import MissingRole

PROBLEM_MIMETYPE = "application/problem+json"

# RFC 9110 sections that define each status: the problem `type` when nothing more
# specific applies (as the Dutch API Design Rules' examples do).
_RFC9110 = {
    400: "15.5.1",
    404: "15.5.5",
    405: "15.5.6",
    406: "15.5.7",
    409: "15.5.10",
    413: "15.5.14",
    415: "15.5.16",
    500: "15.6.1",
    503: "15.6.4",
}


def problem_type(status: int) -> str:
    section = _RFC9110.get(status)
    if section is None:
        return "about:blank"
    return f"https://www.rfc-editor.org/rfc/rfc9110#section-{section}"


class Problem(Exception):
    """An error answer: status, a short `code`, a human `detail` and optional invalidParams."""

    def __init__(
        self,
        status: int,
        code: str,
        detail: str,
        invalid_params: list[dict[str, str]] | None = None,
        headers: Mapping[str, str] | None = None,
    ) -> None:
        super().__init__(detail)
        self.status = status
        self.code = code
        self.detail = detail
        self.invalid_params = invalid_params
        self.headers = dict(headers or {})

    def body(self) -> dict[str, Any]:
        doc: dict[str, Any] = {
            "type": problem_type(self.status),
            "title": HTTPStatus(self.status).phrase,
            "status": self.status,
            "detail": self.detail,
            "instance": request.path,
            "code": self.code,
        }
        if self.invalid_params:
            doc["invalidParams"] = self.invalid_params
        return doc

    def response(self) -> Response:
        resp = current_app.response_class(
            current_app.json.dumps(self.body()), status=self.status, mimetype=PROBLEM_MIMETYPE
        )
        resp.headers.update(self.headers)
        return resp


def invalid_input(params: list[dict[str, str]]) -> Problem:
    """400 invalidInput naming every field in error."""
    names = ", ".join(dict.fromkeys(p["name"] for p in params))
    return Problem(400, "invalidInput", f"The request has invalid fields: {names}.", params)


def invalid_params(messages: Any, prefix: str = "") -> list[dict[str, str]]:
    """Flatten marshmallow's nested error messages into [{name, reason}], one per message.

    `name` is the dotted path of the field in the request body (`invoer.rente`,
    `scenarios.3.id`); an error about the body as a whole has the name of its
    container, or `body` at the top.
    """
    out: list[dict[str, str]] = []
    if isinstance(messages, Mapping):
        for key, value in messages.items():
            if key == "_schema":
                name = prefix or "body"
                out.extend(_leaf(name, value))
            else:
                out.extend(invalid_params(value, f"{prefix}.{key}" if prefix else str(key)))
    else:
        out.extend(_leaf(prefix or "body", messages))
    return out


def _leaf(name: str, value: Any) -> list[dict[str, str]]:
    if isinstance(value, Mapping):
        return invalid_params(value, name)
    if isinstance(value, str):
        return [{"name": name, "reason": value}]
    if isinstance(value, Iterable):
        return [p for item in value for p in _leaf(name, item)]
    return [{"name": name, "reason": str(value)}]


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
    app.register_error_handler(Problem, lambda exc: exc.response())
    app.register_error_handler(MissingRole, lambda exc: missing_role(exc).response())
    app.register_error_handler(AuditError, _from_audit_error)
    app.register_error_handler(HTTPException, _from_http_exception)
    app.register_error_handler(Exception, _from_unexpected)
