"""Scale-out benchmark: 1, 2 and 3 instances behind HAProxy on loopback, then a rolling restart.

    python bench/bench_scale.py [--seconds 15] [--connections 12] [--json out.json]

An instance is one gunicorn (gunicorn.conf.py) with one sync worker, the unit a
Kubernetes pod with one CPU would be (deploy/k8s). HAProxy (apt-get install haproxy)
balances round-robin, health-checks GET /v1/health/ready every 500 ms, and retries a
request that could not be delivered on another instance (retry-on conn-failure,
empty-response; a calculation is a pure function of its input, so a retry is safe).

  same     every instance, asked directly, gives the same invoerHash and outputs for the
           same inputs (defaults, and a changed scenario).
  direct   wrk straight at one instance: the ceiling without the balancer.
  scale    wrk through HAProxy with 1, 2, then 3 instances behind it: requests/s and p99
           of POST .../berekeningen (a varied valid input per request, as bench_http.py).
  rolling  wrk through HAProxy with 3 instances while each is, one at a time, sent
           SIGTERM (gunicorn stops accepting, finishes what it holds, exits 0) and
           replaced by a new process on its port; failed requests (socket errors and
           non-2xx) are counted, and must be 0. HAProxy's own counters show the retries.

Only loopback traffic. Reports; asserts nothing, but exits 1 when the rolling restart
lost a request or the instances disagreed.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from bench_http import CALC_LUA, MODEL, ROOT, free_port, stop_server, wait_ready  # noqa: E402
from bench_load import run_wrk  # noqa: E402

CALC = f"/v1/modellen/{MODEL}/berekeningen"
SCENARIOS = [{}, {"invoer": {"disconteringsvoet": 0.0225, "fteAanpak": 14}}]

HAPROXY_CFG = """
global
    maxconn 2000
    stats socket {socket} mode 600 level admin

defaults
    mode http
    timeout connect 1s
    timeout client 30s
    timeout server 30s
    timeout queue 10s
    # A request that reached no instance (refused, reset before an answer) goes to another.
    retries 3
    option redispatch 1
    retry-on conn-failure empty-response
    option http-buffer-request

frontend api
    bind 127.0.0.1:{port}
    default_backend instances

backend instances
    balance roundrobin
    option httpchk GET /v1/health/ready
    http-check expect status 200
    # Active checks bring an instance back (rise 2) and take out one that stops
    # answering (fall 3: one slow answer while a neighbour starts on the same 2 cores is
    # no reason). Passive ones take an instance out at its first refused connection,
    # before the next active check would: otherwise a stopped instance, never busy, is
    # where round-robin sends every retry. maxconn 2: one request in the sync worker, one
    # waiting; the rest wait in HAProxy's queue, from where any instance can serve them.
    timeout check 3s
    default-server {default_server}
{servers}
"""


DEFAULT_SERVER = (
    "inter 1s fastinter 500ms downinter 500ms fall 3 rise 2 maxconn 2"
    " observe layer4 error-limit 1 on-error mark-down"
)


class Instance:
    """One gunicorn with one worker on a fixed loopback port."""

    def __init__(self, index: int, port: int | None = None) -> None:
        self.index = index
        self.port = port or free_port()
        self.process: subprocess.Popen | None = None

    def start(self) -> None:
        """gunicorn.conf.py with one worker on this instance's port; returns when ready."""
        env = {
            **os.environ,
            "HOST": "127.0.0.1",
            "PORT": str(self.port),
            "WEB_CONCURRENCY": "1",
            "PROMETHEUS_MULTIPROC_DIR": tempfile.mkdtemp(prefix="mkba-bench-metrics-"),
        }
        self.process = subprocess.Popen(
            [str(Path(sys.executable).with_name("gunicorn")), "-c", "gunicorn.conf.py",
             "service:create_app()"],
            cwd=ROOT,
            env=env,
            stdout=subprocess.DEVNULL,  # the JSON access log: written, as in production
            stderr=subprocess.DEVNULL,
        )  # fmt: skip
        wait_ready(self.base, self.process)

    def stop(self) -> int:
        """SIGTERM and wait: gunicorn's graceful drain; the exit code."""
        assert self.process is not None
        self.process.send_signal(signal.SIGTERM)
        return self.process.wait(timeout=60)

    @property
    def base(self) -> str:
        return f"http://127.0.0.1:{self.port}"


class HAProxy:
    """haproxy -db (foreground) in front of the given instances."""

    def __init__(self, instances: list[Instance], workdir: Path) -> None:
        self.port = free_port()
        self.socket = workdir / f"haproxy-{self.port}.sock"
        servers = "\n".join(f"    server i{i.index} 127.0.0.1:{i.port} check" for i in instances)
        cfg = workdir / f"haproxy-{self.port}.cfg"
        cfg.write_text(
            HAPROXY_CFG.format(
                socket=self.socket, port=self.port, servers=servers, default_server=DEFAULT_SERVER
            )
        )
        self.process = subprocess.Popen(
            ["haproxy", "-db", "-f", str(cfg)],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
            text=True,
        )
        self.count = len(instances)
        self.wait_all_up()

    @property
    def base(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def command(self, line: str) -> str:
        with socket.socket(socket.AF_UNIX) as s:
            s.connect(str(self.socket))
            s.sendall(line.encode() + b"\n")
            chunks = []
            while chunk := s.recv(65536):
                chunks.append(chunk)
        return b"".join(chunks).decode()

    def servers(self) -> list[dict[str, str]]:
        """`show stat` rows of the instances (status, retries, redispatches, ...)."""
        lines = self.command("show stat").splitlines()
        header = lines[0].lstrip("# ").split(",")
        rows = [dict(zip(header, line.split(","), strict=False)) for line in lines[1:] if line]
        return [r for r in rows if r["pxname"] == "instances" and r["svname"] != "BACKEND"]

    def backend(self) -> dict[str, str]:
        lines = self.command("show stat").splitlines()
        header = lines[0].lstrip("# ").split(",")
        rows = [dict(zip(header, line.split(","), strict=False)) for line in lines[1:] if line]
        return next(r for r in rows if r["pxname"] == "instances" and r["svname"] == "BACKEND")

    def wait_all_up(self, timeout: float = 60) -> None:
        deadline = time.monotonic() + timeout
        while True:
            assert self.process.poll() is None, self.process.stderr.read()  # type: ignore[union-attr]
            try:
                up = [s for s in self.servers() if s["status"] == "UP"]
                if len(up) == self.count:
                    return
            except OSError:
                pass
            if time.monotonic() > deadline:
                raise RuntimeError("HAProxy never saw every instance up")
            time.sleep(0.1)

    def stop(self) -> None:
        self.process.terminate()
        self.process.wait(timeout=10)


def calculate(base: str, body: dict) -> dict:
    request = urllib.request.Request(
        base + CALC, data=json.dumps(body).encode(), headers={"Content-Type": "application/json"}
    )
    with urllib.request.urlopen(request, timeout=30) as r:
        answer = json.load(r)
    return {"invoerHash": answer["invoerHash"], "uitvoer": answer["uitvoer"]}


def phase_same(instances: list[Instance], proxy_base: str) -> dict:
    """Every instance (and the balancer) gives the same hash and outputs per scenario."""
    out = []
    for body in SCENARIOS:
        answers = [calculate(i.base, body) for i in instances]
        answers += [calculate(proxy_base, body) for _ in instances]
        out.append(
            {
                "invoer": body.get("invoer", {}),
                "invoerHash": answers[0]["invoerHash"],
                "mkbaSaldo": answers[0]["uitvoer"]["saldo"]["mkbaSaldo"],
                "allSame": all(a == answers[0] for a in answers),
            }
        )
    return {"scenarios": out, "allSame": all(s["allSame"] for s in out)}


def phase_rolling(
    instances: list[Instance], proxy: HAProxy, seconds: int, connections: int
) -> dict:
    """wrk through the balancer while each instance is replaced in turn."""
    events: list[dict] = []
    retries_before = int(proxy.backend()["wretr"] or 0)
    redispatches_before = int(proxy.backend()["wredis"] or 0)

    def roll() -> None:
        time.sleep(3)
        for instance in instances:
            t0 = time.monotonic()
            code = instance.stop()
            stopped = time.monotonic() - t0
            instance.start()  # same port; start_server returns once it is ready
            ready = time.monotonic() - t0
            proxy.wait_all_up()
            back = time.monotonic() - t0
            events.append(
                {
                    "instance": instance.index,
                    "exitCode": code,
                    "drainedSeconds": round(stopped, 2),
                    "replacementReadySeconds": round(ready, 2),
                    "backInBalancerSeconds": round(back, 2),
                }
            )
            time.sleep(1)

    roller = threading.Thread(target=roll)
    roller.start()
    result = run_wrk(proxy.base + CALC, CALC_LUA, connections, seconds)
    roller.join()
    backend = proxy.backend()
    result["restarts"] = events
    result["completedDuringWrk"] = len(events) == len(instances)
    result["haproxyRetries"] = int(backend["wretr"] or 0) - retries_before
    result["haproxyRedispatches"] = int(backend["wredis"] or 0) - redispatches_before
    result["failedRequests"] = result["errorCount"] + result["non2xx"]
    result["haproxyAnswers"] = {
        k: int(backend[k] or 0) for k in ("hrsp_2xx", "hrsp_4xx", "hrsp_5xx", "eresp", "econ")
    }
    return result


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--seconds", type=int, default=15, help="duration of each wrk run")
    ap.add_argument("--connections", type=int, default=12)
    ap.add_argument("--rolling-seconds", type=int, default=60)
    ap.add_argument("--json", type=Path, help="also write the results to this file")
    args = ap.parse_args()
    for tool in ("wrk", "haproxy"):
        if shutil.which(tool) is None:
            raise SystemExit(f"{tool} is not installed: apt-get install {tool}")

    results: dict = {
        "cpus": os.cpu_count(),
        "loadAverageAtStart": os.getloadavg(),
        "seconds": args.seconds,
        "connections": args.connections,
        "haproxy": subprocess.run(
            ["haproxy", "-v"], capture_output=True, text=True, check=True
        ).stdout.split("\n")[0],
    }
    workdir = Path(tempfile.mkdtemp(prefix="mkba-bench-scale-"))
    instances = [Instance(i + 1) for i in range(3)]
    try:
        for instance in instances:
            instance.start()
        run_wrk(instances[0].base + CALC, CALC_LUA, 4, 2)  # warm-up
        results["direct"] = run_wrk(
            instances[0].base + CALC, CALC_LUA, args.connections, args.seconds
        )
        results["scale"] = {}
        for n in (1, 2, 3):
            proxy = HAProxy(instances[:n], workdir)
            try:
                run_wrk(proxy.base + CALC, CALC_LUA, 4, 2)
                results["scale"][n] = run_wrk(
                    proxy.base + CALC, CALC_LUA, args.connections, args.seconds
                )
                results["scale"][n]["loadAverage"] = os.getloadavg()[0]
            finally:
                proxy.stop()
        proxy = HAProxy(instances, workdir)
        try:
            results["same"] = phase_same(instances, proxy.base)
            results["rolling"] = phase_rolling(
                instances, proxy, args.rolling_seconds, args.connections
            )
        finally:
            proxy.stop()
    finally:
        for instance in instances:
            if instance.process is not None:
                stop_server(instance.process)
        shutil.rmtree(workdir, ignore_errors=True)
    results["loadAverageAtEnd"] = os.getloadavg()
    print(json.dumps(results, indent=2))
    print_table(results)
    if args.json:
        args.json.write_text(json.dumps(results, indent=2))
    ok = results["same"]["allSame"] and results["rolling"]["failedRequests"] == 0
    ok = ok and results["rolling"]["completedDuringWrk"]
    return 0 if ok else 1


def print_table(results: dict) -> None:
    """The Markdown table of bench/RESULTS-scale.md."""
    one = results["scale"][1]["requestsPerSecond"]
    print("\n| instances | requests/s | vs 1 | p50 ms | p99 ms | errors |")
    print("|---:|---:|---:|---:|---:|---:|")
    d = results["direct"]
    print(
        f"| 1, no balancer | {d['requestsPerSecond']:.0f} | | {d['p50Ms']:.1f} | "
        f"{d['p99Ms']:.1f} | {d['errorCount'] + d['non2xx']} |"
    )
    for n, r in results["scale"].items():
        print(
            f"| {n} | {r['requestsPerSecond']:.0f} | {r['requestsPerSecond'] / one:.2f}x | "
            f"{r['p50Ms']:.1f} | {r['p99Ms']:.1f} | {r['errorCount'] + r['non2xx']} |"
        )
    r = results["rolling"]
    print(
        f"\nrolling restart: {r['requests']} requests, {r['failedRequests']} failed, "
        f"{r['requestsPerSecond']:.0f}/s, p99 {r['p99Ms']:.1f} ms, "
        f"HAProxy retries {r['haproxyRetries']}, redispatches {r['haproxyRedispatches']}"
    )


if __name__ == "__main__":
    raise SystemExit(main())
