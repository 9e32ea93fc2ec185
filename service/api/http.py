"""What every response carries (API-Version, X-Request-ID, security headers) and
how request bodies are read: content type, size, JSON syntax."""

from __future__ import annotations

import re
import uuid
from collections.abc import Callable
from typing import Any, TypeVar

import orjson
from flask import Flask, Response, current_app, g, request

from service.errors import Problem

REQUEST_ID = "X-Request-ID"
_REQUEST_ID_OK = re.compile(r"^[A-Za-z0-9._:-]{1,128}$")

# The transport security headers of the Dutch API Design Rules (after OWASP's REST
# Security Cheat Sheet). HSTS only has effect once a TLS proxy fronts the service.
SECURITY_HEADERS = {
    "Cache-Control": "no-store",
    "Content-Security-Policy": "frame-ancestors 'none'",
    "Strict-Transport-Security": "max-age=31536000",
    "X-Content-Type-Options": "nosniff",
    "X-Frame-Options": "DENY",
    "Referrer-Policy": "no-referrer",
}

_SECURITY_HEADER_LIST = list(SECURITY_HEADERS.items())

_OFFERED = ["application/json", "application/problem+json"]

F = TypeVar("F", bound=Callable[..., Any])


def offers(*mimetypes: str) -> Callable[[F], F]:
    """Declare the media types a /v1 view answers in (default: JSON), first the default."""

    def mark(view: F) -> F:
        view.offers = list(mimetypes)  # type: ignore[attr-defined]
        return view

    return mark


def offered() -> list[str]:
    """The media types the current /v1 view answers in."""
    view = current_app.view_functions.get(request.endpoint or "")
    return getattr(view, "offers", _OFFERED)


def negotiate() -> str:
    """The media type to answer in: the best the client accepts, else the view's default."""
    choices = offered()
    if "Accept" not in request.headers:  # most API clients send none: no header to parse
        return choices[0]
    return request.accept_mimetypes.best_match(choices) or choices[0]


def _before() -> None:
    incoming = request.headers.get(REQUEST_ID, "")
    g.request_id = incoming if _REQUEST_ID_OK.match(incoming) else uuid.uuid4().hex
    if request.endpoint is not None and not request.path.startswith("/v1/"):
        return  # pages outside the API (the cockpit) negotiate nothing
    choices = offered()
    if "Accept" in request.headers and request.accept_mimetypes.best_match(choices) is None:
        kinds = " or ".join(t for t in choices if t != "application/problem+json")
        raise Problem(
            406,
            "notAcceptable",
            f"Cannot answer in {request.headers['Accept']!r}; "
            f"this resource answers in {kinds} (errors in application/problem+json).",
        )


def _after(response: Response) -> Response:
    # One pass over the headers already there, then append: cheaper than setting each.
    present = {name.lower() for name in response.headers.keys()}
    response.headers.extend(
        [
            ("API-Version", current_app.config["API_VERSION"]),
            (REQUEST_ID, g.get("request_id") or uuid.uuid4().hex),
            *(item for item in _SECURITY_HEADER_LIST if item[0].lower() not in present),
        ]
    )
    return response


def install(app: Flask) -> None:
    app.before_request(_before)
    app.after_request(_after)


def json_body() -> Any:
    """The request body as parsed JSON; an empty body counts as `{}`.

    415 unless the body is application/json (or +json); 413 past the size limit
    (Werkzeug raises it while reading); 400 `malformedJson` for a syntax error.
    """
    if request.content_length == 0 or (
        request.content_length is None and not request.headers.get("Transfer-Encoding")
    ):
        return {}
    if not request.is_json:
        raise Problem(
            415,
            "unsupportedMediaType",
            f"Content-Type {request.mimetype or '(none)'!r} is not supported; "
            "send the body as application/json.",
        )
    raw = request.get_data()
    if not raw.strip():
        return {}
    try:
        return orjson.loads(raw)
    except orjson.JSONDecodeError as exc:
        raise Problem(400, "malformedJson", f"The body is not valid JSON: {exc}.") from None
