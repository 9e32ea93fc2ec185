"""The scalar run-time helpers and the generated functions: this tree beside a previous commit.

    python bench/bench_runtime.py [--previous REV] [--rounds 5]

Part 1, in one process: each helper of service/engine/runtime.py that the compiled models
call (with the arguments their generated code passes), from this tree and from REV's
runtime.py loaded beside it; short runs of the two alternate, the fastest run of each
(the least disturbed by other processes on a shared machine).
Part 2, per model: the generated scalar function (`module.calculate`, the Python engine)
and the numpy backend (`calculate_columns` over 10,000 scenarios), each tree in its own
fresh process (REV exported with `git archive`), the two trees alternating every round.
Ratios are current / previous: below 1 is faster.
"""

from __future__ import annotations

import argparse
import importlib.util
import json
import statistics
import subprocess
import sys
import tempfile
import timeit
from pathlib import Path
from types import ModuleType
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
RUNTIME = "service/engine/runtime.py"


def _load(path: Path, name: str) -> ModuleType:
    spec = importlib.util.spec_from_file_location(name, path)
    assert spec is not None and spec.loader is not None
    mod = importlib.util.module_from_spec(spec)
    sys.modules[name] = mod
    spec.loader.exec_module(mod)
    return mod


def _cases(rt: ModuleType) -> dict[str, Any]:
    """Helper calls as the generated code makes them (see formulas_spec/compiled/*.py)."""
    ten = tuple(float(i) * 1.5 for i in range(10))
    return {
        "xsum 10 refs": lambda: rt.xsum(ten, ()),
        "xsum 3 vals": lambda: rt.xsum((), (1.0, 2.5, True)),
        "xaverage 10 refs": lambda: rt.xaverage(ten, ()),
        "xmin 10 refs": lambda: rt.xmin(ten, ()),
        "xand 3 vals": lambda: rt.xand((), (True, False, True)),
        "xor_ 10 refs": lambda: rt.xor_(ten, ()),
        "xnpv_args 10 refs": lambda: rt.xnpv_args(0.04, (True, ten)),
        "xsumifs 3": lambda: rt.xsumifs(
            (1.0, 2.0, 3.0), (("zwaar", "kwetsbaar", "overig"), "<>overig")
        ),
        "div": lambda: rt.div(3.0, 7.0),
        "pw": lambda: rt.pw(1.04, 5.0),
        "lt": lambda: rt.lt(1.0, 2.0),
        "xround": lambda: rt.xround(2.345, 2.0),
    }


def helpers(previous: Path, rounds: int) -> list[tuple[str, float, float]]:
    """(case, previous ns, current ns) per helper call, medians of alternating rounds."""
    prev = _cases(_load(previous, "_runtime_previous"))
    cur = _cases(_load(ROOT / RUNTIME, "_runtime_current"))
    out = []
    for name in cur:
        assert prev[name]() == cur[name](), name  # same answer on both sides
        times: dict[str, list[float]] = {"p": [], "c": []}
        for _ in range(rounds * 20):  # alternating short runs; the fastest of each side
            for label, fn in (("p", prev[name]), ("c", cur[name])):
                times[label].append(timeit.timeit(fn, number=2000) / 2000 * 1e9)
        out.append((name, min(times["p"]), min(times["c"])))
    return out


_MODEL_RUN = r"""
import json, sys, time
sys.path.insert(0, sys.argv[1])
sys.path.insert(0, sys.argv[2])  # bench/ of this tree: random_scenarios, no `service` in it
from scenarios import random_scenarios
from pathlib import Path
import numpy as np
from service.engine import load_model
out = {}
for stem in sys.argv[3:]:
    m = load_model(Path(sys.argv[1]) / "formulas_spec" / "compiled" / f"{stem}.py")
    scs = random_scenarios(m, 200)
    calls = [tuple(m._args(sc)) for sc in scs]
    fn = m.module.calculate
    best = float("inf")
    for _ in range(5):
        t = time.perf_counter()
        for a in calls:
            fn(*a)
        best = min(best, (time.perf_counter() - t) / len(calls))
    cols = {i.name: np.array([sc[i.name] for sc in scs] * 50,
                             dtype=bool if i.type == "yesno" else float) for i in m.inputs}
    m.native = None
    vbest = float("inf")
    for _ in range(3):
        t = time.perf_counter()
        m.calculate_columns(cols)
        vbest = min(vbest, (time.perf_counter() - t) / 10_000)
    out[stem] = {"scalar": best, "vector": vbest}
print(json.dumps(out))
"""


def models(previous_tree: Path, rounds: int) -> dict[str, dict[str, list[float]]]:
    """Per model and measure, the seconds per scenario of each round, for both trees."""
    stems = sorted(p.stem for p in (ROOT / "formulas_spec").glob("*.xlsx"))
    res: dict[str, dict[str, list[float]]] = {}
    for _ in range(rounds):
        for label, tree in (("previous", previous_tree), ("current", ROOT)):
            r = subprocess.run(
                [sys.executable, "-c", _MODEL_RUN, str(tree), str(ROOT / "bench"), *stems],
                capture_output=True,
                text=True,
                check=True,
            )
            for stem, figures in json.loads(r.stdout.strip().splitlines()[-1]).items():
                for measure, v in figures.items():
                    res.setdefault(f"{stem} {measure}", {}).setdefault(label, []).append(v)
    return res


def main() -> int:
    """Run both parts and print a report."""
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--previous", default="HEAD", help="git revision to compare with")
    ap.add_argument("--rounds", type=int, default=5)
    args = ap.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        tree = Path(tmp) / "previous"
        tree.mkdir()
        archive = subprocess.run(
            ["git", "-C", str(ROOT), "archive", args.previous], capture_output=True, check=True
        ).stdout
        subprocess.run(["tar", "-x", "-C", str(tree)], input=archive, check=True)
        load = Path("/proc/loadavg").read_text().split()[:3]
        print(f"# bench_runtime: previous {args.previous}, {args.rounds} rounds, load {load}")
        print("| helper call | previous | current | current / previous |")
        print("|---|---:|---:|---:|")
        for name, p, c in helpers(tree / RUNTIME, args.rounds):
            print(f"| {name} | {p:.0f} ns | {c:.0f} ns | {c / p:.2f} |")
        print()
        print("| per scenario (Python engine, no C) | previous | current | current / previous |")
        print("|---|---:|---:|---:|")
        for key, by in models(tree, args.rounds).items():
            p, c = statistics.median(by["previous"]), statistics.median(by["current"])
            print(f"| {key} | {p * 1e6:.2f} us | {c * 1e6:.2f} us | {c / p:.2f} |")
    return 0


if __name__ == "__main__":
    sys.exit(main())
