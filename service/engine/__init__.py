"""Run time: load compiled workbook artifacts and evaluate them (never imports `formulas`)."""

from service.engine.model import (
    ArtifactError,
    CompiledModel,
    InputSpec,
    OutputSpec,
    load_model,
    load_models,
)
from service.engine.runtime import ExcelError

__all__ = [
    "ArtifactError",
    "CompiledModel",
    "ExcelError",
    "InputSpec",
    "OutputSpec",
    "load_model",
    "load_models",
]
