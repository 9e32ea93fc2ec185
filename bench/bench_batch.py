"""Batches, Monte Carlo and the arithmetic floor: this tree beside a previous commit, one run.

    python bench/bench_batch.py [--previous REV] [--rounds 5] [--http-seconds 5]

The previous commit (default: the one before the shared-cells batch) is exported with
`git archive` into a temporary folder and its native library built there; every
measurement runs in a fresh process of either tree, the two back to back in each round,
and the median round is reported (the machine is shared: absolute times move with its
load, printed at the start and the end).

- native batch per scenario at 10,000 scenarios, the C function alone and through
  `calculate_columns`, for three batches: every input drawn within its bounds ("all"),
  the cockpit knobs drawn and the rest at their defaults ("knobs"), the five inputs of
  the Monte Carlo run drawn ("five");
- the arithmetic floor: the operations the compiled C performs per scenario (counted in
  its source), timed as a hand-written C loop of that many operations of each kind;
  and the operations the batch still performs per row when only the "five" inputs vary;
- Monte Carlo of the first model with 5 distributions, 100,000 and 1,000,000 draws, in a
  fresh process after a run of 100 draws has imported what the request needs: time (best
  of three), the
  peak of memory the request allocates (tracemalloc, which numpy reports its buffers to;
  a second run) and the growth of the process's peak RSS (small where the allocator
  reuses memory the import of the model freed);
- HTTP: one scenario and a batch of 1000 (bench/bench_http.py's requests), p50 with one
  connection and the time ratio under load.
"""

from __future__ import annotations

import argparse
import ctypes
import json
import os
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from bench_http import BATCH_LUA, CALC_LUA, batch_body, free_port, wait_ready, wrk  # noqa: E402

from service.compiler import invariants  # noqa: E402
from service.compiler import native as cnative  # noqa: E402
from service.compiler.c_writer import FUNCTION  # noqa: E402

MODEL = "mkba-1gezin1plan"
PREVIOUS = "19d9235"  # the engine before shared cells and chunked Monte Carlo
FIVE = [
    {"input": "fteAanpak", "type": "triangular", "min": 8, "mode": 12, "max": 20},
    {"input": "percentageRecidive", "type": "pert", "min": 0.1, "mode": 0.2, "max": 0.5},
    {"input": "aantalMphAanpak", "type": "uniform", "min": 400, "max": 800},
    {"input": "effectiviteitHuisuitzettingenVerschil", "type": "normal", "mean": 0.07, "sd": 0.02},
    {"input": "aantalMph", "type": "pert", "min": 2500, "mode": 3000, "max": 3500},
]
COCKPIT = ("preventie", "integraal", "nazorg", "overig")

# Runs in a fresh process of one tree: argv[1] is the task as JSON; prints the result.
WORKER = r"""
import json, sys, time
from pathlib import Path
import numpy as np
from service.engine import load_model
task = json.loads(sys.argv[1])
m = load_model(Path("formulas_spec/compiled/MODEL_ID.py"))
assert m.native is not None, "native library not built"

def status(key):
    for line in open("/proc/self/status"):
        if line.startswith(key):
            return int(line.split()[1]) / 1024

def columns(shape, n):
    rng = np.random.default_rng(11)
    drawn = {d["input"] for d in task["five"]}
    cols = {}
    for s in m.inputs:
        if shape == "knobs" and s.group not in task["cockpit"]:
            continue
        if shape == "five" and s.name not in drawn:
            continue
        if s.type == "yesno":
            cols[s.name] = rng.random(n) < 0.5
        else:
            lo = s.min if s.min is not None else 0.0
            hi = s.max if s.max is not None else max(1.0, 2 * float(s.default or 1.0))
            x = rng.uniform(lo, hi, n)
            cols[s.name] = np.round(x) if s.type in ("count", "years") else x
    return cols

if task["kind"] == "batch":
    n = task["n"]
    cols = columns(task["shape"], n)
    rows = m.native.rows(*m._columns(cols))
    c, cpu, py = [], [], []
    for _ in range(7):
        t, t_cpu = time.perf_counter(), time.thread_time()
        _, st = m.native.calculate_many(rows)
        c.append(time.perf_counter() - t)
        cpu.append(time.thread_time() - t_cpu)
        t = time.perf_counter()
        m.calculate_columns(cols)
        py.append(time.perf_counter() - t)
    assert not st.any()
    print(json.dumps({"c": min(c) / n, "cpu": min(cpu) / n, "columns": min(py) / n}))
else:
    from service.analysis import monte_carlo
    monte_carlo(m, distributions=task["five"], draws=100, seed=2)  # imports (scipy) done
    open("/proc/self/clear_refs", "w").write("5")  # VmHWM := VmRSS
    base = status("VmRSS")
    t = cpu = float("inf")
    for _ in range(3):  # the best of three: the host is shared
        start, start_cpu = time.perf_counter(), time.process_time()
        r = monte_carlo(m, distributions=task["five"], draws=task["draws"], seed=1)
        t = min(t, time.perf_counter() - start)
        cpu = min(cpu, time.process_time() - start_cpu)
    rss = status("VmHWM") - base
    import tracemalloc  # numpy's buffers are traced too
    tracemalloc.start()
    monte_carlo(m, distributions=task["five"], draws=task["draws"], seed=1)
    traced = tracemalloc.get_traced_memory()[1] / 2**20
    tracemalloc.stop()
    saldo = r["outputs"][r["saldoOutput"]]
    print(json.dumps({"seconds": t, "cpuSeconds": cpu, "peakMiB": traced, "rssMiB": rss,
                      "mean": saldo["mean"], "p50": saldo["p50"],
                      "p": r["probabilitySaldoPositive"]}))
""".replace("MODEL_ID", MODEL)


def export(rev: str, into: Path) -> Path:
    """The tree of `rev` in a folder, with its native library built."""
    into.mkdir(parents=True)
    archive = subprocess.run(["git", "archive", rev], cwd=ROOT, capture_output=True, check=True)
    subprocess.run(["tar", "-x", "-C", str(into)], input=archive.stdout, check=True)
    _python(into, ["-m", "service.compiler", "--native", "formulas_spec"])
    return into


def _python(tree: Path, args: list[str]) -> str:
    env = {**os.environ, "PYTHONPATH": str(tree)}
    done = subprocess.run(
        [sys.executable, *args], cwd=tree, env=env, capture_output=True, text=True, check=False
    )
    if done.returncode:
        raise SystemExit(f"{tree}: {' '.join(args[:2])} failed:\n{done.stderr[-2000:]}")
    return done.stdout


def run_task(tree: Path, task: dict[str, Any]) -> dict[str, Any]:
    """One measurement in a fresh process of `tree`."""
    task = {**task, "five": FIVE, "cockpit": COCKPIT}
    return json.loads(_python(tree, ["-c", WORKER, json.dumps(task)]).splitlines()[-1])


# ------------------------------------------------------------------ the arithmetic floor
KINDS = ("pow", "div", "mul", "add", "select")


def count_ops(code: str) -> dict[str, int]:
    """Floating-point operations of one C expression of the compiler's writer.

    `x * 1.0` is left out: exact, so the C compiler drops it."""
    return {
        "pow": code.count("xpow("),
        "div": code.count("xdiv("),
        "mul": len(re.findall(r" \* ", code)) - len(re.findall(r" \* 1\.0\b(?!\d)", code)),
        "add": len(re.findall(r" [+-] ", code)) + code.count("(-") + code.count("fabs("),
        "select": code.count("pick_") + code.count("?") + code.count("xcmp("),
    }


def cells_of(c_source: str) -> tuple[list[str], list[tuple[str, str, str]]]:
    """(inputs, cells as (name, expression, comment)) of the scalar C function."""
    body = c_source.split(f"int {FUNCTION}(")[1].split("\n}\n")[0]
    params, lines = [], []
    for line in body.splitlines():
        m = re.match(r"\s*const double (\w+) = (.*?);(\s+/\*.*)?$", line)
        if m is None:
            continue
        if re.fullmatch(r"in\[\d+\]", m[2]):
            params.append(m[1])
        else:
            lines.append((m[1], m[2], ""))
    return params, lines


def ops_per_row(c_source: str, varying: set[str] | None) -> dict[str, int]:
    """Operations per scenario: every cell (varying None), or the cells and parts of cells
    the batch recomputes in a row where only the inputs named in `varying` change."""
    params, lines = cells_of(c_source)
    total = dict.fromkeys(KINDS, 0)
    if varying is None:
        codes = [expr for _, expr, _ in lines]
    else:
        plan = invariants.plan(params, lines)
        codes = [
            plan.code[cell]
            for group in plan.groups
            if any(params[k] in varying for k in group.key)
            for cell in group.cells
        ]
    for code in codes:
        for kind, k in count_ops(code).items():
            total[kind] += k
    return total


FLOOR_C = r"""
#include <math.h>
/* n scenarios of npow pow calls, ndiv divisions, nmul multiplications, nadd additions and
   nsel comparisons-and-selects, on eight independent values (the model's cells are
   independent enough for the CPU to overlap them), so that nothing is computed twice. */
double floor_loop(const double *x, long n, long npow, long ndiv, long nmul, long nadd, long nsel)
{
    double total = 0.0;
    for (long i = 0; i < n; i++) {
        const double v = x[i], rate = 1.0 + v * 1e-3;
        double a0 = v, a1 = v + 1, a2 = v + 2, a3 = v + 3, a4 = v + 4, a5 = v + 5,
               a6 = v + 6, a7 = v + 7;
        for (long k = 0; k < npow; k++)
            a0 += pow(rate, (double)k);
        for (long k = 0; k < ndiv; k += 8) {
            a0 /= 1.0000001; a1 /= 0.9999999; a2 /= 1.0000002; a3 /= 0.9999998;
            a4 /= 1.0000003; a5 /= 0.9999997; a6 /= 1.0000004; a7 /= 0.9999996;
        }
        for (long k = 0; k < nmul; k += 8) {
            a0 *= 1.0000001; a1 *= 0.9999999; a2 *= 1.0000002; a3 *= 0.9999998;
            a4 *= 1.0000003; a5 *= 0.9999997; a6 *= 1.0000004; a7 *= 0.9999996;
        }
        for (long k = 0; k < nadd; k += 8) {
            a0 += 0.5; a1 -= 0.5; a2 += 0.25; a3 -= 0.25;
            a4 += 1.5; a5 -= 1.5; a6 += 2.5; a7 -= 2.5;
        }
        for (long k = 0; k < nsel; k += 8) {
            a0 = a0 <= v ? a0 : v + 1; a1 = a1 >= v ? a1 : v; a2 = a2 <= v ? a2 : v + 2;
            a3 = a3 >= v ? a3 : v; a4 = a4 <= v ? a4 : v + 3; a5 = a5 >= v ? a5 : v;
            a6 = a6 <= v ? a6 : v + 4; a7 = a7 >= v ? a7 : v;
        }
        total += a0 + a1 + a2 + a3 + a4 + a5 + a6 + a7;
    }
    return total;
}
"""


def floor_function(folder: Path) -> Any:
    """The hand-written loop, built with the native engine's flags."""
    source = folder / "floor.c"
    source.write_text(FLOOR_C)
    library = ctypes.CDLL(str(cnative.build(source)))
    fn = library.floor_loop
    fn.argtypes = [ctypes.c_void_p, *[ctypes.c_long] * 6]
    fn.restype = ctypes.c_double
    return fn


def time_floor(fn: Any, ops: dict[str, int], n: int = 10_000) -> float:
    """Seconds per scenario of the floor loop with these operation counts (best of 7)."""
    import numpy as np

    x = np.random.default_rng(3).uniform(0.0, 0.05, n)
    best = float("inf")
    for _ in range(7):
        t = time.perf_counter()
        fn(x.ctypes.data, n, *(ops[k] for k in KINDS))
        best = min(best, time.perf_counter() - t)
    return best / n


# ------------------------------------------------------------------ HTTP
def start(tree: Path) -> tuple[subprocess.Popen, str]:
    """gunicorn of one tree on a free loopback port, ready."""
    port = free_port()
    env = {
        **os.environ,
        "PYTHONPATH": str(tree),
        "HOST": "127.0.0.1",
        "PORT": str(port),
        "PROMETHEUS_MULTIPROC_DIR": tempfile.mkdtemp(prefix="mkba-bench-metrics-"),
    }
    gunicorn = str(Path(sys.executable).with_name("gunicorn"))
    server = subprocess.Popen(
        [gunicorn, "-c", "gunicorn.conf.py", "service:create_app()"],
        cwd=tree,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    base = f"http://127.0.0.1:{port}"
    wait_ready(base, server)
    return server, base


def http_round(base: str, batch_lua: str, seconds: int) -> dict[str, float]:
    """p50 of one scenario and of a batch of 1000 (one connection), and the time ratio
    under load (8 connections for single scenarios, 4 for batches)."""
    calc = f"{base}/v1/modellen/{MODEL}/berekeningen"
    batch = f"{base}/v1/modellen/{MODEL}/batch-berekeningen"
    single1 = wrk(calc, CALC_LUA, 1, seconds, 1)
    batch1 = wrk(batch, batch_lua, 1, seconds, 1)
    single8 = wrk(calc, CALC_LUA, 8, seconds, 2)
    batch4 = wrk(batch, batch_lua, 4, seconds, 1)
    return {
        "singleP50Ms": single1["p50Ms"],
        "batchP50Ms": batch1["p50Ms"],
        "batchVsSingleP50": batch1["p50Ms"] / single1["p50Ms"],
        "batchVsSingleLoaded": single8["requestsPerSecond"] / batch4["requestsPerSecond"],
    }


# ------------------------------------------------------------------ report
def median_of(rounds: list[dict[str, Any]], *path: str) -> float:
    values = []
    for r in rounds:
        for key in path:
            r = r[key]
        values.append(r)
    return statistics.median(values)


def main() -> int:
    """Measure both trees in rounds and print the report."""
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--previous", default=PREVIOUS, help="git revision of the previous engine")
    ap.add_argument("--rounds", type=int, default=5)
    ap.add_argument("--http-seconds", type=int, default=5, help="0: skip the HTTP runs")
    args = ap.parse_args()
    load_start = os.getloadavg()
    tmp = Path(tempfile.mkdtemp(prefix="mkba-bench-batch-"))
    trees = {"previous": export(args.previous, tmp / "previous"), "current": ROOT}
    c_source = (ROOT / "formulas_spec/compiled" / f"{MODEL}.c").read_text()
    floor_fn = floor_function(tmp)
    drawn = {d["input"] for d in FIVE}
    names = {
        s["name"]: s["cell"].replace("!", "_")
        for s in json.loads(
            _python(
                ROOT,
                [
                    "-c",
                    "import json; from service.engine import load_model; from pathlib import "
                    f"Path; m = load_model(Path('formulas_spec/compiled/{MODEL}.py')); "
                    "print(json.dumps([{'name': s.name, 'cell': s.cell} for s in m.inputs]))",
                ],
            ).splitlines()[-1]
        )
    }
    ops_full = ops_per_row(c_source, None)
    ops_five = ops_per_row(c_source, {names[n] for n in drawn})

    batch_lua_file = tmp / "batch.json"
    batch_lua_file.write_text(batch_body(1000))
    batch_lua = BATCH_LUA.replace("{body}", str(batch_lua_file))
    servers = {}
    if args.http_seconds:
        for label, tree in trees.items():
            servers[label] = start(tree)
            url = servers[label][1]
            wrk(f"{url}/v1/modellen/{MODEL}/berekeningen", CALC_LUA, 2, 2, 1)  # warm-up
            wrk(f"{url}/v1/modellen/{MODEL}/batch-berekeningen", batch_lua, 2, 2, 1)
    rounds: list[dict[str, Any]] = []
    try:
        for k in range(args.rounds):
            r: dict[str, Any] = {
                "floorFull": time_floor(floor_fn, ops_full),
                "floorFive": time_floor(floor_fn, ops_five),
            }
            for label, tree in trees.items():
                r[label] = {
                    shape: run_task(tree, {"kind": "batch", "shape": shape, "n": 10_000})
                    for shape in ("all", "knobs", "five")
                }
                for draws in (100_000, 1_000_000):
                    r[label][f"mc{draws}"] = run_task(tree, {"kind": "mc", "draws": draws})
                if label in servers:
                    r[label]["http"] = http_round(servers[label][1], batch_lua, args.http_seconds)
            rounds.append(r)
            print(f"round {k + 1} done, load {os.getloadavg()[0]:.1f}", file=sys.stderr)
    finally:
        for server, _ in servers.values():
            server.terminate()
            server.wait(timeout=60)
        shutil.rmtree(tmp, ignore_errors=True)

    load_end = os.getloadavg()
    us = 1e6
    print(f"# bench_batch ({time.strftime('%Y-%m-%d %H:%M')}, {args.rounds} rounds, medians)")
    print(
        f"previous engine: {args.previous}; load average at start "
        f"{', '.join(f'{x:.1f}' for x in load_start)}, at end "
        f"{', '.join(f'{x:.1f}' for x in load_end)}"
    )
    print(f"operations per scenario (compiled C): {ops_full}")
    print(f"  recomputed per row when only the five Monte Carlo inputs vary: {ops_five}")
    ff, f5 = median_of(rounds, "floorFull") * us, median_of(rounds, "floorFive") * us
    print(
        f"arithmetic floor (hand-written loop): {ff:.3f} us per scenario; "
        f"for the five-input rows' operations {f5:.3f} us"
    )
    print()
    print(
        "| batch of 10,000, per scenario | previous C | current C | x faster | x floor "
        "| previous C, CPU | current C, CPU | previous calculate_columns "
        "| current calculate_columns |"
    )
    print("|---|---:|---:|---:|---:|---:|---:|---:|---:|")
    for shape in ("all", "knobs", "five"):
        pc, cc = median_of(rounds, "previous", shape, "c"), median_of(rounds, "current", shape, "c")
        pu, cu = (median_of(rounds, label, shape, "cpu") for label in ("previous", "current"))
        pp = median_of(rounds, "previous", shape, "columns")
        cp = median_of(rounds, "current", shape, "columns")
        print(
            f"| {shape} | {pc * us:.2f} us | {cc * us:.2f} us | {pc / cc:.1f} | "
            f"{cc * us / ff:.1f} | {pu * us:.2f} us | {cu * us:.2f} us | "
            f"{pp * us:.2f} us | {cp * us:.2f} us |"
        )
    print()
    print("| Monte Carlo, 5 distributions | previous | current |")
    print("|---|---:|---:|")
    for label, what in (
        ("seconds", "time"),
        ("cpuSeconds", "CPU time of the process"),
        ("peakMiB", "peak memory allocated by the request (tracemalloc)"),
        ("rssMiB", "growth of the process's peak RSS"),
    ):
        for draws in (100_000, 1_000_000):
            p = median_of(rounds, "previous", f"mc{draws}", label)
            c = median_of(rounds, "current", f"mc{draws}", label)
            unit = "s" if label.endswith("econds") else "MiB"
            print(f"| {draws:,} draws, {what} | {p:.2f} {unit} | {c:.2f} {unit} |")
    for label in ("previous", "current"):
        ratio = median_of(rounds, label, "mc1000000", "seconds") / median_of(
            rounds, label, "mc100000", "seconds"
        )
        print(f"| 1,000,000 / 100,000 draws, time ({label}) | {ratio:.1f}x | |")
    same = all(
        r["previous"][f"mc{d}"][key] == r["current"][f"mc{d}"][key]
        for r in rounds
        for d in (100_000, 1_000_000)
        for key in ("mean", "p50", "p")
    )
    print(f"saldo mean, p50 and P(saldo > 0) identical in both engines: {same}")
    if servers:
        print()
        print("| HTTP | previous | current |")
        print("|---|---:|---:|")
        for key, fmt in (
            ("singleP50Ms", "{:.2f} ms"),
            ("batchP50Ms", "{:.2f} ms"),
            ("batchVsSingleP50", "{:.1f}x"),
            ("batchVsSingleLoaded", "{:.1f}x"),
        ):
            p = median_of(rounds, "previous", "http", key)
            c = median_of(rounds, "current", "http", key)
            print(f"| {key} | {fmt.format(p)} | {fmt.format(c)} |")
    return 0


if __name__ == "__main__":
    sys.exit(main())
