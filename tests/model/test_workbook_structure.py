"""The workbook is a model, not a table of results: formulas everywhere, portable functions only."""

from __future__ import annotations

import re
import zipfile
from pathlib import Path

import pytest
from openpyxl.formula.tokenizer import Token, Tokenizer
from openpyxl.utils import get_column_letter
from openpyxl.utils.cell import range_boundaries

from service.engine import CompiledModel
from tools.dump_cells import text_form, text_path
from tools.engines import formula_cells
from tools.key_figures_doc import TARGET, render

# Supported alike by Excel, LibreOffice, Gnumeric and the formulas library.
PORTABLE_FUNCTIONS = {"IF", "SUM", "SUMPRODUCT", "MIN", "MAX"}


def _refs(sheet: str, formula: str) -> set[tuple[str, str]]:
    """Every cell a formula reads, ranges expanded."""
    found: set[tuple[str, str]] = set()
    for tok in Tokenizer(formula).items:
        if tok.type != Token.OPERAND or tok.subtype != Token.RANGE:
            continue
        ref_sheet, _, ref = tok.value.rpartition("!")
        ref_sheet = ref_sheet.strip("'") or sheet
        min_col, min_row, max_col, max_row = range_boundaries(ref.replace("$", ""))
        for row in range(min_row, max_row + 1):
            for col in range(min_col, max_col + 1):
                found.add((ref_sheet, f"{get_column_letter(col)}{row}"))
    return found


@pytest.fixture(scope="module")
def formulas(workbook: Path) -> dict[tuple[str, str], str]:
    return formula_cells(workbook)


def _split(cell: str) -> tuple[str, str]:
    sheet, addr = cell.split("!")
    return sheet, addr


def test_every_output_is_a_formula_that_depends_on_an_input(model: CompiledModel, formulas):
    inputs = {_split(i.cell) for i in model.inputs}
    failures = []
    for out in model.outputs:
        start = _split(out.cell)
        if start not in formulas:
            failures.append(f"{out.name} ({out.cell}) is a typed value, not a formula")
            continue
        seen, stack, reached = set(), [start], False
        while stack and not reached:
            cell = stack.pop()
            if cell in seen:
                continue
            seen.add(cell)
            if cell in inputs:
                reached = True
            elif cell in formulas:
                stack.extend(_refs(cell[0], formulas[cell]))
        if not reached:
            failures.append(f"{out.name} ({out.cell}) depends on no input")
    assert not failures, "\n".join(failures)


def test_every_input_is_a_typed_value(model: CompiledModel, formulas):
    assert [i.name for i in model.inputs if _split(i.cell) in formulas] == []


def test_only_portable_functions(formulas):
    used = set()
    for formula in formulas.values():
        for tok in Tokenizer(formula).items:
            if tok.type == Token.FUNC and tok.subtype == Token.OPEN:
                used.add(tok.value.rstrip("(").upper())
    assert used <= PORTABLE_FUNCTIONS, used - PORTABLE_FUNCTIONS


def test_no_external_links_macros_or_volatile_functions(workbook: Path, formulas):
    with zipfile.ZipFile(workbook) as z:
        names = z.namelist()
    assert not [n for n in names if "externalLink" in n or "vbaProject" in n]
    volatile = re.compile(r"\b(INDIRECT|OFFSET|NOW|TODAY|RAND|RANDBETWEEN)\s*\(", re.I)
    assert not [c for c, f in formulas.items() if "[" in f or volatile.search(f)]


def test_no_circular_references(formulas):
    graph = {cell: _refs(cell[0], f) & formulas.keys() for cell, f in formulas.items()}
    state: dict[tuple[str, str], int] = {}
    for root in graph:
        stack = [(root, iter(graph[root]))]
        state[root] = 1
        while stack:
            node, children = stack[-1]
            child = next(children, None)
            if child is None:
                state[node] = 2
                stack.pop()
            elif state.get(child) == 1:
                pytest.fail(f"circular reference through {child[0]}!{child[1]}")
            elif child not in state:
                state[child] = 1
                stack.append((child, iter(graph[child])))


def test_text_form_is_current(workbook: Path):
    assert text_path(workbook).read_text(encoding="utf-8") == text_form(workbook), (
        "the text form is stale: run `make workbook` (or python -m tools.dump_cells)"
    )


def test_key_figures_doc_is_current(workbook: Path):
    assert TARGET.read_text(encoding="utf-8") == render(workbook), (
        "docs/key-figures.md is stale: run `make workbook` (or python -m tools.key_figures_doc)"
    )
