"""Benchmark of "how sure are we" (issue 15, part 3) against the scalar compiled function,
in one run, on every model that grades its inputs.

    python bench/bench_evidence.py [--scalar-calls 20000] [--draws 100000] [--repeat 3]

Per model: a Monte Carlo run of 100,000 draws whose spreads follow the evidence grades
(`optimism.graded_distributions`: a PERT per graded input, as wide as its grade's cost
uplift), timed against a loop of single calls of the scalar compiled function
(`module.calculate` on pre-built argument lists) over the same scenarios; and the
optimism-bias correction (`optimism.correct`: two calculations and the bookkeeping)
against one calculation. Targets: 100,000 graded draws under 1 s and at least 20x the
scalar loop per scenario (exit code 1 when missed).
"""

from __future__ import annotations

import argparse
import os
import platform
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from timing import best_of, scalar_per_call  # noqa: E402

from service.analysis import draw, monte_carlo  # noqa: E402
from service.analysis.optimism import correct, graded_distributions  # noqa: E402
from service.engine import load_models  # noqa: E402

TARGET_SECONDS = 1.0
TARGET_SPEEDUP = 20.0


def main() -> int:
    """Run the benchmark and print the table."""
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--scalar-calls", type=int, default=20_000)
    ap.add_argument("--draws", type=int, default=100_000)
    ap.add_argument("--repeat", type=int, default=3)
    args = ap.parse_args()

    models = [m for m in load_models(ROOT / "formulas_spec").values() if m.roles.evidence]
    load = ", ".join(f"{x:.1f}" for x in os.getloadavg())
    print(
        f"# bench_evidence: Python {platform.python_version()}, {platform.machine()}, "
        f"{os.cpu_count()} CPUs, load average {load}"
    )
    head = (
        f"| {'model':<24} | {'task':<34} | {'scenarios':>9} | {'seconds':>8} "
        f"| {'us/scenario':>11} | {'x per scenario':>14} |"
    )
    print(head)
    print("|" + "|".join("-" * len(c) for c in head.split("|")[1:-1]) + "|")
    ok = True
    verdicts = []
    for model in models:
        dists = graded_distributions(model)
        # the scalar loop evaluates the same scenarios as the Monte Carlo run
        samples = draw(model, dists, args.scalar_calls, seed=1)
        per_call = scalar_per_call(model, samples, args.scalar_calls)

        mc_time, mc = best_of(
            lambda m=model, d=dists: monte_carlo(m, distributions=d, draws=args.draws, seed=1),
            args.repeat,
        )
        one_time, _ = best_of(lambda m=model: m.calculate({}), args.repeat * 10)
        corr_time, _ = best_of(
            lambda m=model: correct(m, benefit_reductions={"expertschatting": 0.4}),
            args.repeat * 10,
        )
        rows = [
            ("scalar compiled function", args.scalar_calls, per_call * args.scalar_calls, 1.0),
            (
                f"Monte Carlo, {len(dists)} graded inputs",
                args.draws,
                mc_time,
                per_call * args.draws / mc_time,
            ),
            ("one calculation", 1, one_time, per_call / one_time),
            ("optimism correction (2 scenarios)", 2, corr_time, per_call * 2 / corr_time),
        ]
        for task, n, secs, ratio in rows:
            print(
                f"| {model.id:<24} | {task:<34} | {n:>9,} | {secs:>8.3f} "
                f"| {secs / n * 1e6:>11.1f} | {ratio:>14.1f} |"
            )
        speedup = per_call * args.draws / mc_time
        ok_time, ok_speed = mc_time < TARGET_SECONDS, speedup >= TARGET_SPEEDUP
        ok = ok and ok_time and ok_speed
        verdicts.append(
            f"{model.id}: {args.draws:,} graded draws under {TARGET_SECONDS:g} s: "
            f"{'met' if ok_time else 'MISSED'} ({mc_time:.3f} s); at least "
            f"{TARGET_SPEEDUP:g}x the scalar loop: {'met' if ok_speed else 'MISSED'} "
            f"({speedup:.1f}x); P(saldo > 0) = {mc['probabilitySaldoPositive']:.3f}; "
            f"correction = {corr_time / one_time:.2f} calculations"
        )
    print()
    for v in verdicts:
        print(v)
    return 0 if ok else 1


if __name__ == "__main__":
    raise SystemExit(main())
