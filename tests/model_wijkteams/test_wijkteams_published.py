"""What the public material fixes, held against the workbook.

The public material on the MKBA-tool sociale (wijk)teams gives its structure and a few
parameters, not the input and output figures of the five example teams in chapter 4 of the
manual (those pages are not in any public copy we could read; see
docs/model-mkba-sociale-wijkteams.md, "Sources"). So these tests hold the workbook to the
published parameters and the published structure; the results are the assumptions' (the
behaviour tests check that the chain computes what the doc says).
"""

from __future__ import annotations

import pytest

from service.engine import CompiledModel

NVSI = (
    "NVSI, 'Heeft u de optimale aanpak in uw (sociale) wijkteam? Doe de test.' "
    "(on the BZK/LPBL tool), succesfactor 2"
)
MANUAL = "Handleiding MKBA-tool sociale (wijk)teams, LPBL for BZK, May 2014, table of contents"
DRENTHE = "Trendbureau Drenthe, 'MKBA: Hoe functioneert het sociale team? // Borger-Odoorn', 2017"


def _default(model: CompiledModel, name: str) -> float:
    (spec,) = [i for i in model.inputs if i.name == name]
    return float(spec.default)


def test_target_groups_are_5_15_80_percent(model: CompiledModel, all_cells: CompiledModel) -> None:
    """NVSI, succesfactor 2: 'de 5% zware problematiek', 'de 15% kwetsbare burgers',
    'de overige 80% niet-kwetsbare burgers'."""
    assert _default(model, "aandeelZwaar") == 0.05, NVSI
    assert _default(model, "aandeelKwetsbaar") == 0.15, NVSI
    cells = all_cells.calculate_results({})
    # the rest is a formula: 80% by default, and always 100% in all
    assert cells["Doelgroepen!D7"] == pytest.approx(0.80, abs=1e-15), NVSI
    shares = {"aandeelZwaar": 0.03, "aandeelKwetsbaar": 0.22}
    assert all_cells.calculate_results(shares)["Doelgroepen!D7"] == pytest.approx(0.75)


@pytest.mark.parametrize(
    ("name", "lo", "hi"),
    [("caseloadZwaar", 5, 7), ("caseloadKwetsbaar", 30, 40), ("caseloadOverig", 100, 100)],
)
def test_caseloads_are_the_published_norms(
    model: CompiledModel, name: str, lo: float, hi: float
) -> None:
    """NVSI, succesfactor 2: '5 - 7 gezinnen', '30 tot 40 personen', '100 personen'."""
    assert lo <= _default(model, name) <= hi, NVSI


def test_inputs_are_the_manuals_a_bereik_b_kosten_c_effect(workbook) -> None:  # type: ignore[no-untyped-def]
    """Manual, chapter 2: Invoer A. Bereik (p. 4), B. Kosten (p. 7), C. Effect (p. 11)."""
    from tools.engines import cached_values

    cells = cached_values(workbook)
    assert cells[("Cockpit", "A4")] == "INVOER A. BEREIK", MANUAL
    assert cells[("Cockpit", "A7")] == "INVOER B. KOSTEN", MANUAL
    assert cells[("Cockpit", "A10")] == "INVOER C. EFFECT", MANUAL


def test_outputs_are_the_manuals_ncw_and_budget_after_two_years(model: CompiledModel) -> None:
    """Manual, chapter 3: Uitvoer A. Kosten en Baten in NCW (p. 16), B. Begroting na 2 jaar
    (p. 18)."""
    groups = {o.group for o in model.outputs}
    assert {"totalen", "begroting"} <= groups, MANUAL
    names = {o.name for o in model.outputs}
    assert {"mkbaSaldo", "totaleKosten", "totaleBaten", "begrotingNa2Jaar"} <= names, MANUAL


def test_cost_and_benefit_components_are_the_published_ones(model: CompiledModel) -> None:
    """Trendbureau Drenthe: costs of the approach, transition costs ('frictiekosten') and
    extra care; benefits of the approach (efficiency), effectiveness, escalation prevented
    and intangible benefits."""
    costs = {o.name for o in model.outputs if o.group == "kostenposten"}
    assert costs == {"kTeam", "kFrictie", "kExtraZorg"}, DRENTHE
    benefits = {o.name for o in model.outputs if o.group == "batenposten"}
    assert {"bEfficientie", "bEscalatie", "bImmaterieel"} <= benefits, DRENTHE
    effectiveness = benefits - {"bEfficientie", "bEscalatie", "bImmaterieel"}
    assert len(effectiveness) == 5, DRENTHE  # one line per life domain
