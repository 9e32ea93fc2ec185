"""Benchmark: the council report of the default scenario against one calculation.

    python bench/bench_report.py [--repeat 3] [--model ID ...]

Both requests go through the app in-process (Flask test client, no network, the request
time limit off): `POST .../rapporten` of the default scenario (PDF) and `POST
.../berekeningen` of the same scenario. Printed per model: the medians of both, their
ratio, and the report split into its parts (gathering the figures, analyses and charts;
HTML to PDF by WeasyPrint). The app is loaded, then frozen out of the garbage collector's
reach, as gunicorn.conf.py does before it forks the workers. Target (issue 16): a report
in under 2 s on this machine (exit code 1 when missed); the CPU time of a report is
printed beside it, what the report costs without the other jobs of a shared host. Every
served model by default. Results: bench/RESULTS-report.md.
"""

from __future__ import annotations

import argparse
import gc
import os
import platform
import statistics
import sys
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from service import create_app  # noqa: E402

TARGET_SECONDS = 2.0


CPU: list[float] = []  # CPU seconds of this process per report request


def timed(client: Any, url: str, repeat: int, **kwargs: Any) -> list[float]:
    """Wall time of `repeat` POSTs of an empty body, each checked for 200."""
    out = []
    for _ in range(repeat):
        t, cpu = time.perf_counter(), time.process_time()
        response = client.post(url, **kwargs)
        out.append(time.perf_counter() - t)
        if url.endswith("/rapporten"):
            CPU.append(time.process_time() - cpu)
        assert response.status_code == 200, response.get_data(as_text=True)[:500]
    return out


def parts(app: Any, model_id: str, repeat: int) -> tuple[float, float]:
    """Median seconds of the report's two parts: its data, and HTML to PDF."""
    from service import report
    from service.api.registry import registry

    with app.app_context():
        api = registry().models[model_id]
    gather, render = [], []
    for _ in range(repeat):
        t = time.perf_counter()
        data = report.scenario_report(api.model, api.calculate({}), {})
        t1 = time.perf_counter()
        report.render_pdf(data)
        gather.append(t1 - t)
        render.append(time.perf_counter() - t1)
    return statistics.median(gather), statistics.median(render)


def bench_model(app: Any, model_id: str, repeat: int) -> tuple[str, float]:
    client = app.test_client()
    base = f"/v1/modellen/{model_id}"
    timed(client, f"{base}/berekeningen", 20)  # warm up: schemas, the native library
    timed(client, f"{base}/rapporten", 1)  # the first chart and PDF
    calc: list[float] = []
    rep: list[float] = []
    CPU.clear()
    for _ in range(repeat):  # interleaved, so that a burst of load hits both alike
        calc += timed(client, f"{base}/berekeningen", 20)
        rep += timed(client, f"{base}/rapporten", 1)
    c, r = statistics.median(calc), statistics.median(rep)
    g, p = parts(app, model_id, repeat)
    row = (
        f"| {model_id} | {c * 1e3:.2f} | {r:.2f} | {r / c:,.0f} | {g:.2f} | {p:.2f} "
        f"| {min(rep):.2f} | {statistics.median(CPU):.2f} |"
    )
    return row, r


def main() -> int:
    """Run the benchmark and print the table."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--repeat", type=int, default=3, help="reports per model (median)")
    parser.add_argument("--model", action="append", help="model id (default: every model)")
    args = parser.parse_args()
    app = create_app({"TESTING": True, "REQUEST_TIMEOUT": 0})
    # As gunicorn serves it (gunicorn.conf.py pre_fork): what start-up loaded is frozen out
    # of the garbage collector's reach, so that a report's full collections do not walk it.
    gc.freeze()
    from service.api.registry import registry

    with app.app_context():
        models = args.model or sorted(registry().models)
    load = " ".join(f"{x:.1f}" for x in os.getloadavg())
    print(
        f"# bench_report: Python {platform.python_version()}, {platform.machine()}, "
        f"{os.cpu_count()} CPUs, load average {load}"
    )
    print(
        "| model | one calculation (ms) | report, PDF (s) | report / calculation "
        "| of which: figures, analyses, charts (s) | HTML to PDF (s) | fastest report (s) "
        "| CPU time of a report (s) |"
    )
    print("|---|---:|---:|---:|---:|---:|---:|---:|")
    worst = 0.0
    for model_id in models:
        row, seconds = bench_model(app, model_id, args.repeat)
        worst = max(worst, seconds)
        print(row, flush=True)
    load = " ".join(f"{x:.1f}" for x in os.getloadavg())
    met = worst < TARGET_SECONDS
    print(f"\nload average after: {load}")
    print(
        f"target: a report under {TARGET_SECONDS:.0f} s: {'met' if met else 'missed'} "
        f"(slowest median {worst:.2f} s)"
    )
    return 0 if met else 1


if __name__ == "__main__":
    raise SystemExit(main())
