"""Fixtures for the reference workbook: its file, its cached values and the compiled model."""

from __future__ import annotations

from pathlib import Path

import pytest

from service.engine import CompiledModel, load_models
from tools.engines import cached_values

SPEC_DIR = Path(__file__).resolve().parents[2] / "formulas_spec"
WORKBOOK = SPEC_DIR / "mkba-1gezin1plan.xlsx"


@pytest.fixture(scope="session")
def workbook() -> Path:
    return WORKBOOK


@pytest.fixture(scope="session")
def cached(workbook: Path) -> dict[tuple[str, str], object]:
    return cached_values(workbook)


@pytest.fixture(scope="session")
def model() -> CompiledModel:
    return load_models(SPEC_DIR)[WORKBOOK.stem]
