"""Properties of the compiled engine on inputs drawn anywhere within the interface's bounds."""

from __future__ import annotations

import math
from pathlib import Path
from typing import Any

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from service.engine import CompiledModel, ExcelError, load_models

SPEC_DIR = Path(__file__).resolve().parents[2] / "formulas_spec"
MODELS = load_models(SPEC_DIR)
SETTINGS = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def need_native(model_id: str, model: CompiledModel) -> None:
    """Skip without a built library; with one, the model must have loaded it (a library
    that disagrees with Python at load is not used: that must fail, not skip)."""
    compiled = SPEC_DIR / "compiled"
    if not (compiled / f"{model_id}.c").exists():
        pytest.skip(f"{model_id}: no C form (its artifact's NATIVE line says why)")
    if not any(compiled.glob(f"{model_id}-*.so")):
        pytest.skip(f"{model_id}: no native library built (make native)")
    assert model.native is not None, f"{model_id}: its native library was not loaded"


def scenario(model: CompiledModel) -> st.SearchStrategy[dict[str, Any]]:
    """Any subset of the inputs, each anywhere within its bounds (bounds included)."""
    fields: dict[str, st.SearchStrategy[Any]] = {}
    for spec in model.inputs:
        if spec.type == "yesno":
            fields[spec.name] = st.booleans()
        else:
            fields[spec.name] = st.floats(
                min_value=spec.min, max_value=spec.max, allow_nan=False, allow_infinity=False
            )
    return st.fixed_dictionaries({}, optional=fields)


def same(a: Any, b: Any) -> bool:
    """Equal values, errors equal by code, floats to 1e-12 relative."""
    if isinstance(a, ExcelError) or isinstance(b, ExcelError):
        return str(a) == str(b)
    if isinstance(a, float) and isinstance(b, float):
        return math.isclose(a, b, rel_tol=1e-12, abs_tol=1e-9)
    return a == b


@pytest.mark.parametrize("model_id", sorted(MODELS))
def test_calculation_is_deterministic_and_never_raises(model_id: str) -> None:
    model = MODELS[model_id]

    @SETTINGS
    @given(first=scenario(model), second=scenario(model))
    def check(first: dict[str, Any], second: dict[str, Any]) -> None:
        a = model.calculate(first)
        model.calculate(second)  # nothing carries over from one call to the next
        b = model.calculate(first)
        assert a.keys() == {o.name for o in model.outputs}
        for name, value in a.items():
            assert isinstance(value, float | bool | str | ExcelError), (name, value)
            if isinstance(value, float):
                assert math.isfinite(value), name
            assert same(value, b[name]), name

    check()


# Each pair compares two different implementations: the numpy artifact and the C
# library (single and batch) against the scalar Python artifact.
PAIRS = [("numpy", "python"), ("native", "python")]


@pytest.mark.parametrize(("batch_backend", "single_backend"), PAIRS)
@pytest.mark.parametrize("model_id", sorted(MODELS))
def test_batch_backend_equals_scalar(
    model_id: str, batch_backend: str, single_backend: str
) -> None:
    model = MODELS[model_id]
    if batch_backend == "native":
        need_native(model_id, model)

    @SETTINGS
    @given(batch=st.lists(scenario(model), min_size=1, max_size=12))
    def check(batch: list[dict[str, Any]]) -> None:
        resolved = [model.resolve(s) for s in batch]
        columns = {spec.name: np.array([r[spec.name] for r in resolved]) for spec in model.inputs}
        vector = model.calculate_columns(columns, backend=batch_backend)
        for i, s in enumerate(batch):
            scalar = model.calculate(s, backend=single_backend)
            for name, value in scalar.items():
                got = vector[name][i]
                got = got.item() if isinstance(got, np.generic) else got
                assert same(value, got), (i, name, value, got)

    check()


@pytest.mark.parametrize("backend", ["native", "numpy"])
@pytest.mark.parametrize("model_id", sorted(MODELS))
def test_single_backend_equals_scalar(model_id: str, backend: str) -> None:
    model = MODELS[model_id]
    if backend == "native":
        need_native(model_id, model)

    @settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.too_slow])
    @given(values=scenario(model))
    def check(values: dict[str, Any]) -> None:
        python = model.calculate(values, backend="python")
        other = model.calculate(values, backend=backend)
        for name, value in python.items():
            assert same(value, other[name]), (backend, name, value, other[name])

    check()


def test_unknown_backend_is_refused() -> None:
    model = next(iter(MODELS.values()))
    with pytest.raises(ValueError, match="unknown backend"):
        model.calculate({}, backend="gpu")
