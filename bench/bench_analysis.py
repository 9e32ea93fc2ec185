"""Benchmark of the analyses against the scalar compiled function, in one run.

    python bench/bench_analysis.py [--scalar-calls 100000] [--draws 100000]

Times 100,000 single calls of the scalar compiled function (`module.calculate`, the
artifact's own function, on pre-built argument lists), a Monte Carlo run of 100,000 draws
(PERT on every numeric cockpit knob), a tornado over every cockpit knob and over every input,
and a Monte Carlo run of the maximum 1,000,000 draws; prints a table. Targets: 100,000 draws
in under 1 s and at least 20x faster than the scalar loop (exit code 1 when missed).
"""

from __future__ import annotations

import argparse
import os
import platform
import sys
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from timing import best_of, scalar_per_call  # noqa: E402

from service.analysis import cockpit_inputs, draw, monte_carlo, tornado  # noqa: E402
from service.analysis.montecarlo import MAX_DRAWS  # noqa: E402
from service.engine import CompiledModel, load_models  # noqa: E402

TARGET_SECONDS = 1.0
TARGET_SPEEDUP = 20.0


def knob_distributions(model: CompiledModel) -> list[dict[str, Any]]:
    """PERT from -20% to +20% around the default of every numeric cockpit knob."""
    out = []
    for s in cockpit_inputs(model):
        if s.type == "yesno":
            continue
        v = float(s.default)
        lo, hi = v - 0.2 * abs(v), v + 0.2 * abs(v)
        lo, hi = max(lo, s.min), min(hi, s.max)
        out.append({"input": s.name, "type": "pert", "min": lo, "mode": v, "max": hi})
    return out


def main() -> int:
    """Run the benchmark and print the table."""
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--scalar-calls", type=int, default=100_000)
    ap.add_argument("--draws", type=int, default=100_000)
    ap.add_argument("--repeat", type=int, default=3)
    args = ap.parse_args()

    model = load_models(ROOT / "formulas_spec")["mkba-1gezin1plan"]
    dists = knob_distributions(model)

    # The scalar loop evaluates the same scenarios as the Monte Carlo run.
    n_scalar = args.scalar_calls
    samples = draw(model, dists, n_scalar, seed=1)
    per_call = scalar_per_call(model, samples, n_scalar)
    scalar = per_call * n_scalar
    scalar_100k = per_call * 100_000

    rows: list[tuple[str, int, float]] = []
    mc_time, mc = best_of(
        lambda: monte_carlo(model, distributions=dists, draws=args.draws, seed=1),
        args.repeat,
    )
    rows.append((f"Monte Carlo, {len(dists)} knobs uncertain", args.draws, mc_time))
    t_knobs, tk = best_of(lambda: tornado(model), args.repeat)
    rows.append((f"tornado, {len(tk['rows'])} cockpit knobs", 1 + 2 * len(tk["rows"]), t_knobs))
    names = [s.name for s in model.inputs]
    t_all, ta = best_of(lambda: tornado(model, inputs=names), args.repeat)
    rows.append((f"tornado, all {len(ta['rows'])} inputs", 1 + 2 * len(ta["rows"]), t_all))
    t_max, _ = best_of(lambda: monte_carlo(model, distributions=dists, draws=MAX_DRAWS, seed=1), 1)
    rows.append(("Monte Carlo, maximum draws", MAX_DRAWS, t_max))

    load = ", ".join(f"{x:.1f}" for x in os.getloadavg())
    print(
        f"# bench_analysis: {model.id}, Python {platform.python_version()}, "
        f"{platform.machine()}, {os.cpu_count()} CPUs, load average {load}"
    )
    print(
        f"scalar compiled function: {n_scalar:,} calls in {scalar:.2f} s "
        f"({per_call * 1e6:.0f} us a call; 100,000 calls = {scalar_100k:.2f} s)"
    )
    print()
    head = (
        f"| {'task':<34} | {'scenarios':>9} | {'seconds':>8} | {'us/scenario':>11} "
        f"| {'x vs 100k scalar':>16} | {'x per scenario':>14} |"
    )
    print(head)
    print("|" + "|".join("-" * len(c) for c in head.split("|")[1:-1]) + "|")
    for task, n, secs in rows:
        print(
            f"| {task:<34} | {n:>9,} | {secs:>8.3f} | {secs / n * 1e6:>11.1f} "
            f"| {scalar_100k / secs:>16.1f} | {per_call * n / secs:>14.1f} |"
        )
    ok_time = mc_time < TARGET_SECONDS
    speedup = per_call * args.draws / mc_time
    ok_speed = speedup >= TARGET_SPEEDUP
    print()
    print(
        f"target: {args.draws:,} draws under {TARGET_SECONDS:g} s: "
        f"{'met' if ok_time else 'MISSED'} ({mc_time:.3f} s); "
        f"at least {TARGET_SPEEDUP:g}x the scalar loop: "
        f"{'met' if ok_speed else 'MISSED'} ({speedup:.1f}x)"
    )
    print(f"P(saldo > 0) = {mc['probabilitySaldoPositive']:.3f} over {args.draws:,} draws")
    return 0 if ok_time and ok_speed else 1


if __name__ == "__main__":
    raise SystemExit(main())
