"""Fixtures for the second model, mkba-sociale-wijkteams: its workbook and its compiled model."""

from __future__ import annotations

from pathlib import Path

import pytest

from service.engine import CompiledModel, load_models

SPEC_DIR = Path(__file__).resolve().parents[2] / "formulas_spec"
MODEL_ID = "mkba-sociale-wijkteams"
WORKBOOK = SPEC_DIR / f"{MODEL_ID}.xlsx"


@pytest.fixture(scope="session")
def workbook() -> Path:
    return WORKBOOK


@pytest.fixture(scope="session")
def model() -> CompiledModel:
    return load_models(SPEC_DIR)[MODEL_ID]


@pytest.fixture(scope="session")
def all_cells(tmp_path_factory: pytest.TempPathFactory) -> CompiledModel:
    """The workbook compiled with every formula cell as a result (as the parity suite does)."""
    from tests.compiler.parity import compile_all_cells

    return compile_all_cells(WORKBOOK, tmp_path_factory.mktemp("wijkteams"))
