"""The C writer: the intermediate form -> the native engine's C source, one function over doubles.

The C function is a fast path, not a second semantics. It runs the same operations as the
scalar Python writer, in the same order, on IEEE doubles, so where it finishes its results
are the Python artifact's results, bit for bit. Wherever Python would meet an Excel error
(a division by zero, a power Excel refuses) or a case where Python's float arithmetic
differs from C's (a power of a non-positive or non-finite base, a subnormal power), the C
function sets `bail` and the caller evaluates that scenario with the Python artifact.

Only a subset of what the scalar writer handles has a C form: numbers, comparisons, IF,
AND/OR/NOT, SUM/MIN/MAX/AVERAGE/SUMPRODUCT of numbers, ABS, ROUND/ROUNDUP/ROUNDDOWN/TRUNC,
NPV of numbers, and text inputs compared with text constants (`Blad!B2="ja"`).
A workbook using anything else gets no C source
(`NativeUnsupported`) and runs on the Python artifact alone.

Text inputs enter the C function as a code: the position of their upper-cased value in
the list of text constants the formulas compare them with (`TextCodes`), or -1.
"""

from __future__ import annotations

import hashlib
from typing import Any

from service.compiler import formula_tree as ft
from service.compiler import invariants
from service.compiler.generated import first_line
from service.compiler.ir import AGGREGATES, B, Context, E, Env, N, S, Types, Z, error_types
from service.compiler.native import CFLAGS
from service.compiler.python_writer import ScalarWriter

FUNCTION = "mkba_calculate"
BATCH_FUNCTION = "mkba_calculate_many"
SERIES_FUNCTION = "mkba_calculate_series"
# The batch function computes a row in full, without comparing it with the previous one,
# for FULL_SKIP rows after FULL_STREAK rows in a row in which most inputs changed.
FULL_STREAK = 4
FULL_SKIP = 15
# Flags every build of the C source must use, so that each operation rounds as Python's
# does: no contraction of a*b+c into one fused multiply-add, no fast-math reordering, and
# no built-in libm (gcc would turn pow(x, 2.0) into x*x, which Python does not do).
# text constants each text input is compared with: input cell -> upper-cased constants
TextCodes = dict[str, list[str]]

_NUMERIC = N | B | E
_CMP = {"=": "==", "<>": "!=", "<": "<", "<=": "<=", ">": ">", ">=": ">="}


class NativeUnsupported(ft.CompileError):
    """A construct without a C form: the model runs on the Python artifact only."""


_PRELUDE = """\
#include <float.h>
#include <math.h>
#include <stdint.h>
#include <stdlib.h>

/* Excel a / b on numbers: #DIV/0! (bail) when b is zero. */
static inline double xdiv(double a, double b, int *bail)
{
    if (b == 0.0) {
        *bail = 1;
        return 0.0;
    }
    return a / b;
}

/* Excel a ^ b where it is C's pow() and Python's float ** alike: a positive finite base,
   a finite exponent, a finite result that is not subnormal. Everything else: bail. */
static inline double xpow(double a, double b, int *bail)
{
    double r;
    if (!(a > 0.0) || !isfinite(a) || !isfinite(b)) {
        *bail = 1;
        return 0.0;
    }
    r = pow(a, b);
    if (!isfinite(r) || (r != 0.0 && fabs(r) < DBL_MIN)) {
        *bail = 1;
        return 0.0;
    }
    return r;
}

/* The scalar writer's `a if a <= b else b` and `a if a >= b else b` (MIN and MAX). */
static inline double pick_le(double a, double b) { return a <= b ? a : b; }
static inline double pick_ge(double a, double b) { return a >= b ? a : b; }

/* runtime.compare on two numbers: -1, 0 or 1, NaN ordered as equal to everything. */
static inline int xcmp(double a, double b) { return a < b ? -1 : (a > b ? 1 : 0); }

/* The bits of a double: inputs are "unchanged" when their bits are (0.0 and -0.0 differ). */
static inline uint64_t xbits(double x)
{
    union { double d; uint64_t u; } v;
    v.d = x;
    return v.u;
}
"""


# C helpers written only into the models that use them (so other C sources stay as they were)
_HELPERS = {
    "xround": """/* runtime._round15: y > 0 seen to 15 significant digits (Python's round() is
   half-even, as nearbyint in the default rounding mode). Tiny y: Python's Decimal path,
   so bail. */
static inline double round15(double y, int *bail)
{
    double e, s;
    if (y == 0.0 || !isfinite(y))
        return y;
    e = floor(log10(y));
    if (e < -280.0) {
        *bail = 1;
        return 0.0;
    }
    s = pow(10.0, 14.0 - e);
    return nearbyint(y * s) / s;
}

/* runtime.xround on numbers: mode 0 ROUND, 1 ROUNDUP, -1 ROUNDDOWN (and TRUNC). */
static inline double xround(double x, double n, int mode, int *bail)
{
    double d, y, r, res;
    if (!isfinite(x) || !isfinite(n)) {
        *bail = 1;
        return 0.0;
    }
    d = trunc(n);
    if (d > 300.0)
        return x;
    if (d < -300.0)
        return 0.0;
    y = fabs(x);
    y = d >= 0.0 ? round15(y * pow(10.0, d), bail) : round15(y / pow(10.0, -d), bail);
    if (!isfinite(y))
        return x;
    r = mode == 0 ? floor(y + 0.5) : (mode > 0 ? ceil(y) : floor(y));
    res = d >= 0.0 ? r / pow(10.0, d) : r * pow(10.0, -d);
    return x < 0.0 ? -res : res;
}
""",
    "npv_term": """/* One term of runtime.xnpv_args: total + x / f**i; where Python raises (an
   overflowing or vanishing power: #NUM!) the C function bails. */
static inline double npv_term(double total, double x, double f, double i, int *bail)
{
    double p = pow(f, i);
    if (!isfinite(p) || p == 0.0) {
        *bail = 1;
        return 0.0;
    }
    return total + x / p;
}
""",
}


class CWriter(ScalarWriter):
    """Writes one C expression per formula cell, mirroring ScalarWriter's code paths."""

    PRECISE_TYPES = False  # refusals are decided on the scalar writer's types, as it did
    TRUE, FALSE = "1", "0"

    def __init__(
        self,
        env: Env,
        text_inputs: frozenset[str] = frozenset(),
        text_codes: TextCodes | None = None,
    ) -> None:
        super().__init__(env)
        self.text_inputs = text_inputs  # input cells that enter the C function as a text code
        self.text_codes: TextCodes = {} if text_codes is None else text_codes
        self.c_helpers: set[str] = set()  # _HELPERS the source needs

    def cell(self, key: str, formula: str, node: ft.Node) -> tuple[str, Types]:
        """C expression for a formula cell; NativeUnsupported unless it is a number."""
        ctx = Context(key, formula)
        t = self.types(node, ctx)
        if t == Z:
            return "0.0", N  # a formula that only points at an empty cell shows 0
        if not t <= N | E:
            raise self._unsupported(ctx, f"a cell of type {''.join(sorted(t))}")
        code, _ = self.expr(node, ctx)
        return code, t

    @staticmethod
    def _unsupported(ctx: Context, reason: str) -> NativeUnsupported:
        return NativeUnsupported(ctx.cell, ctx.formula, f"no C form: {reason}")

    # -- leaves
    def ref(self, key: str) -> tuple[str, Types]:
        env = self.env
        if key in env.names:
            return env.names[key], env.types[key]
        return _constant(env.constants.get(key))

    def num(self, code: str, t: Types) -> str:
        if t == Z:
            return "0.0"
        if t <= _NUMERIC:
            return code
        raise NativeUnsupported("", code, "no C form: a number from text or an empty cell")

    def expr(self, node: ft.Node, ctx: Context) -> tuple[str, Types]:
        if isinstance(node, ft.Const):
            return _constant(node.value)
        if isinstance(node, ft.Ref):
            return self.ref(node.key)
        if isinstance(node, ft.Rng):
            if node.rows == node.cols == 1:
                return self.ref(node.keys[0])
            raise self._unsupported(ctx, f"range {node.text} as a single value")
        if isinstance(node, ft.Refused):
            raise ctx.fail(node.reason)
        if isinstance(node, ft.Arr):
            raise self._unsupported(ctx, "an array constant")
        if self.is_const(node):
            return _constant(self.fold(node, ctx))
        if isinstance(node, ft.Op):
            return self.op(node, ctx)
        return self.call(node, ctx)

    def fold(self, node: ft.Node, ctx: Context) -> Any:
        return ScalarWriter(self.env).fold(node, ctx)

    def _pick(self, a: str, b: str, op: str) -> str:
        return f"pick_{'le' if op == '<=' else 'ge'}({a}, {b})"

    def op(self, node: ft.Op, ctx: Context) -> tuple[str, Types]:
        o = node.op
        if o in ("=", "<>"):
            text = self._text_compare(node)
            if text is not None:
                return text, B
        if o in ("u-", "u+", "%", "+", "-", "*"):
            return super().op(node, ctx)  # the same text in C as in Python
        a, ta = self.expr(node.args[0], ctx)
        b, tb = self.expr(node.args[1], ctx)
        if o == "/":
            return f"xdiv({self.num(a, ta)}, {self.num(b, tb)}, &bail)", N | E
        if o == "^":
            return f"xpow({self.num(a, ta)}, {self.num(b, tb)}, &bail)", N | E
        if o in _CMP and ta <= N and tb <= N:
            return f"({a} {_CMP[o]} {b})", B
        if o in _CMP and ta <= N | E and tb <= N | E:
            # the scalar writer calls runtime.compare here, which orders NaN as equal
            return f"(xcmp({a}, {b}) {_CMP[o]} 0)", B
        raise self._unsupported(ctx, f"operator {o} on these types")

    def _text_compare(self, node: ft.Op) -> str | None:
        """`input = "text"` (either side) as a comparison of the input's text code."""
        left, right = node.args
        if isinstance(right, ft.Ref) and isinstance(left, ft.Const):
            left, right = right, left
        if not (isinstance(left, ft.Ref) and isinstance(right, ft.Const)):
            return None
        if left.key not in self.text_inputs or not isinstance(right.value, str):
            return None
        codes = self.text_codes.setdefault(left.key, [])
        text = right.value.upper()  # runtime.compare orders text case-insensitively
        if text not in codes:
            codes.append(text)
        return f"({self.env.names[left.key]} {_CMP[node.op]} {float(codes.index(text))!r})"

    # -- functions
    def delegate(self, node: ft.Call, ctx: Context) -> tuple[str, Types]:
        raise self._unsupported(ctx, f"function {node.name}")

    def inline(self, node: ft.Call, ctx: Context) -> tuple[str, Types]:
        name = node.name
        args = node.args
        if name == "IF":
            c, tc = self.expr(args[0], ctx)
            if not tc <= N | B:
                raise self._unsupported(ctx, "an IF condition that may be an error or text")
            a, ta = self._branch(args[1], ctx)
            b, tb = self._branch(args[2], ctx) if len(args) > 2 else ("0", B)
            return f"(({c}) ? {a} : {b})", ta | tb
        if name == "IFERROR":
            a, ta = self.expr(args[0], ctx)
            return a, ta - E  # an error in `a` bails, and Python takes the fallback
        if name in ("AND", "OR"):
            refs, vals = self.refs_vals(args, ctx, numeric_only=False)
            if refs or not all(t <= N | B for _, t in vals):
                raise self._unsupported(ctx, f"{name} over references or non-numbers")
            j = " && " if name == "AND" else " || "
            return "(" + j.join(c if t <= B else f"({c} != 0)" for c, t in vals) + ")", B
        if name == "NOT":
            a, ta = self.expr(args[0], ctx)
            if not ta <= N | B:
                raise self._unsupported(ctx, "NOT of a value that may be an error or text")
            return f"(!{a})", B
        if name in AGGREGATES:
            return self._aggregate(name, args, ctx)
        if name == "SUMPRODUCT":
            if any(isinstance(a, ft.Arr) for a in args):
                raise self._unsupported(ctx, "SUMPRODUCT of an array constant")
            arrays = self.sumproduct_arrays(args, ctx)
            if arrays is None or not all(t <= N | E for arr in arrays for _, t in arr):
                raise self._unsupported(ctx, "SUMPRODUCT of unequal shapes or non-numbers")
            terms = [" * ".join(arr[i][0] for arr in arrays) for i in range(len(arrays[0]))]
            return "(" + " + ".join(terms) + ")", N
        if name == "ABS":
            a, ta = self.expr(args[0], ctx)
            if not ta <= N:
                raise self._unsupported(ctx, "ABS of a value that may be an error")
            return f"fabs({a})", N
        if name in ("ROUND", "ROUNDUP", "ROUNDDOWN", "TRUNC"):
            a, ta = self.expr(args[0], ctx)
            b, tb = self.expr(args[1], ctx) if len(args) > 1 else ("0.0", N)
            mode = {"ROUND": 0, "ROUNDUP": 1}.get(name, -1)
            self.c_helpers.add("xround")
            return f"xround({self.num(a, ta)}, {self.num(b, tb)}, {mode}, &bail)", N | E
        if name == "NPV":
            return self._npv(args, ctx)
        raise self._unsupported(ctx, f"function {name}")

    def _npv(self, args: tuple[ft.Node, ...], ctx: Context) -> tuple[str, Types]:
        """NPV over numbers: the terms in argument order, as runtime.xnpv_args adds them."""
        rate, trate = self.expr(args[0], ctx)
        items: list[str] = []
        for arg in args[1:]:
            refs, vals = self.refs_vals((arg,), ctx, numeric_only=True)
            if not all(t <= N for _, t in refs) or not all(t <= N | B | E for _, t in vals):
                raise self._unsupported(ctx, "NPV of values that may be text, logical or empty")
            items += [c for c, _ in refs] + [self.num(c, t) for c, t in vals]
        self.c_helpers.add("npv_term")
        f = f"(1.0 + {self.num(rate, trate)})"
        code = "0.0"
        for i, item in enumerate(items, 1):
            code = f"npv_term({code}, {item}, {f}, {float(i)!r}, &bail)"
        return f"(({f}) == 0.0 ? (bail = 1, 0.0) : {code})", N | E

    def _branch(self, node: ft.Node, ctx: Context) -> tuple[str, Types]:
        if isinstance(node, ft.Const) and node.value is None:
            return "0.0", N
        return self.expr(node, ctx)

    def _aggregate(self, name: str, args: tuple[ft.Node, ...], ctx: Context) -> tuple[str, Types]:
        """SUM/MIN/MAX/AVERAGE where the scalar writer inlines them (numbers only)."""
        if any(isinstance(a, ft.Arr) for a in args):
            raise self._unsupported(ctx, f"{name} of an array constant")
        refs, vals = self.refs_vals(args, ctx, numeric_only=True)
        simple = all(t <= N | E for _, t in refs) and all(t <= N | E | B for _, t in vals)
        terr = error_types(*(t for _, t in refs + vals))
        helper = (name in ("MIN", "MAX") and terr) or (name == "AVERAGE" and not refs + vals)
        if not simple or helper:
            raise self._unsupported(ctx, f"{name} through the run-time helper")
        return super().inline(ft.Call(name, args), ctx)  # the inline text, with C picks

    def logical_number(self, code: str) -> str:
        return code  # a C comparison is already 0 or 1


# A text constant has no C value; this token makes a slip in the type checks above fail
# the C build loudly instead of computing with a made-up number.
_TEXT = "@text@"


def _constant(value: Any) -> tuple[str, Types]:
    """C source and type of a constant cell or literal."""
    if value is None:
        return "0.0", Z
    if isinstance(value, str):
        return _TEXT, S
    return c_literal("", value), B if isinstance(value, bool) else N


def c_literal(where: str, value: Any) -> str:
    """C source for a numeric constant (Python's repr round-trips; C reads it exactly)."""
    if value is True or value is False:
        return "1" if value else "0"
    if isinstance(value, float | int) and value == value and abs(value) != float("inf"):
        return repr(float(value))
    raise NativeUnsupported(where, "", f"no C form: the constant {value!r}")


def c_module(
    *,
    model_id: str,
    source_name: str,
    params: list[str],
    lines: list[tuple[str, str, str]],
    results: list[str],
    helpers: set[str] | frozenset[str] = frozenset(),
    series: tuple[list[tuple[str, str, str]], list[str]] | None = None,
) -> str:
    """The C translation unit: one function from input values to RESULTS values.

    `lines` are (C name, C expression, comment) per formula cell in evaluation order;
    `results` the C expression of each RESULTS cell. `series`: (lines, values) of the
    yearly series function (the cells the series need after `lines`, and the C
    expression of each series cell), when every one of them has a C form.
    """
    out = [
        f"/* {first_line(source_name)}",
        f"   Native engine of model {model_id}: see service/compiler/c_writer.py.",
        f"   Build: cc {' '.join(CFLAGS)} (make native). */",
        _PRELUDE + "".join("\n" + _HELPERS[h] for h in sorted(helpers)),
        f"/* in: {len(params)} input values (text inputs as codes); out: {len(results)} RESULTS."
        "\n   Returns 0 when every result is a finite number; 1 when an operation bailed and"
        "\n   2 when a result is not finite: Python answers those (with their Excel errors). */",
        *_scalar_function(FUNCTION, params, lines, results),
    ]
    out += ["", *c_batch(params, lines, results)]
    if series is not None:
        more, values = series
        out += [
            "",
            f"/* The yearly series: in as {FUNCTION}'s; out: the {len(values)} series cells"
            " (calculate_series)\n   in the artifact's order; returns as "
            f"{FUNCTION}. */",
            *_scalar_function(SERIES_FUNCTION, params, lines + more, values),
        ]
    return "\n".join(out)


def _scalar_function(
    name: str, params: list[str], lines: list[tuple[str, str, str]], results: list[str]
) -> list[str]:
    """A C function of one scenario: its cells in order, then its results into `out`."""
    out = [f"int {name}(const double *in, double *out)", "{", "    int bail = 0;"]
    for i, param in enumerate(params):
        out.append(f"    const double {param} = in[{i}];")
    for cell, code, comment in lines:
        comment = comment.replace("*/", "* /").replace("\n", " ")
        out.append(f"    const double {cell} = {code};  /* {comment} */")
    for i, code in enumerate(results):
        out.append(f"    out[{i}] = {code};")
    out.append("    if (bail)")
    out.append("        return 1;")
    out.append(f"    for (int i = 0; i < {len(results)}; i++)")
    out.append("        if (!isfinite(out[i]))")
    out.append("            return 2;")
    out.append("    return 0;")
    out.append("}")
    return out


def c_batch(params: list[str], lines: list[tuple[str, str, str]], results: list[str]) -> list[str]:
    """The batch function: FUNCTION's cells per row, keeping each group of cells
    (service/compiler/invariants.py) while its key inputs hold the same bits."""
    p = invariants.plan(params, lines)
    slots = p.slots
    code = p.code
    comment = {name: c.replace("*/", "* /").replace("\n", " ") for name, _, c in lines}
    comment |= {part: f"part of {cell}" for part, cell in p.parts.items()}

    in_cache = {name: f"c[{i}]" for name, i in slots.items()}

    def kept(expr: str) -> str:  # references to cells read the batch's cache
        return invariants.rewrite(expr, in_cache)

    words = max(1, (len(params) + 63) // 64)
    keyed = p.key_inputs()
    n_in = len(params)
    w = [
        f"/* n scenarios: in holds n rows of {n_in} inputs, out {len(results)} columns of n"
        " RESULTS\n   (column k: out + k * n), status each row's return value (as "
        f"{FUNCTION}'s). Each of the {len(p.groups)} groups of cells is recomputed only"
        "\n   in a row where one of the inputs it reads changed (service/compiler/invariants.py)."
        f"\n   A row where most of those inputs changed is computed as {FUNCTION} does; after"
        f"\n   {FULL_STREAK} such rows in a row, the next {FULL_SKIP} are too without looking"
        " (a batch that varies\n   every input pays for neither the comparison nor the cache)."
        " */",
        "#define TILE 8",
        f"void {BATCH_FUNCTION}(const double *in, double *out, int *status, long n)",
        "{",
        "    /* kept cells, as computed for the last row that went through the groups (on the",
        "       heap: a big workbook's cells would not fit a thread's stack; restrict: nothing",
        "       else points there, which -fno-builtin keeps the C compiler from knowing of",
        "       malloc); without memory, Python answers */",
        f"    double *restrict c = malloc(sizeof(double) * {max(1, len(slots))});",
        "    /* results of TILE rows, written out together: one cache line per column, where",
        "       a row at a time would write 8 bytes to each of the columns, a page apart */",
        f"    double tile[TILE][{len(results)}];",
        f"    int declined[{max(1, len(p.groups))}] = {{0}};  /* per group: an operation bailed */",
        "    int groups_declined = 0;  /* how many groups have declined set */",
        "    int stale = 1;  /* the previous row did not go through the groups: renew them all */",
        "    int full_rows = 0;  /* rows in a row found to have most inputs changed */",
        "    long skip = 0;  /* rows still to compute in full without comparing */",
        "    if (c == NULL) {",
        "        for (long i = 0; i < n; i++)",
        "            status[i] = 1;",
        "        return;",
        "    }",
        "    for (long i = 0; i < n; i++) {",
        f"        const double *row = in + i * {n_in};",
        "        double *res = tile[i % TILE];",
        f"        uint64_t changed[{words}];  /* bit k: input k differs from the last row */",
        "        int st, n_changed, d, renew = 0, infinite;",
        "        if (skip > 0) {",
        "            skip--;",
        "            goto full;",
        "        }",
        "        if (i == 0) {",
        f"            n_changed = {len(keyed)};",
        "        } else {",
        f"            const double *before = row - {n_in};",
        "            n_changed = 0;",
    ]
    for j in range(words):
        w.append(f"            changed[{j}] = 0;")
    for k in keyed:  # without branches: which inputs change is as random as the batch
        w.append(f"            d = xbits(row[{k}]) != xbits(before[{k}]);")
        w.append(f"            changed[{k // 64}] |= (uint64_t)d << {k % 64};")
        w.append("            n_changed += d;")
    w += [
        "        }",
        "        /* most inputs changed: nothing to share, and keeping every group would only",
        f"           cost its stores; compute the row as {FUNCTION} does */",
        f"        if (2 * n_changed > {len(keyed)}) {{",
        f"            if (++full_rows >= {FULL_STREAK})",
        f"                skip = {FULL_SKIP};",
        "            goto full;",
        "        }",
        "        full_rows = 0;",
        "        if (stale) {",
    ]
    for j in range(words):
        w.append(f"            changed[{j}] = ~(uint64_t)0;")
    w += [
        "            stale = 0;",
        "            renew = 1;  /* and the groups of no inputs */",
        "        }",
        "        {",
    ]
    for k, name in enumerate(params):
        w.append(f"        const double {name} = row[{k}];")
    for g, group in enumerate(p.groups):
        masks = [0] * words
        for k in group.key:
            masks[k // 64] |= 1 << (k % 64)
        test = " | ".join(f"(changed[{j}] & {m:#x}ULL)" for j, m in enumerate(masks) if m)
        keys = ", ".join(params[k] for k in group.key) or "none"
        w.append(f"        if ({test or 'renew'}) {{  /* key: {keys} */")
        w.append("            int bail = 0;  /* this group's own */")
        for name in group.cells:
            w.append(f"            c[{slots[name]}] = {kept(code[name])};  /* {comment[name]} */")
        w.append(f"            groups_declined += (bail != 0) - declined[{g}];")
        w.append(f"            declined[{g}] = bail != 0;")
        w.append("        }")
    for k, expr in enumerate(results):
        w.append(f"        res[{k}] = {kept(expr)};")
    w += [
        "        /* a result that is not finite: without a branch per result (the loop that",
        "           stops at the first kept the CPU waiting on each), as nearly all are */",
        "        infinite = 0;",
        f"        for (int k = 0; k < {len(results)}; k++)",
        "            infinite |= !isfinite(res[k]);",
        "        st = groups_declined ? 1 : (infinite ? 2 : 0);",
        "        goto done;",
        "        }",
        "    full:",
        f"        st = {FUNCTION}(row, res);",
        "        stale = 1;",
        "    done:",
        "        status[i] = st;",
        "        if (i % TILE == TILE - 1 || i == n - 1) {  /* the tile, a column at a time */",
        "            const long first = i - i % TILE;",
        "            if (i - first == TILE - 1)  /* a whole tile: a fixed count, unrolled */",
        f"                for (int k = 0; k < {len(results)}; k++)",
        "                    for (int j = 0; j < TILE; j++)",
        "                        out[k * n + first + j] = tile[j][k];",
        "            else",
        f"                for (int k = 0; k < {len(results)}; k++)",
        "                    for (long j = first; j <= i; j++)",
        "                        out[k * n + j] = tile[j - first][k];",
        "        }",
        "    }",
        "    free(c);",
        "}",
        "",
    ]
    return w


def source_sha256(source: str) -> str:
    """The identity of a C source: its shared library is named after it."""
    return hashlib.sha256(source.encode()).hexdigest()
