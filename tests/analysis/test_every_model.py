"""The analyses on every model in formulas_spec/, driven by each model's declared roles.

No model is named here: whatever workbook is dropped into formulas_spec/ gets its
ledger checked against its totals, its chart bars against its roles, its default
tornado, switching value and Monte Carlo run on its saldo, its knobs and effect
domains against its inputs.
"""

from __future__ import annotations

import math
from pathlib import Path

import numpy as np
import pytest

from service.analysis import (
    cockpit_inputs,
    domains,
    ledger,
    monte_carlo,
    switching_value,
    tornado,
)
from service.analysis.charts import cost_benefit_chart, cost_benefit_data
from service.engine import CompiledModel, MissingRole, load_models

SPEC = Path(__file__).resolve().parents[2] / "formulas_spec"
MODELS = load_models(SPEC)


@pytest.fixture(params=sorted(MODELS))
def any_model(request: pytest.FixtureRequest) -> CompiledModel:
    return MODELS[request.param]


def _random_scenarios(model: CompiledModel, n: int, seed: int = 13) -> list[dict]:
    rng = np.random.default_rng(seed)
    out = []
    for _ in range(n):
        values: dict[str, object] = {}
        for spec in model.inputs:
            if spec.type == "yesno":
                values[spec.name] = bool(rng.integers(2))
            elif spec.min is not None and spec.max is not None:
                values[spec.name] = float(rng.uniform(spec.min, spec.max))
        out.append(values)
    return out


def _numeric(model: CompiledModel) -> str:
    return model.roles.saldo or next(o.name for o in model.outputs if o.type != "yesno")


def test_the_roles_name_the_models_own_outputs_and_inputs(any_model: CompiledModel) -> None:
    r = any_model.roles
    outputs = {o.name for o in any_model.outputs}
    named = [r.saldo, r.total_costs, r.total_benefits, *r.benefit_bars, *r.cost_bars]
    assert {n for n in named if n is not None} <= outputs
    assert set(r.headline) <= outputs
    for actor in r.actors:
        assert {actor.costs, actor.benefits, actor.saldo} - {None} <= outputs
    assert {d["input"] for d in domains(any_model).values()} <= {s.name for s in any_model.inputs}
    groups = {g.name for g in r.groups}
    assert {s.group for s in [*any_model.inputs, *any_model.outputs]} <= groups
    knobs = cockpit_inputs(any_model)
    if r.knob_groups:
        assert knobs and all(s.group in r.knob_groups for s in knobs)
    else:
        assert knobs == list(any_model.inputs)


def test_the_ledger_adds_up_to_the_totals(any_model: CompiledModel) -> None:
    if not any_model.roles.actors:
        with pytest.raises(MissingRole):
            ledger(any_model)
        return
    for values in [{}, *_random_scenarios(any_model, 5)]:
        result = ledger(any_model, values)
        assert [row["actor"] for row in result["actors"]] == [
            a.name for a in any_model.roles.actors
        ]
        for kind, total in result["totals"].items():
            summed = result["sum"][kind]
            assert math.isclose(summed, total, rel_tol=1e-9, abs_tol=1e-6), (kind, values)


def test_the_chart_draws_the_declared_bars(any_model: CompiledModel) -> None:
    r = any_model.roles
    declared = [*r.benefit_bars, *r.cost_bars, *([r.saldo] if r.saldo else [])]
    if not declared:
        with pytest.raises(MissingRole):
            cost_benefit_chart(any_model)
        return
    results = any_model.calculate({})
    bars = cost_benefit_data(any_model, results)
    assert [b["output"] for b in bars] == declared
    for b in bars:
        assert b["value"] == pytest.approx(results[b["output"]] / 1000)
    assert cost_benefit_chart(any_model, fmt="svg").startswith(b"<?xml")


def test_the_default_analyses_use_the_saldo(any_model: CompiledModel) -> None:
    saldo = any_model.roles.saldo
    bounded = [
        s
        for s in any_model.inputs
        if s.type != "yesno" and s.min is not None and s.max is not None and s.min < s.max
    ]
    x = bounded[0]
    if saldo is None:
        for call in (
            lambda: tornado(any_model),
            lambda: switching_value(any_model, input=x.name),
        ):
            with pytest.raises(MissingRole) as info:
                call()
            assert info.value.role == "saldo"
        return
    result = tornado(any_model)
    assert result["sortedBy"] == saldo
    assert {row["input"] for row in result["rows"]} == {s.name for s in cockpit_inputs(any_model)}
    assert switching_value(any_model, input=x.name)["output"] == saldo
    dist = [{"input": x.name, "type": "uniform", "min": x.min, "max": x.max}]
    run = monte_carlo(any_model, distributions=dist, draws=200, seed=1)
    assert run["saldoOutput"] == saldo and list(run["outputs"]) == [saldo]
    assert (run["ledger"] is None) == (not any_model.roles.actors)


def test_a_named_output_needs_no_role(any_model: CompiledModel) -> None:
    out = _numeric(any_model)
    result = tornado(any_model, outputs=[out])
    assert result["sortedBy"] == out
