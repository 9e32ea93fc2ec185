"""LibreOffice and Gnumeric recalculate the workbook to its committed cached values."""

from __future__ import annotations

from pathlib import Path

import pytest

from tools.engines import (
    cached_values,
    engine_available,
    formula_cells,
    recalc_gnumeric,
    recalc_libreoffice,
)

REL = 1e-9


def _compare(committed: dict, recalculated: dict, formulas: dict) -> list[str]:
    problems = []
    for cell in formulas:
        want, got = committed.get(cell), recalculated.get(cell)
        if isinstance(want, int | float) and isinstance(got, int | float):
            if abs(got - want) > REL * max(1.0, abs(want)):
                problems.append(f"{cell}: committed {want!r}, engine {got!r}")
        elif want != got and not (want in (None, "") and got in (None, "")):
            problems.append(f"{cell}: committed {want!r}, engine {got!r}")
    return problems


@pytest.mark.skipif(
    not engine_available("libreoffice"), reason="LibreOffice (soffice) not installed"
)
def test_libreoffice_recalculates_to_the_committed_values(workbook: Path, cached, tmp_path):
    (out,) = recalc_libreoffice([workbook], tmp_path)
    formulas = formula_cells(workbook)
    assert len(formulas) > 500
    assert _compare(cached, cached_values(out), formulas) == []


@pytest.mark.skipif(not engine_available("gnumeric"), reason="Gnumeric (ssconvert) not installed")
def test_gnumeric_recalculates_to_the_committed_values(workbook: Path, cached, tmp_path):
    out = recalc_gnumeric(workbook, tmp_path / "gnumeric.xlsx")
    formulas = formula_cells(workbook)
    assert _compare(cached, cached_values(out), formulas) == []
