"""The native engine (C) gives the Python artifact's results bit for bit, or declines.

The reference model's C source is built into a temporary folder and held to the Python
artifact on scenarios drawn within the interface's bounds (where the C function must not
decline) and on arbitrary numbers (huge, tiny, zero, negative: where it may decline, but
never differ).
"""

from __future__ import annotations

import logging
import math
import os
import shutil
import subprocess
from pathlib import Path
from typing import Any

import numpy as np
import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from service.compiler import native as cnative
from service.engine import CompiledModel, load_model, load_models
from service.engine.native import library_path, same_values
from tests.properties.test_engine_properties import scenario

SPEC_DIR = Path(__file__).resolve().parents[2] / "formulas_spec"
# The model these tests take apart: it has a C form, and one of its C lines is edited
# below. Other models in formulas_spec/ are covered by test_native_matches_* (parity).
REFERENCE = "mkba-1gezin1plan"
SETTINGS = settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
ANY_NUMBER = st.one_of(
    st.floats(allow_nan=False, allow_infinity=False),
    st.sampled_from([0.0, -0.0, 1.0, -1.0, 1e-320, 1e308, -1e308, 2.0**1023]),
)


def _compiler() -> str:
    """The C compiler, or the reason there is none: a failure in CI (which installs gcc,
    .ci/run), a skip saying why elsewhere; never a silent pass."""
    cc = cnative.compiler()
    if cc is None:
        reason = "no C compiler (cc, gcc or $CC): the native engine cannot be built"
        if os.environ.get("CI"):
            pytest.fail(reason)
        pytest.skip(reason)
    return cc


def _generated(folder: Path) -> list[Path]:
    """An artifact's files: the modules, their data files and the C sources."""
    return [p for ext in ("py", "json", "c") for p in sorted(folder.glob(f"*.{ext}"))]


@pytest.fixture(scope="module")
def model(tmp_path_factory: pytest.TempPathFactory) -> CompiledModel:
    """The reference model with its C source built in a temporary folder (a build
    failure fails the tests, with the compiler's message)."""
    _compiler()
    tmp = tmp_path_factory.mktemp("native")
    for source in _generated(SPEC_DIR / "compiled"):
        shutil.copy(source, tmp / source.name)
    for c_source in tmp.glob("*.c"):
        cnative.build(c_source)
    loaded = load_model(tmp / f"{REFERENCE}.py")
    assert loaded.native is not None, "the reference model has a C form and it loads"
    return loaded


def python_results(model: CompiledModel, args: list[Any]) -> tuple[Any, ...]:
    return tuple(model.module.calculate(*args))


def test_defaults_take_the_fast_path(model: CompiledModel) -> None:
    args = model._args(None)
    native = model.native.calculate(args)  # type: ignore[union-attr]
    assert native is not None
    assert same_values(native, python_results(model, args))


def test_within_bounds_the_c_function_answers_and_agrees(model: CompiledModel) -> None:
    @SETTINGS
    @given(values=scenario(model))
    @example(values={"disconteringsvoet": 0.01959973297207945})  # pow(x, 2.0) is not x*x
    def check(values: dict[str, Any]) -> None:
        args = model._args(values)
        native = model.native.calculate(args)  # type: ignore[union-attr]
        python = python_results(model, args)
        if native is None:  # only a result that is an Excel error may send it to Python
            assert not all(v.__class__ is float and math.isfinite(v) for v in python)
        else:
            assert same_values(native, python)

    check()


def test_on_any_numbers_it_agrees_or_declines(model: CompiledModel) -> None:
    numeric = [k for k, spec in enumerate(model.inputs) if spec.type != "yesno"]
    declined = []

    @SETTINGS
    @given(data=st.data())
    @example(data=None)  # every numeric input zero: divisions by zero
    def check(data: Any) -> None:
        args = model._args(None)
        for k in numeric:
            args[k] = 0.0 if data is None else data.draw(ANY_NUMBER)
        native = model.native.calculate(args)  # type: ignore[union-attr]
        if native is None:
            declined.append(args)
            return
        assert same_values(native, python_results(model, args))

    check()
    assert declined, "some of these scenarios divide by zero or overflow: C must decline them"


def test_text_inputs_compare_like_excel(model: CompiledModel) -> None:
    texts = [k for k, spec in enumerate(model.inputs) if spec.type == "yesno"]

    @SETTINGS
    @given(st.lists(st.sampled_from(["ja", "JA", "Ja", "nee", "NEE", "", "jaa", "x"]), min_size=2))
    def check(choices: list[str]) -> None:
        args = model._args(None)
        for k, text in zip(texts, choices, strict=False):
            args[k] = text
        native = model.native.calculate(args)  # type: ignore[union-attr]
        assert native is not None
        assert same_values(native, python_results(model, args))

    check()


def test_values_python_would_not_compute_with_are_declined(model: CompiledModel) -> None:
    args = model._args(None)
    numeric = next(k for k, spec in enumerate(model.inputs) if spec.type != "yesno")
    text = next(k for k, spec in enumerate(model.inputs) if spec.type == "yesno")
    for k, value in ((numeric, "12"), (numeric, None), (text, True), (text, 1.0)):
        bad = list(args)
        bad[k] = value
        assert model.native.calculate(bad) is None, (k, value)  # type: ignore[union-attr]


def test_the_service_loads_the_native_engine_of_every_model_with_a_c_form(
    tmp_path: Path,
) -> None:
    """Built from the C sources in compiled/, every model with a C form runs on its
    library; in CI, where `make test` builds them first, the ones in formulas_spec/ too."""
    _compiler()
    spec = tmp_path / "spec"
    (spec / "compiled").mkdir(parents=True)
    for workbook in SPEC_DIR.glob("*.xlsx"):
        shutil.copy(workbook, spec / workbook.name)
    for source in _generated(SPEC_DIR / "compiled"):
        shutil.copy(source, spec / "compiled" / source.name)
    assert cnative.build_dir(spec), "formulas_spec/compiled/ holds the reference model's C source"
    with_c = [m for m in load_models(spec).values() if m.module.NATIVE]
    assert REFERENCE in {m.id for m in with_c}, f"{REFERENCE} has a C form"
    for loaded in with_c:
        assert loaded.native is not None, f"{loaded.id}: its library was built but not loaded"
    if os.environ.get("CI"):
        for served in load_models(SPEC_DIR).values():
            if served.module.NATIVE:
                assert served.native is not None, f"{served.id}: run `make native`"


def _columns(model: CompiledModel, scenarios: list[dict[str, Any]]) -> dict[str, np.ndarray]:
    defaults = {s.name: s.default == "ja" if s.type == "yesno" else s.default for s in model.inputs}
    return {
        s.name: np.array(
            [sc.get(s.name, defaults[s.name]) for sc in scenarios],
            dtype=bool if s.type == "yesno" else float,
        )
        for s in model.inputs
    }


def test_a_batch_in_c_is_the_python_artifact_bit_for_bit(model: CompiledModel) -> None:
    @settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
    @given(scenarios=st.lists(scenario(model), min_size=1, max_size=30))
    def check(scenarios: list[dict[str, Any]]) -> None:
        args, n = model._columns(_columns(model, scenarios))
        rows = model.native.rows(args, n)  # type: ignore[union-attr]
        assert rows is not None
        results, status = model.native.calculate_many(rows)  # type: ignore[union-attr]
        for i, values in enumerate(scenarios):
            args = model._args(values)
            single = model.native.calculate(args)  # type: ignore[union-attr]
            assert (status[i] == 0) == (single is not None)  # the same rows decline
            if single is not None:  # and what C answers is the Python artifact's, bit for bit
                assert same_values(results[i].tolist(), python_results(model, args))

    check()


def test_declined_scenarios_of_a_batch_get_their_excel_errors(model: CompiledModel) -> None:
    numeric = [s.name for s in model.inputs if s.type != "yesno"]

    @settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
    @given(
        scenarios=st.lists(
            st.dictionaries(st.sampled_from(numeric), ANY_NUMBER, max_size=4),
            min_size=1,
            max_size=20,
        )
    )
    def check(scenarios: list[dict[str, Any]]) -> None:
        batch = model.calculate_columns(_columns(model, scenarios))
        for i, values in enumerate(scenarios):
            single = model.calculate(values)
            for name, expected in single.items():
                got = batch[name][i]
                if isinstance(expected, float) and isinstance(got, float):
                    assert math.isclose(got, expected, rel_tol=1e-12, abs_tol=1e-300), name
                else:
                    assert str(got) == str(expected), (name, got, expected)

    check()


def _artifact_copy(tmp: Path) -> Path:
    """The reference model's module and data file (not its C source) in `tmp`."""
    artifact = SPEC_DIR / "compiled" / f"{REFERENCE}.py"
    for source in (artifact, artifact.with_suffix(".json")):
        shutil.copy(source, tmp / source.name)
    return tmp / artifact.name


def test_without_its_library_a_model_runs_on_python_and_says_so(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    with caplog.at_level(logging.WARNING, logger="service.engine"):
        loaded = load_model(_artifact_copy(tmp_path))
    assert loaded.native is None
    assert "make native" in caplog.text
    assert loaded.calculate_row({})  # the Python artifact answers


def test_a_library_that_disagrees_with_python_is_not_used(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    artifact = _artifact_copy(tmp_path)
    info = load_model(artifact).module.NATIVE
    source = (SPEC_DIR / "compiled" / info["source"]).read_text()
    wrong = source.replace("(1.0 - Cockpit_C19)", "(1.5 - Cockpit_C19)", 1)
    assert wrong != source
    c_source = tmp_path / info["source"]
    c_source.write_text(wrong)
    library = library_path(c_source, info["sha256"])  # under the name the artifact expects
    cc = _compiler()
    subprocess.run([cc, *cnative.CFLAGS, "-o", str(library), str(c_source), "-lm"], check=True)
    with caplog.at_level(logging.ERROR, logger="service.engine"):
        loaded = load_model(artifact)
    assert loaded.native is None
    assert "disagrees with the Python artifact" in caplog.text


@st.composite
def shared_batch(draw: st.DrawFn, model: CompiledModel) -> list[dict[str, Any]]:
    """Scenarios as a batch of variants has them: a few base scenarios (so a few discount
    rates and horizons, repeated in runs and alternating), each row one of them with up to
    two inputs changed; now and then a row repeated as it is."""
    bases = draw(st.lists(scenario(model), min_size=1, max_size=4))
    numeric = [s for s in model.inputs if s.type != "yesno"]
    rows: list[dict[str, Any]] = []
    for _ in range(draw(st.integers(min_value=1, max_value=40))):
        if rows and draw(st.booleans()):
            rows.append(dict(rows[-1]))
            continue
        row = dict(draw(st.sampled_from(bases)))
        for spec in draw(st.lists(st.sampled_from(numeric), max_size=2)):
            row[spec.name] = draw(
                st.floats(min_value=spec.min, max_value=spec.max, allow_nan=False)
            )
        rows.append(row)
    return rows


def test_the_batch_keeps_shared_cells_bit_for_bit(model: CompiledModel) -> None:
    """The batch function recomputes a group of cells only when an input it reads changed
    (service/compiler/invariants.py): every row is still the Python artifact's, bit for bit,
    and declined exactly where the scalar C function declines."""

    @settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
    @given(scenarios=shared_batch(model))
    def check(scenarios: list[dict[str, Any]]) -> None:
        args, n = model._columns(_columns(model, scenarios))
        rows = model.native.rows(args, n)  # type: ignore[union-attr]
        assert rows is not None
        results, status = model.native.calculate_many(rows)  # type: ignore[union-attr]
        for i, values in enumerate(scenarios):
            single = model.native.calculate(model._args(values))  # type: ignore[union-attr]
            assert (status[i] == 0) == (single is not None), i
            if single is not None:
                python = python_results(model, model._args(values))
                assert same_values(results[i].tolist(), python), i

    check()
