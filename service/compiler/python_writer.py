"""The Python writer: a formula cell of the intermediate form -> one typed Python expression
(common functions inlined, constants folded, refusals decided). Its code paths are the
compiler's reading of Excel: the types it gives each node are recorded in `Env.node_types`
for the numpy and C writers (service/compiler/ir.py)."""

from __future__ import annotations

import math
import re
from dataclasses import replace
from typing import Any

from service.compiler import formula_tree as ft
from service.compiler.constants import Unsupported
from service.compiler.functions import (
    COUNTIFS,
    DELEGATE_TYPES,
    HELPERS,
    RANGE_DELEGATES,
    REFERENCE_FUNCTIONS,
    REFUSED_WHY,
    VERIFIED_DELEGATES,
    numeric_text_reason,
)
from service.compiler.ir import (
    AGGREGATES,
    ANY,
    ARITIES,
    COMPARISONS,
    INLINE,
    PY_COMPARISONS,
    B,
    Context,
    E,
    Env,
    N,
    S,
    Types,
    Z,
    const_types,
    error_types,
    function_name,
    numeric_types,
)
from service.engine import runtime
from service.engine.runtime import ExcelError

_ARITH = {"+": "+", "-": "-", "*": "*"}

_SIMPLE = re.compile(r"^(?:[A-Za-z_][A-Za-z0-9_]*|-?[0-9][0-9.e+-]*)$")


def literal(v: Any) -> str:
    """Python source for an Excel constant."""
    if v is None:
        return "None"
    if isinstance(v, bool):
        return "True" if v else "False"
    if isinstance(v, float | int):
        f = float(v)
        if f != f or f in (float("inf"), float("-inf")):
            return "NUM"
        return repr(f)
    if isinstance(v, str):
        return repr(v)
    if isinstance(v, ExcelError):
        return {
            "#NULL!": "NULL",
            "#DIV/0!": "DIV0",
            "#VALUE!": "VALUE",
            "#REF!": "REF",
            "#NAME?": "NAME",
            "#NUM!": "NUM",
            "#N/A": "NA",
        }[v.code]
    raise TypeError(f"unsupported constant {v!r}")


class ScalarWriter:
    """Writes one Python expression per formula, typed, with common functions inlined."""

    RNG = "rng"
    CALL = "{fn}({args})"
    PRECISE_TYPES = True  # the types expr() gives are the scalar writer's
    TRUE, FALSE = "True", "False"  # the logical constants in the target language

    def __init__(self, env: Env) -> None:
        self.env = env

    def _temp(self) -> str:
        self._temps = getattr(self, "_temps", 0) + 1
        return f"_m{self._temps}"

    def _pick(self, a: str, b: str, op: str) -> str:
        """`a if a op b else b`, each operand evaluated once (walrus temporaries)."""
        refs = []
        for code in (a, b):
            if _SIMPLE.match(code):
                refs.append((code, code))
            else:
                t = self._temp()
                refs.append((f"({t} := {code})", t))
        (ea, ra), (eb, rb) = refs
        return f"({ra} if {ea} {op} {eb} else {rb})"

    def cell(self, key: str, formula: str, node: ft.Node) -> tuple[str, Types]:
        """Expression for a formula cell and its types (empty shows as 0)."""
        ctx = Context(key, formula)
        self._ctx = ctx
        self._temps = 0
        code, t = self.expr(node, ctx)
        if "z" in t:
            if t == Z:
                return "0.0", N
            return f"nz({code})", (t - Z) | N
        return code, t

    # -- leaves
    def ref(self, key: str) -> tuple[str, Types]:
        env = self.env
        if key in env.refused:
            raise self._fail(f"depends on {key}, which is refused: {env.refused[key]}")
        if key in env.names:
            return env.names[key], env.types[key]
        v = env.constants.get(key)
        if isinstance(v, Unsupported):
            raise self._fail(f"reads {key}, which holds {v.reason}")
        return literal(v), const_types(v)

    def _fail(self, reason: str) -> ft.CompileError:
        ctx = getattr(self, "_ctx", None) or Context("?", "")
        return ctx.fail(reason)

    def logical_number(self, code: str) -> str:
        """A logical as the number an aggregate counts it as (TRUE is 1)."""
        return f"num({code})"

    def num(self, code: str, t: Types) -> str:
        if t <= frozenset("neb"):
            return code
        if t == Z:
            return "0.0"
        return f"num({code})"

    def sumproduct_arrays(
        self, args: tuple[ft.Node, ...], ctx: Context
    ) -> list[list[tuple[str, Types]]] | None:
        """SUMPRODUCT's arguments as lists of cell references; None when their shapes differ."""
        arrays: list[list[tuple[str, Types]]] = []
        shape = None
        for arg in args:
            if isinstance(arg, ft.Ref):
                keys: tuple[str, ...] = (arg.key,)
                sh = (1, 1)
            elif isinstance(arg, ft.Rng):
                keys, sh = arg.keys, (arg.rows, arg.cols)
            elif isinstance(arg, ft.Arr):
                keys, sh = (), (arg.rows, arg.cols)
            else:
                raise ctx.fail("SUMPRODUCT over computed arrays is not supported")
            if shape is not None and sh != shape:
                return None
            shape = sh
            if isinstance(arg, ft.Arr):
                arrays.append([(literal(v), const_types(v)) for v in arg.values])
            else:
                arrays.append([self.ref(k) for k in keys])
        return arrays

    def types(self, node: ft.Node, ctx: Context) -> Types:
        """The node's types as this writer decides them: recorded when it wrote the node,
        worked out (once) here otherwise."""
        seen = self.env.node_types.get(id(node))
        if seen is not None and seen[0] is node and seen[1] == self.env.fold:
            return seen[2]
        return ScalarWriter(self.env).expr(node, ctx)[1]

    def expr(self, node: ft.Node, ctx: Context) -> tuple[str, Types]:
        """Python code of a node and its types (recorded for the other writers)."""
        code, t = self._expr(node, ctx)
        if self.PRECISE_TYPES:
            self.env.node_types[id(node)] = (node, self.env.fold, t)
        return code, t

    def _expr(self, node: ft.Node, ctx: Context) -> tuple[str, Types]:
        self._ctx = ctx
        if isinstance(node, ft.Const):
            return literal(node.value), const_types(node.value)
        if isinstance(node, ft.Ref):
            return self.ref(node.key)
        if isinstance(node, ft.Rng):
            if node.rows == node.cols == 1:
                return self.ref(node.keys[0])
            raise ctx.fail(f"range {node.text} used as a single value (implicit intersection)")
        if isinstance(node, ft.Refused):
            raise ctx.fail(node.reason)
        if isinstance(node, ft.Arr):
            if node.rows == node.cols == 1:
                return literal(node.values[0]), const_types(node.values[0])
            raise ctx.fail("array constant used as a single value (its result would spill)")
        if isinstance(node, ft.Call) and node.name in REFERENCE_FUNCTIONS:
            return self.reference_function(node, ctx)
        if self.is_const(node):
            value = self.fold(node, ctx)
            return literal(value), const_types(value)
        if isinstance(node, ft.Op):
            return self.op(node, ctx)
        return self.call(node, ctx)

    def is_const(self, node: ft.Node) -> bool:
        """True when a node reads no input-dependent cell and calls no delegated function."""
        if isinstance(node, ft.Const | ft.Arr):
            return True
        if isinstance(node, ft.Refused):
            return False
        if isinstance(node, ft.Call) and node.name in REFERENCE_FUNCTIONS:
            return True  # ROW(A1) is 1 whatever A1 holds
        if not self.env.fold:
            return False
        if isinstance(node, ft.Ref):
            return node.key not in self.env.names
        if isinstance(node, ft.Rng):
            return not any(k in self.env.names for k in node.keys)
        if isinstance(node, ft.Call) and node.name not in INLINE:
            return False
        return all(self.is_const(a) for a in node.args)

    def fold(self, node: ft.Node, ctx: Context) -> Any:
        """Evaluate a constant sub-expression at compile time, with the run-time helpers."""
        code, _ = ScalarWriter(self.env)._build(node, ctx)
        return eval(code, vars(runtime).copy())  # noqa: S307 - our own generated code

    def _build(self, node: ft.Node, ctx: Context) -> tuple[str, Types]:
        if isinstance(node, ft.Op):
            return self.op(node, ctx)
        if isinstance(node, ft.Call) and node.name not in REFERENCE_FUNCTIONS:
            return self.call(node, ctx)
        return self.expr(node, ctx)

    def op(self, node: ft.Op, ctx: Context) -> tuple[str, Types]:
        o = node.op
        numeric = o not in ("&", "u+") and o not in COMPARISONS
        if o in ("u-", "u+", "%"):
            a, ta = self.expr(node.args[0], ctx)
            if o == "u+":
                return a, ta
            self.numeric_text(node.args[0], ctx, ta)
            if o == "u-":
                return f"(-{self.num(a, ta)})", numeric_types(ta)
            return f"({self.num(a, ta)} / 100.0)", numeric_types(ta)
        a, ta = self.expr(node.args[0], ctx)
        b, tb = self.expr(node.args[1], ctx)
        if numeric:
            self.numeric_text(node.args[0], ctx, ta)
            self.numeric_text(node.args[1], ctx, tb)
        if o in _ARITH:
            return f"({self.num(a, ta)} {o} {self.num(b, tb)})", numeric_types(ta) | numeric_types(
                tb
            )
        if o == "/":
            return f"div({self.num(a, ta)}, {self.num(b, tb)})", N | E
        if o == "^":
            return f"pw({self.num(a, ta)}, {self.num(b, tb)})", N | E
        if o == "&":
            if ta <= S and tb <= S:
                return f"({a} + {b})", S
            return f"cat({a}, {b})", S | error_types(ta, tb)
        if ta <= N and tb <= N:
            return f"({a} {PY_COMPARISONS[o]} {b})", B
        return f"{COMPARISONS[o]}({a}, {b})", B | error_types(ta, tb)

    def numeric_text(self, node: ft.Node, ctx: Context, t: Types | None = None) -> None:
        """Refuse text Excel would read as a number in ways we do not (dates, "1,000");
        `t`: the node's types when the caller has them (saves writing it again)."""
        if isinstance(node, ft.Const) and isinstance(node.value, str):
            why = numeric_text_reason(node.value)
        elif isinstance(node, ft.Ref) and node.key not in self.env.names:
            v = self.env.constants.get(node.key)
            why = numeric_text_reason(v) if isinstance(v, str) else None
        elif isinstance(node, ft.Ref | ft.Rng | ft.Arr | ft.Const):
            why = None
        else:
            if t is None or not self.PRECISE_TYPES:
                t = self.types(node, ctx)
            why = "text computed at run time, used as a number" if "s" in t else None
        if why:
            raise ctx.fail(why)

    # -- reference functions: answered from the formula, at compile time
    def reference_function(self, node: ft.Call, ctx: Context) -> tuple[str, Types]:
        """ROW, COLUMN, ROWS, COLUMNS, AREAS, ISREF, ISFORMULA: from the references."""
        name, args = node.name, node.args
        if len(args) > 1 or (not args and name not in ("ROW", "COLUMN")):
            raise ctx.fail(f"{name} with {len(args)} arguments")
        if name == "ISREF":
            arg = args[0]
            if isinstance(arg, ft.Ref | ft.Rng):
                return "True", B
            if isinstance(arg, ft.Call):
                raise ctx.fail("ISREF of a function result (a reference or not)")
            return "False", B
        if not args:
            _, row, col = ft.split_key(ctx.cell)
            return (repr(float(row if name == "ROW" else col)), N)
        arg = args[0]
        if name in ("ROWS", "COLUMNS") and isinstance(arg, ft.Arr):
            return repr(float(arg.rows if name == "ROWS" else arg.cols)), N
        if not isinstance(arg, ft.Ref | ft.Rng):
            raise ctx.fail(f"{name} needs a reference (got a computed value)")
        keys = (arg.key,) if isinstance(arg, ft.Ref) else arg.keys
        rows, cols = (1, 1) if isinstance(arg, ft.Ref) else (arg.rows, arg.cols)
        _, row, col = ft.split_key(keys[0])
        if name == "ROWS":
            return repr(float(rows)), N
        if name == "COLUMNS":
            return repr(float(cols)), N
        if name == "AREAS":
            return "1.0", N
        if name == "ISFORMULA":
            return ("True" if keys[0] in self.env.formula_cells else "False"), B
        if (name == "ROW" and rows > 1) or (name == "COLUMN" and cols > 1):
            raise ctx.fail(
                f"{name} of a multi-{'row' if name == 'ROW' else 'column'} range is an array"
            )
        return repr(float(row if name == "ROW" else col)), N

    # -- functions
    def arity(self, node: ft.Call, ctx: Context) -> None:
        lo, hi = ARITIES.get(node.name, (1, 255))
        if not lo <= len(node.args) <= hi:
            raise ctx.fail(f"{node.name} takes {lo}..{hi} arguments, got {len(node.args)}")

    def refs_vals(
        self, args: tuple[ft.Node, ...], ctx: Context, numeric_only: bool
    ) -> tuple[list[tuple[str, Types]], list[tuple[str, Types]]]:
        """Split aggregate arguments into reference items and directly given values."""
        refs: list[tuple[str, Types]] = []
        vals: list[tuple[str, Types]] = []
        for a in args:
            if isinstance(a, ft.Ref | ft.Rng):
                keys = (a.key,) if isinstance(a, ft.Ref) else a.keys
                for k in keys:
                    code, t = self.ref(k)
                    if numeric_only and k not in self.env.names and t <= frozenset("sbz"):
                        continue  # constant text/logical/empty cells are skipped by aggregates
                    refs.append((code, t))
            elif isinstance(a, ft.Arr):  # an array constant counts like a range
                for v in a.values:
                    t = const_types(v)
                    if not (numeric_only and t <= frozenset("sbz")):
                        refs.append((literal(v), t))
            elif isinstance(a, ft.Call) and a.name == "INDEX":
                refs.append(self.expr(a, ctx))  # INDEX gives a reference: text in it is skipped
            elif isinstance(a, ft.Call) and a.name == "_ELEMENTS":  # an array formula's array
                refs.extend(self.expr(e, ctx) for e in a.args)
            elif isinstance(a, ft.Const) and a.value is None:
                vals.append(("0.0", N))
            else:
                vals.append(self.expr(a, ctx))
                if numeric_only:
                    self.numeric_text(a, ctx, vals[-1][1])
        return refs, vals

    def call(self, node: ft.Call, ctx: Context) -> tuple[str, Types]:
        """A function call, as every writer dispatches it: delegated unless INLINE, the
        arity checked, TRUE/FALSE and an IF on a constant decided, AND/OR of text refused,
        the rest `inline`."""
        name = node.name
        if name not in INLINE:
            return self.delegate(node, ctx)
        self.arity(node, ctx)
        args = node.args
        if name in ("TRUE", "FALSE"):
            return (self.TRUE if name == "TRUE" else self.FALSE), B
        if name == "IF" and self.is_const(args[0]):
            chosen = self.const_if(args, ctx)
            if chosen is not None:
                return self.expr(chosen, ctx)
        if name in ("AND", "OR"):
            self.no_text_logical(node, ctx)
        return self.inline(node, ctx)

    def codes(self, args: tuple[ft.Node, ...], ctx: Context) -> list[tuple[str, Types]]:
        """Each argument's code and types, in order."""
        return [self.expr(a, ctx) for a in args]

    def if_branches(
        self, args: tuple[ft.Node, ...], ctx: Context
    ) -> tuple[tuple[str, Types], tuple[str, Types]]:
        """IF's two branches: an empty constant gives 0, a missing else FALSE."""
        out = []
        for arg in args[1:3]:
            code, t = self.expr(arg, ctx)
            out.append(("0.0", N) if code == "None" and isinstance(arg, ft.Const) else (code, t))
        if len(args) < 3:
            out.append(("False", B))
        return out[0], out[1]

    def inline(self, node: ft.Call, ctx: Context) -> tuple[str, Types]:
        """An INLINE function's own code (the dispatch that is common is in `call`)."""
        name = node.name
        args = node.args
        if name == "IF":
            c, tc = self.expr(args[0], ctx)
            (a, ta), (b, tb) = self.if_branches(args, ctx)
            if tc <= frozenset("nb"):
                return f"({a} if {c} else {b})", ta | tb
            if tc <= frozenset("nbe"):
                return (
                    f"(({a} if _t else {b}) if (_t := {c}).__class__ is not ExcelError else _t)",
                    ta | tb | E,
                )
            return (
                f"(({a} if _t else {b}) if (_t := truth({c})).__class__ is not ExcelError else _t)",
                ta | tb | E,
            )
        if name == "IFERROR":
            (a, ta), (b, tb) = self.codes(args, ctx)
            if "e" not in ta:
                return a, ta
            return f"({b} if (_t := {a}).__class__ is ExcelError else _t)", (ta - E) | tb
        if name == "NA":
            return "NA", E
        if name == "IFNA":
            (a, ta), (b, tb) = self.codes(args, ctx)
            if "e" not in ta:
                return a, ta
            return f"({b} if (_t := {a}) is NA else _t)", ta | tb
        if name in ("AND", "OR"):
            refs, vals = self.refs_vals(args, ctx, numeric_only=False)
            ts = [t for _, t in refs + vals]
            if not refs and all(t <= frozenset("nb") for t in ts):
                j = " and " if name == "AND" else " or "
                parts = [c if t <= B else f"({c} != 0)" for c, t in vals]
                return "(" + j.join(parts) + ")", B
            fn = "xand" if name == "AND" else "xor_"
            return f"{fn}({tuple_code(refs)}, {tuple_code(vals)})", B | E
        if name == "NOT":
            a, ta = self.expr(args[0], ctx)
            if ta <= frozenset("nb"):
                return f"(not {a})", B
            return f"xnot({a})", B | E
        if name in AGGREGATES:
            refs, vals = self.refs_vals(args, ctx, numeric_only=True)
            simple = all(t <= frozenset("ne") for _, t in refs) and all(
                t <= frozenset("neb") for _, t in vals
            )
            # logicals given directly count as numbers (SUM(TRUE) is 1, not TRUE)
            items = [c for c, _ in refs]
            items += [self.logical_number(c) if "b" in t else c for c, t in vals]
            terr = error_types(*(t for _, t in refs + vals))
            if simple and name == "SUM":
                if not items:
                    return "0.0", N
                if len(items) == 1:
                    return f"({items[0]} + 0.0)", N | terr
                return "(" + " + ".join(items) + ")", N | terr
            if simple and name in ("MIN", "MAX") and not terr:
                if not items:
                    return "0.0", N
                acc = items[0]
                for item in items[1:]:  # min()/max() without the call: first extreme wins
                    acc = self._pick(acc, item, "<=" if name == "MIN" else ">=")
                return acc, N
            if simple and name == "AVERAGE" and items:
                return f"(({' + '.join(items)}) / {float(len(items))!r})", N | terr
            return f"{AGGREGATES[name]}({tuple_code(refs)}, {tuple_code(vals)})", N | E
        if name == "SUMPRODUCT":
            arrays = self.sumproduct_arrays(args, ctx)
            if arrays is None:
                return "VALUE", E
            if all(t <= frozenset("ne") for arr in arrays for _, t in arr):
                terms = [" * ".join(arr[i][0] for arr in arrays) for i in range(len(arrays[0]))]
                terr = error_types(*(t for arr in arrays for _, t in arr))
                return "(" + " + ".join(terms) + ")", N | terr
            return "xsumproduct(" + ", ".join(tuple_code(arr) for arr in arrays) + ")", N | E
        if name == "NPV":
            return self.npv_call("xnpv_args", args, ctx), N | E
        if name in ("ROUND", "ROUNDUP", "ROUNDDOWN"):
            (a, ta), (b, tb) = self.codes(args, ctx)
            mode = {"ROUND": "", "ROUNDUP": ", 1", "ROUNDDOWN": ", -1"}[name]
            t = numeric_types(ta) | numeric_types(tb)
            return f"xround({a}, {b}{mode})", t
        if name == "ABS":
            a, ta = self.expr(args[0], ctx)
            if ta <= N:
                return f"abs({a})", N
            return f"xabs({a})", numeric_types(ta)
        if name == "TRIM":
            a, ta = self.expr(args[0], ctx)
            return f"xtrim({a})", S | error_types(ta)
        return self.helper(node, ctx)

    def npv_call(self, fn: str, args: tuple[ft.Node, ...], ctx: Context) -> str:
        """NPV as a call of `fn`: the rate, then each value argument as (from a reference,
        its items): a reference skips text and logicals, a value given directly counts."""
        rate, _ = self.expr(args[0], ctx)
        groups = []
        for arg in args[1:]:
            refs, vals = self.refs_vals((arg,), ctx, numeric_only=True)
            if refs or isinstance(arg, ft.Ref | ft.Rng):
                groups.append(f"(True, {tuple_code(refs)})")
            else:
                groups.append(f"(False, {tuple_code(vals)})")
        return f"{fn}({rate}, {', '.join(groups)})"

    def no_text_logical(self, node: ft.Call, ctx: Context) -> None:
        """AND/OR of a text given directly: Excel's reading of it is not verified."""
        for a in node.args:
            if isinstance(a, ft.Ref | ft.Rng | ft.Arr) or (
                isinstance(a, ft.Const) and a.value is None
            ):
                continue
            t = self.types(a, ctx)
            if "s" in t:
                raise ctx.fail(f"{node.name} of a text value (not verified against Excel)")

    # -- run-time helpers: lookups, conditional aggregates, order statistics, information
    TAB = "({rows}, {cols}, {items})"
    TUP = "{items}"

    def table(self, node: ft.Node, ctx: Context) -> tuple[str, int, int, list[Any] | None]:
        """A range argument as (rows, cols, values): code, shape, constant values or None."""
        if isinstance(node, ft.Ref):
            node = ft.Rng((node.key,), 1, 1, node.key)
        if isinstance(node, ft.Arr):
            items = [literal(v) for v in node.values]
            consts: list[Any] | None = list(node.values)
            rows, cols = node.rows, node.cols
        elif isinstance(node, ft.Rng):
            items = [self.ref(k)[0] for k in node.keys]
            rows, cols = node.rows, node.cols
            consts = (
                None
                if any(k in self.env.names for k in node.keys)
                else [self.env.constants.get(k) for k in node.keys]
            )
        else:
            raise ctx.fail("a range argument that is not a range or an array constant")
        code = self.TAB.format(
            rows=rows, cols=cols, items="(" + "".join(f"{i}, " for i in items).rstrip() + ")"
        )
        return code, rows, cols, consts

    def values(self, node: ft.Node, ctx: Context) -> tuple[str, int, int]:
        """A range argument as a flat tuple of its values (code, rows, cols)."""
        if isinstance(node, ft.Ref):
            node = ft.Rng((node.key,), 1, 1, node.key)
        if isinstance(node, ft.Arr):
            items = [literal(v) for v in node.values]
            rows, cols = node.rows, node.cols
        elif isinstance(node, ft.Rng):
            items = [self.ref(k)[0] for k in node.keys]
            rows, cols = node.rows, node.cols
        else:
            raise ctx.fail("a range argument that is not a range or an array constant")
        return (
            self.TUP.format(items="(" + "".join(f"{i}, " for i in items).rstrip() + ")"),
            rows,
            cols,
        )

    def _arg(self, node: ft.Node, ctx: Context, omitted: str = "None") -> str:
        if isinstance(node, ft.Const) and node.value is None:
            return omitted
        return self.expr(node, ctx)[0]

    def call_helper(self, fn: str, args: list[str]) -> str:
        self.env.helpers.add(fn)
        return self.CALL.format(fn=fn, args=", ".join(args))

    def _sorted_or_refuse(
        self, consts: list[Any] | None, mode: int, ctx: Context, what: str
    ) -> None:
        """Approximate matching is exact only on a constant, strictly sorted numeric vector."""
        if consts is None:
            raise ctx.fail(f"{what}: approximate match over cells that change with the inputs")
        if not consts or not all(type(v) is float for v in consts):
            raise ctx.fail(f"{what}: approximate match over a vector that is not all numbers")
        pairs = list(zip(consts, consts[1:], strict=False))
        ok = all(a < b for a, b in pairs) if mode > 0 else all(a > b for a, b in pairs)
        if not ok:
            raise ctx.fail(f"{what}: approximate match over a vector that is not strictly sorted")

    def _mode(self, node: ft.Node | None, ctx: Context, default: float, lookup: bool) -> int | None:
        """The match mode when constant (1, 0, -1), None when it depends on the inputs."""
        if node is None:
            return int(default)
        if isinstance(node, ft.Const) and node.value is None:
            return 0
        static = self._static()
        if not static.is_const(node):
            return None
        code, _ = static.expr(node, ctx)
        v = eval(code, vars(runtime).copy())  # noqa: S307 - our own generated code
        if lookup:
            t = runtime.truth(v)
            return None if isinstance(t, ExcelError) else int(bool(t))
        v = runtime.num(v)
        if isinstance(v, ExcelError):
            return None
        return (v > 0) - (v < 0)

    def _table_types(self, node: ft.Node, row: Any, col: Any) -> Types:
        """Types a lookup into `node` can give: of the row/column picked when constant."""
        if isinstance(node, ft.Ref):
            node = ft.Rng((node.key,), 1, 1, node.key)
        out: Types = E
        if isinstance(node, ft.Arr):
            for v in node.values:
                out |= const_types(v)
            return out
        if not isinstance(node, ft.Rng):
            return ANY
        for i, k in enumerate(node.keys):
            r, c = divmod(i, node.cols)
            if isinstance(row, float) and row >= 1 and r != int(row) - 1:
                continue
            if isinstance(col, float) and col >= 1 and c != int(col) - 1:
                continue
            out |= self._static().ref(k)[1]
        return out

    def _static(self) -> ScalarWriter:
        """A scalar writer that folds constants, for decisions made at compile time."""
        return ScalarWriter(replace(self.env, fold=True))

    def _const_number(self, node: ft.Node, ctx: Context) -> float | str | None:
        """A constant argument truncated to an integer; 'var' when it depends on inputs."""
        if isinstance(node, ft.Const) and node.value is None:
            return None
        static = self._static()
        if not static.is_const(node):
            return "var"
        code, _ = static.expr(node, ctx)
        v = runtime.num(eval(code, vars(runtime).copy()))  # noqa: S307 - our own generated code
        return float(int(v)) if isinstance(v, float) and math.isfinite(v) else "error"

    def helper(self, node: ft.Call, ctx: Context) -> tuple[str, Types]:
        """Functions that run as one run-time helper over their (evaluated) arguments."""
        name, args = node.name, node.args
        if name in HELPERS:
            fn, lo, hi, types = HELPERS[name]
            if not lo <= len(args) <= hi:
                raise ctx.fail(f"{name} takes {lo}..{hi} arguments, got {len(args)}")
            if name in ("INT", "TRUNC", "MOD"):
                for a in args:
                    self.numeric_text(a, ctx)
            return self.call_helper(fn, [self._arg(a, ctx) for a in args]), frozenset(types)
        if name in ("VLOOKUP", "HLOOKUP"):
            if not 3 <= len(args) <= 4:
                raise ctx.fail(f"{name} takes 3..4 arguments, got {len(args)}")
            code, rows, cols, consts = self.table(args[1], ctx)
            mode = self._mode(args[3] if len(args) > 3 else None, ctx, 1.0, lookup=True)
            if mode != 0:
                key = (
                    None
                    if consts is None
                    else [consts[r * cols] for r in range(rows)]
                    if name == "VLOOKUP"
                    else consts[:cols]
                )
                self._sorted_or_refuse(key, 1, ctx, name)
            fn = "xvlookup" if name == "VLOOKUP" else "xhlookup"
            flag = self._arg(args[3], ctx, "False") if len(args) > 3 else "True"
            k = self._const_number(args[2], ctx)
            looked = self._table_types(args[1], *((None, k) if name == "VLOOKUP" else (k, None)))
            call = [self._arg(args[0], ctx), code, self._arg(args[2], ctx), flag]
            return self.call_helper(fn, call), looked
        if name == "MATCH":
            if not 2 <= len(args) <= 3:
                raise ctx.fail(f"MATCH takes 2..3 arguments, got {len(args)}")
            code, rows, cols, consts = self.table(args[1], ctx)
            if rows > 1 and cols > 1:
                raise ctx.fail("MATCH over a two-dimensional range")
            mode = self._mode(args[2] if len(args) > 2 else None, ctx, 1.0, lookup=False)
            if mode is None:
                raise ctx.fail("MATCH with a match type that changes with the inputs")
            if mode != 0:
                self._sorted_or_refuse(consts, mode, ctx, "MATCH")
            return self.call_helper(
                "xmatch", [self._arg(args[0], ctx), code, repr(float(mode))]
            ), N | E
        if name == "INDEX":
            if not 2 <= len(args) <= 3:
                raise ctx.fail(f"INDEX takes 2..3 arguments, got {len(args)}")
            code, rows, cols, _ = self.table(args[0], ctx)
            sizes = (cols,) if len(args) == 2 and rows == 1 else (rows, cols)
            for a, size in zip(args[1:], sizes, strict=False):
                if size > 1 and self._const_number(a, ctx) in (0.0, None):
                    raise ctx.fail("INDEX of a whole row or column (a reference to many cells)")
            rest = [self._arg(a, ctx) for a in args[1:]]
            if len(args) == 3:
                part = (self._const_number(args[1], ctx), self._const_number(args[2], ctx))
            else:
                part = (None, None)
            return self.call_helper("xindex", [code, *rest]), self._table_types(args[0], *part)
        if name == "CHOOSE":
            if len(args) < 2:
                raise ctx.fail("CHOOSE takes 2 or more arguments")
            for a in args[1:]:
                if isinstance(a, ft.Rng | ft.Arr) and not (
                    isinstance(a, ft.Rng) and a.rows == a.cols == 1
                ):
                    raise ctx.fail("CHOOSE of ranges (a reference result)")
            opts = [self.expr(a, ctx) for a in args[1:]]
            chosen: Types = frozenset().union(*(t for _, t in opts)) | E
            return self.call_helper(
                "xchoose", [self._arg(args[0], ctx)] + [c for c, _ in opts]
            ), chosen
        if name in COUNTIFS:
            return self._countifs(node, ctx)
        if name in ("LARGE", "SMALL"):
            if len(args) != 2:
                raise ctx.fail(f"{name} takes 2 arguments")
            items, *_ = self.values(args[0], ctx)
            flag = "True" if name == "LARGE" else "False"
            return self.call_helper("xlarge", [items, self._arg(args[1], ctx), flag]), N | E
        if name in ("RANK", "RANK.EQ"):
            if not 2 <= len(args) <= 3:
                raise ctx.fail(f"{name} takes 2..3 arguments")
            items, *_ = self.values(args[1], ctx)
            rest = [self._arg(args[2], ctx, "0.0")] if len(args) > 2 else []
            return self.call_helper("xrank", [self._arg(args[0], ctx), items, *rest]), N | E
        if name in ("COUNT", "COUNTA"):
            refs, vals = self.refs_vals(args, ctx, numeric_only=False)
            fn = "xcount" if name == "COUNT" else "xcounta"
            groups = [
                self.TUP.format(items=tuple_code(refs)),
                self.TUP.format(items=tuple_code(vals)),
            ]
            return self.call_helper(fn, groups), N
        raise ctx.fail(f"no writer for {name}")  # pragma: no cover

    def _countifs(self, node: ft.Call, ctx: Context) -> tuple[str, Types]:
        name, args = node.name, node.args
        fn, has_values, multi = COUNTIFS[name]
        n = len(args)
        if multi:
            ok = n >= (3 if has_values else 2) and (n - has_values) % 2 == 0
        else:
            ok = n == 2 or (has_values and n == 3)
        if not ok:
            raise ctx.fail(f"{name} with {n} arguments")
        if multi:
            target = args[0] if has_values else None
            pairs = [(args[i], args[i + 1]) for i in range(int(has_values), n, 2)]
        else:
            target = (args[2] if n == 3 else args[0]) if has_values else None
            pairs = [(args[0], args[1])]
        shape = None
        parts: list[str] = []
        if target is not None:
            code, r, c = self.values(target, ctx)
            shape = (r, c)
            parts.append(code)
        for rng, crit in pairs:
            for k in rng.keys if isinstance(rng, ft.Rng) else ():
                v = self.env.constants.get(k) if k not in self.env.names else None
                if isinstance(v, str) and numeric_text_reason(v) is None and v.strip():
                    if not isinstance(runtime.num(v), ExcelError):
                        raise ctx.fail(f"{name} over a range holding numeric text ({k})")
            code, r, c = self.values(rng, ctx)
            if shape is not None and (r, c) != shape:
                raise ctx.fail(f"{name} over ranges of different shapes")
            shape = (r, c)
            parts.append(self.TUP.format(items=f"({code}, {self._arg(crit, ctx)})"))
        return self.call_helper(fn, parts), N | E

    def const_if(self, args: tuple[ft.Node, ...], ctx: Context) -> ft.Node | None:
        """The branch an IF with a constant condition takes (None: the condition is an error)."""
        cond = args[0]
        value = cond.value if isinstance(cond, ft.Const) else None
        if not isinstance(cond, ft.Const):
            code, _ = ScalarWriter(self.env).expr(cond, ctx)
            value = eval(code, vars(runtime).copy())  # noqa: S307
        t = runtime.truth(value)
        if isinstance(t, ExcelError):
            return None
        if t:
            return (
                args[1]
                if not (isinstance(args[1], ft.Const) and args[1].value is None)
                else ft.Const(0.0)
            )
        if len(args) > 2:
            return (
                args[2]
                if not (isinstance(args[2], ft.Const) and args[2].value is None)
                else ft.Const(0.0)
            )
        return ft.Const(False)

    def delegate(self, node: ft.Call, ctx: Context) -> tuple[str, Types]:
        name = node.name
        if name == "SEQUENCE":
            raise ctx.fail(
                "dynamic-array function SEQUENCE is not supported outside an array formula "
                "with constant arguments (its result spills)"
            )
        if name not in self.env.known_functions:
            raise ctx.fail(f"unknown function {name}")
        if name in REFUSED_WHY:
            raise ctx.fail(f"function {name} is refused: {REFUSED_WHY[name]}")
        if name not in VERIFIED_DELEGATES:
            raise ctx.fail(f"function {name} is not implemented exactly (not verified)")
        for a in node.args:
            many = isinstance(a, ft.Rng | ft.Arr) and a.rows * a.cols > 1
            if many and name not in RANGE_DELEGATES:
                raise ctx.fail(f"a range given to {name}, whose result would be an array")
        self.env.delegates.add(name)
        parts = []
        for a in node.args:
            if isinstance(a, ft.Rng):
                items = ", ".join(self.ref(k)[0] for k in a.keys)
                parts.append(f"{self.RNG}({a.rows}, {a.cols}, ({items},))")
            elif isinstance(a, ft.Ref):
                parts.append(f"{self.RNG}(1, 1, ({self.ref(a.key)[0]},))")
            elif isinstance(a, ft.Const) and a.value is None:
                parts.append("MISSING")
            elif isinstance(a, ft.Arr):
                items = ", ".join(literal(v) for v in a.values)
                parts.append(f"{self.RNG}({a.rows}, {a.cols}, ({items},))")
            elif isinstance(a, ft.Const) and type(a.value) is float and a.value.is_integer():
                parts.append(repr(int(a.value)))  # formulas reads 0 and 0.0 differently
            else:
                parts.append(self.expr(a, ctx)[0])
        types = frozenset(DELEGATE_TYPES.get(name, "nbsze"))
        return self.CALL.format(fn=function_name(name), args=", ".join(parts)), types


def tuple_code(items: list[tuple[str, Types]]) -> str:
    if not items:
        return "()"
    return "(" + ", ".join(c for c, _ in items) + ",)"
