"""Load and fault benchmark: gunicorn on loopback, wrk and plain sockets, in one run.

    python bench/bench_load.py [--seconds 60] [--connections 64] [--json out.json]

Three phases against one gunicorn (gunicorn.conf.py, default workers, free 127.0.0.1 port):

  load   wrk, 64 connections for 60 s, POST .../berekeningen with a varied valid input:
         requests/s, p50/p99, socket errors and non-2xx answers (both must be 0), and the
         request count of GET /metrics, which must equal wrk's (metrics are summed over
         the workers).
  kill   wrk again (20 s); half-way one worker gets SIGKILL. Reported: wrk's errors (at
         most the killed worker's one in-flight request may fail: a sync worker holds one
         request at a time), and that the master replaced the worker.
  drain  clients in threads keep batches of 1000 scenarios (the longest requests) in
         flight; the master gets SIGTERM. Reported: requests sent before the signal that
         failed (expected 0: in-flight ones are finished, queued ones are served or
         refused before being read), the master's exit code and how long it took.

Only loopback traffic; every phase is bounded in time. Needs `wrk` (apt). Reports;
asserts nothing, but exits 1 when a zero-error expectation is missed.
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from bench_http import (  # noqa: E402
    CALC_LUA,
    MODEL,
    _ms,
    batch_body,
    start_server,
    stop_server,
)

CALC = f"/v1/modellen/{MODEL}/berekeningen"
BATCH = f"/v1/modellen/{MODEL}/batch-berekeningen"


def workers(master: int) -> list[int]:
    """The master's child processes (its workers), from /proc."""
    path = Path(f"/proc/{master}/task/{master}/children")
    try:
        return [int(p) for p in path.read_text().split()]
    except OSError:
        return []


def run_wrk(url: str, lua: str, connections: int, seconds: int, threads: int = 2) -> dict:
    with tempfile.NamedTemporaryFile("w", suffix=".lua", delete=False) as f:
        f.write(lua)
    cmd = ["wrk", f"-t{threads}", f"-c{connections}", f"-d{seconds}s", "--latency"]
    cmd += ["--timeout", "10s", "-s", f.name, url]
    out = subprocess.run(cmd, capture_output=True, text=True, check=True).stdout
    os.unlink(f.name)

    def grab(pattern: str) -> str | None:
        # Anchored at line starts: "50%" also ends the "+/- Stdev" column of other lines.
        m = re.search(pattern, out, re.MULTILINE)
        return m.group(1) if m else None

    errors = re.search(r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", out)
    socket_errors = (
        dict(zip(["connect", "read", "write", "timeout"], map(int, errors.groups()), strict=True))
        if errors
        else {}
    )
    return {
        "requests": int(grab(r"(\d+) requests in") or 0),
        "requestsPerSecond": float(grab(r"Requests/sec:\s+([\d.]+)") or 0),
        "p50Ms": round(_ms(grab(r"^\s+50%\s+(\S+)") or "0ms"), 3),
        "p99Ms": round(_ms(grab(r"^\s+99%\s+(\S+)") or "0ms"), 3),
        "non2xx": int(grab(r"Non-2xx or 3xx responses:\s+(\d+)") or 0),
        "socketErrors": socket_errors,
        "errorCount": sum(socket_errors.values()),
    }


def metrics_requests(base: str, endpoint: str) -> dict[str, float]:
    """mkba_http_requests_total for `endpoint` per status, from GET /metrics."""
    with urllib.request.urlopen(f"{base}/metrics", timeout=10) as r:
        text = r.read().decode()
    out: dict[str, float] = {}
    for line in text.splitlines():
        if line.startswith("mkba_http_requests_total{") and f'endpoint="{endpoint}"' in line:
            status = re.search(r'status="(\d+)"', line).group(1)  # type: ignore[union-attr]
            out[status] = out.get(status, 0) + float(line.rsplit(" ", 1)[1])
    return out


def phase_load(seconds: int, connections: int) -> dict:
    server, base = start_server()
    try:
        run_wrk(base + CALC, CALC_LUA, 8, 2)  # warm-up
        before = metrics_requests(base, "/v1/modellen/<model_id>/berekeningen")
        result = run_wrk(base + CALC, CALC_LUA, connections, seconds)
        after = metrics_requests(base, "/v1/modellen/<model_id>/berekeningen")
        result["metricsCountedRequests"] = {k: after.get(k, 0) - before.get(k, 0) for k in after}
        result["workers"] = len(workers(server.pid))
        return result
    finally:
        stop_server(server)


def phase_kill(seconds: int, connections: int) -> dict:
    server, base = start_server()
    try:
        run_wrk(base + CALC, CALC_LUA, 8, 2)
        before = workers(server.pid)
        killed: list[int] = []

        def kill_one() -> None:
            time.sleep(seconds / 2)
            victim = workers(server.pid)[0]
            os.kill(victim, signal.SIGKILL)
            killed.append(victim)

        t = threading.Thread(target=kill_one)
        t.start()
        result = run_wrk(base + CALC, CALC_LUA, connections, seconds)
        t.join()
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline and (
            len(workers(server.pid)) < len(before) or killed[0] in workers(server.pid)
        ):
            time.sleep(0.2)
        after = workers(server.pid)
        result.update(
            {
                "workersBefore": len(before),
                "workersAfter": len(after),
                "killed": killed,
                "replaced": len(after) == len(before) and killed[0] not in after,
            }
        )
        return result
    finally:
        stop_server(server)


def phase_drain(before_signal: float) -> dict:
    server, base = start_server()
    # One client per worker: each request is in a worker, none waits in the listen queue
    # (gunicorn closes its listener on SIGTERM, and the kernel resets what waits there).
    clients = len(workers(server.pid))
    port = int(base.rsplit(":", 1)[1])
    body = batch_body(1000).encode()
    stop = threading.Event()
    signalled_at: list[float] = []
    outcomes: list[tuple[float, bool, str]] = []  # (sent at, ok, what)
    lock = threading.Lock()

    def client() -> None:
        while not stop.is_set():
            sent = time.monotonic()
            try:
                conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
                conn.request("POST", BATCH, body, {"Content-Type": "application/json"})
                resp = conn.getresponse()
                resp.read()
                ok, what = resp.status == 200, str(resp.status)
                conn.close()
            except OSError as exc:
                ok, what = False, type(exc).__name__
            with lock:
                outcomes.append((sent, ok, what))
            if not ok:
                return  # the server is going away

    threads = [threading.Thread(target=client) for _ in range(clients)]
    try:
        for t in threads:
            t.start()
        time.sleep(before_signal)
        signalled_at.append(time.monotonic())
        server.send_signal(signal.SIGTERM)
        rc = server.wait(timeout=60)
        exit_seconds = time.monotonic() - signalled_at[0]
        stop.set()
        for t in threads:
            t.join(timeout=40)
    finally:
        stop.set()
        stop_server(server)
    t0 = signalled_at[0]
    sent_before = [o for o in outcomes if o[0] < t0]
    failed_before = [o for o in sent_before if not o[1]]
    return {
        "clients": clients,
        "requestsSentBeforeSigterm": len(sent_before),
        "completedOk": sum(1 for o in sent_before if o[1]),
        "failedAmongSentBeforeSigterm": len(failed_before),
        "failures": sorted({o[2] for o in failed_before}),
        "sentAfterSigterm": len(outcomes) - len(sent_before),
        "masterExitCode": rc,
        "secondsToExit": round(exit_seconds, 2),
    }


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--seconds", type=int, default=60, help="duration of the load phase")
    ap.add_argument("--connections", type=int, default=64)
    ap.add_argument("--kill-seconds", type=int, default=20)
    ap.add_argument("--json", type=Path, help="also write the results to this file")
    args = ap.parse_args()
    if shutil.which("wrk") is None:
        raise SystemExit("wrk is not installed: apt-get install wrk")

    results = {
        "cpus": os.cpu_count(),
        "load": phase_load(args.seconds, args.connections),
        "kill": phase_kill(args.kill_seconds, args.connections),
        "drain": phase_drain(before_signal=3.0),
    }
    print(json.dumps(results, indent=2))
    if args.json:
        args.json.write_text(json.dumps(results, indent=2) + "\n")
    load, kill, drain = results["load"], results["kill"], results["drain"]
    bad = (
        load["errorCount"]
        or load["non2xx"]
        or load["metricsCountedRequests"].get("200", 0) < load["requests"]
        or kill["non2xx"]
        or kill["errorCount"] > 1
        or not kill["replaced"]
        or drain["failedAmongSentBeforeSigterm"]
        or drain["masterExitCode"] != 0
    )
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
