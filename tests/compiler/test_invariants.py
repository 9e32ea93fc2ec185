"""The batch's shared parts of cells (service/compiler/invariants.py, c_expressions.py).

The bit-for-bit behaviour of the batch is held to the Python artifact in
tests/properties/test_native_engine.py; here, what is taken out of a cell, on
expressions written out by hand."""

from __future__ import annotations

from pathlib import Path

import pytest

from service.compiler import invariants
from service.compiler.c_expressions import parse

C_SOURCE = Path(__file__).resolve().parents[2] / "formulas_spec/compiled/mkba-1gezin1plan.c"


def test_every_cell_of_the_reference_model_reads_back_whole() -> None:
    """Each cell's C expression is one tree spanning its text, read with C's precedence."""
    lines = [
        line.split(" = ", 1)[1].rsplit(";", 1)[0]
        for line in C_SOURCE.read_text()
        .split("int mkba_calculate(")[1]
        .split("\n}\n")[0]
        .split("\n")
        if line.startswith("    const double ") and " = in[" not in line
    ]
    assert len(lines) > 1000
    for code in lines:
        node = parse(code)
        assert (node.start, node.end) == (0, len(code))


@pytest.mark.parametrize(
    ("code", "shape"),
    [
        ("a - b - c", "binary(binary(a,b),c)"),
        ("a + b * c", "binary(a,binary(b,c))"),
        ("x ? a : b ? c : d", "cond(x,a,cond(b,c,d))"),
        ("(bail = 1, 0.0)", "paren(binary(binary(bail,1),0.0))"),
        ("f(a, -b, &bail) <= 2.0", "binary(call(a,unary(b),unary(bail)),2.0)"),
    ],
)
def test_precedence(code: str, shape: str) -> None:
    def show(n) -> str:  # noqa: ANN001
        if not n.args:
            return n.text
        return f"{n.kind}({','.join(show(a) for a in n.args)})"

    assert show(parse(code)) == shape


def test_unreadable_text_is_refused() -> None:
    for code in ("a +", "a $ b", "f(a", "a ? b"):
        with pytest.raises(ValueError):
            parse(code)


def test_a_part_that_reads_fewer_inputs_becomes_a_cell_of_its_own() -> None:
    params = ["A", "B"]
    lines = [
        ("X", "((A * 1.0) * pick_ge(0.0, pick_le(1.0, (B - 2.0))))", "X"),
        ("Y", "(A + pick_ge(0.0, pick_le(1.0, (B - 2.0))))", "Y"),  # the same part again
        ("Z", "(A * xdiv(B, 2.0, &bail))", "Z"),  # may decline: stays where it is
        ("W", "((B > 1.0) ? (A + 1.0) : (B * 2.0))", "W"),
    ]
    out, parts = invariants.hoist(params, lines)
    # every part that reads fewer inputs than its cell, the largest such (numbered from
    # the end of the text): (A * 1.0) too, which is shared when only B varies
    assert out == [
        ("part_0", "pick_ge(0.0, pick_le(1.0, (B - 2.0)))", "part of X"),
        ("part_1", "(A * 1.0)", "part of X"),
        ("X", "(part_1 * part_0)", "X"),
        ("Y", "(A + part_0)", "Y"),
        ("Z", "(A * xdiv(B, 2.0, &bail))", "Z"),
        ("part_2", "(B * 2.0)", "part of W"),
        ("part_3", "(A + 1.0)", "part of W"),
        ("part_4", "(B > 1.0)", "part of W"),
        ("W", "(part_4 ? part_3 : part_2)", "W"),
    ]
    assert parts == {"part_0": "X", "part_1": "X", "part_2": "W", "part_3": "W", "part_4": "W"}
    plan = invariants.plan(params, lines)
    keys = {cell: group.key for group in plan.groups for cell in group.cells}
    assert keys == {
        "part_0": (1,),
        "part_1": (0,),
        "part_2": (1,),
        "part_3": (0,),
        "part_4": (1,),
        "X": (0, 1),
        "Y": (0, 1),
        "Z": (0, 1),
        "W": (0, 1),
    }


def test_a_part_name_never_takes_a_cell_name() -> None:
    out, parts = invariants.hoist(["A", "part_0"], [("X", "(A * (part_0 + 1.0))", "X")])
    assert out == [("part_0_", "(part_0 + 1.0)", "part of X"), ("X", "(A * part_0_)", "X")]
