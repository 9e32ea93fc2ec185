"""numpy helpers for the vectorised backend: N scenarios per call.

A column is a numpy array (float, bool or object) or a Python scalar (same value in
every scenario). Numeric columns take numpy fast paths; anything else (text, empty,
errors) falls back to the scalar helpers element by element, so both backends share
one definition of Excel's semantics. An error stays in its own scenario.
"""

from __future__ import annotations

import operator
from collections.abc import Callable, Sequence
from typing import Any

import numpy as np

from service.engine import runtime as rt
from service.engine.runtime import ExcelError

__all__ = [
    "vadd",
    "vsub",
    "vmul",
    "vdiv",
    "vpow",
    "vneg",
    "vpct",
    "vcat",
    "veq",
    "vne",
    "vlt",
    "vle",
    "vgt",
    "vge",
    "vif",
    "viferror",
    "vand",
    "vor",
    "vnot",
    "vsum",
    "vmin",
    "vmax",
    "vaverage",
    "vsumproduct",
    "vnpv_args",
    "vround",
    "vabs",
    "vtrim",
    "vnz",
    "vcall",
    "vrng",
    "vtab",
    "vtup",
]

Col = Any


def _kind(x: Col) -> str:
    """'f' numeric, 'b' logical, 's' text (numpy unicode or str), 'o' anything else."""
    if isinstance(x, np.ndarray):
        k = x.dtype.kind
        if k in "fiu":
            return "f"
        if k == "b":
            return "b"
        if k == "U":
            return "s"
        return "o"
    c = x.__class__
    if c is float or c is int or c is np.float64:
        return "f"
    if c is bool or c is np.bool_:
        return "b"
    if c is str:
        return "s"
    return "o"


def _f(x: Col) -> Col:
    """A numeric or logical column as float."""
    if isinstance(x, np.ndarray):
        return x if x.dtype.kind == "f" else x.astype(np.float64)
    return float(x)


def _size(cols: Sequence[Col]) -> int | None:
    for c in cols:
        if isinstance(c, np.ndarray):
            return int(c.shape[0])
    return None


def tighten(a: np.ndarray) -> np.ndarray:
    """An object column as float/bool when every element is one."""
    if a.dtype != object:
        return a
    kinds = {x.__class__ for x in a.tolist()}
    if kinds <= {float, int}:
        return a.astype(np.float64)
    if kinds == {bool}:
        return a.astype(bool)
    return a


def _elem(x: Col, i: int) -> Any:
    if isinstance(x, np.ndarray):
        v = x[i]
        k = x.dtype.kind
        if k == "f":
            return float(v)
        if k == "b":
            return bool(v)
        if k in "iu":
            return float(v)
        if k == "U":
            return str(v)
        return v
    if isinstance(x, _Group):
        return x.at(i)
    return x


class _Group:
    """Several columns passed to a scalar helper as one tuple (or one range)."""

    def __init__(self, items: Sequence[Col], wrap: Callable[[tuple[Any, ...]], Any] = tuple):
        self.items = items
        self.wrap = wrap

    def at(self, i: int) -> Any:
        return self.wrap(tuple(_elem(x, i) for x in self.items))

    def cols(self) -> list[Col]:
        out: list[Col] = []
        for x in self.items:
            out.extend(x.cols() if isinstance(x, _Group) else [x])
        return out


def _loop(fn: Callable[..., Any], *args: Col) -> Col:
    """Apply a scalar helper per scenario (the exact, slow path)."""
    flat: list[Col] = []
    for a in args:
        flat.extend(a.cols() if isinstance(a, _Group) else [a])
    n = _size(flat)
    if n is None:
        return fn(*(a.at(0) if isinstance(a, _Group) else a for a in args))
    out = np.empty(n, dtype=object)
    for i in range(n):
        out[i] = fn(*(_elem(a, i) for a in args))
    return tighten(out)


def _is_float(x: Col) -> bool:
    """A Python float or a float array: operands numpy's operators take as they are.

    Nearly every operand of a batch is one, so the checks below try this first;
    `_kind` and `_f` then handle ints, bools and numpy scalars.
    """
    c = x.__class__
    return c is float or (c is np.ndarray and x.dtype.kind == "f")


def _num_ok(*xs: Col) -> bool:
    return all(map(_is_float, xs)) or all(_kind(x) in "fb" for x in xs)


# ---------------------------------------------------------------- operators


def _scalar_add(a: Any, b: Any) -> Any:
    return rt.num(a) + rt.num(b)


def _scalar_sub(a: Any, b: Any) -> Any:
    return rt.num(a) - rt.num(b)


def _scalar_mul(a: Any, b: Any) -> Any:
    return rt.num(a) * rt.num(b)


def vadd(a: Col, b: Col) -> Col:
    """a + b."""
    if _is_float(a) and _is_float(b):
        return a + b
    if _num_ok(a, b):
        return _f(a) + _f(b)
    return _loop(_scalar_add, a, b)


def vsub(a: Col, b: Col) -> Col:
    """a - b."""
    if _is_float(a) and _is_float(b):
        return a - b
    if _num_ok(a, b):
        return _f(a) - _f(b)
    return _loop(_scalar_sub, a, b)


def vmul(a: Col, b: Col) -> Col:
    """a * b."""
    if _is_float(a) and _is_float(b):
        return a * b
    if _num_ok(a, b):
        return _f(a) * _f(b)
    return _loop(_scalar_mul, a, b)


def vdiv(a: Col, b: Col) -> Col:
    """a / b (#DIV/0! per scenario)."""
    if _num_ok(a, b):
        fb = _f(b)
        zero = fb == 0
        if not np.any(zero):
            return _f(a) / fb
        if isinstance(zero, np.ndarray):  # some scenarios divide by zero: #DIV/0! in those
            return _with_errors(_f(a) / np.where(zero, 1.0, fb), zero, rt.DIV0)
    return _loop(lambda x, y: rt.div(rt.num(x), rt.num(y)), a, b)


def _with_errors(values: np.ndarray, bad: np.ndarray, error: ExcelError) -> np.ndarray:
    """An object column of `values` as Python floats, `error` where `bad` (what the
    scalar helper gives per scenario, without a Python call per scenario)."""
    out = np.empty(bad.shape[0], dtype=object)
    out[:] = np.broadcast_to(values, bad.shape).tolist()
    for i in np.flatnonzero(bad).tolist():
        out[i] = error
    return out


def vpow(a: Col, b: Col) -> Col:
    """a ^ b (#NUM!/#DIV/0! per scenario)."""
    if _num_ok(a, b):
        fa, fb = _f(a), _f(b)
        with np.errstate(all="ignore"):
            r = np.power(fa, fb)
        bad = ~np.isfinite(r) | ((fa == 0) & (fb <= 0))
        if not np.any(bad):
            return r
    return _loop(lambda x, y: rt.pw(rt.num(x), rt.num(y)), a, b)


def vneg(a: Col) -> Col:
    """-a."""
    if _num_ok(a):
        return -_f(a)
    return _loop(lambda x: -rt.num(x), a)


def vpct(a: Col) -> Col:
    """a%."""
    if _num_ok(a):
        return _f(a) / 100.0
    return _loop(lambda x: rt.num(x) / 100.0, a)


def vcat(a: Col, b: Col) -> Col:
    """a & b."""
    return _loop(rt.cat, a, b)


def _cmp(op: Callable[[Any, Any], Any], scalar: Callable[[Any, Any], Any]) -> Any:
    def f(a: Col, b: Col) -> Col:
        ka, kb = _kind(a), _kind(b)
        if ka == kb and ka in "fb":
            r = op(a, b)
            return r if isinstance(r, np.ndarray) else bool(r)
        if ka == kb == "s":  # text: case-insensitive
            r = op(np.char.upper(a), np.char.upper(b))
            return r if isinstance(r, np.ndarray) else bool(r)
        return _loop(scalar, a, b)

    return f


veq = _cmp(lambda a, b: a == b, rt.eq)
vne = _cmp(lambda a, b: a != b, rt.ne)
vlt = _cmp(lambda a, b: a < b, rt.lt)
vle = _cmp(lambda a, b: a <= b, rt.le)
vgt = _cmp(lambda a, b: a > b, rt.gt)
vge = _cmp(lambda a, b: a >= b, rt.ge)


# ---------------------------------------------------------------- functions


def vif(c: Col, a: Col, b: Col) -> Col:
    """IF per scenario: both branches are computed, each scenario takes its own."""
    kc = _kind(c)
    if kc in "fb":
        if not isinstance(c, np.ndarray):
            return a if c else b
        ka, kb = _kind(a), _kind(b)
        if ka == kb and ka in "fbs":  # same kind: select per scenario
            return np.where(c != 0, a, b)
    elif not isinstance(c, np.ndarray):
        t = rt.truth(c)
        if t.__class__ is ExcelError:
            return t
        return a if t else b
    return _loop(rt.xif, c, a, b)


def viferror(a: Col, b: Col) -> Col:
    """IFERROR per scenario."""
    if _kind(a) in "fb":
        return a
    if not isinstance(a, np.ndarray):
        return b if a.__class__ is ExcelError else a
    if a.dtype == object and (_is_float(b) or _kind(b) in "bs"):
        # the scenarios whose value is an error take b's, the others keep their own
        out = a.copy()
        for i, x in enumerate(a.tolist()):
            if x.__class__ is ExcelError:
                out[i] = _elem(b, i)
        return tighten(out)
    return _loop(rt.xiferror, a, b)


def _refs_numeric(refs: Sequence[Col]) -> bool:
    return all(map(_is_float, refs)) or all(_kind(x) == "f" for x in refs)


def _fold(refs: Sequence[Col], vals: Sequence[Col], fn: Any, scalar: Any) -> Col:
    """fn over the columns left to right where all are numbers (none: 0), else the
    scalar helper per scenario."""
    if _refs_numeric(refs) and _num_ok(*vals):
        items = [_f(x) for x in (*refs, *vals)]
        if not items:
            return 0.0
        r = items[0]
        for x in items[1:]:
            r = fn(r, x)
        return r
    return _loop(scalar, _Group(refs), _Group(vals))


def vsum(refs: Sequence[Col] = (), vals: Sequence[Col] = ()) -> Col:
    """SUM."""
    return _fold(refs, vals, operator.add, rt.xsum)


def _minmax(refs: Sequence[Col], vals: Sequence[Col], fn: Any, scalar: Any, pick: Any) -> Col:
    if not refs and vals and all(x.__class__ is float for x in vals):
        total = sum(vals)
        if total - total == 0:  # all finite, where Python's min/max equal numpy's
            return pick(vals)
    return _fold(refs, vals, fn, scalar)


def vmin(refs: Sequence[Col] = (), vals: Sequence[Col] = ()) -> Col:
    """MIN."""
    return _minmax(refs, vals, np.minimum, rt.xmin, min)


def vmax(refs: Sequence[Col] = (), vals: Sequence[Col] = ()) -> Col:
    """MAX."""
    return _minmax(refs, vals, np.maximum, rt.xmax, max)


def vaverage(refs: Sequence[Col] = (), vals: Sequence[Col] = ()) -> Col:
    """AVERAGE."""
    if (refs or vals) and _refs_numeric(refs) and _num_ok(*vals):
        return vsum(refs, vals) / float(len(refs) + len(vals))
    return _loop(rt.xaverage, _Group(refs), _Group(vals))


def vsumproduct(*arrays: Sequence[Col]) -> Col:
    """SUMPRODUCT."""
    if all(_refs_numeric(a) for a in arrays):
        total: Col = None
        for items in zip(*arrays, strict=True):
            p = _f(items[0])
            for x in items[1:]:
                p = p * _f(x)
            total = p if total is None else total + p
        return total
    return _loop(rt.xsumproduct, *(_Group(a) for a in arrays))


def vnpv_args(rate: Col, *groups: tuple[bool, Sequence[Col]]) -> Col:
    """NPV."""
    flat = [x for _, g in groups for x in g]
    if _kind(rate) == "f" and _refs_numeric(flat):
        f = 1.0 + _f(rate)
        if not np.any(np.asarray(f) == 0):
            total: Col = 0.0
            for i, x in enumerate(flat, 1):
                total = total + _f(x) / f**i
            return total
    parts = [_Group((is_ref, _Group(g)), tuple) for is_ref, g in groups]
    return _loop(rt.xnpv_args, rate, *parts)


def _round15(y: np.ndarray) -> np.ndarray:
    with np.errstate(all="ignore"):
        safe = np.where(y > 0, y, 1.0)
        e = np.floor(np.log10(safe))
        s = 10.0 ** (14 - e)
        r = np.round(y * s) / s
    return np.where((y > 0) & np.isfinite(y), r, y)


def vround(x: Col, n: Col, mode: int = 0) -> Col:
    """ROUND/ROUNDUP/ROUNDDOWN."""
    if (
        _num_ok(x)
        and _kind(n) == "f"
        and not isinstance(n, np.ndarray)
        and isinstance(x, np.ndarray)
        and abs(n) <= 300
        and bool(np.all(np.isfinite(_f(x))))
    ):
        d = int(n)
        fx = _f(x)
        y = np.abs(fx)
        with np.errstate(over="ignore", under="ignore"):
            y = y * 10.0**d if d >= 0 else y / 10.0**-d
        if np.any(((y > 0) & (y < 1e-250)) | ~np.isfinite(y)):  # the scalar helper's cases
            return _loop(lambda a, b: rt.xround(a, b, mode), x, n)
        y = _round15(y)
        if mode == 0:
            r = np.floor(y + 0.5)
        elif mode > 0:
            r = np.ceil(y)
        else:
            r = np.floor(y)
        r = r / 10.0**d if d >= 0 else r * 10.0**-d
        return np.where(fx < 0, -r, r)
    if isinstance(x, np.ndarray) and x.dtype == object and n.__class__ is float:
        # errors (the helper passes them on) among floats: round the floats as a column
        items = x.tolist()
        bad = np.fromiter((v.__class__ is ExcelError for v in items), bool, len(items))
        if all(v.__class__ is float for v, b in zip(items, bad.tolist(), strict=True) if not b):
            out = x.copy()
            ok = ~bad
            if ok.any():
                rounded = vround(np.array(x[ok].tolist(), dtype=np.float64), n, mode)
                out[ok] = rounded.tolist()
            return tighten(out)
    return _loop(lambda a, b: rt.xround(a, b, mode), x, n)


def vabs(x: Col) -> Col:
    """ABS."""
    if _num_ok(x):
        return np.abs(_f(x))
    return _loop(rt.xabs, x)


def vtrim(x: Col) -> Col:
    """TRIM."""
    return _loop(rt.xtrim, x)


def vand(refs: Sequence[Col] = (), vals: Sequence[Col] = ()) -> Col:
    """AND."""
    items = (*refs, *vals)
    if items and _num_ok(*items):
        r = _f(items[0]) != 0
        for x in items[1:]:
            r = r & (_f(x) != 0)
        return r
    return _loop(rt.xand, _Group(refs), _Group(vals))


def vor(refs: Sequence[Col] = (), vals: Sequence[Col] = ()) -> Col:
    """OR."""
    items = (*refs, *vals)
    if items and _num_ok(*items):
        r = _f(items[0]) != 0
        for x in items[1:]:
            r = r | (_f(x) != 0)
        return r
    return _loop(rt.xor_, _Group(refs), _Group(vals))


def vnot(x: Col) -> Col:
    """NOT."""
    if _num_ok(x):
        r = _f(x) == 0
        return r if isinstance(r, np.ndarray) else bool(r)
    return _loop(rt.xnot, x)


def vnz(x: Col) -> Col:
    """Empty shows as 0."""
    if _kind(x) in "fb":
        return x
    return _loop(rt.nz, x)


def vrng(rows: int, cols: int, items: Sequence[Col]) -> _Group:
    """A range argument of a delegated function."""
    from service.engine.delegate import rng

    return _Group(items, lambda t: rng(rows, cols, t))


def vcall(fn: Callable[..., Any], *args: Col) -> Col:
    """A run-time helper or delegated function, per scenario (lookups into constant
    tables with numeric keys take a vectorised path)."""
    fast = _FAST.get(fn)
    if fast is not None:
        out = fast(*args)
        if out is not None:
            return out
    return _loop(fn, *args)


def _constant_table(table: Col) -> tuple[int, int, tuple[Any, ...]] | None:
    """A range argument whose cells are the same in every scenario, as (rows, cols, values)."""
    if not isinstance(table, _Group) or any(
        isinstance(x, np.ndarray | _Group) for x in table.items
    ):
        return None
    return table.at(0)  # type: ignore[no-any-return]


def _picks(values: Sequence[Any], index: np.ndarray, missing: Any) -> Col:
    """values[index] per scenario, `missing` where index < 0; float when all are floats."""
    chosen = [missing if i < 0 else values[i] for i in index.tolist()]
    if all(v.__class__ is float for v in chosen):
        return np.array(chosen, dtype=np.float64)
    out = np.empty(len(chosen), dtype=object)
    out[:] = chosen
    return out


def _numeric_positions(needle: Col, keys: Sequence[Any], exact: bool) -> np.ndarray | None:
    """Per scenario the position found in a numeric key vector (strictly increasing when
    approximate, as the compiler checked), -1 where none; None: not this fast path."""
    if not (isinstance(needle, np.ndarray) and needle.dtype.kind == "f"):
        return None
    if not keys or not all(k.__class__ is float for k in keys):
        return None
    arr = np.array(keys, dtype=np.float64)
    if not np.all(np.isfinite(needle)):
        return None
    if not exact:
        return np.searchsorted(arr, needle, side="right") - 1
    first: dict[float, int] = {}
    for i, k in enumerate(keys):
        first.setdefault(k, i)
    return np.array([first.get(x, -1) for x in needle.tolist()], dtype=np.int64)


def _fast_lookup(vertical: bool) -> Callable[..., Col]:
    def fast(needle: Col, table: Col, k: Col, approximate: Col = True) -> Col:
        shape = _constant_table(table)
        if shape is None or isinstance(k, np.ndarray) or isinstance(approximate, np.ndarray):
            return None
        rows, cols, values = shape
        kk = rt._index_arg(k)
        exact = rt.truth(approximate if approximate is not None else False)
        if kk.__class__ is ExcelError or exact.__class__ is ExcelError:
            return None
        if not 1 <= kk <= (cols if vertical else rows):
            return None
        keys = [values[r * cols] for r in range(rows)] if vertical else list(values[:cols])
        pos = _numeric_positions(needle, keys, exact=not exact)
        if pos is None:
            return None
        if vertical:
            index = np.where(pos < 0, -1, pos * cols + kk - 1)
        else:
            index = np.where(pos < 0, -1, (kk - 1) * cols + pos)
        return _picks(values, index, rt.NA)

    return fast


def _fast_match(needle: Col, vector: Col, mode: Col = 1.0) -> Col:
    shape = _constant_table(vector)
    if shape is None or isinstance(mode, np.ndarray):
        return None
    rows, cols, values = shape
    if (rows != 1 and cols != 1) or mode.__class__ is not float or mode < 0:
        return None
    pos = _numeric_positions(needle, values, exact=mode == 0)
    if pos is None:
        return None
    out = (pos + 1).astype(np.float64)
    if np.any(pos < 0):
        return _picks([*(float(i + 1) for i in range(len(values)))], pos, rt.NA)
    return out


def _fast_index(table: Col, row: Col, col: Col = None) -> Col:
    shape = _constant_table(table)
    if shape is None or isinstance(col, np.ndarray | _Group):
        return None
    if not (isinstance(row, np.ndarray) and row.dtype.kind == "f"):
        return None
    rows, cols, values = shape
    if not np.all(np.isfinite(row)):
        return None
    out = [rt.xindex((rows, cols, values), float(r), col) for r in row.tolist()]
    return _picks(out, np.arange(len(out)), None)


def _fast_sumifs(values: Col, *pairs: Col) -> Col:
    """SUMIF(S) whose criteria and their ranges are the same in every scenario: the mask
    once, then the picked float columns added in the scalar helper's order."""
    if not isinstance(values, _Group) or values.wrap is not tuple:
        return None  # the values as the plain tuple the helper gets (not a range object)
    if not all(isinstance(p, _Group) for p in pairs):
        return None
    if any(isinstance(c, np.ndarray) for p in pairs for c in p.cols()):
        return None
    mask = rt._ifs_mask([p.at(0) for p in pairs])
    if mask.__class__ is ExcelError or len(mask) != len(values.items):  # type: ignore[arg-type]
        return None
    picked = [x for x, m in zip(values.items, mask, strict=True) if m]  # type: ignore[arg-type]
    if not picked or not all(_is_float(x) for x in picked):
        return None  # text, logicals, errors or empty cells: per scenario
    if not any(isinstance(x, np.ndarray) for x in picked):
        return None
    total: Col = 0.0
    with np.errstate(all="ignore"):  # inf - inf is NaN, as the helper's float sum gives
        for x in picked:
            total = total + x
    return total


_FAST: dict[Callable[..., Any], Callable[..., Col]] = {
    rt.xsumifs: _fast_sumifs,
    rt.xvlookup: _fast_lookup(vertical=True),
    rt.xhlookup: _fast_lookup(vertical=False),
    rt.xmatch: _fast_match,
    rt.xindex: _fast_index,
}


def vtab(rows: int, cols: int, items: Sequence[Col]) -> _Group:
    """A range argument of a run-time helper: (rows, cols, values) per scenario."""
    return _Group(items, lambda t: (rows, cols, t))


def vtup(items: Sequence[Col]) -> _Group:
    """Several columns as one tuple argument of a run-time helper, per scenario."""
    return _Group(items)
