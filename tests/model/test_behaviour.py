"""The behaviour MODEL.md asks for: each knob moves its own lines and no others."""

from __future__ import annotations

import pytest

from service.engine import CompiledModel

# Outputs that add up other outputs; a knob test looks at the lines underneath them.
AGGREGATES = {
    "totaleKosten",
    "projectkosten",
    "kostenMeerGevondenMph",
    "totaleBaten",
    "batenKorteTermijn",
    "batenDirectVoorkomenKosten",
    "batenLangeTermijn",
    "immaterieleBaten",
    "mkbaSaldo",
    "financieelRendement",
    "maatschappelijkRendement",
}

FOUND = {"meerMphGevonden", "kostenMeerZorgEnHulptrajecten"}
MDA = {"aantalMdaTrajecten", "kostenMdaAanpak"}
WORK = {"aantalMensenAanHetWerk", "mensenMeerAanHetWerk", "reductieOverlastOnveiligheid"}
SHELTER = {"aantalVoorkomenMo", "voorkomenKostenMaatschappelijkeOpvang"}

DEBT_CHAIN = {
    "aantalMphFinancieleStabilisatie",
    "aantalMphSchuldenvrij",
    "aantalGewonnenLevensjaren",
    "minderZiekteverzuim",
    "voorkomenIncassokosten",
    "minderLangdurigZiekteverzuim",
    "toenameKwaliteitVanLeven",
}

# knob -> (a changed value, the lines and quantities it must move - and no others)
KNOBS: dict[str, tuple[object, set[str]]] = {
    "percentageMinderMph": (
        0.01,
        {"voorkomenKostenUithuisplaatsing", "voorkomenKostenLangeTermijn"},
    ),
    "aantalMph": (3500, set()),  # the base only matters once '% minder MPH' is above 0
    "percentageMeerGevonden": (
        0.2,
        FOUND | DEBT_CHAIN,
    ),
    "mphBuitenBeeld": (2000, FOUND | DEBT_CHAIN),
    "percentageMda": (0.1, MDA),
    "aantalMphAanpak": (
        600,
        {
            "aantalMph1Gezin1Plan",
            "aantalMdaTrajecten",
            "kostenMdaAanpak",
            "besparingOrganisatiekosten",
        },
    ),
    "werktrajecten": (
        200,
        WORK,
    ),
    "werktrajectenVerschil": (
        0.04,
        WORK,
    ),
    "zorgtrajecten": (1500, {"besparingOrganisatiekosten"}),
    "zorgtrajectenVerschil": (-0.04, {"besparingOrganisatiekosten"}),
    "effectiviteitHuisuitzettingen": (0.5, set()),
    "effectiviteitHuisuitzettingenVerschil": (
        0.2,
        {
            "aantalVoorkomenHuisuitzettingen",
            "aantalVoorkomenMo",
            "minderOverlastgevendeMph",
            "voorkomenKostenHuisuitzettingen",
            "voorkomenKostenMaatschappelijkeOpvang",
            "voorkomenKostenPolitieJustitie",
            "reductieOverlastOnveiligheid",
        },
    ),
    # Newly found households are helped at the new effectiveness, so the base moves them too.
    "effectiviteitSchuldhulpverlening": (0.5, DEBT_CHAIN),
    "effectiviteitSchuldhulpverleningVerschil": (0.1, DEBT_CHAIN),
    "effectiviteitOpleidingWerk": (
        0.05,
        WORK,
    ),
    "effectiviteitOpleidingWerkVerschil": (
        0.02,
        WORK,
    ),
    "effectiviteitSchooluitval": (0.4, set()),
    "effectiviteitSchooluitvalVerschil": (
        -0.02,
        {
            "aantalKinderenStartkwalificatie",
            "minderOverlastgevendeJongeren",
            "minderSchooluitvalDirect",
            "voorkomenKostenAlternatieveScholing",
            "minderSchooluitvalLater",
            "minderKostenSchooluitvalLater",
            "reductieOverlastOnveiligheid",
        },
    ),
    "effectiviteitIntensieveZorg": (0.3, set()),
    "effectiviteitIntensieveZorgVerschil": (
        -0.02,
        {"aantalMinderIntensieveZorgtrajecten", "voorkomenKostenGezondheidszorg"},
    ),
    "percentageRecidive": (
        0.4,
        {
            "aantalMphSchuldenvrij",
            "voorkomenIncassokosten",
            "minderLangdurigZiekteverzuim",
            "aantalGewonnenLevensjaren",
            "toenameKwaliteitVanLeven",
        },
    ),
    "reductieOverlastMeetellen": (True, {"reductieOverlastOnveiligheid"}),
    "kwaliteitVanLevenInQalys": (True, {"aantalGewonnenLevensjaren", "toenameKwaliteitVanLeven"}),
    "waarderingLevensjaar": (40000, {"toenameKwaliteitVanLeven"}),
    "aandeelMoNaHuisuitzetting": (
        0.5,
        SHELTER,
    ),
    "jarenInMo": (5, {"voorkomenKostenMaatschappelijkeOpvang"}),
}

# The knobs that express a change against the old way of working, and the lines they create.
CHANGE_KNOBS = {
    "percentageMeerGevonden": ["meerMphGevonden", "kostenMeerZorgEnHulptrajecten"],
    "percentageMda": ["aantalMdaTrajecten", "kostenMdaAanpak"],
    "percentageMinderMph": ["voorkomenKostenUithuisplaatsing", "voorkomenKostenLangeTermijn"],
    "effectiviteitHuisuitzettingenVerschil": [
        "aantalVoorkomenHuisuitzettingen",
        "aantalVoorkomenMo",
        "minderOverlastgevendeMph",
        "voorkomenKostenHuisuitzettingen",
        "voorkomenKostenMaatschappelijkeOpvang",
        "voorkomenKostenPolitieJustitie",
    ],
    "effectiviteitSchooluitvalVerschil": [
        "aantalKinderenStartkwalificatie",
        "minderOverlastgevendeJongeren",
        "minderSchooluitvalDirect",
        "voorkomenKostenAlternatieveScholing",
        "minderSchooluitvalLater",
        "minderKostenSchooluitvalLater",
    ],
    "effectiviteitIntensieveZorgVerschil": [
        "aantalMinderIntensieveZorgtrajecten",
        "voorkomenKostenGezondheidszorg",
    ],
}

# Quantities each change knob drives (for the doubling test).
DRIVEN_QUANTITIES = {
    "percentageMeerGevonden": ["meerMphGevonden", "aantalMphFinancieleStabilisatie"],
    "percentageMda": ["aantalMdaTrajecten"],
    "werktrajectenVerschil": ["aantalMensenAanHetWerk"],
    "effectiviteitHuisuitzettingenVerschil": [
        "aantalVoorkomenHuisuitzettingen",
        "aantalVoorkomenMo",
        "minderOverlastgevendeMph",
    ],
    "effectiviteitSchuldhulpverleningVerschil": [
        "aantalMphFinancieleStabilisatie",
        "aantalMphSchuldenvrij",
        "aantalGewonnenLevensjaren",
    ],
    "effectiviteitOpleidingWerkVerschil": ["aantalMensenAanHetWerk"],
    "effectiviteitSchooluitvalVerschil": [
        "aantalKinderenStartkwalificatie",
        "minderOverlastgevendeJongeren",
    ],
    "effectiviteitIntensieveZorgVerschil": ["aantalMinderIntensieveZorgtrajecten"],
}


def _lines(model: CompiledModel) -> list[str]:
    return [o.name for o in model.outputs if o.group != "verdeling" and o.name not in AGGREGATES]


def _moved(model: CompiledModel, changes: dict[str, object]) -> set[str]:
    base, new = model.calculate({}), model.calculate(changes)
    return {
        name
        for name in _lines(model)
        if new[name] != pytest.approx(base[name], rel=1e-12, abs=1e-9)
    }


def test_every_cockpit_knob_has_a_case(model):
    cockpit_inputs = {i.name for i in model.inputs if i.cell.startswith("Cockpit!")}
    assert cockpit_inputs == set(KNOBS)


@pytest.mark.parametrize("knob", list(KNOBS))
def test_knob_moves_its_lines_and_no_others(model, knob):
    value, expected = KNOBS[knob]
    assert _moved(model, {knob: value}) == expected


@pytest.mark.parametrize("knob", list(CHANGE_KNOBS))
def test_no_change_gives_its_chain_no_benefit(model, knob):
    r = model.calculate({knob: 0})
    assert {name: r[name] for name in CHANGE_KNOBS[knob]} == dict.fromkeys(CHANGE_KNOBS[knob], 0)


@pytest.mark.parametrize("knob", list(DRIVEN_QUANTITIES))
def test_doubling_a_change_doubles_what_it_drives(model, knob):
    default = next(i.default for i in model.inputs if i.name == knob)
    zero, once, twice = (model.calculate({knob: f * default}) for f in (0, 1, 2))
    for name in DRIVEN_QUANTITIES[knob]:
        effect = once[name] - zero[name]
        assert effect != 0, name
        assert twice[name] - zero[name] == pytest.approx(2 * effect, rel=1e-9), name


def test_seed_evictions_ten_percent_gives_sixteen_households(model):
    r = model.calculate({"effectiviteitHuisuitzettingenVerschil": 0.10})
    assert r["aantalVoorkomenHuisuitzettingen"] == pytest.approx(16)


def test_seed_one_percent_less_dropout_gives_about_one_child(model):
    r = model.calculate({"effectiviteitSchooluitvalVerschil": -0.01})
    assert r["aantalKinderenStartkwalificatie"] == pytest.approx(1.1)  # footnote 3: "1,1 kind"


def test_seed_debt_counselling_five_percent_gives_about_fifteen_households(model):
    """The seed counts the households reached for the first time separately, so leave them out."""
    without_found = {"percentageMeerGevonden": 0}
    before = model.calculate({**without_found, "effectiviteitSchuldhulpverleningVerschil": 0})
    after = model.calculate({**without_found, "effectiviteitSchuldhulpverleningVerschil": 0.05})
    gained = after["aantalMphFinancieleStabilisatie"] - before["aantalMphFinancieleStabilisatie"]
    assert gained == pytest.approx(15)


MULTI_YEAR_LINES = {
    "mensenMeerAanHetWerk",
    "voorkomenKostenMaatschappelijkeOpvang",
    "voorkomenIncassokosten",
    "minderSchooluitvalLater",
    "minderLangdurigZiekteverzuim",
    "minderKostenSchooluitvalLater",
    "toenameKwaliteitVanLeven",
}


def test_discount_rate_225_changes_only_what_discounting_changes(model):
    base = model.calculate({})
    low = model.calculate({"disconteringsvoet": 0.0225})
    assert _moved(model, {"disconteringsvoet": 0.0225}) == MULTI_YEAR_LINES
    for name in MULTI_YEAR_LINES:
        assert low[name] > base[name], name  # a lower rate discounts later years less
    assert low["mkbaSaldo"] > base["mkbaSaldo"]
    assert low["totaleKosten"] == base["totaleKosten"]  # all costs fall in year 1


def test_discount_rate_zero_sums_the_year_profile(model):
    """At 0% every year counts in full: 4 households x 2,5 years x the yearly shelter cost."""
    r = model.calculate({"disconteringsvoet": 0})
    cost = next(i.default for i in model.inputs if i.name == "kostenMoPerJaar")
    assert r["voorkomenKostenMaatschappelijkeOpvang"] == pytest.approx(4 * 2.5 * cost)


def test_horizon_cuts_long_term_benefits(model):
    """Long-term lines start in year 3 (WAO) or later, so two years leave none of them."""
    short = model.calculate({"tijdshorizon": 2})
    assert short["batenLangeTermijn"] == 0
    assert model.calculate({"tijdshorizon": 4})["minderSchooluitvalLater"] == 0
    assert short["totaleKosten"] == model.calculate({})["totaleKosten"]


def test_zero_costs_give_a_clean_error_value_for_the_returns(model):
    zero = {
        "fteAanpak": 0,
        "percentageMeerGevonden": 0,
        "percentageMda": 0,
    }
    r = model.calculate(zero)
    assert r["totaleKosten"] == 0
    assert str(r["maatschappelijkRendement"]) == "#DIV/0!"
    assert str(r["financieelRendement"]) == "#DIV/0!"
