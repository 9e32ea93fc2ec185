"""Shared work of a batch: which cells of the C function can be kept from one row to the next.

A cell's value is a function of the inputs it depends on (its *key*), and of nothing else:
no state, no randomness (volatile functions are refused). So in a batch, a cell whose key
inputs hold the same bits as in the previous row has the same value, bit for bit, as in
that row. The compiler groups the cells by key; the batch function keeps each group's
values (and whether one of its operations declined) and recomputes a group only when one
of its key inputs changed. Discount factors `(1 + r)^t` (key: the rate and the horizon)
are then computed once per run of rows with the same rate, and in a Monte Carlo run once
for every input that is not drawn.

Inside a cell, a part of its expression that reads fewer inputs than the whole (the clamp
`MAX(0, MIN(1, ...))` of a year's share that reads only a duration, in a cell that also
reads a drawn count) becomes a cell of its own with that smaller key, computed once per
change of its inputs like any other (`hoist`). Only parts without a side effect are taken
out (no `bail`: an operation that may decline stays where the scalar function evaluates
it), so a part computed where the scalar function would have skipped it (a branch of an
IF) changes nothing but the time; the part is the same text on the same values, so it
gives the same bits.

Every cell is kept, whatever the size of its key: against keeping only cells of at most
8 inputs it measured no slower (the host was noisy; bench/bench_batch.py). A row in which
most key inputs changed is computed as the scalar function does, without keeping anything
(service/compiler/c_writer.py).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from service.compiler.c_expressions import Node, parse

# an identifier, not the exponent of a literal such as 1e-05
_TOKEN = re.compile(r"(?<![\w.])[A-Za-z_][A-Za-z0-9_]*")


@dataclass(frozen=True)
class Group:
    """Cells with the same key: recomputed together when a key input changes."""

    key: tuple[int, ...]  # positions of the key inputs, ascending
    cells: tuple[str, ...]  # C names, in evaluation order


@dataclass(frozen=True)
class Plan:
    """The batch function's plan: groups of cells, each after the groups it reads."""

    groups: tuple[Group, ...]
    slots: dict[str, int]  # kept cell -> its slot in the batch's cache
    code: dict[str, str]  # kept cell -> its C expression (a part's name in place of each part)
    parts: dict[str, str]  # the parts taken out of cells -> the first cell they came from

    def key_inputs(self) -> list[int]:
        """Positions of the inputs some kept group depends on, ascending."""
        return sorted({k for g in self.groups for k in g.key})


def references(code: str, names: set[str]) -> list[str]:
    """The names of cells and inputs a C expression reads."""
    return [t for t in _TOKEN.findall(code) if t in names]


def rewrite(code: str, replace: dict[str, str]) -> str:
    """A C expression with the names in `replace` replaced."""
    return _TOKEN.sub(lambda m: replace.get(m.group(0), m.group(0)), code)


def hoist(
    params: list[str], lines: list[tuple[str, str, str]]
) -> tuple[list[tuple[str, str, str]], dict[str, str]]:
    """`lines` with the parts of each expression that read fewer inputs than the whole
    taken out as cells of their own (named `part_<n>`, before the first cell that uses
    them; the same text twice is one part), and per part the cell it came from."""
    keys: dict[str, frozenset[int] | None] = {p: frozenset((k,)) for k, p in enumerate(params)}
    keys["bail"] = None  # an operation that may decline: never taken out
    taken = set(keys) | {name for name, _, _ in lines}
    made: dict[str, str] = {}  # a part's text -> its name
    parts: dict[str, str] = {}
    out: list[tuple[str, str, str]] = []

    def key_of(node: Node) -> frozenset[int] | None:
        key: frozenset[int] = frozenset()
        for name in node.names():
            k = keys.get(name, frozenset())
            if k is None:
                return None
            key |= k
        return key

    for name, code, comment in lines:
        root = parse(code)
        whole = frozenset(k for ref in root.names() for k in keys.get(ref) or ())
        spans: list[tuple[int, int, frozenset[int]]] = []
        todo = list(root.args)  # the largest parts with a smaller key, outside in
        while todo:
            node = todo.pop()
            key = key_of(node) if node.computes() else None
            if key is not None and key < whole:
                spans.append((node.start, node.end, key))
            else:
                todo += node.args
        for start, end, key in sorted(spans, reverse=True):
            text = code[start:end]
            part = made.get(text)
            if part is None:
                part = f"part_{len(made)}"
                while part in taken:
                    part += "_"
                taken.add(part)
                made[text] = part
                keys[part] = key
                parts[part] = name
                out.append((part, text, f"part of {name}"))
            code = code[:start] + part + code[end:]
        keys[name] = whole
        out.append((name, code, comment))
    return out, parts


def plan(params: list[str], lines: list[tuple[str, str, str]]) -> Plan:
    """Group the cells of `lines` (C name, expression, comment), and the parts `hoist`
    takes out of them, by the inputs they read."""
    lines, parts = hoist(params, lines)
    keys: dict[str, frozenset[int]] = {p: frozenset((k,)) for k, p in enumerate(params)}
    for name, code, _ in lines:
        key: frozenset[int] = frozenset()
        for ref in references(code, set(keys)):
            key |= keys[ref]
        keys[name] = key
    by_key: dict[frozenset[int], list[str]] = {}
    for name, _, _ in lines:
        # a key of no inputs (a formula that shows an empty cell): computed in the first row
        by_key.setdefault(keys[name], []).append(name)
    # a cell reads only cells whose key is a subset of its own: smaller keys first, then
    # the first cell's position, is an order in which every group finds its inputs computed
    position = {name: i for i, (name, _, _) in enumerate(lines)}
    ordered = sorted(by_key.items(), key=lambda kv: (len(kv[0]), position[kv[1][0]]))
    groups = tuple(Group(tuple(sorted(k)), tuple(cells)) for k, cells in ordered)
    slots = {name: i for i, name in enumerate(c for g in groups for c in g.cells)}
    return Plan(groups, slots, {name: code for name, code, _ in lines}, parts)


__all__ = ["Group", "Plan", "hoist", "plan", "references", "rewrite"]
