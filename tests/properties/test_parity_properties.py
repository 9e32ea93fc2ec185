"""Parity with formulas' own evaluation of the workbook, on scenarios chosen by hypothesis.

tests/compiler/ compares every cell on 200 uniformly random scenarios. Uniform draws
almost never land on a bound; hypothesis does (it favours the ends of each range and
zero), which is where a workbook's IFs, MIN/MAX and divisions turn. formulas takes
seconds per scenario, so the scenarios are few: every input at its minimum, every input
at its maximum, and N_EXAMPLES drawn by hypothesis, derandomised. The model's outputs
are compared, not every cell. About 25 s: formulas reads the workbook (~20 s), then a
few seconds per scenario. formulas' answers go through tests/compiler/parity.py's memo,
but that rarely hits: hypothesis also draws from literals in the loaded modules, so the
scenarios depend on what else the test run imported.
"""

from __future__ import annotations

import math
import os
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st

from service.engine import CompiledModel, load_models
from tests.compiler import parity

SPEC_DIR = Path(__file__).resolve().parents[2] / "formulas_spec"
N_EXAMPLES = int(os.environ.get("MKBA_PARITY_EXAMPLES", "4"))
pytestmark = pytest.mark.parity


def cell_value(spec: Any) -> st.SearchStrategy[Any]:
    """One input at the level of its cell: 'ja'/'nee', whole numbers for counts and years."""
    if spec.type == "yesno":
        return st.sampled_from(["ja", "nee"])
    if spec.type in ("count", "years"):
        return st.integers(math.ceil(spec.min), math.floor(spec.max)).map(float)
    return st.floats(spec.min, spec.max, allow_nan=False, allow_subnormal=False)


def drawn_scenarios(model: CompiledModel, n: int) -> list[parity.Scenario]:
    """n scenarios from hypothesis (every input set), reproducibly."""
    out: list[parity.Scenario] = []
    strategy = st.fixed_dictionaries({spec.cell: cell_value(spec) for spec in model.inputs})

    @settings(
        max_examples=n,
        derandomize=True,
        database=None,
        deadline=None,
        phases=[Phase.generate],  # generate only: no shrinking, nothing to fail
        suppress_health_check=list(HealthCheck),
    )
    @given(strategy)
    def collect(scenario: parity.Scenario) -> None:
        if len(out) < n and scenario not in out:
            out.append(scenario)

    collect()
    return out


def extreme(model: CompiledModel, end: str) -> parity.Scenario:
    sc: parity.Scenario = {}
    for spec in model.inputs:
        if spec.type == "yesno":
            sc[spec.cell] = "ja" if end == "max" else "nee"
        else:
            sc[spec.cell] = float(spec.max if end == "max" else spec.min)
    return sc


def test_outputs_match_formulas_on_hypothesis_scenarios() -> None:
    for model in load_models(SPEC_DIR).values():
        src = SPEC_DIR / f"{model.id}.xlsx"
        scenarios = [extreme(model, "min"), extreme(model, "max")]
        scenarios += drawn_scenarios(model, N_EXAMPLES)
        inputs = [spec.cell for spec in model.inputs]
        cells = [spec.cell for spec in model.outputs]
        theirs = parity.memo(
            src,
            f"{parity.formulas_version()} outputs-only",
            scenarios,
            lambda: parity.run_formulas(src, inputs, cells, scenarios),  # noqa: B023
        )
        ours = []
        for sc in scenarios:
            result = model.calculate(parity.to_api(model, sc))
            ours.append({spec.cell: result[spec.name] for spec in model.outputs})
        # a yes/no output holding "ja"/"nee" is a boolean in the API (as documented)
        yesno = [spec.cell for spec in model.outputs if spec.type == "yesno"]
        theirs = [{**row, **{c: _yesno(row[c]) for c in yesno if c in row}} for row in theirs]
        bad = parity.mismatches(ours, theirs, cells)
        assert not bad, "\n".join(bad)


def _yesno(v: object) -> object:
    """A peer's `ja`/`nee` as the API's boolean; anything else as it is."""
    if isinstance(v, str) and v.strip().lower() in ("ja", "nee"):
        return v.strip().lower() == "ja"
    return v
