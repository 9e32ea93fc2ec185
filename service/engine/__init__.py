"""Run time: load compiled workbook artifacts and evaluate them (never imports `formulas`)."""

from service.engine.artifact_data import ArtifactError
from service.engine.model import CompiledModel, InputSpec, OutputSpec, load_model, load_models
from service.engine.roles import Actor, EffectDomain, Group, MissingRole, Roles
from service.engine.runtime import ExcelError

__all__ = [
    "Actor",
    "ArtifactError",
    "EffectDomain",
    "Group",
    "MissingRole",
    "Roles",
    "CompiledModel",
    "ExcelError",
    "InputSpec",
    "OutputSpec",
    "load_model",
    "load_models",
]
