"""Soak benchmark: memory per gunicorn worker over 200,000 requests.

    python bench/bench_soak.py [--requests 200000] [--connections 16] [--json out.json]

Starts gunicorn (gunicorn.conf.py) on a free 127.0.0.1 port with worker recycling off
(GUNICORN_MAX_REQUESTS=0: with recycling, memory would look flat whatever leaked), then
drives POST .../berekeningen with wrk (a varied valid input per request) in chunks until
--requests have been answered, and after each chunk reads every worker's memory from
/proc: RSS, and USS (private pages, what the worker would free on exit). Reports the
table and, per worker, the growth from the first sample (after warm-up) to the last.

Bounded: at most --max-chunks chunks of --chunk-seconds each; loopback only. Reports;
exits 1 on errors or non-2xx answers, never on memory (that is read from the table).
"""

from __future__ import annotations

import argparse
import json
import shutil
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from bench_http import (  # noqa: E402
    CALC_LUA,  # noqa: E402
    start_server,
    stop_server,
)
from bench_load import CALC, run_wrk, workers  # noqa: E402


def memory_kib(pid: int) -> dict[str, int]:
    """RSS and USS (Private_Clean + Private_Dirty) in KiB, from /proc/PID/smaps_rollup."""
    fields: dict[str, int] = {}
    for line in Path(f"/proc/{pid}/smaps_rollup").read_text().splitlines():
        parts = line.split()
        if len(parts) >= 3 and parts[0].endswith(":"):
            fields[parts[0][:-1]] = int(parts[1])
    return {"rss": fields["Rss"], "uss": fields["Private_Clean"] + fields["Private_Dirty"]}


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--requests", type=int, default=200_000)
    ap.add_argument("--connections", type=int, default=16)
    ap.add_argument("--chunk-seconds", type=int, default=20)
    ap.add_argument("--max-chunks", type=int, default=60)
    ap.add_argument("--json", type=Path)
    args = ap.parse_args()
    if shutil.which("wrk") is None:
        raise SystemExit("wrk is not installed: apt-get install wrk")

    server, base = start_server({"GUNICORN_MAX_REQUESTS": "0", "GUNICORN_MAX_REQUESTS_JITTER": "0"})
    samples: list[dict] = []
    total = errors = non2xx = 0
    try:
        pids = sorted(workers(server.pid))
        run_wrk(base + CALC, CALC_LUA, args.connections, 5)  # warm-up: caches fill
        samples.append({"requests": 0, "memory": {p: memory_kib(p) for p in pids}})
        for _ in range(args.max_chunks):
            if total >= args.requests:
                break
            r = run_wrk(base + CALC, CALC_LUA, args.connections, args.chunk_seconds)
            total += r["requests"]
            errors += r["errorCount"]
            non2xx += r["non2xx"]
            now = sorted(workers(server.pid))
            if now != pids:
                print(f"workers changed: {pids} -> {now}", file=sys.stderr)
                pids = now
            samples.append(
                {
                    "requests": total,
                    "requestsPerSecond": r["requestsPerSecond"],
                    "memory": {p: memory_kib(p) for p in pids},
                }
            )
    finally:
        stop_server(server)

    first, last = samples[0]["memory"], samples[-1]["memory"]
    growth = {
        pid: {
            "rssKiB": last[pid]["rss"] - first[pid]["rss"],
            "ussKiB": last[pid]["uss"] - first[pid]["uss"],
        }
        for pid in last
        if pid in first
    }
    titles = [f"{'w' + str(i) + ' RSS/USS MiB':>18}" for i in range(len(pids))]
    print(f"{'requests':>9}  " + "  ".join(titles))
    for s in samples:
        cells = [
            f"{s['memory'][p]['rss'] / 1024:>8.1f}/{s['memory'][p]['uss'] / 1024:<9.1f}"
            for p in sorted(s["memory"])
        ]
        print(f"{s['requests']:>9}  " + "  ".join(f"{c:>18}" for c in cells))
    print(f"requests {total}, socket errors {errors}, non-2xx {non2xx}")
    for pid, g in growth.items():
        print(f"worker {pid}: RSS {g['rssKiB']:+d} KiB, USS {g['ussKiB']:+d} KiB after warm-up")
    summary = {
        "requests": total,
        "socketErrors": errors,
        "non2xx": non2xx,
        "workers": len(pids),
        "samples": samples,
        "growthAfterWarmUp": growth,
    }
    if args.json:
        args.json.write_text(json.dumps(summary, indent=2) + "\n")
    return 1 if errors or non2xx else 0


if __name__ == "__main__":
    sys.exit(main())
