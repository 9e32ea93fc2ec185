"""Explain: the tree of an output back to its inputs, with labels, formulas and values."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from service.analysis import AnalysisError, explain
from service.engine import CompiledModel


def _walk(node: dict) -> Iterator[dict]:
    yield node
    for child in node["inputs"]:
        yield from _walk(child)


def test_named_tree_reaches_the_inputs_with_labels_and_values(model: CompiledModel):
    values = {"fteAanpak": 14.0}
    r = explain(model, output="mkbaSaldo", values=values)
    tree = r["tree"]
    outputs = model.calculate(values)
    assert tree["name"] == "mkbaSaldo" and tree["formula"] == "=$J$12-$J$5"
    assert tree["value"] == pytest.approx(outputs["mkbaSaldo"])
    assert [c["name"] for c in tree["inputs"]] == ["totaleBaten", "totaleKosten"]
    nodes = list(_walk(tree))
    assert all(n["name"] and n["label"] for n in nodes)
    for n in nodes:
        if n["kind"] == "output":
            assert n["value"] == pytest.approx(outputs[n["name"]])
            assert n["formula"].startswith("=")
        if not n["inputs"] and not n.get("repeated"):
            assert n["kind"] == "input" and n["formula"] is None
    fte = next(n for n in nodes if n["name"] == "fteAanpak")
    assert fte["value"] == 14.0 and fte["unit"] == "fte"
    listed = {i["name"]: i["value"] for i in r["inputs"]}
    assert listed["fteAanpak"] == 14.0
    assert "kwaliteitVanLevenInQalys" in listed


def test_cells_mode_is_the_full_trace_and_depth_cuts_it(model: CompiledModel):
    full = explain(model, output="totaleKosten", mode="cells")
    assert full["nodes"] == sum(1 for _ in _walk(model.trace("totaleKosten", {})))
    short = explain(model, output="totaleKosten", mode="cells", depth=2)
    assert short["nodes"] < full["nodes"]
    assert any(n.get("truncated") for n in _walk(short["tree"]))
    assert all(not n.get("truncated") for n in _walk(full["tree"]))


def test_invalid_requests(model: CompiledModel):
    with pytest.raises(AnalysisError) as e:
        explain(model, output="nope", mode="all", depth=0)
    assert {p["field"] for p in e.value.errors} == {"output", "mode", "depth"}
