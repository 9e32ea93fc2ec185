"""The wijkteams model does what docs/model-mkba-sociale-wijkteams.md says.

A second implementation of the documented chain (plain Python, below) against the compiled
workbook on the default and random scenarios; monotonicity of the saldo in every effect
input; what each ja/nee switch does; the accounting identities; IFERROR's fallbacks.
"""

from __future__ import annotations

import math
import random
from typing import Any

import pytest

from service.engine import CompiledModel

GROUPS = ("Zwaar", "Kwetsbaar", "Overig")
DOMAINS = ("Werk", "Schulden", "Wonen", "Veiligheid", "Opvoeding")
EFFECT_INPUTS = ("efficiencyWinst", "escalatieReductie", *(f"succes{d}" for d in DOMAINS))
YEARS = 10


def documented(v: dict[str, Any]) -> dict[str, float]:
    """The chain as the doc writes it, for inputs v (API names, yes/no as bool)."""
    r, horizon = v["disconteringsvoet"], v["tijdshorizon"]

    def ncw(amount: float, start: float, duration: float) -> float:
        years = [t for t in range(1, YEARS + 1) if start <= t < start + duration and t <= horizon]
        return sum(amount / (1 + r) ** (t - 1) for t in years)

    share = {"Zwaar": v["aandeelZwaar"], "Kwetsbaar": v["aandeelKwetsbaar"]}
    share["Overig"] = 1 - share["Zwaar"] - share["Kwetsbaar"]
    reached = {g: v["huishoudensWerkgebied"] * share[g] * v["bereik" + g] for g in GROUPS}
    fte = sum(reached[g] / (v["caseload" + g] * 12 / v["trajectduur" + g]) for g in GROUPS)
    total = sum(reached.values())
    saving = sum(reached[g] * v["zorgkosten" + g] for g in GROUPS) * v["efficiencyWinst"]
    escalations = sum(reached[g] * v["escalatiekans" + g] for g in GROUPS) * v["escalatieReductie"]
    base = reached["Zwaar"] + reached["Kwetsbaar"]
    out = {
        "kTeam": ncw(fte * v["kostenPerFte"] * (1 + v["overheadOpslag"]), 1, 1),
        "kFrictie": ncw(fte * v["frictiekostenPerFte"], 1, 1)
        if v["frictiekostenMeetellen"]
        else 0.0,
        "kExtraZorg": ncw(total * v["aandeelExtraZorg"] * v["kostenExtraZorg"], 1, 1),
        "bEfficientie": ncw(saving, 1, 1),
        "bEscalatie": ncw(escalations * v["kostenEscalatie"], 1, v["duurEscalatie"]),
    }
    successes = 0.0
    for d in DOMAINS:
        n = base * v["succes" + d]
        successes += n
        out["b" + d] = ncw(n * v["waardeSucces" + d], 1, v["duurSucces" + d])
    qol = (successes + escalations) * v["qalyPerSucces"] * v["waardeQaly"]
    out["bImmaterieel"] = (
        ncw(qol, 1, v["duurImmaterieel"]) if v["immaterieleBatenMeetellen"] else 0.0
    )
    out["totaleKosten"] = out["kTeam"] + out["kFrictie"] + out["kExtraZorg"]
    out["totaleBaten"] = sum(out[k] for k in out if k.startswith("b"))
    out["mkbaSaldo"] = out["totaleBaten"] - out["totaleKosten"]
    out["huishoudensBereikt"] = total
    out["fteWijkteam"] = fte
    return out


def _random_values(model: CompiledModel, rnd: random.Random) -> dict[str, Any]:
    v: dict[str, Any] = {}
    for spec in model.inputs:
        if spec.type == "yesno":
            v[spec.name] = rnd.choice([True, False])
        elif spec.type in ("count", "years"):
            v[spec.name] = float(rnd.randint(int(spec.min), int(spec.max)))
        else:
            v[spec.name] = rnd.uniform(spec.min, spec.max)
    return v


def _close(a: float, b: float) -> bool:
    return math.isclose(a, b, rel_tol=1e-9, abs_tol=1e-6)


def test_default_follows_the_documented_chain(model: CompiledModel) -> None:
    got = model.calculate({})
    want = documented(model.resolve({}))
    bad = {k: (got[k], w) for k, w in want.items() if not _close(got[k], w)}
    assert not bad


def test_random_scenarios_follow_the_documented_chain(model: CompiledModel) -> None:
    rnd = random.Random(13)
    for _ in range(50):
        values = _random_values(model, rnd)
        got = model.calculate(values)
        want = documented(model.resolve(values))
        bad = {k: (got[k], w) for k, w in want.items() if not _close(got[k], w)}
        assert not bad, values


def test_the_default_figures_in_the_doc(model: CompiledModel) -> None:
    """docs/model-mkba-sociale-wijkteams.md quotes these (rounded to euros); keep them true."""
    got = model.calculate({})
    assert round(got["totaleKosten"]) == 1_438_608
    assert round(got["totaleBaten"]) == 2_378_298
    assert round(got["mkbaSaldo"]) == 939_691
    assert got["batenPerEuro"] == 1.65
    assert round(got["gemeenteBegrotingNa2Jaar"]) == -356_909
    assert round(got["begrotingNa2Jaar"]) == 743_531


@pytest.mark.parametrize("name", EFFECT_INPUTS)
def test_saldo_rises_with_every_effect_input(model: CompiledModel, name: str) -> None:
    (spec,) = [i for i in model.inputs if i.name == name]
    grid = [spec.min + (spec.max - spec.min) * k / 10 for k in range(11)]
    saldi = [model.calculate({name: x})["mkbaSaldo"] for x in grid]
    assert all(b > a for a, b in zip(saldi, saldi[1:], strict=False)), saldi


@pytest.mark.parametrize("name", EFFECT_INPUTS)
def test_saldo_never_falls_with_an_effect_input_in_random_scenarios(
    model: CompiledModel, name: str
) -> None:
    rnd = random.Random(EFFECT_INPUTS.index(name))
    (spec,) = [i for i in model.inputs if i.name == name]
    for _ in range(20):
        values = _random_values(model, rnd)
        lo = model.calculate({**values, name: spec.min})["mkbaSaldo"]
        hi = model.calculate({**values, name: spec.max})["mkbaSaldo"]
        assert hi >= lo


def test_frictiekosten_switch(model: CompiledModel) -> None:
    """'nee' drops the one-off transition costs and nothing else."""
    ja = model.calculate({"frictiekostenMeetellen": True})
    nee = model.calculate({"frictiekostenMeetellen": False})
    assert ja["kFrictie"] > 0 and nee["kFrictie"] == 0
    assert _close(ja["totaleKosten"] - nee["totaleKosten"], ja["kFrictie"])
    assert _close(nee["mkbaSaldo"] - ja["mkbaSaldo"], ja["kFrictie"])
    assert ja["totaleBaten"] == nee["totaleBaten"]
    # one-off: never in the budget after two years
    assert ja["begrotingNa2Jaar"] == nee["begrotingNa2Jaar"]


def test_immateriele_baten_switch(model: CompiledModel) -> None:
    """'nee' drops the quality-of-life line and nothing else."""
    ja = model.calculate({"immaterieleBatenMeetellen": True})
    nee = model.calculate({"immaterieleBatenMeetellen": False})
    assert ja["bImmaterieel"] > 0 and nee["bImmaterieel"] == 0
    assert _close(ja["mkbaSaldo"] - nee["mkbaSaldo"], ja["bImmaterieel"])
    assert ja["totaleKosten"] == nee["totaleKosten"]
    assert _close(ja["huishoudensSaldo"] - nee["huishoudensSaldo"], ja["bImmaterieel"])
    assert ja["gemeenteSaldo"] == nee["gemeenteSaldo"]


def test_actors_add_up(model: CompiledModel) -> None:
    actors = ("gemeente", "zorgverzekeraars", "woningcorporaties", "politieJustitie", "huishoudens")
    rnd = random.Random(7)
    for values in [{}] + [_random_values(model, rnd) for _ in range(20)]:
        got = model.calculate(values)
        for kind, total in (
            ("Kosten", "totaleKosten"),
            ("Baten", "totaleBaten"),
            ("Saldo", "mkbaSaldo"),
        ):
            assert _close(sum(got[a + kind] for a in actors), got[total])
        assert _close(sum(got[a + "BegrotingNa2Jaar"] for a in actors), got["begrotingNa2Jaar"])


def test_baten_per_euro_is_rounded_to_cents(model: CompiledModel) -> None:
    rnd = random.Random(11)
    for values in [{}] + [_random_values(model, rnd) for _ in range(20)]:
        got = model.calculate(values)
        ratio = got["totaleBaten"] / got["totaleKosten"]
        assert abs(got["batenPerEuro"] - ratio) <= 0.005 + 1e-12
        assert got["batenPerEuro"] == round(got["batenPerEuro"], 2)


def test_no_households_means_zero_not_an_error(model: CompiledModel) -> None:
    """IFERROR: no one reached gives no saving per household and a ratio of 0, not #DIV/0!."""
    got = model.calculate({"huishoudensWerkgebied": 0})
    assert got["bEfficientie"] == 0.0
    assert got["totaleKosten"] == 0.0
    assert got["batenPerEuro"] == 0.0


def test_horizon_and_discount_rate(model: CompiledModel) -> None:
    """Year 1 is not discounted: with a horizon of 1 year the lines are their year-1 amounts."""
    one = model.calculate({"tijdshorizon": 1})
    flat = model.calculate({"disconteringsvoet": 0.0})
    base = model.calculate({})
    assert one["kTeam"] == base["kTeam"]  # a cost in year 1 only
    assert one["bWerk"] * 3 == pytest.approx(flat["bWerk"])  # 3 equal years at r = 0
    assert one["bWerk"] < base["bWerk"] < flat["bWerk"]
