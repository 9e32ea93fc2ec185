"""Explain: one output of one scenario as a tree back to the inputs, with labels and formulas.

Mode "named" (default) keeps only cells with an interface name (inputs and outputs) and links
each to the named cells it depends on through unnamed intermediate cells; mode "cells" is the
full cell tree of `CompiledModel.trace`, cut at `depth` and at MAX_NODES.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from service.analysis.checks import Problems, check_output, check_values
from service.analysis.outputs import json_value
from service.engine import CompiledModel

MAX_DEPTH = 100
MAX_NODES = 10_000  # nodes in one answer; deeper or further nodes come back as `truncated`
MODES = ("named", "cells")


def _index(tree: dict[str, Any]) -> dict[str, dict[str, Any]]:
    """Cell -> its expanded trace node (a repeated node is not expanded in the trace)."""
    index: dict[str, dict[str, Any]] = {}
    stack = [tree]
    while stack:
        node = stack.pop()
        if node["cell"] not in index or node["inputs"]:
            index[node["cell"]] = node
        stack.extend(node["inputs"])
    return index


def _named_refs(cell: str, index: Mapping[str, dict[str, Any]]) -> list[str]:
    """Named cells reached from `cell` through unnamed cells, in formula order."""
    out: list[str] = []
    seen = {cell}
    stack = [c["cell"] for c in reversed(index[cell]["inputs"])]
    while stack:
        c = stack.pop()
        if c in seen:
            continue
        seen.add(c)
        node = index[c]
        if node["name"] is not None:
            out.append(c)
        else:
            stack.extend(i["cell"] for i in reversed(node["inputs"]))
    return out


def explain(
    model: CompiledModel,
    *,
    output: str,
    values: Mapping[str, Any] | None = None,
    mode: str = "named",
    depth: int = MAX_DEPTH,
) -> dict[str, Any]:
    """The tree of `output` in scenario `values`: cell, name, label, unit, formula, value."""
    problems = Problems()
    scenario = check_values(model, values, "values", problems)
    check_output(model, output, "output", problems)
    if mode not in MODES:
        problems.add("mode", f"must be one of {', '.join(MODES)}")
    if isinstance(depth, bool) or not isinstance(depth, int) or not 1 <= depth <= MAX_DEPTH:
        problems.add("depth", f"must be a whole number from 1 to {MAX_DEPTH}")
    problems.raise_if_any()

    index = _index(model.trace(output, scenario))
    units = {s.cell: s.unit for s in model.inputs} | {s.cell: s.unit for s in model.outputs}
    kinds = {s.cell: "input" for s in model.inputs} | {s.cell: "output" for s in model.outputs}
    count = 0
    expanded: set[str] = set()

    def build(cell: str, level: int) -> dict[str, Any]:
        nonlocal count
        count += 1
        src = index[cell]
        node: dict[str, Any] = {
            "cell": cell,
            "name": src["name"],
            "label": src["label"],
            "kind": kinds.get(cell, "cell"),
            "unit": units.get(cell),
            "formula": src["formula"],
            "value": json_value(src["value"]),
            "inputs": [],
        }
        if src["formula"] is None:
            return node
        if cell in expanded:
            node["repeated"] = True
            return node
        refs = _named_refs(cell, index) if mode == "named" else [c["cell"] for c in src["inputs"]]
        if level >= depth or count + len(refs) > MAX_NODES:
            node["truncated"] = True
            return node
        expanded.add(cell)
        node["inputs"] = [build(r, level + 1) for r in refs]
        return node

    root = next(o.cell for o in model.outputs if o.name == output)
    tree = build(root, 0)
    reached = [
        {"name": s.name, "label": s.label_nl, "unit": s.unit, "value": json_value(scenario[s.name])}
        for s in model.inputs
        if s.cell in index
    ]
    return {
        "model": model.id,
        "output": output,
        "mode": mode,
        "nodes": count,
        "tree": tree,
        "inputs": reached,
    }
