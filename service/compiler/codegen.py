"""AST -> Python source: a scalar writer (typed, inlined) and a vector writer (numpy helpers).

Value types tracked per expression: n number, b bool, s text, z empty, e error.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from service.compiler.ast import Call, CompileError, Const, Node, Op, Ref, Rng
from service.engine.runtime import ExcelError

Types = frozenset[str]
N: Types = frozenset("n")
B: Types = frozenset("b")
S: Types = frozenset("s")
Z: Types = frozenset("z")
E: Types = frozenset("e")
ANY: Types = frozenset("nbsze")

# Functions with their own inlined/helper code; everything else known to `formulas`
# is delegated to formulas' implementation at run time.
INLINE = {
    "IF",
    "IFERROR",
    "AND",
    "OR",
    "NOT",
    "SUM",
    "MIN",
    "MAX",
    "AVERAGE",
    "SUMPRODUCT",
    "NPV",
    "ROUND",
    "ROUNDUP",
    "ROUNDDOWN",
    "ABS",
    "TRIM",
    "TRUE",
    "FALSE",
}
_AGG = {"SUM": "xsum", "MIN": "xmin", "MAX": "xmax", "AVERAGE": "xaverage"}
_CMP = {"=": "eq", "<>": "ne", "<": "lt", "<=": "le", ">": "gt", ">=": "ge"}
_PYCMP = {"=": "==", "<>": "!=", "<": "<", "<=": "<=", ">": ">", ">=": ">="}
_ARITH = {"+": "+", "-": "-", "*": "*"}
_VOP = {"+": "vadd", "-": "vsub", "*": "vmul", "/": "vdiv", "^": "vpow", "&": "vcat"}
_NARGS: dict[str, tuple[int, int]] = {
    "IF": (2, 3),
    "IFERROR": (2, 2),
    "NOT": (1, 1),
    "ROUND": (2, 2),
    "ROUNDUP": (2, 2),
    "ROUNDDOWN": (2, 2),
    "ABS": (1, 1),
    "TRIM": (1, 1),
    "NPV": (2, 255),
    "SUMPRODUCT": (1, 255),
    "TRUE": (0, 0),
    "FALSE": (0, 0),
}


_SIMPLE = re.compile(r"^(?:[A-Za-z_][A-Za-z0-9_]*|-?[0-9][0-9.e+-]*)$")


def ident(key: str) -> str:
    """Python identifier for a cell key: 'My sheet!B3' -> 'My_sheet_B3'."""
    sheet, addr = key.rsplit("!", 1)
    s = re.sub(r"\W", "_", sheet, flags=re.ASCII)
    if not s or s[0].isdigit():
        s = "s" + s
    return f"{s}_{addr}"


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


def const_types(v: Any) -> Types:
    """Type set of a constant value."""
    if v is None:
        return Z
    if isinstance(v, bool):
        return B
    if isinstance(v, float | int):
        return N
    if isinstance(v, str):
        return S
    return E


def _numt(t: Types) -> Types:
    """Types after numeric coercion."""
    return N | (E if ("e" in t or "s" in t) else frozenset())


def _err(*ts: Types) -> Types:
    return E if any("e" in t for t in ts) else frozenset()


@dataclass
class Env:
    """What the writers know about cells."""

    names: dict[str, str]  # cell key -> Python name (inputs and formula cells)
    types: dict[str, Types]  # cell key -> inferred types
    constants: dict[str, Any]  # cell key -> constant value (non-formula cells)
    delegates: set[str] = field(default_factory=set)
    known_functions: frozenset[str] = frozenset()


@dataclass
class _Ctx:
    cell: str
    formula: str

    def fail(self, reason: str) -> CompileError:
        return CompileError(self.cell, self.formula, reason)


class ScalarWriter:
    """Writes one Python expression per formula, typed, with common functions inlined."""

    RNG = "rng"
    CALL = "{fn}({args})"

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

    def cell(self, key: str, formula: str, node: Node) -> tuple[str, Types]:
        """Expression for a formula cell and its types (empty shows as 0)."""
        ctx = _Ctx(key, formula)
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
        if key in env.names:
            return env.names[key], env.types[key]
        v = env.constants.get(key)
        return literal(v), const_types(v)

    def logical_number(self, code: str) -> str:
        """A logical as the number an aggregate counts it as (TRUE is 1)."""
        return f"num({code})"

    def num(self, code: str, t: Types) -> str:
        if t <= frozenset("neb"):
            return code
        if t == Z:
            return "0.0"
        return f"num({code})"

    def _sumproduct_arrays(
        self, args: tuple[Node, ...], ctx: _Ctx
    ) -> list[list[tuple[str, Types]]] | None:
        """SUMPRODUCT's arguments as lists of cell references; None when their shapes differ."""
        arrays: list[list[tuple[str, Types]]] = []
        shape = None
        for arg in args:
            if isinstance(arg, Ref):
                keys: tuple[str, ...] = (arg.key,)
                sh = (1, 1)
            elif isinstance(arg, Rng):
                keys, sh = arg.keys, (arg.rows, arg.cols)
            else:
                raise ctx.fail("SUMPRODUCT over computed arrays is not supported")
            if shape is not None and sh != shape:
                return None
            shape = sh
            arrays.append([self.ref(k) for k in keys])
        return arrays

    def expr(self, node: Node, ctx: _Ctx) -> tuple[str, Types]:
        if isinstance(node, Const):
            return literal(node.value), const_types(node.value)
        if isinstance(node, Ref):
            return self.ref(node.key)
        if isinstance(node, Rng):
            if node.rows == node.cols == 1:
                return self.ref(node.keys[0])
            raise ctx.fail(f"range {node.text} used as a single value (implicit intersection)")
        if self.is_const(node):
            value = self.fold(node, ctx)
            return literal(value), const_types(value)
        if isinstance(node, Op):
            return self.op(node, ctx)
        return self.call(node, ctx)

    def is_const(self, node: Node) -> bool:
        """True when a node reads no input-dependent cell and calls no delegated function."""
        if isinstance(node, Const):
            return True
        if isinstance(node, Ref):
            return node.key not in self.env.names
        if isinstance(node, Rng):
            return not any(k in self.env.names for k in node.keys)
        if isinstance(node, Call) and node.name not in INLINE:
            return False
        return all(self.is_const(a) for a in node.args)

    def fold(self, node: Op | Call, ctx: _Ctx) -> Any:
        """Evaluate a constant sub-expression at compile time, with the run-time helpers."""
        from service.engine import runtime

        code, _ = ScalarWriter(self.env)._build(node, ctx)
        return eval(code, vars(runtime).copy())  # noqa: S307 - our own generated code

    def _build(self, node: Op | Call, ctx: _Ctx) -> tuple[str, Types]:
        if isinstance(node, Op):
            return self.op(node, ctx)
        return self.call(node, ctx)

    def op(self, node: Op, ctx: _Ctx) -> tuple[str, Types]:
        o = node.op
        if o in ("u-", "u+", "%"):
            a, ta = self.expr(node.args[0], ctx)
            if o == "u+":
                return a, ta
            if o == "u-":
                return f"(-{self.num(a, ta)})", _numt(ta)
            return f"({self.num(a, ta)} / 100.0)", _numt(ta)
        a, ta = self.expr(node.args[0], ctx)
        b, tb = self.expr(node.args[1], ctx)
        if o in _ARITH:
            return f"({self.num(a, ta)} {o} {self.num(b, tb)})", _numt(ta) | _numt(tb)
        if o == "/":
            return f"div({self.num(a, ta)}, {self.num(b, tb)})", N | E
        if o == "^":
            return f"pw({self.num(a, ta)}, {self.num(b, tb)})", N | E
        if o == "&":
            if ta <= S and tb <= S:
                return f"({a} + {b})", S
            return f"cat({a}, {b})", S | _err(ta, tb)
        if ta <= N and tb <= N:
            return f"({a} {_PYCMP[o]} {b})", B
        return f"{_CMP[o]}({a}, {b})", B | _err(ta, tb)

    # -- functions
    def _arity(self, node: Call, ctx: _Ctx) -> None:
        lo, hi = _NARGS.get(node.name, (1, 255))
        if not lo <= len(node.args) <= hi:
            raise ctx.fail(f"{node.name} takes {lo}..{hi} arguments, got {len(node.args)}")

    def _refs_vals(
        self, args: tuple[Node, ...], ctx: _Ctx, numeric_only: bool
    ) -> tuple[list[tuple[str, Types]], list[tuple[str, Types]]]:
        """Split aggregate arguments into reference items and directly given values."""
        refs: list[tuple[str, Types]] = []
        vals: list[tuple[str, Types]] = []
        for a in args:
            if isinstance(a, Ref | Rng):
                keys = (a.key,) if isinstance(a, Ref) else a.keys
                for k in keys:
                    code, t = self.ref(k)
                    if numeric_only and k not in self.env.names and t <= frozenset("sbz"):
                        continue  # constant text/logical/empty cells are skipped by aggregates
                    refs.append((code, t))
            else:
                if isinstance(a, Const) and a.value is None:
                    vals.append(("0.0", N))
                else:
                    vals.append(self.expr(a, ctx))
        return refs, vals

    def call(self, node: Call, ctx: _Ctx) -> tuple[str, Types]:
        name = node.name
        if name not in INLINE:
            return self.delegate(node, ctx)
        self._arity(node, ctx)
        args = node.args
        if name == "TRUE":
            return "True", B
        if name == "FALSE":
            return "False", B
        if name == "IF" and self.is_const(args[0]):
            chosen = self._const_if(args, ctx)
            if chosen is not None:
                return self.expr(chosen, ctx)
        if name == "IF":
            c, tc = self.expr(args[0], ctx)
            a, ta = self.expr(args[1], ctx)
            if a == "None" and isinstance(args[1], Const):
                a, ta = "0.0", N
            if len(args) > 2:
                b, tb = self.expr(args[2], ctx)
                if b == "None" and isinstance(args[2], Const):
                    b, tb = "0.0", N
            else:
                b, tb = "False", B
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
            a, ta = self.expr(args[0], ctx)
            b, tb = self.expr(args[1], ctx)
            if "e" not in ta:
                return a, ta
            return f"({b} if (_t := {a}).__class__ is ExcelError else _t)", (ta - E) | tb
        if name in ("AND", "OR"):
            refs, vals = self._refs_vals(args, ctx, numeric_only=False)
            ts = [t for _, t in refs + vals]
            if not refs and all(t <= frozenset("nb") for t in ts):
                j = " and " if name == "AND" else " or "
                parts = [c if t <= B else f"({c} != 0)" for c, t in vals]
                return "(" + j.join(parts) + ")", B
            fn = "xand" if name == "AND" else "xor_"
            return f"{fn}({_tuple(refs)}, {_tuple(vals)})", B | E
        if name == "NOT":
            a, ta = self.expr(args[0], ctx)
            if ta <= frozenset("nb"):
                return f"(not {a})", B
            return f"xnot({a})", B | E
        if name in _AGG:
            refs, vals = self._refs_vals(args, ctx, numeric_only=True)
            simple = all(t <= frozenset("ne") for _, t in refs) and all(
                t <= frozenset("neb") for _, t in vals
            )
            # logicals given directly count as numbers (SUM(TRUE) is 1, not TRUE)
            items = [c for c, _ in refs]
            items += [self.logical_number(c) if "b" in t else c for c, t in vals]
            terr = _err(*(t for _, t in refs + vals))
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
            return f"{_AGG[name]}({_tuple(refs)}, {_tuple(vals)})", N | E
        if name == "SUMPRODUCT":
            arrays = self._sumproduct_arrays(args, ctx)
            if arrays is None:
                return "VALUE", E
            if all(t <= frozenset("ne") for arr in arrays for _, t in arr):
                terms = [" * ".join(arr[i][0] for arr in arrays) for i in range(len(arrays[0]))]
                terr = _err(*(t for arr in arrays for _, t in arr))
                return "(" + " + ".join(terms) + ")", N | terr
            return "xsumproduct(" + ", ".join(_tuple(arr) for arr in arrays) + ")", N | E
        if name == "NPV":
            rate, trate = self.expr(args[0], ctx)
            groups = []
            for arg in args[1:]:
                refs, vals = self._refs_vals((arg,), ctx, numeric_only=True)
                if refs or isinstance(arg, Ref | Rng):
                    groups.append(f"(True, {_tuple(refs)})")
                else:
                    groups.append(f"(False, {_tuple(vals)})")
            return f"xnpv_args({rate}, {', '.join(groups)})", N | E
        if name in ("ROUND", "ROUNDUP", "ROUNDDOWN"):
            a, ta = self.expr(args[0], ctx)
            b, tb = self.expr(args[1], ctx)
            mode = {"ROUND": "", "ROUNDUP": ", 1", "ROUNDDOWN": ", -1"}[name]
            t = _numt(ta) | _numt(tb)
            return f"xround({a}, {b}{mode})", t
        if name == "ABS":
            a, ta = self.expr(args[0], ctx)
            if ta <= N:
                return f"abs({a})", N
            return f"xabs({a})", _numt(ta)
        if name == "TRIM":
            a, ta = self.expr(args[0], ctx)
            return f"xtrim({a})", S | _err(ta)
        raise ctx.fail(f"no writer for {name}")  # pragma: no cover

    def _const_if(self, args: tuple[Node, ...], ctx: _Ctx) -> Node | None:
        """The branch an IF with a constant condition takes (None: the condition is an error)."""
        from service.engine import runtime

        cond = args[0]
        value = cond.value if isinstance(cond, Const) else None
        if not isinstance(cond, Const):
            code, _ = ScalarWriter(self.env).expr(cond, ctx)
            value = eval(code, vars(runtime).copy())  # noqa: S307
        t = runtime.truth(value)
        if isinstance(t, ExcelError):
            return None
        if t:
            return (
                args[1]
                if not (isinstance(args[1], Const) and args[1].value is None)
                else Const(0.0)
            )
        if len(args) > 2:
            return (
                args[2]
                if not (isinstance(args[2], Const) and args[2].value is None)
                else Const(0.0)
            )
        return Const(False)

    def delegate(self, node: Call, ctx: _Ctx) -> tuple[str, Types]:
        name = node.name
        if name not in self.env.known_functions:
            raise ctx.fail(f"unknown function {name}")
        self.env.delegates.add(name)
        parts = []
        for a in node.args:
            if isinstance(a, Rng):
                items = ", ".join(self.ref(k)[0] for k in a.keys)
                parts.append(f"{self.RNG}({a.rows}, {a.cols}, ({items},))")
            elif isinstance(a, Ref):
                parts.append(f"{self.RNG}(1, 1, ({self.ref(a.key)[0]},))")
            elif isinstance(a, Const) and a.value is None:
                parts.append("MISSING")
            else:
                parts.append(self.expr(a, ctx)[0])
        return self.CALL.format(fn=f"F_{_fname(name)}", args=", ".join(parts)), ANY


def _fname(name: str) -> str:
    return re.sub(r"\W", "_", name, flags=re.ASCII)


def _tuple(items: list[tuple[str, Types]]) -> str:
    if not items:
        return "()"
    return "(" + ", ".join(c for c, _ in items) + ",)"


class VectorWriter(ScalarWriter):
    """Writes numpy-backed expressions: every operation is a helper on columns."""

    RNG = "vrng"
    CALL = "vcall({fn}, {args})"

    def cell(self, key: str, formula: str, node: Node) -> tuple[str, Types]:
        """Expression for a formula cell (empty shows as 0)."""
        ctx = _Ctx(key, formula)
        code, _ = self.expr(node, ctx)
        _, t = ScalarWriter(self.env).expr(node, ctx)
        if t == Z:
            return "0.0", N
        if "z" in t:
            return f"vnz({code})", (t - Z) | N
        return code, t

    def num(self, code: str, t: Types) -> str:
        return code

    def op(self, node: Op, ctx: _Ctx) -> tuple[str, Types]:
        o = node.op
        if o in ("u-", "u+", "%"):
            a, ta = self.expr(node.args[0], ctx)
            if o == "u+":
                return a, ta
            return f"{'vneg' if o == 'u-' else 'vpct'}({a})", _numt(ta)
        a, ta = self.expr(node.args[0], ctx)
        b, tb = self.expr(node.args[1], ctx)
        if o in _VOP:
            return f"{_VOP[o]}({a}, {b})", ANY
        return f"v{_CMP[o]}({a}, {b})", B | _err(ta, tb)

    def call(self, node: Call, ctx: _Ctx) -> tuple[str, Types]:
        name = node.name
        if name not in INLINE:
            return self.delegate(node, ctx)
        self._arity(node, ctx)
        args = node.args
        if name == "IF" and self.is_const(args[0]):
            chosen = self._const_if(args, ctx)
            if chosen is not None:
                return self.expr(chosen, ctx)
        if name in ("TRUE", "FALSE"):
            return ("True" if name == "TRUE" else "False"), B
        if name == "IF":
            c, _ = self.expr(args[0], ctx)
            a, _ = self.expr(args[1], ctx)
            if a == "None" and isinstance(args[1], Const):
                a = "0.0"
            if len(args) > 2:
                b, _ = self.expr(args[2], ctx)
                if b == "None" and isinstance(args[2], Const):
                    b = "0.0"
            else:
                b = "False"
            return f"vif({c}, {a}, {b})", ANY
        if name == "IFERROR":
            a, _ = self.expr(args[0], ctx)
            b, _ = self.expr(args[1], ctx)
            return f"viferror({a}, {b})", ANY
        if name in ("AND", "OR", "SUM", "MIN", "MAX", "AVERAGE"):
            refs, vals = self._refs_vals(args, ctx, numeric_only=name not in ("AND", "OR"))
            fn = {"AND": "vand", "OR": "vor"}.get(name, "v" + _AGG.get(name, "")[1:])
            return f"{fn}({_tuple(refs)}, {_tuple(vals)})", ANY
        if name == "NOT":
            return f"vnot({self.expr(args[0], ctx)[0]})", ANY
        if name == "SUMPRODUCT":
            arrays = self._sumproduct_arrays(args, ctx)
            if arrays is None:
                return "VALUE", E
            return "vsumproduct(" + ", ".join(_tuple(arr) for arr in arrays) + ")", ANY
        if name == "NPV":
            rate, _ = self.expr(args[0], ctx)
            groups = []
            for arg in args[1:]:
                refs, vals = self._refs_vals((arg,), ctx, numeric_only=True)
                if refs or isinstance(arg, Ref | Rng):
                    groups.append(f"(True, {_tuple(refs)})")
                else:
                    groups.append(f"(False, {_tuple(vals)})")
            return f"vnpv_args({rate}, {', '.join(groups)})", ANY
        if name in ("ROUND", "ROUNDUP", "ROUNDDOWN"):
            a, _ = self.expr(args[0], ctx)
            b, _ = self.expr(args[1], ctx)
            mode = {"ROUND": 0, "ROUNDUP": 1, "ROUNDDOWN": -1}[name]
            return f"vround({a}, {b}, {mode})", ANY
        if name == "ABS":
            return f"vabs({self.expr(args[0], ctx)[0]})", ANY
        if name == "TRIM":
            return f"vtrim({self.expr(args[0], ctx)[0]})", ANY
        raise ctx.fail(f"no writer for {name}")  # pragma: no cover
