"""The reference model, loaded once for the analysis tests."""

from __future__ import annotations

from pathlib import Path

import pytest

from service.engine import CompiledModel, load_models

SPEC_DIR = Path(__file__).resolve().parents[2] / "formulas_spec"


@pytest.fixture(scope="session")
def model() -> CompiledModel:
    return load_models(SPEC_DIR)["mkba-1gezin1plan"]
