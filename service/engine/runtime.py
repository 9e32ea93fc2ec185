"""Scalar run-time helpers for generated code: Excel errors, coercion and functions.

Values inside a compiled model are Python objects: float (int allowed), bool, str,
None (an empty cell) or an ExcelError. Every helper returns an Excel value and never
raises for Excel-level problems. This module must not import `formulas`.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence
from decimal import ROUND_HALF_UP, Decimal
from types import FunctionType
from typing import Any

Value = Any  # float | int | bool | str | None | ExcelError


class ExcelError:
    """An Excel error value (#DIV/0!, #VALUE!, ...); one shared instance per code."""

    __slots__ = ("code",)
    code: str
    _instances: dict[str, ExcelError] = {}

    def __new__(cls, code: str) -> ExcelError:
        inst = cls._instances.get(code)
        if inst is None:
            inst = super().__new__(cls)
            inst.code = code
            cls._instances[code] = inst
        return inst

    def __reduce__(self) -> tuple[Any, tuple[str]]:
        return (ExcelError, (self.code,))

    def __repr__(self) -> str:
        return f"ExcelError({self.code!r})"

    def __str__(self) -> str:
        return self.code

    # Arithmetic with an error yields the (left-most) error: generated code relies on
    # this so that `a + b` propagates errors without a helper call.
    def _self(self, *_: object) -> ExcelError:
        return self

    __add__ = __radd__ = __sub__ = __rsub__ = __mul__ = __rmul__ = _self
    __truediv__ = __rtruediv__ = __pow__ = __rpow__ = _self
    __neg__ = __pos__ = __abs__ = _self


ERROR_CODES: tuple[ExcelError, ...] = tuple(
    map(ExcelError, ("#NULL!", "#DIV/0!", "#VALUE!", "#REF!", "#NAME?", "#NUM!", "#N/A"))
)
NULL, DIV0, VALUE, REF, NAME, NUM, NA = ERROR_CODES
ERRORS: dict[str, ExcelError] = {e.code: e for e in ERROR_CODES}


def is_error(x: object) -> bool:
    """True when x is an Excel error value."""
    return x.__class__ is ExcelError


# ---------------------------------------------------------------- coercion


def _parse_number(s: str) -> float | ExcelError:
    t = s.strip()
    if not t or "_" in t:  # Python reads 1_000; Excel does not
        return VALUE
    pct = t.endswith("%")
    if pct:
        t = t[:-1].strip()
    try:
        v = float(t)
    except ValueError:
        return VALUE
    if math.isinf(v) or math.isnan(v) or t.lower() in ("inf", "infinity", "nan", "+inf", "-inf"):
        return VALUE
    return v / 100.0 if pct else v


def num(x: Value) -> Value:
    """Coerce a value to a number as Excel arithmetic does (errors pass through)."""
    c = x.__class__
    if c is float or c is int:
        return x
    if c is bool:
        return 1.0 if x else 0.0
    if x is None:
        return 0.0
    if c is str:
        return _parse_number(x)
    if c is ExcelError:
        return x
    return float(x)


def fmt_number(x: float) -> str:
    """Text form of a number as Excel's general format gives it (15 significant digits).

    The shortest round-trip decimal is rounded half-up to 15 significant digits, as
    LibreOffice does (formatting the binary value directly differs in the last digit).
    """
    if x == 0:
        return "0"
    if float(x).is_integer() and abs(x) < 1e15:
        return str(int(x))
    d = Decimal(repr(float(x)))
    q = d.quantize(Decimal(1).scaleb(d.adjusted() - 14), rounding=ROUND_HALF_UP).normalize()
    e = q.adjusted()
    if -5 < e < 15:
        return format(q, "f")
    mant = format(q.scaleb(-e).normalize(), "f")
    return f"{mant}E{'+' if e >= 0 else '-'}{abs(e):02d}"


def txt(x: Value) -> Value:
    """Coerce a value to text as Excel's & operator does (errors pass through)."""
    c = x.__class__
    if c is str:
        return x
    if c is float or c is int:
        return fmt_number(x)
    if c is bool:
        return "TRUE" if x else "FALSE"
    if x is None:
        return ""
    return x


def truth(x: Value) -> Value:
    """Coerce a value to a logical as IF/AND/OR/NOT do (errors pass through)."""
    c = x.__class__
    if c is bool:
        return x
    if c is float or c is int:
        return x != 0
    if x is None:
        return False
    if c is str:
        u = x.strip().upper()
        if u == "TRUE":
            return True
        if u == "FALSE":
            return False
        return VALUE
    return x


def nz(x: Value) -> Value:
    """The value a formula cell shows for a reference to an empty cell (0)."""
    return 0.0 if x is None else x


# ---------------------------------------------------------------- operators


def cat(a: Value, b: Value) -> Value:
    """Excel `a & b`."""
    a = txt(a)
    b = txt(b)
    if a.__class__ is ExcelError:
        return a
    if b.__class__ is ExcelError:
        return b
    return a + b


def div(a: Value, b: Value) -> Value:
    """Excel `a / b` on numbers (coerced first by the caller)."""
    if a.__class__ is ExcelError:
        return a
    if b.__class__ is ExcelError:
        return b
    if b == 0:
        return DIV0
    return a / b


def pw(a: Value, b: Value) -> Value:
    """Excel `a ^ b` on numbers."""
    if a.__class__ is ExcelError:
        return a
    if b.__class__ is ExcelError:
        return b
    if a == 0:
        if b == 0:
            return NUM
        if b < 0:
            return DIV0
        return 0.0
    if a < 0 and not float(b).is_integer():
        return NUM
    try:
        r = float(a) ** b
    except OverflowError:
        return NUM
    if math.isinf(r):
        return NUM
    return r


def _rank(x: Value) -> int:
    c = x.__class__
    if c is bool:
        return 2
    if c is str:
        return 1
    return 0


def compare(a: Value, b: Value) -> Value:
    """Excel ordering of two values: -1, 0, 1 or an error."""
    if a.__class__ is ExcelError:
        return a
    if b.__class__ is ExcelError:
        return b
    if a is None:
        a = "" if b.__class__ is str else (False if b.__class__ is bool else 0.0)
    if b is None:
        b = "" if a.__class__ is str else (False if a.__class__ is bool else 0.0)
    ra, rb = _rank(a), _rank(b)
    if ra != rb:
        return -1 if ra < rb else 1
    if ra == 1:
        a = a.upper()
        b = b.upper()
    return -1 if a < b else (1 if a > b else 0)


def eq(a: Value, b: Value) -> Value:
    """Excel `a = b`."""
    c = compare(a, b)
    return c if c.__class__ is ExcelError else c == 0


def ne(a: Value, b: Value) -> Value:
    """Excel `a <> b`."""
    c = compare(a, b)
    return c if c.__class__ is ExcelError else c != 0


def lt(a: Value, b: Value) -> Value:
    """Excel `a < b`."""
    c = compare(a, b)
    return c if c.__class__ is ExcelError else c < 0


def le(a: Value, b: Value) -> Value:
    """Excel `a <= b`."""
    c = compare(a, b)
    return c if c.__class__ is ExcelError else c <= 0


def gt(a: Value, b: Value) -> Value:
    """Excel `a > b`."""
    c = compare(a, b)
    return c if c.__class__ is ExcelError else c > 0


def ge(a: Value, b: Value) -> Value:
    """Excel `a >= b`."""
    c = compare(a, b)
    return c if c.__class__ is ExcelError else c >= 0


# ---------------------------------------------------------------- functions
# Aggregates take `refs` (values from ranges/references: non-numbers are skipped)
# and `vals` (directly given values: coerced like arithmetic operands).


def _gather(
    refs: Iterable[Value], vals: Iterable[Value], also: type = float, coerce: Any = num
) -> Any:
    """The values an aggregate combines, or the first error: the numbers of `refs` (and
    the values of class `also`; the rest skipped), then every one of `vals` coerced.
    SUM's numbers by default; `_truths` is this function with AND's defaults. The class
    tests stay inline and defaults cost no lookup: a set lookup slowed SUM by a tenth."""
    out: list[Value] = []
    for x in refs:
        c = x.__class__
        if c is float or c is int or c is also:
            out.append(x)
        elif c is ExcelError:
            return x
    for x in vals:
        x = coerce(x)
        if x.__class__ is ExcelError:
            return x
        out.append(x)
    return out


# The same code with the defaults (bool, truth): the truth values AND and OR combine (the
# numbers and logicals of references), passed no more arguments than SUM is.
_truths = FunctionType(_gather.__code__, globals(), "_truths", (bool, truth))


def xsum(refs: Iterable[Value] = (), vals: Iterable[Value] = ()) -> Value:
    """SUM."""
    xs = _gather(refs, vals)
    if xs.__class__ is ExcelError:
        return xs
    total = 0.0
    for x in xs:  # type: ignore[union-attr]
        total = total + x
    return total


def _extreme(pick: Any, refs: Iterable[Value], vals: Iterable[Value]) -> Value:
    xs = _gather(refs, vals)
    if xs.__class__ is ExcelError:
        return xs
    return pick(xs) if xs else 0.0


def xmin(refs: Iterable[Value] = (), vals: Iterable[Value] = ()) -> Value:
    """MIN (0 when there are no numbers)."""
    return _extreme(min, refs, vals)


def xmax(refs: Iterable[Value] = (), vals: Iterable[Value] = ()) -> Value:
    """MAX (0 when there are no numbers)."""
    return _extreme(max, refs, vals)


def xaverage(refs: Iterable[Value] = (), vals: Iterable[Value] = ()) -> Value:
    """AVERAGE (#DIV/0! when there are no numbers)."""
    xs = _gather(refs, vals)
    if xs.__class__ is ExcelError:
        return xs
    if not xs:
        return DIV0
    total = 0.0
    for x in xs:
        total = total + x
    return total / len(xs)


def xnpv_args(rate: Value, *groups: tuple[bool, Sequence[Value]]) -> Value:
    """NPV over mixed arguments: each group is (is_reference, values), kept in order."""
    rate = num(rate)
    if rate.__class__ is ExcelError:
        return rate
    xs: list[Value] = []
    for is_ref, values in groups:
        part = _gather(values, ()) if is_ref else _gather((), values)
        if part.__class__ is ExcelError:
            return part
        xs.extend(part)  # type: ignore[arg-type]
    if rate == -1:
        return DIV0
    total = 0.0
    f = 1.0 + rate
    try:
        for i, x in enumerate(xs, 1):
            total = total + x / f**i
    except (OverflowError, ZeroDivisionError):
        return NUM
    return total


def xsumproduct(*arrays: Sequence[Value]) -> Value:
    """SUMPRODUCT over equally sized flattened ranges; non-numbers count as 0."""
    n = len(arrays[0])
    if any(len(a) != n for a in arrays):
        return VALUE
    for a in arrays:
        for x in a:
            if x.__class__ is ExcelError:
                return x
    total = 0.0
    for i in range(n):
        p: Value = 1.0
        for a in arrays:
            x = a[i]
            c = x.__class__
            p = p * (x if (c is float or c is int) else 0.0)
        total = total + p
    return total


def _round15(y: float) -> float:
    """y rounded to 15 significant digits (how Excel and LibreOffice see a product)."""
    if y == 0 or not math.isfinite(y):
        return y
    e = math.floor(math.log10(y))
    if e < -280:  # 10**(14-e) would overflow: the same rounding on the exact decimal
        from decimal import ROUND_HALF_EVEN

        q = Decimal(y).quantize(Decimal(1).scaleb(e - 14), rounding=ROUND_HALF_EVEN)
        return float(q)
    s = 10.0 ** (14 - e)
    return round(y * s) / s


def xround(x: Value, n: Value = 0.0, mode: int = 0) -> Value:
    """ROUND (mode 0, half away from zero), ROUNDUP (1), ROUNDDOWN (-1)."""
    x = num(x)
    n = num(n)
    if x.__class__ is ExcelError:
        return x
    if n.__class__ is ExcelError:
        return n
    if not (math.isfinite(x) and math.isfinite(n)):
        return NUM
    d = int(n)  # Excel truncates the number of digits
    if d > 300:
        return x
    if d < -300:
        return 0.0
    y = abs(x)
    if d >= 0:
        y = _round15(y * 10.0**d)
    else:
        y = _round15(y / 10.0**-d)
    if not math.isfinite(y):  # more digits than a double has: x as it is
        return float(x)
    if mode == 0:
        r = math.floor(y + 0.5)
    elif mode > 0:
        r = math.ceil(y)
    else:
        r = math.floor(y)
    res = r / 10.0**d if d >= 0 else r * 10.0**-d
    return -res if x < 0 else float(res)


def xabs(x: Value) -> Value:
    """ABS."""
    x = num(x)
    return x if x.__class__ is ExcelError else abs(x)


def xand(refs: Iterable[Value] = (), vals: Iterable[Value] = ()) -> Value:
    """AND: numbers and logicals of references, values as truths; none at all #VALUE!."""
    t = _truths(refs, vals)
    if t.__class__ is ExcelError:
        return t
    return all(t) if t else VALUE


def xor_(refs: Iterable[Value] = (), vals: Iterable[Value] = ()) -> Value:
    """OR: numbers and logicals of references, values as truths; none at all #VALUE!."""
    t = _truths(refs, vals)
    if t.__class__ is ExcelError:
        return t
    return any(t) if t else VALUE


def xnot(x: Value) -> Value:
    """NOT."""
    t = truth(x)
    return t if t.__class__ is ExcelError else not t


def xif(cond: Value, a: Value, b: Value) -> Value:
    """Eager IF, used only by the trace and tests (generated code inlines a lazy IF)."""
    t = truth(cond)
    if t.__class__ is ExcelError:
        return t
    return a if t else b


def xiferror(a: Value, b: Value) -> Value:
    """Eager IFERROR, for tests (generated code inlines a lazy one)."""
    return b if a.__class__ is ExcelError else a


def xifna(a: Value, b: Value) -> Value:
    """Eager IFNA, for the numpy backend (the scalar code inlines a lazy one)."""
    return b if a is NA else a


def xtrim(x: Value) -> Value:
    """TRIM: strip spaces and collapse inner runs of spaces to one (as Excel does)."""
    x = txt(x)
    if x.__class__ is ExcelError:
        return x
    return " ".join(p for p in x.split(" ") if p)


def output_value(x: Value) -> Value:
    """A cell value as the outside world sees it: numbers as float, empty as 0."""
    c = x.__class__
    if c is float:
        return x if x - x == 0 else NUM  # inf/nan: Excel has no such numbers (#NUM!)
    if c is int:
        return float(x)
    if x is None:
        return 0.0
    return x


# ---------------------------------------------------------------- rounding (15 digits)


def approx(x: float) -> float:
    """x rounded to 15 significant digits, sign kept (LibreOffice's approxValue)."""
    if x == 0 or not math.isfinite(x):
        return x
    return math.copysign(_round15(abs(x)), x)


def xint(x: Value) -> Value:
    """INT: round down to an integer, on the value seen to 15 digits."""
    x = num(x)
    if x.__class__ is ExcelError:
        return x
    if not math.isfinite(x):
        return NUM
    return float(math.floor(approx(x)))


def xtrunc(x: Value, n: Value = 0.0) -> Value:
    """TRUNC: ROUNDDOWN towards zero (the same 15-digit view as ROUND)."""
    return xround(x, n, -1)


# ---------------------------------------------------------------- information


def xisnumber(x: Value) -> bool:
    """ISNUMBER (a numeric text is text)."""
    c = x.__class__
    return c is float or c is int


def xistext(x: Value) -> bool:
    """ISTEXT."""
    return x.__class__ is str


def xislogical(x: Value) -> bool:
    """ISLOGICAL."""
    return x.__class__ is bool


def xisblank(x: Value) -> bool:
    """ISBLANK: an empty cell (a formula's "" is not blank)."""
    return x is None


def xiserror(x: Value) -> bool:
    """ISERROR."""
    return x.__class__ is ExcelError


def xiserr(x: Value) -> bool:
    """ISERR: any error but #N/A."""
    return x.__class__ is ExcelError and x is not NA


def xisna(x: Value) -> bool:
    """ISNA."""
    return x is NA


def xn(x: Value) -> Value:
    """N: numbers as they are, TRUE 1, anything else 0 (errors pass through): `num`
    but for text, which N does not read."""
    return 0.0 if x.__class__ is str else num(x)


def xt(x: Value) -> Value:
    """T: text as it is, anything else "" (errors pass through)."""
    c = x.__class__
    if c is str or c is ExcelError:
        return x
    return ""


# ---------------------------------------------------------------- lookups
# A table is (rows, cols, values in row-major order), as the compiler writes a range.

Table = tuple[int, int, Sequence[Value]]


def _wild(pattern: str) -> Any:
    """Excel wildcards (* ? and ~ escapes) as a compiled case-insensitive regex."""
    import re

    out = []
    i = 0
    while i < len(pattern):
        ch = pattern[i]
        if ch == "~" and i + 1 < len(pattern) and pattern[i + 1] in "*?~":
            out.append(re.escape(pattern[i + 1]))
            i += 2
            continue
        out.append(".*" if ch == "*" else "." if ch == "?" else re.escape(ch))
        i += 1
    return re.compile("".join(out), re.IGNORECASE | re.DOTALL)


def _matcher(needle: Value, wildcards: bool = True) -> Any:
    """Equality as the exact-match lookups see it: same type; text case-insensitive."""
    c = needle.__class__
    if c is str:
        if wildcards and any(ch in needle for ch in "*?~"):
            rx = _wild(needle)
            return lambda v: v.__class__ is str and rx.fullmatch(v) is not None
        up = needle.upper()
        return lambda v: v.__class__ is str and v.upper() == up
    if c is bool:
        return lambda v: v.__class__ is bool and v == needle
    return lambda v: (v.__class__ is float or v.__class__ is int) and v == needle


def _same_kind(a: Value, b: Value) -> bool:
    return _rank(a) == _rank(b) and a is not None and b is not None


def _approx_pos(needle: Value, seq: Sequence[Value], descending: bool = False) -> int:
    """Approximate match on a vector the compiler checked is strictly sorted: the last
    position whose value is <= needle (>= needle when descending), or -1."""
    found = -1
    for i, v in enumerate(seq):
        if not _same_kind(v, needle):
            continue
        c = compare(v, needle)
        if (c <= 0) if not descending else (c >= 0):
            found = i
            if c == 0:
                break
        else:
            break
    return found


def _pos(needle: Value, seq: Sequence[Value], mode: int) -> int:
    if mode == 0:
        hit = _matcher(needle)
        for i, v in enumerate(seq):
            if hit(v):
                return i
        return -1
    return _approx_pos(needle, seq, descending=mode < 0)


def _index_arg(x: Value) -> Value:
    x = num(x)
    if x.__class__ is ExcelError:
        return x
    if not math.isfinite(x):
        return VALUE
    return int(x)


def xvlookup(needle: Value, table: Table, col: Value, approximate: Value = True) -> Value:
    """VLOOKUP (approximate match only on a sorted first column: the compiler checks)."""
    return _xlookup_rows(needle, table, col, approximate, vertical=True)


def xhlookup(needle: Value, table: Table, row: Value, approximate: Value = True) -> Value:
    """HLOOKUP."""
    return _xlookup_rows(needle, table, row, approximate, vertical=False)


def _xlookup_rows(
    needle: Value, table: Table, k: Value, approximate: Value, vertical: bool
) -> Value:
    if needle.__class__ is ExcelError:
        return needle
    k = _index_arg(k)
    if k.__class__ is ExcelError:
        return k
    a = truth(approximate if approximate is not None else False)
    if a.__class__ is ExcelError:
        return a
    rows, cols, values = table
    if k < 1:
        return VALUE
    if k > (cols if vertical else rows):
        return REF
    if needle is None:
        return NA
    key = [values[r * cols] for r in range(rows)] if vertical else list(values[:cols])
    i = _pos(needle, key, 1 if a else 0)
    if i < 0:
        return NA
    return values[i * cols + k - 1] if vertical else values[(k - 1) * cols + i]


def xmatch(needle: Value, vector: Table, mode: Value = 1.0) -> Value:
    """MATCH over a one-row or one-column range: the 1-based position or #N/A."""
    if needle.__class__ is ExcelError:
        return needle
    m = _index_arg(mode)
    if m.__class__ is ExcelError:
        return m
    rows, cols, values = vector
    if rows != 1 and cols != 1:
        return NA
    if needle is None:
        return NA
    i = _pos(needle, values, (m > 0) - (m < 0))
    return NA if i < 0 else float(i + 1)


def xindex(table: Table, row: Value, col: Value = None) -> Value:
    """INDEX(range, row[, col]) of one cell; a whole row or column (0) is #VALUE!."""
    rows, cols, values = table
    r = _index_arg(row if row is not None else 0.0)
    if r.__class__ is ExcelError:
        return r
    c = _index_arg(col) if col is not None else None
    if c.__class__ is ExcelError:
        return c
    if c is None:
        if rows == 1 and cols > 1:  # one row: the index runs along it
            r, c = 1, r
        else:
            c = 1 if cols == 1 else 0
    if r < 0 or c < 0:
        return VALUE
    if r == 0 and rows == 1:
        r = 1
    if c == 0 and cols == 1:
        c = 1
    if r > rows or c > cols:
        return REF
    if r == 0 or c == 0:
        return VALUE  # a whole row or column: an array, which one cell cannot hold
    return values[(r - 1) * cols + c - 1]


def xchoose(i: Value, *options: Value) -> Value:
    """CHOOSE: the option at the truncated index (1-based), else #VALUE!."""
    k = _index_arg(i)
    if k.__class__ is ExcelError:
        return k
    if not 1 <= k <= len(options):
        return VALUE
    return options[k - 1]


# ---------------------------------------------------------------- conditional aggregates


def _criterion(crit: Value) -> Any:
    """A SUMIF/COUNTIF criterion as a predicate on cell values."""
    if crit.__class__ is ExcelError:
        return crit
    if crit is None:
        crit = 0.0  # an empty criterion cell counts as 0 (Excel)
    if crit.__class__ is bool:
        return lambda v: v.__class__ is bool and v == crit
    if crit.__class__ is not str:
        return lambda v: (v.__class__ is float or v.__class__ is int) and v == crit
    op = "="
    for o in ("<=", ">=", "<>", "<", ">", "="):
        if crit.startswith(o):
            op, crit = o, crit[len(o) :]
            break
    operand: Value = crit
    number = _parse_number(crit) if crit.strip() else VALUE
    if number.__class__ is not ExcelError:
        operand = number
    elif crit.upper() in ("TRUE", "FALSE"):
        operand = crit.upper() == "TRUE"
    if op == "=" or op == "<>":
        if operand == "" and operand.__class__ is str:
            hit = lambda v: v is None or v == ""  # noqa: E731
        elif operand.__class__ is str:
            hit = _matcher(operand)
        elif operand.__class__ is bool:
            hit = lambda v: v.__class__ is bool and v == operand  # noqa: E731
        else:
            hit = lambda v: (v.__class__ is float or v.__class__ is int) and v == operand  # noqa: E731
        return hit if op == "=" else (lambda v: not hit(v))
    sign = {
        "<": lambda c: c < 0,
        "<=": lambda c: c <= 0,
        ">": lambda c: c > 0,
        ">=": lambda c: c >= 0,
    }[op]
    return lambda v: _same_kind(v, operand) and sign(compare(v, operand))


def _ifs_mask(pairs: Sequence[tuple[Sequence[Value], Value]]) -> list[bool] | ExcelError:
    mask: list[bool] | None = None
    for values, crit in pairs:
        pred = _criterion(crit)
        if pred.__class__ is ExcelError:
            return pred
        hits = [bool(pred(v)) for v in values]
        mask = hits if mask is None else [a and b for a, b in zip(mask, hits, strict=True)]
    return mask or []


def xcountifs(*pairs: tuple[Sequence[Value], Value]) -> Value:
    """COUNTIF/COUNTIFS: cells meeting every criterion."""
    mask = _ifs_mask(pairs)
    if mask.__class__ is ExcelError:
        return mask
    return float(sum(mask))  # type: ignore[arg-type]


def _picked(values: Sequence[Value], mask: list[bool]) -> list[Value]:
    return [
        v
        for v, m in zip(values, mask, strict=True)
        if m and (v.__class__ is float or v.__class__ is int or v.__class__ is ExcelError)
    ]


def xsumifs(values: Sequence[Value], *pairs: tuple[Sequence[Value], Value]) -> Value:
    """SUMIF/SUMIFS: numbers of `values` where every criterion holds."""
    mask = _ifs_mask(pairs)
    if mask.__class__ is ExcelError:
        return mask
    return xsum(_picked(values, mask))  # type: ignore[arg-type]


def xaverageifs(values: Sequence[Value], *pairs: tuple[Sequence[Value], Value]) -> Value:
    """AVERAGEIF/AVERAGEIFS."""
    mask = _ifs_mask(pairs)
    if mask.__class__ is ExcelError:
        return mask
    return xaverage(_picked(values, mask))  # type: ignore[arg-type]


# ---------------------------------------------------------------- order statistics


def xlarge(refs: Sequence[Value], k: Value, largest: bool = True) -> Value:
    """LARGE/SMALL: the k-th number (k rounded up, as Excel)."""
    xs = _gather(refs, ())
    if xs.__class__ is ExcelError:
        return xs
    k = num(k)
    if k.__class__ is ExcelError:
        return k
    if not math.isfinite(k):
        return NUM
    kk = math.ceil(approx(k))
    if not 1 <= kk <= len(xs):  # type: ignore[arg-type]
        return NUM
    return sorted(xs, reverse=largest)[kk - 1]  # type: ignore[type-var,arg-type]


def xrank(x: Value, refs: Sequence[Value], order: Value = 0.0) -> Value:
    """RANK/RANK.EQ: 1 + how many numbers come before x (descending unless order <> 0)."""
    x = num(x)
    if x.__class__ is ExcelError:
        return x
    xs = _gather(refs, ())
    if xs.__class__ is ExcelError:
        return xs
    o = num(order)
    if o.__class__ is ExcelError:
        return o
    if x not in xs:  # type: ignore[operator]
        return NA
    if o:
        return float(1 + sum(1 for v in xs if v < x))  # type: ignore[misc,union-attr]
    return float(1 + sum(1 for v in xs if v > x))  # type: ignore[misc,union-attr]


def xcount(refs: Iterable[Value] = (), vals: Iterable[Value] = ()) -> Value:
    """COUNT: numbers in references; numbers, logicals and numeric text given directly."""
    n = 0
    for x in refs:
        if x.__class__ is float or x.__class__ is int:
            n += 1
    for x in vals:
        if num(x).__class__ is not ExcelError and x is not None:
            n += 1
    return float(n)


def xcounta(refs: Iterable[Value] = (), vals: Iterable[Value] = ()) -> Value:
    """COUNTA: every value that is not an empty cell."""
    return float(sum(1 for x in refs if x is not None) + sum(1 for _ in vals))


def xmod(a: Value, b: Value) -> Value:
    """MOD(n, d) = n - d*INT(n/d) (Microsoft's definition, INT's 15-digit view)."""
    a = num(a)
    b = num(b)
    q = div(a, b)
    if q.__class__ is ExcelError:
        return q
    if not math.isfinite(q):
        return NUM
    m = b * math.floor(approx(q))
    r = a - m
    return 0.0 if abs(r) <= abs(a) * 2.0**-48 else r  # a difference at rounding level is 0


# ---------------------------------------------------------------- MROUND, SEARCH, YEARFRAC


def xmround(x: Value, m: Value) -> Value:
    """MROUND: the nearest multiple (halves away from zero); different signs #NUM!."""
    x = num(x)
    m = num(m)
    if x.__class__ is ExcelError:
        return x
    if m.__class__ is ExcelError:
        return m
    if x == 0 or m == 0:
        return 0.0
    if (x < 0) != (m < 0):
        return NUM
    q = approx(x / m)
    if not math.isfinite(q):
        return NUM
    return math.floor(q + 0.5) * m


def xsearch(find: Value, within: Value, start: Value = 1.0) -> Value:
    """SEARCH: 1-based position of `find` in `within`, case-insensitive, with wildcards."""
    find = txt(find)
    within = txt(within)
    if find.__class__ is ExcelError:
        return find
    if within.__class__ is ExcelError:
        return within
    s = _index_arg(start)
    if s.__class__ is ExcelError:
        return s
    if s < 1 or s > len(within) + (1 if find == "" else 0):
        return VALUE
    if find == "":
        return float(s)
    import re

    rx = _wild(find)
    prefix = re.compile(rx.pattern.replace(".*", ".*?"), re.IGNORECASE | re.DOTALL)
    for i in range(s - 1, len(within)):
        if prefix.match(within, i):
            return float(i + 1)
    return VALUE


def _ymd(serial: int) -> tuple[int, int, int]:
    """Excel serial (1900 system, with its 1900-02-29) -> year, month, day."""
    import datetime as dt

    if serial == 60:
        return 1900, 2, 29
    base = dt.date(1899, 12, 31) if serial < 60 else dt.date(1899, 12, 30)
    d = base + dt.timedelta(days=serial)
    return d.year, d.month, d.day


def _serial(y: int, m: int, d: int) -> int:
    import datetime as dt

    if (y, m, d) == (1900, 2, 29):
        return 60
    days = (dt.date(y, m, d) - dt.date(1899, 12, 30)).days
    return days - 1 if days <= 60 else days


def _leap(y: int) -> bool:
    return y == 1900 or (y % 4 == 0 and (y % 100 != 0 or y % 400 == 0))


def _last_of_feb(y: int, m: int, d: int) -> bool:
    return m == 2 and d == (29 if _leap(y) else 28)


def xyearfrac(start: Value, end: Value, basis: Value = 0.0) -> Value:
    """YEARFRAC in Excel's five bases (0 US 30/360, 1 actual/actual, 2 act/360, 3 act/365,
    4 European 30/360), as Excel computes them (basis 1: the year length of the span)."""
    a, b, k = _index_arg(start), _index_arg(end), _index_arg(basis)
    for v in (a, b, k):
        if v.__class__ is ExcelError:
            return v
    if a < 0 or b < 0 or not 0 <= k <= 4 or max(a, b) > 2958465:
        return NUM
    if a > b:
        a, b = b, a
    days = b - a
    if k == 2:
        return days / 360.0
    if k == 3:
        return days / 365.0
    (y1, m1, d1), (y2, m2, d2) = _ymd(a), _ymd(b)
    if k == 4:
        d1, d2 = min(d1, 30), min(d2, 30)
        return ((y2 - y1) * 360 + (m2 - m1) * 30 + (d2 - d1)) / 360.0
    if k == 0:
        if d1 == 31 and d2 == 31:
            d1 = d2 = 30
        elif d1 == 31:
            d1 = 30
        elif d1 == 30 and d2 == 31:
            d2 = 30
        elif _last_of_feb(y1, m1, d1) and _last_of_feb(y2, m2, d2):
            d1 = d2 = 30
        elif _last_of_feb(y1, m1, d1):
            d1 = 30
        return ((y2 - y1) * 360 + (m2 - m1) * 30 + (d2 - d1)) / 360.0
    within_year = y1 == y2 or (y2 == y1 + 1 and (m1 > m2 or (m1 == m2 and d1 >= d2)))
    if within_year:
        if y1 == y2 and _leap(y1):
            length = 366.0
        elif (
            (_leap(y1) and a <= _serial(y1, 2, 29) <= b)
            or (_leap(y2) and a <= _serial(y2, 2, 29) <= b)
            or (m2 == 2 and d2 == 29)
        ):
            length = 366.0
        else:
            length = 365.0
        return days / length
    years = y2 - y1 + 1
    average = (_serial(y2 + 1, 1, 1) - _serial(y1, 1, 1)) / years
    return days / average
