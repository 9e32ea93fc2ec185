"""The C writer's expressions read back as trees, each node with its span in the text.

service/compiler/invariants.py looks inside a cell's C expression for parts that read fewer
inputs than the whole; this module finds them. It reads what the C writer writes (numbers,
names, calls, `a[i]`, unary `! - + &`, the binary operators from `,` to `*` and `/`, and
`?:`) with C's precedence, and refuses anything else (ValueError). A node's span is the
text it was read from, so a part is replaced in the original text, never printed anew.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, field

_TOKEN = re.compile(
    r"\s*(?:(\d+\.\d*(?:[eE][-+]?\d+)?|\d+[eE][-+]?\d+|\d+)"  # a number
    r"|([A-Za-z_]\w*)"  # a name
    r"|(\|\||&&|==|!=|<=|>=|[-+*/()?:,!<>&=\[\]]))"  # an operator
)
# binary operators and their C precedence (higher binds tighter); `=` is right-associative
_BINARY = {
    ",": 1,
    "=": 2,
    "||": 4,
    "&&": 5,
    "==": 8,
    "!=": 8,
    "<": 9,
    "<=": 9,
    ">": 9,
    ">=": 9,
    "+": 11,
    "-": 11,
    "*": 12,
    "/": 12,
}
_CONDITIONAL = 3  # the precedence of ?:
_ARGUMENT = 2  # a call's arguments: anything but the comma operator


@dataclass
class Node:
    """One node: kind is num, name, call, index, unary, binary, cond or paren."""

    kind: str
    start: int
    end: int
    args: list[Node] = field(default_factory=list)
    text: str = ""  # the number, name, called function or operator

    def names(self) -> Iterator[str]:
        """The names the node reads (not the functions it calls)."""
        if self.kind == "name":
            yield self.text
        for a in self.args:
            yield from a.names()

    def computes(self) -> bool:
        """Whether the node performs an operation (more than a name or a number)."""
        return self.kind in ("binary", "call", "unary", "cond") or any(
            a.computes() for a in self.args
        )


def parse(code: str) -> Node:
    """The tree of one C expression."""
    reader = _Reader(code)
    node = reader.expr(0)
    if reader.i != len(reader.tokens):
        raise ValueError(f"cannot read {code[reader.peek()[2] :][:40]!r}")
    return node


class _Reader:
    def __init__(self, code: str) -> None:
        self.code = code
        self.tokens: list[tuple[str, str, int, int]] = []
        pos, end = 0, len(code.rstrip())
        while pos < end:
            m = _TOKEN.match(code, pos)
            if m is None or m.lastindex is None:
                raise ValueError(f"cannot read {code[pos:][:40]!r}")
            kind = ("num", "name", "op")[m.lastindex - 1]
            self.tokens.append((kind, m.group(m.lastindex), m.start(m.lastindex), m.end()))
            pos = m.end()
        self.i = 0

    def peek(self) -> tuple[str, str, int, int]:
        if self.i < len(self.tokens):
            return self.tokens[self.i]
        return ("end", "", len(self.code), len(self.code))

    def take(self, expected: str | None = None) -> tuple[str, str, int, int]:
        token = self.peek()
        if token[0] == "end" or (expected is not None and token[1] != expected):
            raise ValueError(f"expected {expected or 'more'} at {self.code[token[2] :][:40]!r}")
        self.i += 1
        return token

    def expr(self, lowest: int) -> Node:
        left = self.unary()
        while True:
            kind, op, _, _ = self.peek()
            if kind != "op":
                return left
            if op == "?" and lowest <= _CONDITIONAL:
                self.take()
                a = self.expr(0)
                self.take(":")
                b = self.expr(_CONDITIONAL)
                left = Node("cond", left.start, b.end, [left, a, b])
                continue
            if op not in _BINARY or _BINARY[op] < lowest:
                return left
            self.take()
            right = self.expr(_BINARY[op] + (op != "="))
            left = Node("binary", left.start, right.end, [left, right], op)

    def unary(self) -> Node:
        kind, value, start, end = self.take()
        if kind == "op" and value in ("!", "-", "+", "&"):
            x = self.unary()
            return Node("unary", start, x.end, [x], value)
        if kind == "op" and value == "(":
            x = self.expr(0)
            return self.postfix(Node("paren", start, self.take(")")[3], [x]))
        if kind == "num":
            return Node("num", start, end, text=value)
        if kind == "name" and self.peek()[1] == "(":
            self.take("(")
            args = []
            if self.peek()[1] != ")":
                args.append(self.expr(_ARGUMENT))
                while self.peek()[1] == ",":
                    self.take(",")
                    args.append(self.expr(_ARGUMENT))
            return Node("call", start, self.take(")")[3], args, value)
        if kind == "name":
            return self.postfix(Node("name", start, end, text=value))
        raise ValueError(f"unexpected {value!r} at {self.code[start:][:40]!r}")

    def postfix(self, node: Node) -> Node:
        while self.peek()[1] == "[":
            self.take("[")
            x = self.expr(0)
            node = Node("index", node.start, self.take("]")[3], [node, x])
        return node


__all__ = ["Node", "parse"]
