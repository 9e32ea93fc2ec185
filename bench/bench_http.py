"""HTTP benchmark: gunicorn on loopback, loaded with wrk, in one run.

    python bench/bench_http.py            (or: make bench)

Starts gunicorn with gunicorn.conf.py at its default worker count (WEB_CONCURRENCY
if set) on a free 127.0.0.1 port, waits for readiness, then runs wrk against:

  trivial    GET  /v1/health/live                               (the same app, no work)
  calculate  POST /v1/modellen/{model}/berekeningen             one scenario, varied input
  batch      POST /v1/modellen/{model}/batch-berekeningen       1000 varied scenarios

in --rounds rounds (default 5), and reports requests/s and p50/p99 latency of each, plus
two ratios with targets, per round and their median:

  calculate throughput / trivial throughput           target >= 0.70
  batch time / single time = calc rps / batch rps     target <= 20  (both under load)

Also the unloaded p50 of one single and one batch request (wrk with 1 connection).
Only loopback traffic; every wrk run is bounded by its duration. Needs `wrk` (apt).
"""

from __future__ import annotations

import argparse
import json
import os
import re
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
MODEL = "mkba-1gezin1plan"

# One scenario per request, the input varied so that no two requests in a row are alike:
# each wrk thread formats 4096 different requests once and sends them in turn, so that
# wrk's own Lua work per request (on the same two cores as the server) stays small.
CALC_LUA = """
wrk.method = "POST"
wrk.headers["Content-Type"] = "application/json"
local pool, n, i = {}, 4096, 0
for k = 1, n do
  local body = string.format(
    '{"invoer":{"effectiviteitHuisuitzettingen":%.6f,"aantalMph":%d}}',
    0.5 + 0.4 * math.random(), 2000 + math.random(2000))
  pool[k] = wrk.format(nil, nil, nil, body)
end
request = function()
  i = i % n + 1
  return pool[i]
end
"""

BATCH_LUA = """
wrk.method = "POST"
wrk.headers["Content-Type"] = "application/json"
wrk.body = io.open("{body}"):read("*a")
"""


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def batch_body(n: int) -> str:
    scenarios = [
        {
            "id": f"s{i}",
            "invoer": {"effectiviteitHuisuitzettingen": 0.5 + 0.4 * i / n, "aantalMph": 2000 + i},
        }
        for i in range(n)
    ]
    return json.dumps({"scenarios": scenarios})


_UNITS = {"us": 1e-3, "ms": 1.0, "s": 1e3, "m": 60e3, "h": 3600e3}


def _ms(text: str) -> float:
    match = re.fullmatch(r"([\d.]+)(us|ms|s|m|h)", text)
    if match is None:
        raise ValueError(f"cannot read wrk latency {text!r}")
    return float(match[1]) * _UNITS[match[2]]


def wrk(url: str, script: str | None, connections: int, seconds: int, threads: int) -> dict:
    cmd = ["wrk", f"-t{threads}", f"-c{connections}", f"-d{seconds}s", "--latency"]
    with tempfile.NamedTemporaryFile("w", suffix=".lua", delete=False) as f:
        f.write(script or "")
    cmd += ["-s", f.name, url]
    out = subprocess.run(cmd, capture_output=True, text=True, check=True).stdout
    os.unlink(f.name)
    rps = float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))  # type: ignore[union-attr]
    # the latency distribution's lines; "77.50%" also ends the Req/Sec line above them
    p50 = _ms(re.search(r"^\s+50%\s+(\S+)", out, re.M).group(1))  # type: ignore[union-attr]
    p99 = _ms(re.search(r"^\s+99%\s+(\S+)", out, re.M).group(1))  # type: ignore[union-attr]
    non2xx = re.search(r"Non-2xx or 3xx responses:\s+(\d+)", out)
    errors = re.search(r"Socket errors:.*", out)
    return {
        "requestsPerSecond": rps,
        "p50Ms": round(p50, 3),
        "p99Ms": round(p99, 3),
        "non2xx": int(non2xx.group(1)) if non2xx else 0,
        "socketErrors": errors.group(0) if errors else None,
    }


def wait_ready(base: str, server: subprocess.Popen, timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise SystemExit("gunicorn exited during start-up")
        try:
            with urllib.request.urlopen(f"{base}/v1/health/ready", timeout=2) as r:
                if r.status == 200:
                    return
        except OSError:
            pass
        time.sleep(0.3)
    raise SystemExit("gunicorn did not become ready")


def start_server(env_extra: dict[str, str] | None = None) -> tuple[subprocess.Popen, str]:
    """gunicorn with gunicorn.conf.py on a free loopback port, ready; (process, base URL)."""
    port = free_port()
    metrics_dir = tempfile.mkdtemp(prefix="mkba-bench-metrics-")
    env = {
        **os.environ,
        "HOST": "127.0.0.1",
        "PORT": str(port),
        "PROMETHEUS_MULTIPROC_DIR": metrics_dir,
        **(env_extra or {}),
    }
    gunicorn = str(Path(sys.executable).with_name("gunicorn"))
    server = subprocess.Popen(
        [gunicorn, "-c", "gunicorn.conf.py", "service:create_app()"],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,  # the JSON access log: written, as in production
        stderr=subprocess.DEVNULL,
    )
    base = f"http://127.0.0.1:{port}"
    wait_ready(base, server)
    return server, base


def stop_server(server: subprocess.Popen) -> None:
    """SIGTERM (gunicorn drains its workers), then SIGKILL after 40 s."""
    if server.poll() is None:
        server.terminate()
        try:
            server.wait(timeout=40)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait()


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--seconds", type=int, default=10, help="duration of each loaded wrk run")
    ap.add_argument("--connections", type=int, default=8)
    ap.add_argument("--rounds", type=int, default=5, help="rounds of every run; median reported")
    ap.add_argument("--json", type=Path, help="also write the results to this file")
    args = ap.parse_args()
    if shutil.which("wrk") is None:
        raise SystemExit("wrk is not installed: apt-get install wrk")

    server, base = start_server()
    try:
        with tempfile.NamedTemporaryFile("w", suffix=".json", delete=False) as f:
            f.write(batch_body(1000))
        batch_lua = BATCH_LUA.replace("{body}", f.name)
        calc_url = f"{base}/v1/modellen/{MODEL}/berekeningen"
        batch_url = f"{base}/v1/modellen/{MODEL}/batch-berekeningen"
        live_url = f"{base}/v1/health/live"
        s, c = args.seconds, args.connections

        wrk(calc_url, CALC_LUA, c, 2, 2)  # warm-up: every worker, every code path
        wrk(batch_url, batch_lua, 2, 2, 1)
        rounds = []
        for _ in range(args.rounds):
            # Peers back to back in each round, so that the machine's drift (it is
            # shared) moves both sides of a ratio alike; the median round is reported.
            rounds.append(
                {
                    "trivial": wrk(live_url, None, c, s, 2),
                    "calculate": wrk(calc_url, CALC_LUA, c, s, 2),
                    "batch1000": wrk(batch_url, batch_lua, min(c, 4), s, 1),
                    "calculateUnloaded": wrk(calc_url, CALC_LUA, 1, max(3, s // 2), 1),
                    "batch1000Unloaded": wrk(batch_url, batch_lua, 1, max(3, s // 2), 1),
                }
            )
        os.unlink(f.name)
    finally:
        stop_server(server)

    ratios = [
        {
            "calculateVsTrivialThroughput": round(
                r["calculate"]["requestsPerSecond"] / r["trivial"]["requestsPerSecond"], 3
            ),
            "batchVsSingleTimeLoaded": round(
                r["calculate"]["requestsPerSecond"] / r["batch1000"]["requestsPerSecond"], 2
            ),
            "batchVsSingleP50Unloaded": round(
                r["batch1000Unloaded"]["p50Ms"] / r["calculateUnloaded"]["p50Ms"], 2
            ),
        }
        for r in rounds
    ]
    median = {key: statistics.median(x[key] for x in ratios) for key in ratios[0]}
    summary = {
        "workers": os.environ.get("WEB_CONCURRENCY", f"default (2 x {os.cpu_count()} + 1)"),
        "cpus": os.cpu_count(),
        "rounds": [{**r, "ratios": x} for r, x in zip(rounds, ratios, strict=True)],
        **median,
        "targets": {
            "calculateVsTrivialThroughput": ">= 0.70",
            "batchVsSingleTime": "<= 20",
        },
    }
    print(f"{'round':<6}{'endpoint':<20}{'req/s':>10}{'p50 ms':>10}{'p99 ms':>10}{'non-2xx':>9}")
    for k, results in enumerate(rounds, 1):
        for name, row in results.items():
            print(
                f"{k:<6}{name:<20}{row['requestsPerSecond']:>10.1f}{row['p50Ms']:>10.2f}"
                f"{row['p99Ms']:>10.2f}{row['non2xx']:>9}"
            )
    throughput_ratio = median["calculateVsTrivialThroughput"]
    batch_ratio = median["batchVsSingleTimeLoaded"]
    each = ", ".join
    ok1 = "ok" if throughput_ratio >= 0.70 else "MISSED"
    ok2 = "ok" if batch_ratio <= 20 else "MISSED"
    print(
        f"calculate / trivial throughput: {throughput_ratio:.2f} (target >= 0.70: {ok1}; "
        f"rounds {each(str(x['calculateVsTrivialThroughput']) for x in ratios)})"
    )
    print(
        f"batch(1000) / single, time under load: {batch_ratio:.1f} (target <= 20: {ok2}; "
        f"rounds {each(str(x['batchVsSingleTimeLoaded']) for x in ratios)})"
    )
    print(
        f"batch(1000) / single, unloaded p50: {median['batchVsSingleP50Unloaded']:.1f} "
        f"(rounds {each(str(x['batchVsSingleP50Unloaded']) for x in ratios)})"
    )
    if args.json:
        args.json.write_text(json.dumps(summary, indent=2) + "\n")
    bad = sum(row["non2xx"] for results in rounds for row in results.values())
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
