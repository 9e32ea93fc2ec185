"""Metrics, JSON logs, CORS and the request time limit, in-process (no server).

Metric values are read from prometheus_client's registry as differences before and after
the requests of a test, so the tests do not depend on each other's traffic.
"""

from __future__ import annotations

import io
import json
import logging
import signal
import time
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient
from prometheus_client import REGISTRY

from service.observability import JsonFormatter
from tests.api.support import BATCH, CALC, DEFAULT_MODEL, make_app

CALC_RULE = "/v1/modellen/<model_id>/berekeningen"
ORIGIN = "https://gemeente.example"


def value(name: str, **labels: str) -> float:
    return REGISTRY.get_sample_value(name, labels) or 0.0


def plain(app: Flask) -> FlaskClient:
    """A client that does not check answers against openapi.yaml (for /metrics, OPTIONS)."""
    return FlaskClient(app, app.response_class)


@pytest.fixture(scope="module")
def ops_app(spec: dict[str, Any]) -> Flask:
    return make_app(spec, CORS_ORIGINS=f"{ORIGIN}, https://ook.example", REQUEST_TIMEOUT=0.3)


def test_metrics_count_requests_latency_and_calculations(app: Flask, client) -> None:
    requests = ("mkba_http_requests_total", {"endpoint": CALC_RULE, "method": "POST"})
    before = {
        "ok": value(requests[0], **requests[1], status="200"),
        "bad": value(requests[0], **requests[1], status="400"),
        "latency": value(
            "mkba_http_request_duration_seconds_count", endpoint=CALC_RULE, method="POST"
        ),
        "single": value(
            "mkba_calculation_duration_seconds_count", model=DEFAULT_MODEL, kind="single"
        ),
        "batch": value(
            "mkba_calculation_duration_seconds_count", model=DEFAULT_MODEL, kind="batch"
        ),
        "scenarios": value("mkba_scenarios_calculated_total", model=DEFAULT_MODEL),
        "unmatched": value(
            "mkba_http_requests_total", endpoint="(unmatched)", method="GET", status="404"
        ),
    }
    assert client.post(CALC, json={"invoer": {"disconteringsvoet": 0.03}}).status_code == 200
    assert client.post(CALC, json={"invoer": {"disconteringsvoet": 9}}).status_code == 400
    batch = {"scenarios": [{"id": "a"}, {"id": "b"}, {"id": "c", "invoer": {"tijdshorizon": 99}}]}
    assert client.post(BATCH, json=batch).status_code == 200
    assert client.get("/v1/bestaat-niet").status_code == 404

    assert value(requests[0], **requests[1], status="200") == before["ok"] + 1
    assert value(requests[0], **requests[1], status="400") == before["bad"] + 1
    latency = value("mkba_http_request_duration_seconds_count", endpoint=CALC_RULE, method="POST")
    assert latency == before["latency"] + 2
    single = value("mkba_calculation_duration_seconds_count", model=DEFAULT_MODEL, kind="single")
    assert single == before["single"] + 1  # the 400 never reached the engine
    batch_count = value(
        "mkba_calculation_duration_seconds_count", model=DEFAULT_MODEL, kind="batch"
    )
    assert batch_count == before["batch"] + 1
    # One single scenario and the two valid ones of the batch.
    assert value("mkba_scenarios_calculated_total", model=DEFAULT_MODEL) == before["scenarios"] + 3
    unmatched = value(
        "mkba_http_requests_total", endpoint="(unmatched)", method="GET", status="404"
    )
    assert unmatched == before["unmatched"] + 1

    response = plain(app).get("/metrics")
    assert response.status_code == 200
    assert response.mimetype == "text/plain"
    text = response.get_data(as_text=True)
    for name in (
        "mkba_http_requests_total",
        "mkba_http_request_duration_seconds_bucket",
        "mkba_calculation_duration_seconds_bucket",
        "mkba_unhandled_errors_total",
    ):
        assert name in text
    assert "/metrics" not in text  # scrapes are not counted as traffic


def test_a_comparison_is_timed_as_one_batch_of_its_variants(client) -> None:
    def now() -> tuple[float, float]:
        batches = value(
            "mkba_calculation_duration_seconds_count", model=DEFAULT_MODEL, kind="batch"
        )
        return batches, value("mkba_scenarios_calculated_total", model=DEFAULT_MODEL)

    before = now()
    variants = [{"naam": "a"}, {"naam": "b"}, {"naam": "c"}]
    url = f"/v1/modellen/{DEFAULT_MODEL}/vergelijkingen"
    assert client.post(url, json={"varianten": variants}).status_code == 200
    assert now() == (before[0] + 1, before[1] + 3)


def test_a_500_is_counted_logged_as_json_with_the_request_id_and_not_leaked(
    app: Flask, client, monkeypatch: pytest.MonkeyPatch
) -> None:
    def boom(values: Any) -> Any:
        raise RuntimeError("geheime details /etc/passwd")

    monkeypatch.setattr(app.extensions["mkba"].models[DEFAULT_MODEL], "calculate", boom)
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    handler.setFormatter(JsonFormatter())
    app.logger.addHandler(handler)
    before = value("mkba_unhandled_errors_total", endpoint=CALC_RULE)
    try:
        response = client.post(CALC, headers={"X-Request-ID": "zaak-42.1"})
    finally:
        app.logger.removeHandler(handler)

    assert response.status_code == 500
    assert b"geheime" not in response.data and b"Traceback" not in response.data
    assert value("mkba_unhandled_errors_total", endpoint=CALC_RULE) == before + 1
    (line,) = stream.getvalue().splitlines()
    record = json.loads(line)
    assert record["level"] == "ERROR"
    assert record["requestId"] == "zaak-42.1"
    assert "Traceback" in record["exception"] and "geheime details" in record["exception"]


def test_json_log_lines_cannot_be_forged() -> None:
    record = logging.LogRecord(
        "service", logging.INFO, __file__, 1, 'a\n{"level":"X"} "b"', (), None
    )
    line = JsonFormatter().format(record)
    assert "\n" not in line
    assert json.loads(line)["message"] == 'a\n{"level":"X"} "b"'
    assert "requestId" not in json.loads(line)  # no request, no id


def test_cors_is_off_by_default(app: Flask) -> None:
    client = plain(app)
    answer = client.get("/v1/modellen", headers={"Origin": ORIGIN})
    assert answer.status_code == 200
    assert "Access-Control-Allow-Origin" not in answer.headers
    preflight = client.options(
        CALC, headers={"Origin": ORIGIN, "Access-Control-Request-Method": "POST"}
    )
    assert "Access-Control-Allow-Origin" not in preflight.headers


def test_cors_allows_only_the_configured_origins(ops_app: Flask) -> None:
    client = plain(ops_app)
    answer = client.get("/v1/modellen", headers={"Origin": ORIGIN})
    assert answer.headers["Access-Control-Allow-Origin"] == ORIGIN
    assert "X-Request-ID" in answer.headers["Access-Control-Expose-Headers"]
    preflight = client.options(
        CALC,
        headers={
            "Origin": "https://ook.example",
            "Access-Control-Request-Method": "POST",
            "Access-Control-Request-Headers": "Content-Type",
        },
    )
    assert preflight.headers["Access-Control-Allow-Origin"] == "https://ook.example"
    assert "POST" in preflight.headers["Access-Control-Allow-Methods"]
    other = client.get("/v1/modellen", headers={"Origin": "https://kwaadwillend.example"})
    assert other.status_code == 200
    assert "Access-Control-Allow-Origin" not in other.headers
    assert "Access-Control-Allow-Credentials" not in answer.headers


def test_a_calculation_over_the_time_limit_is_a_503_problem(
    ops_app: Flask, monkeypatch: pytest.MonkeyPatch
) -> None:
    def slow(values: Any) -> Any:
        time.sleep(30)  # interrupted by the limit (0.3 s); the test never waits this long
        raise AssertionError("the time limit did not stop the request")

    monkeypatch.setattr(ops_app.extensions["mkba"].models[DEFAULT_MODEL], "calculate", slow)
    client = ops_app.test_client()  # checks the answer against openapi.yaml
    response = client.post(CALC, json={})
    assert response.status_code == 503
    assert response.mimetype == "application/problem+json"
    assert response.get_json()["code"] == "requestTimeout"
    assert response.headers["Retry-After"] == "1"
    assert signal.getitimer(signal.ITIMER_REAL) == (0.0, 0.0)  # disarmed


def test_the_time_limit_is_disarmed_after_each_request(ops_app: Flask) -> None:
    client = ops_app.test_client()
    assert client.post(CALC, json={}).status_code == 200
    assert client.post(CALC, json={"invoer": {"x": 1}}).status_code == 400
    assert signal.getitimer(signal.ITIMER_REAL) == (0.0, 0.0)
