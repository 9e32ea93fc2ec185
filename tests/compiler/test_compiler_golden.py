"""Golden table: formula -> generated code (regenerate: python -m tests.compiler.golden)."""

from __future__ import annotations

from tests.compiler import golden


def test_golden_table_is_current() -> None:
    expected = golden.GOLDEN.read_text()
    actual = golden.render()
    assert actual == expected, (
        "generated code changed: review, then run `python -m tests.compiler.golden`"
    )
