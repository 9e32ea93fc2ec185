"""What the people who run the service see, and the guard rails around a request.

- Prometheus metrics at `GET /metrics` (outside /v1: operations, not the public API):
  requests and their latency per endpoint, calculation time per kind, unhandled errors.
  Under gunicorn they are summed over every worker through prometheus_client's
  multiprocess mode (`PROMETHEUS_MULTIPROC_DIR`, set and cleaned by gunicorn.conf.py).
- JSON log lines, each with the request id when there is a request.
- CORS for the origins in `MKBA_CORS_ORIGINS` only (none by default).
- A per-request time limit (`MKBA_REQUEST_TIMEOUT`): a calculation (POST) still running
  after it is answered 503 problem+json `requestTimeout`, before gunicorn's worker timeout would
  kill the worker without an answer.
"""

from __future__ import annotations

import datetime
import json
import logging
import os
import signal
import sys
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from flask import Flask, Response, current_app, g, has_request_context, request
from prometheus_client import (
    CONTENT_TYPE_LATEST,
    REGISTRY,
    CollectorRegistry,
    Counter,
    Histogram,
    generate_latest,
)
from prometheus_client import multiprocess as prom_multiprocess

from service.errors import Problem

# Buckets in seconds: a single calculation takes about a millisecond, a batch of 1000
# some tens of milliseconds; the top buckets catch requests near the time limit.
_LATENCY_BUCKETS = (0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10)

REQUESTS = Counter(
    "mkba_http_requests_total",
    "HTTP requests answered, per endpoint (route template), method and status.",
    ["endpoint", "method", "status"],
)
LATENCY = Histogram(
    "mkba_http_request_duration_seconds",
    "Time from the start of the request to its answer, per endpoint and method.",
    ["endpoint", "method"],
    buckets=_LATENCY_BUCKETS,
)
CALCULATION = Histogram(
    "mkba_calculation_duration_seconds",
    "Time in the engine, per model and kind (single scenario or batch).",
    ["model", "kind"],
    buckets=_LATENCY_BUCKETS,
)
SCENARIOS = Counter(
    "mkba_scenarios_calculated_total", "Scenarios calculated, per model.", ["model"]
)
ERRORS = Counter(
    "mkba_unhandled_errors_total",
    "Unexpected exceptions answered with a 500 (each is logged with its traceback).",
    ["endpoint"],
)
TIMEOUTS = Counter(
    "mkba_request_timeouts_total", "Requests stopped by the request time limit.", ["endpoint"]
)

# Routes outside the API: not timed per endpoint (the label would be the unmatched path).
_UNMATCHED = "(unmatched)"


def _endpoint() -> str:
    rule = request.url_rule
    return rule.rule if rule is not None else _UNMATCHED


# --- logging -------------------------------------------------------------------------


class JsonFormatter(logging.Formatter):
    """One JSON object per log record: time, level, logger, message, request id, and the
    traceback (as text) when there is one. Values are escaped, so a hostile path or
    header cannot forge a log line."""

    def format(self, record: logging.LogRecord) -> str:
        doc: dict[str, Any] = {
            "time": datetime.datetime.fromtimestamp(record.created, datetime.UTC).isoformat(
                timespec="milliseconds"
            ),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
        }
        request_id = getattr(record, "requestId", None)
        if request_id is None and has_request_context():
            request_id = g.get("request_id")
        if request_id is not None:
            doc["requestId"] = request_id
        if record.exc_info:
            doc["exception"] = self.formatException(record.exc_info)
        return json.dumps(doc, ensure_ascii=False, separators=(",", ":"))


def configure_logging(logger_name: str = "service", level: str | None = None) -> None:
    """JSON lines on stderr for the service's loggers (once per process)."""
    logger = logging.getLogger(logger_name)
    if any(getattr(h, "_mkba_json", False) for h in logger.handlers):
        return
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(JsonFormatter())
    handler._mkba_json = True  # type: ignore[attr-defined]
    logger.addHandler(handler)
    logger.setLevel(level or os.environ.get("MKBA_LOG_LEVEL", "INFO").upper())


# --- request time limit --------------------------------------------------------------


class RequestTimeout(Problem):
    def __init__(self, seconds: float) -> None:
        super().__init__(
            503,
            "requestTimeout",
            f"The request took longer than the limit of {seconds:g} seconds.",
            headers={"Retry-After": "1"},
        )


def _main_thread() -> bool:
    # SIGALRM reaches the main thread only: gunicorn's sync workers and the test client.
    return threading.current_thread() is threading.main_thread()


# Set by gunicorn.conf.py in each worker: after a request was stopped by the time limit,
# the worker finishes its answer and exits, and gunicorn starts a fresh one. The limit
# raises an exception wherever the request happens to be (even inside an import), which
# may leave module state half-built; a new process is the only sure way back.
RECYCLE_WORKER_AFTER_TIMEOUT = False


def _on_alarm(signum: int, frame: Any) -> None:
    if has_request_context() and g.pop("mkba_armed", False):
        TIMEOUTS.labels(_endpoint()).inc()
        g.mkba_timed_out = True
        raise RequestTimeout(float(current_app.config["REQUEST_TIMEOUT"]))


def _recycle_after_timeout(exc: BaseException | None = None) -> None:
    if RECYCLE_WORKER_AFTER_TIMEOUT and g.pop("mkba_timed_out", False):
        os.kill(os.getpid(), signal.SIGTERM)  # gunicorn: finish this request, then exit


def _arm() -> None:
    # Only the calculations (POST) do work that grows with the request.
    if request.method == "POST" and _main_thread():
        seconds = float(current_app.config["REQUEST_TIMEOUT"] or 0)
        if seconds > 0:
            g.mkba_armed = True
            signal.setitimer(signal.ITIMER_REAL, seconds)


def _disarm(response_or_exc: Any = None) -> Any:
    if g.pop("mkba_armed", False):
        signal.setitimer(signal.ITIMER_REAL, 0)
    return response_or_exc


def _install_time_limit(app: Flask) -> None:
    """SIGALRM's handler is set once per process (inherited by forked workers); each
    POST only sets and clears the timer."""
    seconds = float(app.config.get("REQUEST_TIMEOUT") or 0)
    if seconds <= 0 or not hasattr(signal, "setitimer") or not _main_thread():
        return
    signal.signal(signal.SIGALRM, _on_alarm)
    # First before the other hooks; disarmed before the answer is written out.
    app.before_request_funcs.setdefault(None, []).insert(0, _arm)
    app.after_request(_disarm)
    app.teardown_request(_disarm)
    app.teardown_request(_recycle_after_timeout)


# --- metrics -------------------------------------------------------------------------


def _metrics_registry() -> CollectorRegistry:
    if os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
        registry = CollectorRegistry()
        prom_multiprocess.MultiProcessCollector(registry)  # type: ignore[no-untyped-call]
        return registry
    return REGISTRY


def _install_metrics(app: Flask) -> None:
    def start() -> None:
        g.mkba_start = time.perf_counter()

    def finish(response: Response) -> Response:
        start_time = g.get("mkba_start")
        endpoint = _endpoint()
        if start_time is not None and endpoint != "/metrics":
            LATENCY.labels(endpoint, request.method).observe(time.perf_counter() - start_time)
            REQUESTS.labels(endpoint, request.method, str(response.status_code)).inc()
        if response.status_code == 500:
            ERRORS.labels(endpoint).inc()
        return response

    app.before_request_funcs.setdefault(None, []).insert(0, start)
    app.after_request(finish)

    def metrics() -> Response:
        return Response(generate_latest(_metrics_registry()), mimetype=CONTENT_TYPE_LATEST)

    app.add_url_rule("/metrics", "metrics", metrics, methods=["GET"])


@contextmanager
def calculation(model: str, kind: str, scenarios: int) -> Iterator[None]:
    """Time the engine call in the `with` block: `kind` is single or batch, `scenarios`
    how many it calculates. The views wrap their engine calls in it."""
    t0 = time.perf_counter()
    yield
    CALCULATION.labels(model, kind).observe(time.perf_counter() - t0)
    SCENARIOS.labels(model).inc(scenarios)


# --- CORS ----------------------------------------------------------------------------


def _install_cors(app: Flask) -> None:
    origins = [o.strip() for o in (app.config.get("CORS_ORIGINS") or "").split(",") if o.strip()]
    if not origins:
        return  # no Access-Control-* headers at all: browsers on other origins are refused
    from flask_cors import CORS

    CORS(
        app,
        resources={r"/v1/*": {"origins": origins}},
        methods=["GET", "POST", "OPTIONS"],
        allow_headers=["Content-Type", "Accept", "X-Request-ID"],
        expose_headers=["API-Version", "X-Request-ID", "Retry-After"],
        max_age=600,
        supports_credentials=False,
    )


def install(app: Flask) -> None:
    """Metrics, the time limit and CORS on `app`."""
    _install_metrics(app)
    _install_time_limit(app)
    _install_cors(app)
