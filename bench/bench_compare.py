"""Benchmark: a comparison of 10 variants against one calculation, in one run.

    python bench/bench_compare.py [--repeat 200] [--model ID ...]

Both requests go through the app in-process (Flask test client, no network), so the
ratio holds the whole request: JSON in, marshmallow validation, the engine, the answer
out. One calculation is `POST .../berekeningen` of one scenario; the comparison is
`POST .../vergelijkingen` of 10 variants that each change two inputs (the batch engine
path). Every served model by default. Target: the comparison costs at most 2x one
calculation (exit code 1 when missed); the engine share of each is printed beside it
(`calculate_row` of one scenario, `calculate_columns` of the ten).
Results: bench/RESULTS-compare.md.
"""

from __future__ import annotations

import argparse
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

TARGET_RATIO = 2.0
VARIANTS = 10


def two_knobs(interface: dict[str, Any]) -> list[dict[str, Any]]:
    """Two bounded numeric inputs of the model's knob groups (any groups if none)."""
    knobs = {g["naam"] for g in interface["groepen"] if g["knoppen"]}
    numeric = [
        i
        for i in interface["invoer"]
        if i["type"] != "yesno" and i["minimum"] is not None and i["maximum"] is not None
    ]
    return ([i for i in numeric if i["groep"] in knobs] or numeric)[:2]


def variant_values(knobs: list[dict[str, Any]], k: int, n: int) -> dict[str, float]:
    """The k-th of n scenarios: each knob moved from its minimum towards its maximum."""
    return {
        i["naam"]: i["minimum"] + (i["maximum"] - i["minimum"]) * (k + 1) / (n + 1) for i in knobs
    }


def timed(client: Any, url: str, body: dict[str, Any], repeat: int) -> list[float]:
    """Wall time of `repeat` requests, each checked for 200."""
    out = []
    for _ in range(repeat):
        t = time.perf_counter()
        response = client.post(url, json=body)
        out.append(time.perf_counter() - t)
        assert response.status_code == 200, response.get_json()
    return out


def engine_times(app: Any, model_id: str, knobs: list[dict[str, Any]]) -> tuple[float, float]:
    """Median engine time of one scenario (row) and of the ten variants (columns)."""
    import numpy as np

    from service.api.registry import registry

    with app.app_context():
        model = registry().models[model_id].model
    one = variant_values(knobs, 0, 1)
    cols = {
        i["naam"]: np.array(
            [variant_values(knobs, k, VARIANTS)[i["naam"]] for k in range(VARIANTS)]
        )
        for i in knobs
    }
    rows, columns = [], []
    for _ in range(50):
        t = time.perf_counter()
        model.calculate_row(one)
        rows.append(time.perf_counter() - t)
        t = time.perf_counter()
        model.calculate_columns(cols)
        columns.append(time.perf_counter() - t)
    return statistics.median(rows), statistics.median(columns)


def bench_model(app: Any, model_id: str, repeat: int) -> tuple[str, float]:
    """One table row: medians of both requests and of the engine parts, and the ratio."""
    client = app.test_client()
    base = f"/v1/modellen/{model_id}"
    knobs = two_knobs(client.get(base).get_json())
    single = {"invoer": variant_values(knobs, 0, 1)}
    comparison = {
        "varianten": [
            {"naam": f"v{k}", "invoer": variant_values(knobs, k, VARIANTS)} for k in range(VARIANTS)
        ]
    }
    # warm up: schemas, caches, the native library
    timed(client, f"{base}/berekeningen", single, 5)
    timed(client, f"{base}/vergelijkingen", comparison, 5)
    # interleaved rounds, so that a burst of load on the shared host hits both alike
    one: list[float] = []
    ten: list[float] = []
    for _ in range(10):
        one += timed(client, f"{base}/berekeningen", single, max(1, repeat // 10))
        ten += timed(client, f"{base}/vergelijkingen", comparison, max(1, repeat // 10))
    m1, m10 = statistics.median(one), statistics.median(ten)
    e1, e10 = engine_times(app, model_id, knobs)
    row = (
        f"| {model_id} | {m1 * 1e3:.3f} | {m10 * 1e3:.3f} | {m10 / m1:.2f} "
        f"| {e1 * 1e3:.3f} | {e10 * 1e3:.3f} | {e10 / e1:.2f} |"
    )
    return row, m10 / m1


def main() -> int:
    """Run the benchmark and print the table."""
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--repeat", type=int, default=200)
    ap.add_argument("--model", nargs="*", default=None)
    args = ap.parse_args()

    app = create_app()
    client = app.test_client()
    ids = args.model or [m["id"] for m in client.get("/v1/modellen").get_json()["modellen"]]
    rows = [bench_model(app, model_id, args.repeat) for model_id in ids]
    load = ", ".join(f"{x:.1f}" for x in os.getloadavg())
    print(
        f"# bench_compare: Python {platform.python_version()}, {platform.machine()}, "
        f"{os.cpu_count()} CPUs, load average {load}, {args.repeat} requests each"
    )
    print()
    print(
        "| model | one calculation ms | 10 variants ms | ratio "
        "| engine: 1 row ms | engine: 10 rows ms | engine ratio |"
    )
    print("|---|---:|---:|---:|---:|---:|---:|")
    for row, _ in rows:
        print(row)
    print()
    ok = True
    for model_id, (_, ratio) in zip(ids, rows, strict=True):
        met = ratio <= TARGET_RATIO
        ok = ok and met
        print(
            f"target {model_id}: {VARIANTS} variants at most {TARGET_RATIO:g}x one calculation: "
            f"{'met' if met else 'MISSED'} ({ratio:.2f}x)"
        )
    return 0 if ok else 1


if __name__ == "__main__":
    raise SystemExit(main())
