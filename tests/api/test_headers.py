"""API-Version, X-Request-ID and the security headers, on answers and on errors alike."""

from __future__ import annotations

import pytest
from flask.testing import FlaskClient

from service.api.http import SECURITY_HEADERS
from tests.api.support import CALC, make_app

URLS = ["/v1/modellen", "/v1/health/live", "/v1/bestaat-niet", "/v1/openapi.json"]


@pytest.mark.parametrize("url", URLS)
def test_every_response_has_version_request_id_and_security_headers(client, url) -> None:
    headers = client.get(url).headers
    assert headers["API-Version"]
    assert len(headers["X-Request-ID"]) == 32
    for name, value in SECURITY_HEADERS.items():
        assert headers[name] == value


def test_request_id_is_echoed(client) -> None:
    response = client.post(CALC, json={"x": 1}, headers={"X-Request-ID": "abc-123.4:5"})
    assert response.status_code == 400
    assert response.headers["X-Request-ID"] == "abc-123.4:5"


@pytest.mark.parametrize("bad", ["", "a b", "x" * 129, "<script>"])
def test_unsafe_request_id_is_replaced(client, bad: str) -> None:
    response = client.get("/v1/health/live", headers={"X-Request-ID": bad})
    assert response.headers["X-Request-ID"] != bad
    assert len(response.headers["X-Request-ID"]) == 32


def test_request_ids_differ_when_made_up(client) -> None:
    ids = {client.get("/v1/health/live").headers["X-Request-ID"] for _ in range(5)}
    assert len(ids) == 5


def test_security_headers_a_view_sets_are_kept_once(spec) -> None:
    app = make_app(spec)
    app.test_client_class = FlaskClient  # a route outside the spec, on purpose

    @app.get("/v1/eigen-cache")
    def own_cache():
        return {"ok": True}, 200, {"Cache-Control": "max-age=60"}

    headers = app.test_client().get("/v1/eigen-cache").headers
    assert headers.getlist("Cache-Control") == ["max-age=60"]
    assert headers["X-Frame-Options"] == "DENY"
