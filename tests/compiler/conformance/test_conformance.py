"""Every conformance case is exact or refused: zero wrong cells, every category covered."""

from __future__ import annotations

import re
from collections import Counter

import pytest

from service.compiler.functions import REFERENCE_FUNCTIONS, VERIFIED_DELEGATES
from service.compiler.ir import INLINE
from tests.compiler.conformance import make
from tests.compiler.conformance.cases import CASES, EXCEL, UNSETTLED
from tests.compiler.conformance.suite import Outcome, load_expected, run

CATEGORIES = (
    "lookups",
    "dates",
    "finance",
    "rounding",
    "text",
    "logic",
    "aggregation",
    "reference",
    "arrays",
)


@pytest.fixture(scope="module")
def outcomes() -> list[Outcome]:
    return run()


def test_expected_values_belong_to_these_cases() -> None:
    assert load_expected()["cases_sha256"] == make.cases_sha256(), (
        f"cases changed: run `{make.COMMAND}` (needs LibreOffice and Gnumeric)"
    )


def test_no_cell_is_wrong(outcomes: list[Outcome]) -> None:
    wrong = [o for o in outcomes if o.status == "wrong"]
    assert not wrong, "\n".join(
        f"{o.category} {o.cell} {o.formula}: ours {o.ours!r}, expected {o.expected!r} ({o.detail})"
        for o in wrong
    )


def test_every_category_has_exact_cells(outcomes: list[Outcome]) -> None:
    exact = Counter(o.category for o in outcomes if o.status == "exact")
    assert set(CASES) == set(CATEGORIES)
    for category in CATEGORIES:
        assert exact[category] >= 5, category


def test_refusals_name_a_reason(outcomes: list[Outcome]) -> None:
    for o in outcomes:
        if o.status == "refused":
            assert o.detail and o.formula, o


def test_every_documented_excel_value_is_used() -> None:
    for category, formula in [*EXCEL, *UNSETTLED]:
        assert formula in make.cells(category).values(), (category, formula)


def test_unsettled_cells_are_only_the_reviewed_ones(outcomes: list[Outcome]) -> None:
    unsettled = {(o.category, o.formula) for o in outcomes if o.status == "unsettled"}
    assert unsettled <= set(UNSETTLED)


def _functions(formula: str) -> set[str]:
    bare = re.sub(r'"(?:[^"]|"")*"', '""', formula.upper())
    return set(re.findall(r"([A-Z][A-Z0-9.]*)\(", bare))


def test_every_function_we_answer_has_exact_cases(outcomes: list[Outcome]) -> None:
    """Delegated, helper and inlined functions alike: each is held to the engines."""
    exact: Counter[str] = Counter()
    for o in outcomes:
        if o.status == "exact":
            exact.update(_functions(o.formula))
    answered = (VERIFIED_DELEGATES | INLINE | REFERENCE_FUNCTIONS) - {"TRUE", "FALSE"}
    missing = sorted(f for f in answered if exact[f] < 1)
    assert not missing, f"functions without an exact conformance case: {missing}"


def test_function_table_in_the_docs_is_current(outcomes: list[Outcome]) -> None:
    from tests.compiler.conformance import report

    assert report.DOC.read_text() == report.document(outcomes), f"run `{report.COMMAND}`"
