"""Callers pick the backend; the start-up self-test compares different implementations.

A backend that gives another answer on the default scenario (here made so in memory,
one backend at a time) is caught by `check_backends`, which the self-test runs.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from service.engine import CompiledModel, load_models

SPEC_DIR = Path(__file__).resolve().parents[2] / "formulas_spec"


MODELS = load_models(SPEC_DIR)


@pytest.fixture(params=sorted(MODELS))
def model(request: pytest.FixtureRequest) -> CompiledModel:
    """Every served model, freshly loaded (the tests patch it in memory)."""
    return load_models(SPEC_DIR)[request.param]


def test_the_backends_agree_on_the_defaults(model: CompiledModel) -> None:
    assert model.check_backends() == []


def _off_by_one(result: tuple[Any, ...]) -> tuple[Any, ...]:
    first = result[0]
    return (first + 1.0, *result[1:])


def test_a_wrong_scalar_artifact_is_caught(
    model: CompiledModel, monkeypatch: pytest.MonkeyPatch
) -> None:
    calculate = model.module.calculate
    monkeypatch.setattr(model.module, "calculate", lambda *a: _off_by_one(calculate(*a)))
    assert model.check_backends()


def test_a_wrong_numpy_artifact_is_caught(
    model: CompiledModel, monkeypatch: pytest.MonkeyPatch
) -> None:
    vector = model.module.calculate_vector
    monkeypatch.setattr(model.module, "calculate_vector", lambda *a: _off_by_one(vector(*a)))
    assert model.check_backends()


def test_a_wrong_native_engine_is_caught(
    model: CompiledModel, monkeypatch: pytest.MonkeyPatch
) -> None:
    if model.native is None:
        pytest.skip(f"{model.id} has no native engine (no C form, or `make native` not run)")
    engine = model.native
    single = engine.calculate
    monkeypatch.setattr(engine, "calculate", lambda args: _off_by_one(tuple(single(args))))
    assert model.check_backends()


def test_each_backend_answers_when_asked(model: CompiledModel) -> None:
    rows = {b: model.calculate_row({}, backend=b) for b in ("python", "numpy", "native")}
    assert rows["python"] == rows["numpy"]
    if model.native is not None:
        assert rows["python"] == rows["native"]


@pytest.fixture(scope="module")
def lookup_model(tmp_path_factory: pytest.TempPathFactory) -> CompiledModel:
    """The lookup test model (VLOOKUP/HLOOKUP/INDEX/MATCH/CHOOSE, NPV, ROUND, IFERROR)."""
    from service.compiler import compile_workbook
    from service.engine import load_model

    workbook = Path(__file__).resolve().parents[1] / "compiler" / "workbooks" / "lookup-model.xlsx"
    art = tmp_path_factory.mktemp("lookups") / "lookup_model.py"
    compile_workbook(workbook).write(art)
    return load_model(art)


def test_lookups_on_numpy_equal_python(lookup_model: CompiledModel) -> None:
    """numpy's vectorised lookups (constant tables, numeric keys) against the scalar helpers."""
    import numpy as np
    from hypothesis import HealthCheck, given, settings
    from hypothesis import strategies as st

    from tests.properties.test_engine_properties import same, scenario

    @settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
    @given(batch=st.lists(scenario(lookup_model), min_size=1, max_size=20))
    def check(batch: list[dict[str, Any]]) -> None:
        resolved = [lookup_model.resolve(s) for s in batch]
        columns = {
            spec.name: np.array([r[spec.name] for r in resolved]) for spec in lookup_model.inputs
        }
        vector = lookup_model.calculate_columns(columns, backend="numpy")
        for i, values in enumerate(batch):
            for name, value in lookup_model.calculate(values, backend="python").items():
                got = vector[name][i]
                got = got.item() if isinstance(got, np.generic) else got
                assert same(value, got), (i, name, value, got)

    check()
