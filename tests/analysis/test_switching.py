"""Switching values: put back into a fresh calculation, they give the target."""

from __future__ import annotations

import pytest

from service.analysis import AnalysisError, switching_value
from service.engine import CompiledModel


@pytest.mark.parametrize(
    "name",
    [
        "fteAanpak",
        "kostenPerFte",
        "effectiviteitHuisuitzettingenVerschil",
        "kostenHulpGevondenMph",
        "overigeKostenPerFte",
    ],
)
def test_switching_value_gives_saldo_zero(model: CompiledModel, name: str):
    result = switching_value(model, input=name)
    assert result["found"], result["message"]
    lo, hi = result["bounds"]
    assert lo <= result["value"] <= hi
    fresh = model.calculate({name: result["value"]})["mkbaSaldo"]
    assert fresh == pytest.approx(0.0, abs=1e-4)
    assert result["outputAtValue"] == pytest.approx(fresh)


def test_other_output_target_and_scenario(model: CompiledModel):
    values = {"disconteringsvoet": 0.0225}
    result = switching_value(
        model, input="fteAanpak", output="maatschappelijkRendement", target=0.2, values=values
    )
    assert result["found"]
    fresh = model.calculate({**values, "fteAanpak": result["value"]})
    assert fresh["maatschappelijkRendement"] == pytest.approx(0.2, abs=1e-9)


def test_none_within_bounds_is_an_answer(model: CompiledModel):
    result = switching_value(model, input="disconteringsvoet")
    assert result["found"] is False
    assert result["value"] is None
    assert result["range"]["min"] > 0
    assert "does not reach" in result["message"]


def test_invalid_requests(model: CompiledModel):
    with pytest.raises(AnalysisError) as e:
        switching_value(model, input="kwaliteitVanLevenInQalys", output="nope", target=float("nan"))
    assert {p["field"] for p in e.value.errors} == {"input", "output", "target"}
