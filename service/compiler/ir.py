"""The compiler's intermediate form: every formula cell with its types, worked out once.

A formula's tree (service/compiler/formula_tree.py) gets a type set per node: the kinds
of value it can give (n number, b bool, s text, z empty, e error). The Python writer
decides them as it writes each cell (its code paths are Excel's semantics,
service/compiler/python_writer.py) and records them in `Env.node_types`; the numpy and C
writers read them there instead of working them out again. `Cell` is one formula cell
as every writer sees it: its name, tree, types, and its value when no input reaches it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from service.compiler.formula_tree import CompileError, Node
from service.compiler.functions import COUNTIFS, HELPERS, LOOKUPS

Types = frozenset[str]
N: Types = frozenset("n")
B: Types = frozenset("b")
S: Types = frozenset("s")
Z: Types = frozenset("z")
E: Types = frozenset("e")
ANY: Types = frozenset("nbsze")

# The functions the C writer has a C form for (besides TRUE/FALSE), in the order the
# modeller's messages and docs/functions.md list them; every writer has its own code for them.
C_FORMS = (
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
    "ABS",
    "ROUND",
    "ROUNDUP",
    "ROUNDDOWN",
    "TRUNC",
    "NPV",
)
# Functions with their own inlined/helper code; everything else known to `formulas`
# is delegated to formulas' implementation at run time (if verified).
INLINE = set(C_FORMS) | {"TRIM", "TRUE", "FALSE"}
INLINE |= set(HELPERS) | set(LOOKUPS) | set(COUNTIFS) | {"LARGE", "SMALL", "RANK", "RANK.EQ"}
INLINE |= {"COUNT", "COUNTA", "NA", "IFNA"}
# aggregates and their run-time helpers
AGGREGATES = {"SUM": "xsum", "MIN": "xmin", "MAX": "xmax", "AVERAGE": "xaverage"}
# comparison operators: run-time helper suffix and Python operator
COMPARISONS = {"=": "eq", "<>": "ne", "<": "lt", "<=": "le", ">": "gt", ">=": "ge"}
PY_COMPARISONS = {"=": "==", "<>": "!=", "<": "<", "<=": "<=", ">": ">", ">=": ">="}
# fewest and most arguments of the inlined functions (others: 1..255)
ARITIES: dict[str, tuple[int, int]] = {
    "IF": (2, 3),
    "IFERROR": (2, 2),
    "NOT": (1, 1),
    "NA": (0, 0),
    "IFNA": (2, 2),
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


def numeric_types(t: Types) -> Types:
    """Types after numeric coercion (text may fail to convert: an error)."""
    return N | (E if ("e" in t or "s" in t) else frozenset())


def error_types(*ts: Types) -> Types:
    """E when any of the type sets may be an error."""
    return E if any("e" in t for t in ts) else frozenset()


def ident(key: str) -> str:
    """Identifier of a cell in every generated language: 'My sheet!B3' -> 'My_sheet_B3'."""
    sheet, addr = key.rsplit("!", 1)
    s = re.sub(r"\W", "_", sheet, flags=re.ASCII)
    if not s or s[0].isdigit():
        s = "s" + s
    return f"{s}_{addr}"


def function_name(name: str) -> str:
    """Identifier of a delegated function's handle: F_<name>."""
    return "F_" + re.sub(r"\W", "_", name, flags=re.ASCII)


@dataclass
class Context:
    """The cell a writer is writing, for its refusals."""

    cell: str
    formula: str

    def fail(self, reason: str) -> CompileError:
        """A refusal naming this cell and formula."""
        return CompileError(self.cell, self.formula, reason)


@dataclass
class Env:
    """What the writers know about cells."""

    names: dict[str, str]  # cell key -> identifier (inputs and formula cells)
    types: dict[str, Types]  # cell key -> its types
    constants: dict[str, Any]  # cell key -> constant value (non-formula and folded cells)
    delegates: set[str] = field(default_factory=set)
    known_functions: frozenset[str] = frozenset()
    refused: dict[str, str] = field(default_factory=dict)  # cell -> why it has no value
    formula_cells: frozenset[str] = frozenset()  # every formula cell of the workbook (ISFORMULA)
    fold: bool = True  # False: constant sub-expressions are left to the run-time helpers
    helpers: set[str] = field(default_factory=set)  # run-time helpers beyond the usual
    # id(node) -> (node, fold, its types): recorded by the Python writer, read by the others
    # (the node is kept: an id is only unique while its object lives)
    node_types: dict[int, tuple[Node, bool, Types]] = field(default_factory=dict)


@dataclass
class Cell:
    """One formula cell of the intermediate form."""

    key: str
    formula: str
    node: Node
    name: str | None  # its identifier; None when folded into a constant
    types: Types
    needed: bool  # an output depends on it (calculate, numpy, C); else calculate_cells only
    value: Any = None  # the folded constant (name is None)
    series: bool = False  # a yearly series depends on it, no output (calculate_series)

    @property
    def comment(self) -> str:
        """The cell and its formula, on one line."""
        return f"{self.key} {self.formula}".replace("\n", " ")


@dataclass
class Program:
    """A workbook in the intermediate form: the inputs, every formula cell in evaluation
    order (the cells an output needs first, then those only a yearly series needs), and
    the cells returned."""

    env: Env
    inputs: list[str]  # input cells in Interface order
    cells: list[Cell]
    results: list[str]  # RESULTS: cells calculate() returns, in order
    deps: dict[str, list[str]]  # formula cell -> direct precedents
    refusals: list[CompileError] = field(default_factory=list)  # per-cell mode
    series: list[str] = field(default_factory=list)  # cells calculate_series returns

    @property
    def params(self) -> list[str]:
        """Identifiers of the input cells: the parameters of every generated function."""
        return [self.env.names[k] for k in self.inputs]

    def needed(self) -> list[Cell]:
        """The cells an output depends on, in evaluation order."""
        return [c for c in self.cells if c.needed]
