"""Effect measurement: the Wald interval on textbook counts, mapped onto the model's input."""

from __future__ import annotations

import math

import pytest

from service.analysis import AnalysisError, domains, measure_effect, monte_carlo
from service.analysis.effect import wald_interval
from service.engine import CompiledModel
from tests.analysis.interface_sheet import WORKBOOK, interface_rows


def test_wald_interval_on_textbook_counts():
    # Newcombe (1998), Stat Med 17:873, table II example (a): 56/70 vs 48/80,
    # method 1 (simple asymptotic = Wald, no continuity correction): 0.0575 to 0.3425.
    d, se, lower, upper = wald_interval(70, 56, 80, 48)
    assert d == pytest.approx(0.2)
    assert (round(lower, 4), round(upper, 4)) == (0.0575, 0.3425)
    assert se == pytest.approx(math.sqrt(0.8 * 0.2 / 70 + 0.6 * 0.4 / 80))
    # Example (b): 9/10 vs 3/10 -> 0.2605 to 0.9395.
    _, _, lower, upper = wald_interval(10, 9, 10, 3)
    assert (round(lower, 4), round(upper, 4)) == (0.2605, 0.9395)


def test_domains_are_the_workbooks_effect_domain_rows(model: CompiledModel):
    """Each effectDomain row of the reference workbook's Interface sheet (seed 004, ch. 4),
    read straight from the workbook, is a domain with its input, sign, labels and unit."""
    rows = [r for r in interface_rows(WORKBOOK) if r["kind"] == "effectDomain"]
    expected = {
        r["name"]: {
            "input": r["input"],
            "sign": int(r["sign"]),
            "labelNl": r["labelNl"],
            "labelEn": r["labelEn"],
            "success": r["unit"],
        }
        for r in rows
    }
    assert domains(model) == expected
    assert set(expected) == {
        "debtCounselling",
        "reintegration",
        "evictions",
        "schoolDropout",
        "intensiveCare",
    }
    names = {s.name for s in model.inputs}
    assert all(d["input"] in names for d in expected.values())


@pytest.mark.parametrize(
    ("domain", "quantity", "per_point"),
    [
        ("schoolDropout", "aantalKinderenStartkwalificatie", 110),  # children at risk
        ("intensiveCare", "aantalMinderIntensieveZorgtrajecten", 3200),  # trajectories
        ("evictions", "aantalVoorkomenHuisuitzettingen", 160),  # households under threat
    ],
)
def test_more_successes_means_more_effect_in_the_model(
    model: CompiledModel, domain: str, quantity: str, per_point: float
):
    r = measure_effect(
        model,
        domain=domain,
        treatment={"households": 70, "successes": 56},
        control={"households": 80, "successes": 48},
    )
    assert r["difference"] == pytest.approx(0.2)
    assert r["value"] == pytest.approx(0.2 * r["sign"])
    lo, hi = r["valueInterval"]
    assert lo < r["value"] < hi
    fresh = model.calculate(r["scenario"])
    assert fresh[quantity] == pytest.approx(per_point * 0.2)


def test_usable_as_a_distribution(model: CompiledModel):
    r = measure_effect(
        model,
        domain="debtCounselling",
        treatment={"households": 400, "successes": 220},
        control={"households": 400, "successes": 200},
    )
    mc = monte_carlo(model, distributions=[r["distribution"]], draws=50_000, seed=1)
    drawn = mc["inputs"]["effectiviteitSchuldhulpverleningVerschil"]
    assert drawn["mean"] == pytest.approx(0.05, abs=0.001)
    assert drawn["sd"] == pytest.approx(r["standardError"], rel=0.02)
    assert 0 < mc["probabilitySaldoPositive"] <= 1


def test_confidence_and_small_counts(model: CompiledModel):
    counts = {
        "treatment": {"households": 30, "successes": 2},
        "control": {"households": 30, "successes": 1},
    }
    r90 = measure_effect(model, domain="evictions", confidence=0.90, **counts)
    r99 = measure_effect(model, domain="evictions", confidence=0.99, **counts)
    assert r90["interval"][1] - r90["interval"][0] < r99["interval"][1] - r99["interval"][0]
    assert r90["warnings"]


def test_invalid_requests(model: CompiledModel):
    with pytest.raises(AnalysisError) as e:
        measure_effect(
            model,
            domain="astrology",
            treatment={"households": 10, "successes": 11},
            control={"households": True, "successes": 1},
            confidence=1.0,
        )
    assert {p["field"] for p in e.value.errors} == {
        "domain",
        "treatment.successes",
        "control.households",
        "confidence",
    }
