"""The figures Bijlage II prints (see docs/model.md): the oracle of the model tests.

Quantities print as whole numbers, amounts (NCW) in whole thousands of euros, returns in
whole percents; the names are the outputs of the workbook's Interface sheet.
"""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal


def page_round(value: float, unit: float = 1) -> int:
    """Round as a spreadsheet displays, in `unit`s: half away from zero."""
    return int(Decimal(repr(value / unit)).quantize(Decimal(1), rounding=ROUND_HALF_UP))


# Block INVOER as printed: (cell, label, printed value, kind). Percentages print as whole %.
INPUTS = [
    ("B5", "1. % minder MPH - basis", 3000, "number"),
    ("C5", "1. % minder MPH - verschil", 0, "percent"),
    ("B6", "2. % meer MPH 'gevonden' - basis", 1000, "number"),
    ("C6", "2. % meer MPH 'gevonden' - verschil", 10, "percent"),
    ("B7", "3. % MDA - basis", 550, "number"),
    ("C7", "3. % MDA - verschil", 5, "percent"),
    ("B10", "meer (werk)trajecten - huidig", 123, "number"),
    ("C10", "meer (werk)trajecten - verschil", 2, "percent"),
    ("D10", "meer (werk)trajecten - nieuw", 125, "number"),
    ("B11", "minder (zorg)trajecten - huidig", 1100, "number"),
    ("C11", "minder (zorg)trajecten - verschil", -2, "percent"),
    ("D11", "minder (zorg)trajecten - nieuw", 1078, "number"),
    ("B13", "Effectiviteit huisuitzettingen - huidig", 60, "percent"),
    ("C13", "Effectiviteit huisuitzettingen - verschil", 10, "percent"),
    ("D13", "Effectiviteit huisuitzettingen - nieuw", 70, "percent"),
    ("B14", "Effectiviteit schuldhulpverlening - huidig", 45, "percent"),
    ("C14", "Effectiviteit schuldhulpverlening - verschil", 5, "percent"),
    ("D14", "Effectiviteit schuldhulpverlening - nieuw", 50, "percent"),
    ("B15", "Effectiviteit opleiding en werk - huidig", 2, "percent"),
    ("C15", "Effectiviteit opleiding en werk - verschil", 1, "percent"),
    ("D15", "Effectiviteit opleiding en werk - nieuw", 3, "percent"),
    ("B16", "Effectiviteit schooluitval - huidig", 49, "percent"),
    ("C16", "Effectiviteit schooluitval - verschil", -1, "percent"),
    ("D16", "Effectiviteit schooluitval - nieuw", 48, "percent"),
    ("B17", "Effectiviteit vermindering intensieve zorg - huidig", 46, "percent"),
    ("C17", "Effectiviteit vermindering intensieve zorg - verschil", -1, "percent"),
    ("D17", "Effectiviteit vermindering intensieve zorg - nieuw", 45, "percent"),
    ("C19", "6. % recidive - verschil", 20, "percent"),
    ("D19", "6. % recidive - nieuw", 20, "percent"),
    ("B21", "Reductie o & o in minder overlastgevende MPH", "nee", "text"),
    ("B22", "kwaliteit van leven in QALY's", "nee", "text"),
    ("B23", "Waardering levensjaar (VOLY)", 20000, "number"),
    ("B24", "% dat beroep doet op MO na HU", 25, "percent"),
    ("B25", "gemiddeld aantal jaren in MO", 2.5, "exact"),
]

# Block EFFECT: output name -> printed whole number.
QUANTITIES = {
    "aantalMph1Gezin1Plan": 550,
    "aantalMdaTrajecten": 28,
    "meerMphGevonden": 100,
    "aantalMphFinancieleStabilisatie": 63,
    "aantalMphSchuldenvrij": 22,
    "aantalMensenAanHetWerk": 1,
    "aantalKinderenStartkwalificatie": 1,
    "aantalVoorkomenHuisuitzettingen": 16,
    "aantalMinderIntensieveZorgtrajecten": 32,
    "aantalVoorkomenMo": 4,
    "minderOverlastgevendeMph": 2,
    "minderOverlastgevendeJongeren": 1,
    "aantalGewonnenLevensjaren": 15,
}

# Block NCW: output name -> printed amount in thousands of euros.
AMOUNTS = {
    "totaleKosten": 1365,
    "projectkosten": 1018,
    "projectkostenPersoneel": 1001,
    "projectkostenOverig": 17,
    "kostenMeerGevondenMph": 347,
    "kostenMeerZorgEnHulptrajecten": 339,
    "kostenMdaAanpak": 8,
    "totaleBaten": 1833,
    "batenKorteTermijn": 1435,
    "besparingOrganisatiekosten": 455,
    "minderSchooluitvalDirect": 3,
    "mensenMeerAanHetWerk": 109,
    "minderZiekteverzuim": 52,
    "batenDirectVoorkomenKosten": 816,
    "voorkomenKostenHuisuitzettingen": 76,
    "voorkomenKostenMaatschappelijkeOpvang": 409,
    "voorkomenKostenAlternatieveScholing": 4,
    "voorkomenKostenUithuisplaatsing": 0,
    "voorkomenKostenPolitieJustitie": 1,
    "voorkomenIncassokosten": 48,
    "voorkomenKostenGezondheidszorg": 278,
    "batenLangeTermijn": 125,
    "minderSchooluitvalLater": 65,
    "minderLangdurigZiekteverzuim": 55,
    "minderKostenSchooluitvalLater": 5,
    "voorkomenKostenLangeTermijn": 0,
    "immaterieleBaten": 273,
    "reductieOverlastOnveiligheid": 26,
    "toenameKwaliteitVanLeven": 247,
    "mkbaSaldo": 468,
}

# The bar chart's data ("Basis", figure 3.4), in thousands of euros.
CHART = {"M4": 1435, "M5": 125, "M6": 273, "M7": 1365, "M8": 468}

RETURNS = {"financieelRendement": 14, "maatschappelijkRendement": 34}
