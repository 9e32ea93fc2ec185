"""Who pays, who profits: the ledger adds up to the totals, in any scenario."""

from __future__ import annotations

import random

import pytest

from service.analysis import AnalysisError, actors, ledger, ledger_from_outputs
from service.engine import CompiledModel


def _scenarios(model: CompiledModel, n: int) -> list[dict]:
    rng = random.Random(7)
    out: list[dict] = [{}]
    for _ in range(n):
        out.append(
            {
                s.name: (rng.random() < 0.5) if s.type == "yesno" else rng.uniform(s.min, s.max)
                for s in model.inputs
            }
        )
    return out


def test_ten_actors_with_labels(model: CompiledModel):
    found = actors(model)
    assert len(found) == 10
    assert found[0]["actor"] == "gemeente" and found[0]["labelNl"] == "Gemeente"
    assert all(set(a["outputs"]) == {"kosten", "baten", "saldo"} for a in found)


def test_ledger_sums_to_the_totals(model: CompiledModel):
    for scenario in _scenarios(model, 10):
        result = ledger(model, scenario)
        for kind in ("kosten", "baten", "saldo"):
            total = sum(row[kind] for row in result["actors"])
            assert total == pytest.approx(result["totals"][kind], rel=1e-9, abs=1e-6)
            assert result["sum"][kind] == pytest.approx(total)
        for row in result["actors"]:
            assert row["saldo"] == pytest.approx(row["baten"] - row["kosten"], abs=1e-6)


def test_ledger_of_a_calculation_and_on_its_own_agree(model: CompiledModel):
    values = {"fteAanpak": 15.0}
    alone = ledger(model, values)
    attached = ledger_from_outputs(model, model.calculate(values))
    assert alone["actors"] == attached["actors"]
    gemeente = alone["actors"][0]
    assert gemeente["saldo"] < 0


def test_invalid_scenario(model: CompiledModel):
    with pytest.raises(AnalysisError) as e:
        ledger(model, {"fteAanpak": -1, "nope": 1})
    assert {p["field"] for p in e.value.errors} == {"values.fteAanpak", "values.nope"}
