"""Formula text -> tree of nodes (Const, Ref, Rng, Arr, Op, Call): `formulas`' tokenizer and
shunting-yard feed a builder that makes them; CompileError, the refusal of a construct."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from service.engine.runtime import ERRORS


class CompileError(Exception):
    """A construct the compiler refuses: names the cell, the formula and the reason."""

    def __init__(self, cell: str, formula: str, reason: str) -> None:
        super().__init__(f"{cell}: {formula}: {reason}")
        self.cell = cell
        self.formula = formula
        self.reason = reason


@dataclass(frozen=True)
class Const:
    """A literal: float, str, bool, ExcelError, or None for an omitted argument."""

    value: Any


@dataclass(frozen=True)
class Ref:
    """A reference to one cell, key 'Sheet!A1'."""

    key: str


@dataclass(frozen=True)
class Rng:
    """A rectangular range: cell keys in row-major order."""

    keys: tuple[str, ...]
    rows: int
    cols: int
    text: str


@dataclass(frozen=True)
class Op:
    """An operator: + - * / ^ & = <> < <= > >= u- u+ %."""

    op: str
    args: tuple[Node, ...]


@dataclass(frozen=True)
class Call:
    """A function call, name upper-case without the _xlfn. prefix."""

    name: str
    args: tuple[Node, ...]


@dataclass(frozen=True)
class Arr:
    """An array constant {1,2;3,4}: literal values in row-major order."""

    values: tuple[Any, ...]
    rows: int
    cols: int


@dataclass(frozen=True)
class Refused:
    """A cell the compiler refuses (per-cell mode): compiling it raises its reason."""

    reason: str


Node = Const | Ref | Rng | Arr | Op | Call | Refused

VOLATILE = {
    "INDIRECT",
    "OFFSET",
    "NOW",
    "TODAY",
    "RAND",
    "RANDBETWEEN",
    "RANDARRAY",
    "CELL",
    "INFO",
}
DYNAMIC = {
    "FILTER",
    "SORT",
    "SORTBY",
    "UNIQUE",
    "SEQUENCE",
    "XLOOKUP",
    "XMATCH",
    "LET",
    "LAMBDA",
    "MAP",
    "REDUCE",
    "SCAN",
    "MAKEARRAY",
    "BYROW",
    "BYCOL",
    "TEXTSPLIT",
    "VSTACK",
    "HSTACK",
    "TOCOL",
    "TOROW",
    "WRAPROWS",
    "WRAPCOLS",
    "TAKE",
    "DROP",
    "CHOOSEROWS",
    "CHOOSECOLS",
    "EXPAND",
    "ARRAY",
    "SINGLE",
}

_CELL = re.compile(r"^\$?([A-Z]{1,3})\$?([0-9]+)$")


def col_index(letters: str) -> int:
    """Column letters to a 1-based index."""
    n = 0
    for ch in letters:
        n = n * 26 + ord(ch) - 64
    return n


def col_letters(n: int) -> str:
    """1-based column index to letters."""
    s = ""
    while n:
        n, r = divmod(n - 1, 26)
        s = chr(65 + r) + s
    return s


def split_key(key: str) -> tuple[str, int, int]:
    """'Sheet!B3' -> ('Sheet', row 3, col 2)."""
    sheet, addr = key.rsplit("!", 1)
    m = _CELL.match(addr.upper())
    if not m:
        raise ValueError(f"not a cell address: {key}")
    return sheet, int(m.group(2)), col_index(m.group(1))


class _TreeBuilder:
    """Receives tokens from formulas' shunting-yard parser in RPN order; builds Nodes."""

    def __init__(self, owner: _Parser) -> None:
        self.stack: list[Node] = []
        self.owner = owner

    def __len__(self) -> int:
        return len(self.stack)

    def __getitem__(self, i: int) -> Node:
        return self.stack[i]

    def pop(self) -> Node:
        return self.stack.pop()

    def finish(self) -> None:
        pass

    def append(self, token: Any) -> None:
        from formulas.tokens.function import Function
        from formulas.tokens.operator import Operator

        if isinstance(token, Operator | Function):
            n = token.get_n_args
            args = [self.stack.pop() for _ in range(n)][::-1]
            self.stack.append(self.owner.node_for_call(token, tuple(args)))
        else:
            self.stack.append(self.owner.node_for_operand(token))


class _Parser:
    """Parses one formula of one cell."""

    def __init__(self, resolver: Any, cell: str, formula: str) -> None:
        self.resolver = resolver
        self.cell = cell
        self.formula = formula

    def fail(self, reason: str) -> CompileError:
        return CompileError(self.cell, self.formula, reason)

    def parse(self) -> Node:
        # formulas resolves some volatile calls (INDIRECT of a literal) while parsing:
        # refuse them on the text first, string literals removed
        bare = re.sub(r'"(?:[^"]|"")*"', '""', self.formula).upper()
        if bare.replace(" ", "") == "=TABLE()":  # how workbook.py marks a data table
            raise self.fail("data table (What-If analysis) is not supported")
        r1c1 = re.search(
            r"(?<![A-Z0-9_.!:$])R(?:[0-9]+|\[-?[0-9]+\])C(?:[0-9]+|\[-?[0-9]+\])?(?![A-Z0-9_(])",
            bare,
        )
        if r1c1:
            raise self.fail(f"R1C1-style reference {r1c1.group(0)} is not supported")
        spill = re.search(r"\$?[A-Z]{1,3}\$?[0-9]+#", bare)
        if spill:
            raise self.fail(f"spilled-range reference {spill.group(0)} is not supported")
        for m in re.finditer(r"(?<![A-Z0-9_.])(?:_XLFN\.)?([A-Z][A-Z0-9.]*)\s*\(", bare):
            if m.group(1) in VOLATILE and m.group(1) != "OFFSET":  # OFFSET: see _offset
                raise self.fail(f"volatile function {m.group(1)} is not supported")
        from formulas import Parser

        parser = Parser()
        builder = _TreeBuilder(self)
        parser.ast_builder = lambda **_: builder  # type: ignore[method-assign]
        try:
            parser.ast(self.formula)
        except CompileError:
            raise
        except Exception as e:  # formulas' own parse errors
            raise self.fail(f"cannot parse ({type(e).__name__}: {e})") from None
        if len(builder.stack) != 1:
            raise self.fail("cannot parse")
        return builder.stack[0]

    def node_for_operand(self, token: Any) -> Node:
        kind = type(token).__name__
        name = token.name
        if kind == "Number":
            if name.upper() == "TRUE":
                return Const(True)
            if name.upper() == "FALSE":
                return Const(False)
            return Const(float(name))
        if kind == "String":
            return Const(token.name.replace('""', '"') if '""' in token.name else token.name)
        if kind == "Error":
            err = ERRORS.get(name.upper())
            if err is None:
                raise self.fail(f"unsupported error literal {name}")
            return Const(err)
        if kind == "Empty":
            return Const(None)
        if kind == "Range":
            node = self.resolver(self, token)
            last = node.key if isinstance(node, Ref) else node.keys[-1]
            _, row, col = split_key(last)
            if row > 1_048_576 or col > 16_384:
                raise self.fail(f"reference {token.name} beyond the sheet (a name Excel lacks)")
            return node
        raise self.fail(f"unsupported token {name!r} ({kind})")

    def _offset(self, args: tuple[Node, ...]) -> Node:
        """OFFSET with constant arguments is the reference it points at, found now."""
        if not 3 <= len(args) <= 5 or not isinstance(args[0], Ref | Rng):
            raise self.fail("volatile function OFFSET is not supported (not a reference)")
        nums: list[float | None] = []
        for a in args[1:]:
            a = _signed(a)
            if isinstance(a, Const) and (a.value is None or type(a.value) is float):
                nums.append(a.value)
            else:
                raise self.fail("volatile function OFFSET is not supported (computed offsets)")
        base = args[0]
        first = base.key if isinstance(base, Ref) else base.keys[0]
        rows0, cols0 = (1, 1) if isinstance(base, Ref) else (base.rows, base.cols)
        sheet, row, col = split_key(first)
        dr, dc = int(nums[0] or 0), int(nums[1] or 0)
        h = rows0 if len(nums) < 3 or nums[2] is None else int(nums[2])
        w = cols0 if len(nums) < 4 or nums[3] is None else int(nums[3])
        r1, c1 = row + dr, col + dc
        if r1 < 1 or c1 < 1 or h < 1 or w < 1:
            raise self.fail("OFFSET outside the sheet or of no size (#REF!)")
        keys = tuple(
            f"{sheet}!{col_letters(c)}{r}" for r in range(r1, r1 + h) for c in range(c1, c1 + w)
        )
        if len(keys) == 1:
            return Ref(keys[0])
        text = f"{sheet}!{col_letters(c1)}{r1}:{col_letters(c1 + w - 1)}{r1 + h - 1}"
        return Rng(keys, h, w, text)

    def _array(self, args: tuple[Node, ...]) -> Node:
        """formulas gives {1,2;3,4} as ARRAY(ARRAY(1,2),ARRAY(3,4)): rows of literals."""
        if args and all(isinstance(a, Arr) for a in args):
            rows = [a for a in args if isinstance(a, Arr)]
            if len({r.cols for r in rows}) != 1 or any(r.rows != 1 for r in rows):
                raise self.fail("array constant with rows of unequal length")
            values = tuple(v for r in rows for v in r.values)
            return Arr(values, len(rows), rows[0].cols)
        args = tuple(_signed(a) for a in args)
        if not args or not all(isinstance(a, Const) for a in args):
            raise self.fail("array constant with a non-literal element")
        return Arr(tuple(a.value for a in args if isinstance(a, Const)), 1, len(args))

    def node_for_call(self, token: Any, args: tuple[Node, ...]) -> Node:
        kind = type(token).__name__
        name = token.name
        if kind == "Function":
            fname = name.upper()
            for prefix in ("_XLFN._XLWS.", "_XLFN.", "_XLWS."):
                if fname.startswith(prefix):
                    fname = fname[len(prefix) :]
            if fname == "OFFSET":
                return self._offset(args)
            if fname in VOLATILE:
                raise self.fail(f"volatile function {fname} is not supported")
            if fname == "ARRAY":
                return self._array(args)
            if fname in DYNAMIC and fname != "SEQUENCE":  # SEQUENCE: see compiler/arrays.py
                raise self.fail(f"dynamic-array function {fname} is not supported")
            return Call(fname, args)
        op = name.lower() if name.lower() in ("u-", "u+") else name
        if op in (",", " ", ":"):
            raise self.fail(f"reference operator {op!r} (union/intersection) is not supported")
        if op not in {
            "+",
            "-",
            "*",
            "/",
            "^",
            "&",
            "=",
            "<>",
            "<",
            "<=",
            ">",
            ">=",
            "u-",
            "u+",
            "%",
        }:
            raise self.fail(f"unsupported operator {op!r}")
        return Op(op, args)


def _signed(node: Node) -> Node:
    """A negative literal inside an array constant ({-1,2}) as one constant."""
    if isinstance(node, Op) and node.op in ("u-", "u+") and isinstance(node.args[0], Const):
        v = node.args[0].value
        if type(v) is float:
            return Const(-v if node.op == "u-" else v)
    return node
