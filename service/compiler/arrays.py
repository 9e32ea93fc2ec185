"""Array formulas (CSE, and spills written as such) as one scalar formula per cell.

An array formula over a range R is evaluated by Excel element by element where it only
combines ranges with operators and one-value functions: element (i, j) of `A1:A3*2` is
`A{1+i}*2`. Each cell of R becomes that element's formula (its own AST), so the scalar,
numpy and C writers need nothing new. A range of one row or column is repeated along
the other dimension; beyond a range's size the element is #N/A, as in Excel; a formula
over fewer cells than R gives #N/A in the rest. SEQUENCE with constant arguments is
answered element by element too. Anything else (an array expression inside SUM, a
lookup over an array expression, FILTER, SORT, UNIQUE) is refused with the reason.
"""

from __future__ import annotations

import re
from typing import Any

from service.compiler import formula_tree as ft
from service.compiler.functions import HELPERS, VERIFIED_DELEGATES
from service.engine.runtime import NA

# functions that take one value per argument and so run element by element
ELEMENTWISE = (
    {"IF", "IFERROR", "IFNA", "ROUND", "ROUNDUP", "ROUNDDOWN", "ABS", "TRIM", "NOT", "CHOOSE"}
    | set(HELPERS)
    | (
        set(VERIFIED_DELEGATES)
        - {"IRR", "XNPV", "NETWORKDAYS", "MEDIAN", "PRODUCT", "SUMSQ", "COUNTBLANK", "XOR"}
        - {"IFS", "SWITCH"}
    )
)


# lookups whose arguments at these positions take one value each (the others: tables)
_PER_ELEMENT = {"VLOOKUP": (0, 2, 3), "HLOOKUP": (0, 2, 3), "MATCH": (0, 2), "INDEX": (1, 2)}


def cells_of(sheet: str, ref: str) -> list[list[str]]:
    """The cell keys of a range on a sheet, by row."""
    corners = ref.replace("$", "").upper().split(":")
    (c1, r1), (c2, r2) = (
        re.match(r"([A-Z]+)([0-9]+)", c).groups()  # type: ignore[union-attr]
        for c in (corners if len(corners) == 2 else corners * 2)
    )
    return [
        [f"{sheet}!{ft.col_letters(c)}{r}" for c in range(ft.col_index(c1), ft.col_index(c2) + 1)]
        for r in range(int(r1), int(r2) + 1)
    ]


class _Refuse(Exception):
    pass


def element(node: ft.Node, i: int, j: int) -> ft.Node:
    """The scalar formula of element (i, j) of an array formula; Refused where there is none."""
    try:
        return _element(node, i, j)
    except _Refuse as exc:
        return ft.Refused(str(exc))


def _pick(values: tuple[Any, ...], rows: int, cols: int, i: int, j: int) -> int | None:
    r = i if rows > 1 else 0
    c = j if cols > 1 else 0
    if r >= rows or c >= cols:
        return None
    return r * cols + c


def _has_array(node: ft.Node) -> bool:
    if isinstance(node, ft.Rng):
        return node.rows * node.cols > 1
    if isinstance(node, ft.Arr):
        return node.rows * node.cols > 1
    if isinstance(node, ft.Op | ft.Call):
        if isinstance(node, ft.Call) and node.name == "SEQUENCE":
            return True
        return any(_has_array(a) for a in node.args)
    return False


def _element(node: ft.Node, i: int, j: int) -> ft.Node:
    if isinstance(node, ft.Rng):
        k = _pick(node.keys, node.rows, node.cols, i, j)
        return ft.Const(NA) if k is None else ft.Ref(node.keys[k])
    if isinstance(node, ft.Arr):
        k = _pick(node.values, node.rows, node.cols, i, j)
        return ft.Const(NA) if k is None else ft.Const(node.values[k])
    if isinstance(node, ft.Ref | ft.Const | ft.Refused):
        return node
    if isinstance(node, ft.Op):
        return ft.Op(node.op, tuple(_element(a, i, j) for a in node.args))
    if node.name == "SEQUENCE":
        return _sequence(node, i, j)
    if node.name in ("ROW", "COLUMN") and not node.args:
        raise _Refuse(f"{node.name}() inside an array formula")
    if node.name in ELEMENTWISE:
        return ft.Call(node.name, tuple(_element(a, i, j) for a in node.args))
    if node.name in _PER_ELEMENT:  # a lookup of each element, in tables as they are
        at = _PER_ELEMENT[node.name]
        args = tuple(_element(a, i, j) if k in at else a for k, a in enumerate(node.args))
        if any(_has_array(a) and not isinstance(a, ft.Rng | ft.Arr) for a in args):
            raise _Refuse(f"an array expression as the table of {node.name} (array formula)")
        return ft.Call(node.name, args)
    if node.name in _REDUCE or (node.name == "SUMPRODUCT" and len(node.args) == 1):
        # an aggregate of an array expression: its elements, counted as a range's are
        name = "SUM" if node.name == "SUMPRODUCT" else node.name
        return ft.Call(name, tuple(_elements(a) for a in node.args))
    if any(_has_array(a) and not isinstance(a, ft.Rng | ft.Arr) for a in node.args):
        raise _Refuse(f"an array expression inside {node.name} (array formula)")
    return node  # an aggregate or lookup over plain ranges: one value for every element


# aggregates that take an array expression as a range of its elements
_REDUCE = {"SUM", "AVERAGE", "MIN", "MAX", "COUNT", "COUNTA", "AND", "OR"}
ELEMENTS = "_ELEMENTS"  # Call(ELEMENTS, elements): an array expression, element by element


def _shape(node: ft.Node) -> tuple[int, int]:
    if isinstance(node, ft.Rng | ft.Arr):
        return node.rows, node.cols
    if isinstance(node, ft.Call) and node.name == "SEQUENCE":
        nums = [a.value if isinstance(a, ft.Const) else None for a in node.args]
        rows = int(nums[0]) if nums and type(nums[0]) is float else 1
        cols = int(nums[1]) if len(nums) > 1 and type(nums[1]) is float else 1
        return max(rows, 1), max(cols, 1)
    if isinstance(node, ft.Op | ft.Call) and (isinstance(node, ft.Op) or node.name in ELEMENTWISE):
        shapes = [_shape(a) for a in node.args] or [(1, 1)]
        return max(r for r, _ in shapes), max(c for _, c in shapes)
    return 1, 1


def _elements(node: ft.Node) -> ft.Node:
    if isinstance(node, ft.Rng | ft.Arr | ft.Ref | ft.Const) or not _has_array(node):
        return node
    rows, cols = _shape(node)
    return ft.Call(ELEMENTS, tuple(_element(node, i, j) for i in range(rows) for j in range(cols)))


def _sequence(node: ft.Call, i: int, j: int) -> ft.Node:
    nums = []
    for a in node.args:
        if isinstance(a, ft.Op) and a.op == "u-" and isinstance(a.args[0], ft.Const):
            a = ft.Const(-a.args[0].value) if type(a.args[0].value) is float else a
        if not (isinstance(a, ft.Const) and (a.value is None or type(a.value) is float)):
            raise _Refuse("SEQUENCE with computed arguments")
        nums.append(a.value)
    if not 1 <= len(nums) <= 4:
        raise _Refuse(f"SEQUENCE with {len(nums)} arguments")
    rows = int(nums[0] if nums[0] is not None else 1)
    cols = int(nums[1]) if len(nums) > 1 and nums[1] is not None else 1
    start = nums[2] if len(nums) > 2 and nums[2] is not None else 1.0
    step = nums[3] if len(nums) > 3 and nums[3] is not None else 1.0
    if rows < 1 or cols < 1:
        raise _Refuse("SEQUENCE of no rows or columns (#CALC!)")
    if i >= rows or j >= cols:
        return ft.Const(NA)
    return ft.Const(float(start + step * (i * cols + j)))


def spill_cells(anchor: str, ref: str) -> list[tuple[str, int, int]]:
    """Every cell of an array formula's range with its element position."""
    sheet = anchor.rsplit("!", 1)[0]
    return [(key, i, j) for i, row in enumerate(cells_of(sheet, ref)) for j, key in enumerate(row)]


__all__ = ["element", "spill_cells"]
