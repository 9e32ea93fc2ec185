"""Compile time of a large generated workbook: ours against formulas and pycel, one run.

    python bench/bench_compile.py [--cells-per-sheet 1000] [--out bench/RESULTS-compile.md]

The workbook: 10 sheets of 1,000 formula cells each (10,000 in all), rows of
arithmetic, cross-sheet references, IF, ROUND, SUM over a range, MIN/MAX, VLOOKUP
(approximate, into a sorted constant table), IFERROR, NPV and SUMPRODUCT, and one
Interface input per sheet. Measured in one process, one after the other:

- ours: `compile_workbook(all_cells=True)` (read, parse, order, write Python and C);
  and, apart, importing the artifact and evaluating every cell once;
- formulas: `ExcelModel().loads(path).finish()`;
- pycel: `ExcelCompiler(path)` and its first evaluation of every formula cell.

Every cell's value is also compared between us and pycel (a check, not a timing).
"""

from __future__ import annotations

import argparse
import math
import sys
import tempfile
import time
import warnings
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from service.compiler import compile_workbook  # noqa: E402
from service.engine import load_model  # noqa: E402

SHEETS = 10
COLUMNS = "BCDEFGHIJK"
HEADER = ["kind", "name", "labelNl", "labelEn", "unit", "type", "min", "max", "group", "cell"]


def formulas_for(sheet: int, row: int) -> list[str]:
    """The ten formulas of one row (columns B..K)."""
    prev = f"S{sheet - 1}!B{row}" if sheet > 1 else "1"
    r = row
    return [
        f"=A{r}*1.5+{prev}",
        f"=B{r}-A{r}/2",
        f"=IF(C{r}>50,C{r}*0.9,C{r}+1)",
        f"=ROUND(D{r},2)",
        f"=SUM($A$1:$A$10)+E{r}",
        f"=MAX(E{r},F{r})-MIN(B{r},C{r})",
        f"=VLOOKUP(A{r},S1!$M$1:$N$10,2,TRUE)*G{r}",
        f"=IFERROR(G{r}/(A{r}-50),0)",
        f"=NPV(0.03,B{r}:E{r})",
        f"=AND(B{r}>0,C{r}<1000)*1+SUMPRODUCT(B{r}:D{r},E{r}:G{r})",
    ]


def make_workbook(path: Path, rows: int) -> int:
    """Write the workbook; return its number of formula cells."""
    import openpyxl

    wb = openpyxl.Workbook()
    wb.remove(wb.active)
    n = 0
    for s in range(1, SHEETS + 1):
        ws = wb.create_sheet(f"S{s}")
        for r in range(1, rows + 1):
            ws[f"A{r}"] = float(r % 100 + s)
            for col, f in zip(COLUMNS, formulas_for(s, r), strict=True):
                ws[f"{col}{r}"] = f
                n += 1
        if s == 1:
            for i in range(10):
                ws[f"M{i + 1}"] = float(i * 10)
                ws[f"N{i + 1}"] = 1.0 + i / 10
    itf = wb.create_sheet("Interface")
    itf.append(HEADER)
    for s in range(1, SHEETS + 1):
        itf.append(["input", f"a{s}", "a", "a", "", "number", 0, 1000, "g", f"S{s}!A1"])
    itf.append(["output", "k", "k", "k", "", "number", None, None, "g", f"S{SHEETS}!K{rows}"])
    wb.save(path)
    return n


def timed(fn: Any) -> tuple[float, Any]:
    """CPU seconds of this process (the host is shared: wall time would count others)."""
    t = time.process_time()
    out = fn()
    return time.process_time() - t, out


def ours(path: Path, tmp: Path) -> tuple[float, float, dict[str, Any]]:
    compile_s, compiled = timed(lambda: compile_workbook(path, all_cells=True))
    art = tmp / "bench_compile_artifact.py"
    compiled.write(art)
    run_s, values = timed(lambda: load_model(art).calculate_results({}))
    return compile_s, run_s, values


def formulas_finish(path: Path) -> float:
    import formulas

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        seconds, _ = timed(lambda: formulas.ExcelModel().loads(str(path)).finish())
    return seconds


def pycel_first(path: Path, cells: list[str]) -> tuple[float, dict[str, Any]]:
    from pycel import ExcelCompiler

    def run() -> dict[str, Any]:
        xl = ExcelCompiler(filename=str(path))
        return {c: xl.evaluate(c) for c in cells}

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return timed(run)


def agree(a: Any, b: Any) -> bool:
    if isinstance(a, float) and isinstance(b, int | float) and not isinstance(b, bool):
        return math.isclose(a, b, rel_tol=1e-9, abs_tol=1e-9)
    return str(a) == str(b)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--rows", type=int, default=100, help="rows per sheet (x10 formulas)")
    ap.add_argument("--out", type=Path, default=ROOT / "bench" / "RESULTS-compile.md")
    args = ap.parse_args()
    import formulas  # noqa: F401 - imports are not what is measured: done first, for all
    import pycel  # noqa: F401

    from service.compiler.build import known_functions

    known_functions()
    with tempfile.TemporaryDirectory() as tmp_name:
        tmp = Path(tmp_name)
        path = tmp / "bench-compile.xlsx"
        n = make_workbook(path, args.rows)
        compile_s, run_s, values = ours(path, tmp)
        formulas_s = formulas_finish(path)
        cells = [k for k in values if not k.startswith("Interface")]
        pycel_s, pycel_values = pycel_first(path, cells)
    differ = [c for c in cells if not agree(values[c], pycel_values[c])]
    lines = [
        "# Compile time (generated by `python bench/bench_compile.py`)",
        "",
        f"A generated workbook of {n:,} formula cells over {SHEETS} sheets, measured in one "
        "run on one machine (see the script's docstring).",
        "",
        "| step | CPU seconds | ratio to ours |",
        "|---|---:|---:|",
        f"| ours: compile (read, parse, order, write Python and C) | {compile_s:.2f} | 1.0 |",
        f"| formulas: `ExcelModel().loads().finish()` | {formulas_s:.2f} | "
        f"{formulas_s / compile_s:.1f} |",
        f"| pycel: load and first evaluation of every cell | {pycel_s:.2f} | "
        f"{pycel_s / compile_s:.1f} |",
        f"| ours: import the artifact, evaluate every cell once | {run_s:.2f} | "
        f"{run_s / compile_s:.2f} |",
        "",
        f"Cells where our value and pycel's differ (rel 1e-9): {len(differ)} of {len(cells)}"
        + (f", e.g. {differ[:5]}" if differ else "")
        + ".",
        "",
    ]
    args.out.write_text("\n".join(lines))
    print("\n".join(lines))


if __name__ == "__main__":
    main()
