"""Benchmark the compiled engine against its peers, in one run on one machine.

    python bench/bench_engine.py [workbook.xlsx] [--quick]

Measures on the reference workbook (default: formulas_spec/mkba-1gezin1plan.xlsx):
- per evaluation (all inputs changed, all interface outputs computed):
  the generated scalar function, formulas' ExcelModel.compile() function, pycel;
- per scenario: the numpy backend at 10,000 scenarios;
- compile time (workbook -> Python source) and artifact import time;
- peak memory (max RSS) of a fresh process that loads the compiled model and calculates.
Figures are reported as ratios against the peers measured in the same run.
"""

from __future__ import annotations

import argparse
import importlib.util
import py_compile
import statistics
import subprocess
import sys
import tempfile
import time
import warnings
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bench.scenarios import random_scenarios  # noqa: E402
from service.compiler import compile_workbook  # noqa: E402
from service.compiler import native as cnative  # noqa: E402
from service.engine import load_model  # noqa: E402
from service.engine.model import CompiledModel  # noqa: E402

TARGETS = {"formulas": 1000.0, "pycel": 50.0, "vector": 10.0}


def _scenarios(m: CompiledModel, n: int, seed: int = 7) -> list[dict[str, Any]]:
    """`n` random scenarios of `m` (bench/scenarios.py)."""
    return random_scenarios(m, n, seed)


def _per_call(fn: Any, calls: list[tuple[Any, ...]], min_time: float = 1.0) -> float:
    """Median seconds per call over repeated passes through `calls`."""
    times = []
    total = 0.0
    while total < min_time or len(times) < 3:
        t0 = time.perf_counter()
        for args in calls:
            fn(*args)
        dt = (time.perf_counter() - t0) / len(calls)
        times.append(dt)
        total += dt * len(calls)
    return statistics.median(times)


def bench_generated(m: CompiledModel, scs: list[dict[str, Any]]) -> float:
    """Seconds per evaluation of the generated scalar function (inputs already converted)."""
    calls = [tuple(m._args(sc)) for sc in scs]
    return _per_call(m.module.calculate, calls)


def bench_native(m: CompiledModel, scs: list[dict[str, Any]]) -> float | None:
    """Seconds per evaluation of the native engine (same arguments), None when not built."""
    if m.native is None:
        return None
    calls = [(m._args(sc),) for sc in scs]
    assert all(m.native.calculate(*c) is not None for c in calls), "the C function declined"
    return _per_call(m.native.calculate, calls)


def bench_calculate(m: CompiledModel, scs: list[dict[str, Any]]) -> float:
    """Seconds per CompiledModel.calculate() call (API-level dicts in and out)."""
    return _per_call(m.calculate, [(sc,) for sc in scs])


def bench_vector(m: CompiledModel, n: int = 10_000, native: bool = False) -> float:
    """Seconds per scenario of calculate_columns() over n scenarios in one call, on the
    numpy backend (or, with `native`, on the native engine's batch function)."""
    import numpy as np

    scs = _scenarios(m, n, seed=11)
    cols = {
        i.name: np.array([sc[i.name] for sc in scs], dtype=bool if i.type == "yesno" else float)
        for i in m.inputs
    }
    engine, m.native = m.native, (m.native if native else None)
    times = []
    try:
        for _ in range(3):
            t0 = time.perf_counter()
            m.calculate_columns(cols)
            times.append(time.perf_counter() - t0)
    finally:
        m.native = engine
    return min(times) / n


def _fkey(book: str, cell: str) -> str:
    sheet, addr = cell.rsplit("!", 1)
    return f"'[{book}]{sheet.upper()}'!{addr}"


def bench_formulas(src: Path, m: CompiledModel, scs: list[dict[str, Any]]) -> tuple[float, float]:
    """(seconds to load+compile, seconds per call) of formulas' ExcelModel.compile() function."""
    import formulas

    t0 = time.perf_counter()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        xl = formulas.ExcelModel().loads(str(src)).finish()
        fn = xl.compile(
            inputs=[_fkey(src.name, i.cell) for i in m.inputs],
            outputs=[_fkey(src.name, o.cell) for o in m.outputs],
        )
    setup = time.perf_counter() - t0
    calls = [tuple(m._args(sc)) for sc in scs[:3]]
    t0 = time.perf_counter()
    for args in calls:
        fn(*args)
    return setup, (time.perf_counter() - t0) / len(calls)


def bench_pycel(src: Path, m: CompiledModel, scs: list[dict[str, Any]]) -> tuple[float, float]:
    """(seconds to load, seconds per evaluation) of pycel: set every input, read every output."""
    from pycel import ExcelCompiler

    t0 = time.perf_counter()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        xl = ExcelCompiler(filename=str(src))
        for o in m.outputs:
            xl.evaluate(o.cell)
    setup = time.perf_counter() - t0
    used = [k for k, i in enumerate(m.inputs) if i.cell in xl.cell_map]  # others are unread
    calls = [tuple(m._args(sc)[k] for k in used) for sc in scs[:10]]
    cells = [m.inputs[k].cell for k in used]
    outs = [o.cell for o in m.outputs]

    def run(*args: Any) -> None:
        for c, v in zip(cells, args, strict=True):
            xl.set_value(c, v)
        for c in outs:
            xl.evaluate(c)

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        per = _per_call(run, calls, min_time=2.0)
    return setup, per


_HWM = "import re; print(re.search(r'VmHWM:\\s+(\\d+)', open('/proc/self/status').read()).group(1))"


def peak_memory(artifact: Path) -> tuple[int, int]:
    """(peak RSS KiB of a fresh process holding the model, of one importing numpy only).

    VmHWM from /proc (ru_maxrss survives exec on Linux and would report the parent's).
    """
    code_model = (
        f"import sys; sys.path.insert(0, {str(ROOT)!r})\n"
        "from pathlib import Path\n"
        "from service.engine import load_model\n"
        f"m = load_model(Path({str(artifact)!r})); m.calculate({{}})\n"
        "import numpy as np; m.calculate_columns({})\n" + _HWM
    )
    code_base = "import numpy\n" + _HWM
    out = []
    for code in (code_model, code_base):
        r = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
        out.append(int(r.stdout.strip().splitlines()[-1]))
    return out[0], out[1]


def main() -> int:
    """Run every measurement and print a report."""
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument(
        "workbook", nargs="?", default=str(ROOT / "formulas_spec/mkba-1gezin1plan.xlsx")
    )
    ap.add_argument("--skip-peers", action="store_true", help="skip formulas and pycel")
    args = ap.parse_args()
    src = Path(args.workbook)

    t0 = time.perf_counter()
    compiled = compile_workbook(src)
    compile_s = time.perf_counter() - t0
    with tempfile.TemporaryDirectory() as d:
        art = Path(d) / f"{src.stem.replace('-', '_')}_bench.py"
        compiled.write(art)
        native_build_s = None
        if compiled.c_source is not None and cnative.compiler() is not None:
            (Path(d) / compiled.c_name).write_text(compiled.c_source)
            t0 = time.perf_counter()
            cnative.build(Path(d) / compiled.c_name)
            native_build_s = time.perf_counter() - t0
        t0 = time.perf_counter()
        m = load_model(art)
        import_s = time.perf_counter() - t0
        rss_model, rss_base = peak_memory(art)
        py_compile.compile(str(art), cfile=importlib.util.cache_from_source(str(art)))
        t0 = time.perf_counter()
        load_model(art)
        import_pyc_s = time.perf_counter() - t0
        rss_model_pyc, _ = peak_memory(art)

        scs = _scenarios(m, 200)
        gen = bench_generated(m, scs)
        native = bench_native(m, scs)
        calc = bench_calculate(m, scs)
        vec = bench_vector(m)
        vec_native = None if native is None else bench_vector(m, native=True)
        rows = [
            ("workbook", src.name),
            ("formula cells compiled", str(len(compiled.cells))),
            ("inputs / outputs", f"{len(m.inputs)} / {len(m.outputs)}"),
            ("compile time (workbook -> source)", f"{compile_s:.2f} s"),
            (
                "artifact import (source / cached bytecode)",
                f"{import_s * 1000:.0f} / {import_pyc_s * 1000:.0f} ms",
            ),
            ("generated function, per evaluation", f"{gen * 1e6:.1f} us"),
            (
                "native engine (C via ctypes), per evaluation",
                "not built (no C form or no C compiler)"
                if native is None
                else f"{native * 1e6:.1f} us, {gen / native:.0f}x faster than the generated "
                f"function (C build {native_build_s:.1f} s)",
            ),
            ("CompiledModel.calculate(), per call", f"{calc * 1e6:.1f} us"),
            ("numpy backend, per scenario at 10,000", f"{vec * 1e6:.2f} us"),
            (
                "native engine's batch, per scenario at 10,000",
                "not built" if vec_native is None else f"{vec_native * 1e6:.2f} us",
            ),
            (
                "  scalar / vector per scenario",
                f"{gen / vec:.0f}x (target >= {TARGETS['vector']:.0f}x)",
            ),
            (
                "peak RSS, process holding the model",
                f"{rss_model / 1024:.1f} MiB (cached bytecode: {rss_model_pyc / 1024:.1f} MiB)",
            ),
            ("  python + numpy alone", f"{rss_base / 1024:.1f} MiB"),
        ]
        if not args.skip_peers:
            f_setup, f_call = bench_formulas(src, m, scs)
            p_setup, p_call = bench_pycel(src, m, scs)
            rows += [
                ("formulas: load + compile()", f"{f_setup:.1f} s"),
                ("formulas compiled function, per evaluation", f"{f_call * 1000:.0f} ms"),
                (
                    "  speed-up of the generated function",
                    f"{f_call / gen:,.0f}x (target >= {TARGETS['formulas']:,.0f}x)",
                ),
                ("pycel: load + first evaluation", f"{p_setup:.1f} s"),
                ("pycel, per evaluation (all inputs set)", f"{p_call * 1000:.1f} ms"),
                (
                    "  speed-up of the generated function",
                    f"{p_call / gen:,.0f}x (target >= {TARGETS['pycel']:,.0f}x)",
                ),
            ]
    width = max(len(k) for k, _ in rows)
    print(f"# bench_engine ({time.strftime('%Y-%m-%d %H:%M')}, python {sys.version.split()[0]})")
    for k, v in rows:
        print(f"{k:<{width}}  {v}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
