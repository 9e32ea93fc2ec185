"""Two artifacts of one model, side by side in one run: `calculate` per call, import time.

    python bench/bench_artifacts.py OLD.py NEW.py [--passes 21]

For a change of the compiler: OLD is the artifact before (e.g. `git show
main:formulas_spec/compiled/<id>.py > /tmp/old.py`, with its data file beside it where
it has one), NEW the one after. The two are timed in alternated passes over the same
200 scenarios (inputs already converted), so a busy host slows both alike; the figure
that counts is the ratio.
"""

from __future__ import annotations

import argparse
import importlib.util
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path
from types import ModuleType
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bench.bench_engine import _scenarios  # noqa: E402
from service.engine.model import CompiledModel  # noqa: E402


def _import(path: Path, name: str, folder: Path) -> tuple[ModuleType, float]:
    """The artifact (copied into `folder` with its data file: no cached bytecode) as a
    module, and the seconds its import took."""
    for source in (path, path.with_suffix(".json")):
        if source.exists():
            shutil.copy(source, folder / source.name)
    path = folder / path.name
    t0 = time.perf_counter()
    spec = importlib.util.spec_from_file_location(name, path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module
    spec.loader.exec_module(module)
    return module, time.perf_counter() - t0


def _calls(model: CompiledModel) -> list[tuple[Any, ...]]:
    """bench_engine's 200 scenarios, as the generated function's arguments."""
    return [tuple(model._args(sc)) for sc in _scenarios(model, 200)]


def main() -> int:
    """Time both artifacts and print the ratio."""
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("old", type=Path)
    ap.add_argument("new", type=Path)
    ap.add_argument("--passes", type=int, default=21)
    args = ap.parse_args()
    sys.dont_write_bytecode = True
    with tempfile.TemporaryDirectory() as a, tempfile.TemporaryDirectory() as b:
        old, old_import = _import(args.old, "_bench_old", Path(a))
        new, new_import = _import(args.new, "_bench_new", Path(b))
    calls = _calls(CompiledModel.from_module(new))
    for a in calls:  # the same answers, or the comparison means nothing
        assert repr(old.calculate(*a)) == repr(new.calculate(*a))
    times: dict[str, list[float]] = {"old": [], "new": []}
    for rep in range(args.passes):
        order = [("old", old), ("new", new)]
        for label, module in order if rep % 2 == 0 else order[::-1]:
            fn = module.calculate
            t0 = time.perf_counter()
            for a in calls:
                fn(*a)
            times[label].append((time.perf_counter() - t0) / len(calls))
    o, n = statistics.median(times["old"]), statistics.median(times["new"])
    print(f"# bench_artifacts {time.strftime('%Y-%m-%d %H:%M')}, {args.passes} alternated passes")
    print(f"calculate, per call: old {o * 1e6:.1f} us, new {n * 1e6:.1f} us, new/old {n / o:.3f}")
    print(f"import from source: old {old_import * 1e3:.0f} ms, new {new_import * 1e3:.0f} ms")
    return 0


if __name__ == "__main__":
    sys.exit(main())
