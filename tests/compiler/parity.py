"""Parity harness: the compiled model against formulas' ExcelModel and LibreOffice.

Peers' results are a pure function of (workbook bytes, peer version, scenarios), so they
are memoised under ~/.cache/mkba-compiler-parity; a cold run of the reference workbook
costs a few minutes (formulas: ~2 s per scenario, run on 2 processes, LibreOffice in
parallel), a warm run a second.
"""

from __future__ import annotations

import datetime
import gzip
import hashlib
import math
import multiprocessing
import os
import pickle
import random
import subprocess
import tempfile
import threading
import warnings
from collections.abc import Callable
from pathlib import Path
from typing import Any

from service.compiler import compile_workbook, native
from service.compiler.workbook import load_workbook
from service.engine.model import CompiledModel, load_model
from service.engine.runtime import ERRORS, ExcelError

ROOT = Path(__file__).resolve().parents[2]
CACHE = Path(os.environ.get("XDG_CACHE_HOME", Path.home() / ".cache")) / "mkba-compiler-parity"
N_SCENARIOS = int(os.environ.get("MKBA_PARITY_SCENARIOS", "200"))
SEED = 20261122
REL = 1e-9
ABS = 1e-9

Scenario = dict[str, Any]  # cell key -> cell value ('ja'/'nee' for yesno)


# ---------------------------------------------------------------- scenarios


def scenarios(
    inputs: list[dict[str, Any]], n: int = N_SCENARIOS, seed: int = SEED
) -> list[Scenario]:
    """The default scenario followed by n random ones within the interface's bounds."""
    rnd = random.Random(seed)
    out: list[Scenario] = [{i["cell"]: i["default"] for i in inputs}]
    for _ in range(n):
        sc: Scenario = {}
        for i in inputs:
            lo, hi, d = i.get("min"), i.get("max"), i["default"]
            if i["type"] == "yesno":
                sc[i["cell"]] = rnd.choice(["ja", "nee"])
                continue
            if lo is None or hi is None:
                base = float(d or 1.0)
                lo, hi = (base * 0.5, base * 1.5) if lo is None and hi is None else (lo, hi)
                lo = float(d or 0.0) - abs(base) if lo is None else lo
                hi = float(d or 0.0) + abs(base) if hi is None else hi
            if i["type"] in ("count", "years"):
                sc[i["cell"]] = float(rnd.randint(math.ceil(lo), math.floor(hi)))
            else:
                sc[i["cell"]] = rnd.uniform(lo, hi)
        out.append(sc)
    return out


def to_api(model: CompiledModel, sc: Scenario) -> dict[str, Any]:
    """Cell-level scenario -> API-level values (bool for yesno)."""
    out: dict[str, Any] = {}
    for spec in model.inputs:
        v = sc[spec.cell]
        out[spec.name] = (v == "ja") if spec.type == "yesno" else v
    return out


# ---------------------------------------------------------------- comparison


def normalise(v: Any) -> Any:
    """A peer's value as one of float/bool/str/ExcelError/None."""
    try:
        import numpy as np

        if isinstance(v, np.ndarray):
            v = v.ravel()[0]
        if isinstance(v, np.bool_):
            return bool(v)
        if isinstance(v, np.integer | np.floating):
            return float(v)
    except ImportError:  # pragma: no cover
        pass
    if isinstance(v, bool) or v is None or isinstance(v, ExcelError):
        return v
    if isinstance(v, str) and type(v) is not str:  # formulas' XlError / schedula's EMPTY
        s = str(v)
        return ERRORS[s] if s in ERRORS else (None if s == "empty" else s)
    if isinstance(v, datetime.datetime | datetime.date):  # LibreOffice date-formatted cells
        if not isinstance(v, datetime.datetime):
            v = datetime.datetime(v.year, v.month, v.day)
        d = v - datetime.datetime(1899, 12, 30)
        return d.days + d.seconds / 86400.0
    if isinstance(v, int | float):
        return float(v)
    if isinstance(v, str):
        return ERRORS.get(v, v)
    return v


def same(a: Any, b: Any) -> bool:
    """Excel-level equality: numbers within REL/ABS, errors by code, '' equals empty."""
    a, b = normalise(a), normalise(b)
    if a in ("", None) and b in ("", None):
        return True
    if isinstance(a, bool) or isinstance(b, bool):
        return a is b
    if isinstance(a, float) and isinstance(b, float):
        return math.isclose(a, b, rel_tol=REL, abs_tol=ABS)
    if isinstance(a, ExcelError) or isinstance(b, ExcelError):
        return a is b
    return bool(a == b)


def mismatches(
    mine: list[dict[str, Any]], peer: list[dict[str, Any]], cells: list[str], limit: int = 20
) -> list[str]:
    """Human-readable differences, at most `limit`."""
    out = []
    for i, (m, p) in enumerate(zip(mine, peer, strict=True)):
        for k in cells:
            if not same(m.get(k), p.get(k)):
                out.append(f"scenario {i} {k}: compiled {m.get(k)!r} != peer {p.get(k)!r}")
                if len(out) >= limit:
                    return out
    return out


# ---------------------------------------------------------------- our engine


def compile_all_cells(src: Path, tmp: Path) -> CompiledModel:
    """Compile with every formula cell as a result and load the artifact (with its
    native engine, when the workbook has a C form and there is a C compiler)."""
    compiled = compile_workbook(src, all_cells=True)
    art = tmp / f"{src.stem.replace('-', '_')}_all.py"
    compiled.write(art)
    if compiled.c_source is not None and native.compiler() is not None:
        c_source = tmp / compiled.c_name
        c_source.write_text(compiled.c_source)
        native.build(c_source)
    return load_model(art)


def ours(model: CompiledModel, scs: list[Scenario]) -> list[dict[str, Any]]:
    """Scalar backend, every result cell per scenario."""
    return [model.calculate_results(to_api(model, sc)) for sc in scs]


def ours_native(model: CompiledModel, scs: list[Scenario]) -> list[dict[str, Any] | None]:
    """Native engine, every result cell per scenario; None where it declines (and the
    scalar backend answers)."""
    assert model.native is not None
    out: list[dict[str, Any] | None] = []
    for sc in scs:
        res = model.native.calculate(model._args(to_api(model, sc)))
        out.append(None if res is None else dict(zip(model.module.RESULTS, res, strict=True)))
    return out


def ours_vector(model: CompiledModel, scs: list[Scenario]) -> list[dict[str, Any]]:
    """numpy backend, all scenarios in one call, unpacked per scenario."""
    import numpy as np

    cols: dict[str, Any] = {}
    for spec in model.inputs:
        vals = [to_api(model, sc)[spec.name] for sc in scs]
        cols[spec.name] = np.array(vals, dtype=bool if spec.type == "yesno" else float)
    res = model.calculate_results_columns(cols)
    return [{k: v[i] for k, v in res.items()} for i in range(len(scs))]


# ---------------------------------------------------------------- peers (memoised)


def _cache_key(src: Path, peer: str, scs: list[Scenario]) -> Path:
    h = hashlib.sha256(src.read_bytes())
    h.update(peer.encode())
    h.update(pickle.dumps(scs))
    return CACHE / f"{src.stem}-{peer.split()[0]}-{h.hexdigest()[:20]}.pkl.gz"


def memo(src: Path, peer: str, scs: list[Scenario], run: Callable[[], list[dict[str, Any]]]):  # type: ignore[no-untyped-def]
    """Load a peer's results from the cache, or run and store them."""
    path = _cache_key(src, peer, scs)
    if path.exists():
        with gzip.open(path, "rb") as f:
            return pickle.load(f)
    res = run()
    CACHE.mkdir(parents=True, exist_ok=True)
    tmp = path.with_suffix(f".{os.getpid()}.tmp")
    with gzip.open(tmp, "wb") as f:
        pickle.dump(res, f)
    tmp.replace(path)
    return res


def formulas_version() -> str:
    """Version string of formulas."""
    import formulas

    return f"formulas {formulas.__version__}"


def _fkey(book_name: str, key: str) -> str:
    sheet, addr = key.rsplit("!", 1)
    return f"'[{book_name}]{sheet.upper()}'!{addr}"


_FN: Any = None


def _formulas_worker(args: tuple[list[list[Any]], list[str]]) -> list[dict[str, Any]]:
    rows, out_keys = args
    res = []
    for vals in rows:
        sol = _FN(*vals)
        res.append({k: normalise(r.value[0, 0]) for k, r in zip(out_keys, sol, strict=True)})
    return res


def run_formulas(
    src: Path, inputs: list[str], cells: list[str], scs: list[Scenario]
) -> list[dict[str, Any]]:
    """formulas' ExcelModel: compile(inputs, outputs) once, call per scenario (2 processes)."""
    global _FN
    import formulas

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        xl = formulas.ExcelModel().loads(str(src)).finish()
        _FN = xl.compile(
            inputs=[_fkey(src.name, k) for k in inputs],
            outputs=[_fkey(src.name, k) for k in cells],
        )
        rows = [[sc[k] for k in inputs] for sc in scs]
        procs = 2 if len(rows) > 8 else 1
        if procs == 1:
            return _formulas_worker((rows, cells))
        chunks = [rows[i::procs] for i in range(procs)]
        ctx = multiprocessing.get_context("fork")
        with ctx.Pool(procs) as pool:
            parts = pool.map(_formulas_worker, [(c, cells) for c in chunks])
    out: list[dict[str, Any]] = [{} for _ in rows]
    for p, part in enumerate(parts):
        for j, r in enumerate(part):
            out[p + j * procs] = r
    return out


def libreoffice_version() -> str:
    """Version string of soffice."""
    r = subprocess.run(["soffice", "--version"], capture_output=True, text=True, timeout=120)
    return "libreoffice " + (r.stdout.strip().split("\n")[0] if r.stdout else "unknown")


def write_scenarios(src: Path, scs: list[Scenario], outdir: Path) -> list[Path]:
    """One copy of the workbook per scenario with the input cells set (openpyxl)."""
    import openpyxl

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        wb = openpyxl.load_workbook(src)
    paths = []
    for i, sc in enumerate(scs):
        for key, v in sc.items():
            sheet, addr = key.rsplit("!", 1)
            wb[sheet][addr] = v
        p = outdir / f"{src.stem}-{i:04d}.xlsx"
        wb.save(p)
        paths.append(p)
    return paths


def run_libreoffice(src: Path, cells: list[str], scs: list[Scenario]) -> list[dict[str, Any]]:
    """Recalculate every scenario file in one soffice run and read the cached values."""
    from tools.engines import cached_values, recalc_libreoffice

    with tempfile.TemporaryDirectory(prefix="parity-lo-") as d:
        tmp = Path(d)
        (tmp / "in").mkdir()
        paths = write_scenarios(src, scs, tmp / "in")
        written = recalc_libreoffice(paths, tmp / "out")
        out = []
        for p in written:
            vals = cached_values(p)
            row = {}
            for k in cells:
                sheet, addr = k.rsplit("!", 1)
                row[k] = normalise(vals.get((sheet, addr)))
            out.append(row)
    return out


class Peers:
    """Both peers' results for one workbook, LibreOffice running while formulas runs."""

    def __init__(self, src: Path, scs: list[Scenario], cells: list[str], with_lo: bool) -> None:
        book = load_workbook(src)
        inputs = [i["cell"] for i in book.inputs]
        self.libreoffice: list[dict[str, Any]] | None = None
        lo_error: list[BaseException] = []

        def lo() -> None:
            try:
                self.libreoffice = memo(
                    src, libreoffice_version(), scs, lambda: run_libreoffice(src, cells, scs)
                )
            except BaseException as e:  # pragma: no cover - reported below
                lo_error.append(e)

        t = threading.Thread(target=lo) if with_lo else None
        if t:
            t.start()
        self.formulas = memo(
            src, formulas_version(), scs, lambda: run_formulas(src, inputs, cells, scs)
        )
        if t:
            t.join()
        if lo_error:
            raise lo_error[0]
