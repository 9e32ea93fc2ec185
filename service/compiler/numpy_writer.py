"""The numpy writer: a formula cell of the intermediate form -> one expression over columns
of N scenarios, every operation a helper of service/engine/vector.py. It follows the
Python writer's decisions (types, folding, refusals: service/compiler/ir.py) and writes
the numpy helper where that writes the scalar code."""

from __future__ import annotations

from service.compiler.formula_tree import Call, Node, Op
from service.compiler.ir import (
    AGGREGATES,
    ANY,
    COMPARISONS,
    B,
    Context,
    E,
    N,
    Types,
    Z,
    error_types,
    numeric_types,
)
from service.compiler.python_writer import ScalarWriter, tuple_code

_VOP = {"+": "vadd", "-": "vsub", "*": "vmul", "/": "vdiv", "^": "vpow", "&": "vcat"}


class VectorWriter(ScalarWriter):
    """Writes numpy-backed expressions: every operation is a helper on columns."""

    RNG = "vrng"
    CALL = "vcall({fn}, {args})"
    PRECISE_TYPES = False  # most helpers here are typed ANY
    TAB = "vtab({rows}, {cols}, {items})"
    TUP = "vtup({items})"

    def cell(self, key: str, formula: str, node: Node) -> tuple[str, Types]:
        """Expression for a formula cell (empty shows as 0)."""
        ctx = Context(key, formula)
        code, _ = self.expr(node, ctx)
        t = self.types(node, ctx)
        if t == Z:
            return "0.0", N
        if "z" in t:
            return f"vnz({code})", (t - Z) | N
        return code, t

    def num(self, code: str, t: Types) -> str:
        return code

    def op(self, node: Op, ctx: Context) -> tuple[str, Types]:
        o = node.op
        if o in ("u-", "u+", "%"):
            a, ta = self.expr(node.args[0], ctx)
            if o == "u+":
                return a, ta
            return f"{'vneg' if o == 'u-' else 'vpct'}({a})", numeric_types(ta)
        a, ta = self.expr(node.args[0], ctx)
        b, tb = self.expr(node.args[1], ctx)
        if o in _VOP:
            return f"{_VOP[o]}({a}, {b})", ANY
        return f"v{COMPARISONS[o]}({a}, {b})", B | error_types(ta, tb)

    def inline(self, node: Call, ctx: Context) -> tuple[str, Types]:
        name = node.name
        args = node.args
        if name == "IF":
            c, _ = self.expr(args[0], ctx)
            (a, _), (b, _) = self.if_branches(args, ctx)
            return f"vif({c}, {a}, {b})", ANY
        if name == "IFERROR":
            (a, _), (b, _) = self.codes(args, ctx)
            return f"viferror({a}, {b})", ANY
        if name == "NA":
            return "NA", E
        if name == "IFNA":
            (a, _), (b, _) = self.codes(args, ctx)
            return self.call_helper("xifna", [a, b]), ANY
        if name in ("AND", "OR", "SUM", "MIN", "MAX", "AVERAGE"):
            refs, vals = self.refs_vals(args, ctx, numeric_only=name not in ("AND", "OR"))
            fn = {"AND": "vand", "OR": "vor"}.get(name, "v" + AGGREGATES.get(name, "")[1:])
            return f"{fn}({tuple_code(refs)}, {tuple_code(vals)})", ANY
        if name == "NOT":
            return f"vnot({self.expr(args[0], ctx)[0]})", ANY
        if name == "SUMPRODUCT":
            arrays = self.sumproduct_arrays(args, ctx)
            if arrays is None:
                return "VALUE", E
            return "vsumproduct(" + ", ".join(tuple_code(arr) for arr in arrays) + ")", ANY
        if name == "NPV":
            return self.npv_call("vnpv_args", args, ctx), ANY
        if name in ("ROUND", "ROUNDUP", "ROUNDDOWN"):
            (a, _), (b, _) = self.codes(args, ctx)
            mode = {"ROUND": 0, "ROUNDUP": 1, "ROUNDDOWN": -1}[name]
            return f"vround({a}, {b}, {mode})", ANY
        if name == "ABS":
            return f"vabs({self.expr(args[0], ctx)[0]})", ANY
        if name == "TRIM":
            return f"vtrim({self.expr(args[0], ctx)[0]})", ANY
        return self.helper(node, ctx)
