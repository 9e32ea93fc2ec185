"""Every error the API returns is an RFC 9457 problem+json document, made here.

Views raise `Problem`; `service.api.error_handlers` maps every other exception
(Werkzeug's, the engine's, the audit's, anything unexpected) to one.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from http import HTTPStatus
from typing import Any

from flask import Response, current_app, request

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
