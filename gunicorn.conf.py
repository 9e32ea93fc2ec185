"""gunicorn settings, each overridable from the environment.

Run: gunicorn -c gunicorn.conf.py 'service:create_app()'

HOST, PORT        bind address (default 127.0.0.1:8000; the container sets HOST=0.0.0.0)
WEB_CONCURRENCY   worker processes (default: 2 x CPU cores + 1)
GUNICORN_TIMEOUT  seconds a worker may spend on one request before it is restarted (30)
GUNICORN_MAX_REQUESTS, GUNICORN_MAX_REQUESTS_JITTER  recycle workers (1000, 100)
GUNICORN_ACCESS_LOG  "-" (stdout, JSON lines; the default) or "" to switch it off
PROMETHEUS_MULTIPROC_DIR  where the workers' metrics meet (default: a fresh temporary
                  folder); emptied when the server starts, a dead worker's gauges dropped
"""

from __future__ import annotations

import datetime
import gc
import json
import multiprocessing
import os
import shutil
import tempfile
from typing import Any

from gunicorn.glogging import Logger


def _int(name: str, default: int) -> int:
    return int(os.environ.get(name) or default)


bind = f"{os.environ.get('HOST', '127.0.0.1')}:{_int('PORT', 8000)}"
workers = _int("WEB_CONCURRENCY", multiprocessing.cpu_count() * 2 + 1)
worker_class = "sync"
timeout = _int("GUNICORN_TIMEOUT", 30)
graceful_timeout = _int("GUNICORN_GRACEFUL_TIMEOUT", 30)
keepalive = 5
max_requests = _int("GUNICORN_MAX_REQUESTS", 1000)
max_requests_jitter = _int("GUNICORN_MAX_REQUESTS_JITTER", 100)
# Load the app (and so every model, with its self-test) once in the master, then fork:
# a broken model stops start-up, and the workers share the loaded code.
preload_app = True
# Request line and headers are small in this API; the body limit is the app's (413).
limit_request_line = 4094
limit_request_fields = 50
forwarded_allow_ips = os.environ.get("FORWARDED_ALLOW_IPS", "127.0.0.1")
# gunicorn's control socket (for gunicornc, new in gunicorn 27) is not used: off, so the
# server writes nothing under $HOME (read-only in the container) and servers side by side
# on one host (bench/bench_scale.py) do not contend for one socket path.
control_socket_disable = True

accesslog = os.environ.get("GUNICORN_ACCESS_LOG", "-") or None
errorlog = "-"
loglevel = os.environ.get("GUNICORN_LOG_LEVEL", "info")


class JsonAccessLogger(Logger):
    """One JSON object per request on the access log, values properly escaped; gunicorn's
    own log lines (worker boot, timeouts, exits) as JSON objects too."""

    def setup(self, cfg: Any) -> None:
        super().setup(cfg)
        from service.observability import JsonFormatter

        for handler in self.error_log.handlers:
            handler.setFormatter(JsonFormatter())

    def access(self, resp: Any, req: Any, environ: dict[str, Any], request_time: Any) -> None:
        if not self.access_log_enabled:
            return
        status = str(resp.status).split(None, 1)[0]
        request_id = next(
            (v for k, v in resp.headers if k.lower() == "x-request-id"),
            None,
        )
        record = {
            "time": datetime.datetime.now(datetime.UTC).isoformat(timespec="milliseconds"),
            "remote": environ.get("REMOTE_ADDR"),
            "method": environ.get("REQUEST_METHOD"),
            "path": environ.get("PATH_INFO"),
            "query": environ.get("QUERY_STRING") or None,
            "status": int(status) if status.isdigit() else status,
            "bytes": getattr(resp, "sent", None),
            "durationMs": round(request_time.total_seconds() * 1000, 3),
            "requestId": request_id,
            "userAgent": environ.get("HTTP_USER_AGENT"),
        }
        try:
            self.access_log.info(json.dumps(record, separators=(",", ":")))
        except Exception:  # noqa: BLE001 - a log line must never break a response
            self.exception("could not write the access log")


logger_class = JsonAccessLogger


def _problem_errors() -> None:
    """Requests gunicorn rejects itself (request line or headers over the limits above,
    malformed HTTP) are answered in problem+json, like every other error."""
    from gunicorn import util

    from service.rejected_requests import write_problem

    util.write_error = write_problem


_problem_errors()

# --- metrics across workers (prometheus_client multiprocess mode) ------------------------
# Set before the app is loaded (preload), so every process writes its metrics there and
# GET /metrics sums them over all workers, dead ones' counters included.
os.environ.setdefault("PROMETHEUS_MULTIPROC_DIR", tempfile.mkdtemp(prefix="mkba-metrics-"))
os.makedirs(os.environ["PROMETHEUS_MULTIPROC_DIR"], exist_ok=True)


def on_starting(server: Any) -> None:
    """Start with no metrics of an earlier run (the preloading master has only created
    its empty series by now; workers write theirs after the fork)."""
    path = os.environ["PROMETHEUS_MULTIPROC_DIR"]
    shutil.rmtree(path, ignore_errors=True)
    os.makedirs(path, exist_ok=True)


def pre_fork(server: Any, worker: Any) -> None:
    """The preloaded app's objects (models, schemas, documents) live as long as the
    process: frozen out of the garbage collector's reach, so that a request's full
    collections (a batch of 1000 triggers some) do not walk them, about 3 ms a batch,
    and the workers' copy-on-write pages stay shared."""
    gc.freeze()


def post_fork(server: Any, worker: Any) -> None:
    from service import observability

    observability.RECYCLE_WORKER_AFTER_TIMEOUT = True


def child_exit(server: Any, worker: Any) -> None:
    from prometheus_client import multiprocess

    multiprocess.mark_process_dead(worker.pid)  # type: ignore[no-untyped-call]
