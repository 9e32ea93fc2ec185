"""gunicorn's own error answers as problem+json.

gunicorn rejects some requests before the app sees them: a request line longer than
`limit_request_line` (414), too many or too large header fields (431), a malformed
request line, method, version, header or chunk (400). It answers those with a small HTML
page; gunicorn.conf.py puts `write_problem` in its place so that every error this
service gives is RFC 9457 problem+json, with the same security headers as the app's.
"""

from __future__ import annotations

import json
import socket
from typing import Any

from service.errors import problem_type

_CODES = {
    400: "malformedRequest",
    403: "forbidden",
    414: "requestLineTooLong",
    417: "expectationFailed",
    431: "headersTooLarge",
    500: "internalError",
    501: "notImplemented",
}
_TYPES = {
    414: "https://www.rfc-editor.org/rfc/rfc9110#section-15.5.15",
    417: "https://www.rfc-editor.org/rfc/rfc9110#section-15.5.18",
    431: "https://www.rfc-editor.org/rfc/rfc6585#section-5",
    501: "https://www.rfc-editor.org/rfc/rfc9110#section-15.6.2",
}
_HEADERS = (
    "Cache-Control: no-store\r\n"
    "Content-Security-Policy: frame-ancestors 'none'\r\n"
    "X-Content-Type-Options: nosniff\r\n"
    "X-Frame-Options: DENY\r\n"
    "Referrer-Policy: no-referrer\r\n"
)
_MAX_DETAIL = 200


def problem_document(status: int, reason: str, message: str) -> dict[str, Any]:
    detail = message or "The server could not complete the request."
    if len(detail) > _MAX_DETAIL:
        detail = detail[: _MAX_DETAIL - 3] + "..."
    return {
        "type": _TYPES.get(status) or problem_type(status),
        "title": reason,
        "status": status,
        "detail": detail,
        "instance": "",  # the request could not be read far enough to name its path
        "code": _CODES.get(status, "httpError"),
    }


def write_problem(sock: socket.socket, status_int: int, reason: str, mesg: str) -> None:
    """Drop-in for gunicorn.util.write_error (same signature)."""
    from gunicorn import util

    text = json.dumps(problem_document(status_int, reason, mesg), ensure_ascii=True)
    # The detail may quote the rejected request: no markup characters as such in the body.
    for char, escape in (("<", "\\u003c"), (">", "\\u003e"), ("&", "\\u0026")):
        text = text.replace(char, escape)
    body = text.encode()
    head = (
        f"HTTP/1.1 {status_int} {reason}\r\n"
        "Connection: close\r\n"
        "Content-Type: application/problem+json\r\n"
        f"Content-Length: {len(body)}\r\n"
        f"{_HEADERS}\r\n"
    ).encode("latin-1")
    util.write_nonblock(sock, head + body)
