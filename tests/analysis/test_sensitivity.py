"""Tornado: every bar is two fresh calculations, sorted by swing, validated."""

from __future__ import annotations

import pytest

from service.analysis import AnalysisError, cockpit_inputs, sensitivity, tornado
from service.engine import CompiledModel


def test_low_and_high_equal_two_fresh_calculations(model: CompiledModel):
    outs = ["mkbaSaldo", "totaleKosten", "gemeenteSaldo"]
    result = tornado(model, outputs=outs)
    assert [r["input"] for r in result["rows"]] != []
    for row in result["rows"]:
        for side in ("low", "high"):
            fresh = model.calculate({row["input"]: row[side]})
            for out in outs:
                assert row["effects"][out][side] == pytest.approx(fresh[out], rel=1e-12, abs=1e-6)
    base = model.calculate({})
    assert result["base"]["mkbaSaldo"] == pytest.approx(base["mkbaSaldo"], rel=1e-12)


def test_default_is_every_cockpit_knob_sorted_by_swing(model: CompiledModel):
    result = tornado(model)
    assert {r["input"] for r in result["rows"]} == {s.name for s in cockpit_inputs(model)}
    assert {s.group for s in cockpit_inputs(model)} == {
        "preventie",
        "integraal",
        "nazorg",
        "overig",
    }
    swings = [r["swing"] for r in result["rows"]]
    assert swings == sorted(swings, reverse=True)
    assert result["sortedBy"] == "mkbaSaldo"
    assert swings[0] > 0


def test_relative_step_is_clipped_to_bounds_and_yesno_is_nee_ja(model: CompiledModel):
    result = tornado(
        model,
        inputs=["aantalMphAanpak", "effectiviteitSchuldhulpverleningVerschil", "percentageMda"],
        step=0.5,
        values={"percentageMda": 0.8},
    )
    rows = {r["input"]: r for r in result["rows"]}
    assert (rows["aantalMphAanpak"]["low"], rows["aantalMphAanpak"]["high"]) == (275.0, 825.0)
    eff = rows["effectiviteitSchuldhulpverleningVerschil"]
    assert (eff["low"], eff["high"]) == pytest.approx((0.025, 0.075))
    assert (rows["percentageMda"]["low"], rows["percentageMda"]["high"]) == (0.4, 1.0)
    switch = tornado(model, inputs=["kwaliteitVanLevenInQalys"])["rows"][0]
    assert (switch["low"], switch["high"]) == (False, True)


def test_given_ranges_win(model: CompiledModel):
    result = tornado(model, inputs=["fteAanpak"], ranges={"fteAanpak": {"low": 10, "high": 20}})
    row = result["rows"][0]
    assert (row["low"], row["high"]) == (10, 20)
    assert row["effects"]["mkbaSaldo"]["high"] == pytest.approx(
        model.calculate({"fteAanpak": 20})["mkbaSaldo"]
    )


def test_an_input_given_a_range_is_varied_and_the_output_sorted_by_reported(
    model: CompiledModel,
):
    # neither rule can be stated in OpenAPI, so the tornado takes what the contract allows:
    # a range for an input that `inputs` leaves out adds it, `sort_by` adds its output
    result = tornado(
        model,
        inputs=["fteAanpak"],
        outputs=["mkbaSaldo"],
        ranges={"percentageMda": {"low": 0.4, "high": 0.9}},
        sort_by="totaleKosten",
    )
    assert [r["input"] for r in result["rows"]] == sorted(
        ["fteAanpak", "percentageMda"],
        key=lambda n: -next(r for r in result["rows"] if r["input"] == n)["swing"],
    )
    assert result["outputs"] == ["mkbaSaldo", "totaleKosten"]
    assert result["sortedBy"] == "totaleKosten"
    row = next(r for r in result["rows"] if r["input"] == "percentageMda")
    assert (row["low"], row["high"]) == (0.4, 0.9)
    assert row["effects"]["totaleKosten"]["high"] == pytest.approx(
        model.calculate({"percentageMda": 0.9})["totaleKosten"]
    )
    # sorted by an output and none asked for: that output alone
    assert tornado(model, inputs=["fteAanpak"], sort_by="totaleKosten")["outputs"] == [
        "totaleKosten"
    ]
    with pytest.raises(AnalysisError) as e:
        tornado(model, ranges={"nope": {"low": 0, "high": 1}}, sort_by="alsoNope")
    assert e.value.errors == [
        {"field": "ranges.nope", "message": "unknown input"},
        {"field": "sortBy", "message": "unknown output 'alsoNope'"},
    ]


def test_invalid_requests_name_every_field(model: CompiledModel, monkeypatch: pytest.MonkeyPatch):
    with pytest.raises(AnalysisError) as e:
        tornado(
            model,
            inputs=["fteAanpak", "nope"],
            outputs=["mkbaSaldo", "alsoNope"],
            step=0,
            ranges={"fteAanpak": {"low": -1, "high": 2}},
            values={"fteAanpak": "x"},
        )
    fields = {p["field"] for p in e.value.errors}
    assert fields == {"inputs[1]", "outputs[1]", "step", "ranges.fteAanpak.low", "values.fteAanpak"}
    assert isinstance(e.value, ValueError)
    monkeypatch.setattr(sensitivity, "MAX_INPUTS", 3)
    with pytest.raises(AnalysisError, match="at most 3 inputs"):
        tornado(model)
