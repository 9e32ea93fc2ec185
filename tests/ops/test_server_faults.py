"""gunicorn under faults, for real: a worker killed under load is replaced and only its
in-flight request fails; SIGTERM finishes the in-flight requests before the server exits.

Each test runs its own gunicorn (gunicorn.conf.py plus a marker hook) with two workers on
a free loopback port, and takes a few seconds; every wait is bounded.
"""

from __future__ import annotations

import json
import os
import signal
import urllib.error
import urllib.request
from pathlib import Path

from tests.ops.support import HeldRequest, gunicorn, wait_for


def test_a_killed_worker_is_replaced_and_only_its_request_fails(tmp_path: Path) -> None:
    with gunicorn(tmp_path, workers=2) as server:
        before = server.workers()
        doomed = HeldRequest(server.port)
        (victim,) = wait_for(lambda: server.in_flight()[:1], "the first request in a worker")
        survivor = HeldRequest(server.port)
        wait_for(lambda: len(server.in_flight()) == 2, "the second request in a worker")
        assert server.in_flight()[1] != victim  # a sync worker holds one request at a time

        os.kill(victim, signal.SIGKILL)

        status, body = survivor.finish()
        assert status == 200 and json.loads(body)["uitvoer"]
        assert doomed.finish()[0] is None  # the killed worker's request, and only it, fails

        def replaced() -> bool:
            now = server.workers()
            return len(now) == len(before) and victim not in now

        wait_for(replaced, "a replacement worker")
        for _ in range(10):
            status, body = HeldRequest(server.port).finish()
            assert status == 200, body

        _, metrics = server.get("/metrics")
        text = metrics.decode()
        # The dead worker's counts stay in the sum (multiprocess mode).
        line = next(
            line
            for line in text.splitlines()
            if line.startswith("mkba_http_requests_total{")
            and 'method="POST"' in line
            and 'status="200"' in line
        )
        assert float(line.rsplit(" ", 1)[1]) >= 11


def test_sigterm_drains_in_flight_requests_before_exit(tmp_path: Path) -> None:
    with gunicorn(tmp_path, workers=2) as server:
        held = HeldRequest(server.port)
        (worker,) = wait_for(lambda: server.in_flight()[:1], "the request in a worker")

        server.process.send_signal(signal.SIGTERM)
        # The master stops: the idle worker exits and is not replaced, while the worker
        # with the request in flight stays ...
        wait_for(lambda: server.workers() == [worker], "the idle worker to exit")
        assert server.process.poll() is None

        # ... and answers it in full, and only then does the server exit, cleanly.
        status, body = held.finish()
        assert status == 200, body
        assert json.loads(body)["invoer"]["disconteringsvoet"] == 0.0225
        assert server.process.wait(timeout=30) == 0


def test_a_request_over_the_time_limit_is_answered_then_its_worker_replaced(
    tmp_path: Path,
) -> None:
    batch = json.dumps(
        {"scenarios": [{"id": f"s{i}", "invoer": {"aantalMph": 2000 + i}} for i in range(1000)]}
    ).encode()
    # 1000 scenarios take tens of milliseconds: well over a 1 ms limit.
    with gunicorn(tmp_path, workers=1, env={"MKBA_REQUEST_TIMEOUT": "0.001"}) as server:
        (before,) = server.workers()
        request = urllib.request.Request(
            f"http://127.0.0.1:{server.port}/v1/modellen/mkba-1gezin1plan/batch-berekeningen",
            data=batch,
            headers={"Content-Type": "application/json"},
        )
        try:
            urllib.request.urlopen(request, timeout=20)
            raise AssertionError("the time limit did not answer")
        except urllib.error.HTTPError as exc:
            assert exc.code == 503
            assert json.loads(exc.read())["code"] == "requestTimeout"
        # The worker exits after its answer (its state may be half-built) and is replaced.
        wait_for(lambda: server.workers() and before not in server.workers(), "a new worker")
        assert server.get("/v1/health/live")[0] == 200
