"""Build formulas_spec/mkba-sociale-wijkteams.xlsx (MKBA-tool sociale (wijk)teams), recalculated.

Run `make workbook` (python -m tools.build_workbook_wijkteams). The layout follows the manual
"Handleiding MKBA-tool sociale (wijk)teams" (LPBL for BZK, May 2014): Invoer A bereik, B kosten,
C effect; Uitvoer A kosten en baten in NCW, B begroting na 2 jaar. Lookups (INDEX/MATCH over the
target groups, VLOOKUP over the effect domains), NPV, ROUND in the display cells, IFERROR and two
ja/nee switches, as an analyst builds it. docs/model-mkba-sociale-wijkteams.md explains each
line, each assumption and what the public material does and does not give.
"""

from __future__ import annotations

import re
import tempfile
import zipfile
from dataclasses import dataclass
from pathlib import Path

from openpyxl.chart import BarChart, Reference
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter

from service.compiler.interface import COLUMNS, ROLE_COLUMNS, SERIES_COLUMNS
from tools.build_workbook import (
    BOLD,
    EURO,
    INPUT_FILL,
    PCT,
    PCT1,
    SPEC_DIR,
    ActorSeriesLayout,
    Book,
    actor_series,
)
from tools.dump_cells import write_text_form
from tools.engines import recalc_libreoffice

MODEL_ID = "mkba-sociale-wijkteams"
YEARS = 10  # columns of the year profile; the horizon input may not exceed it
FIRST_YEAR_COL = 9  # column I holds year 1
EURO_K = "#,##0"
NUM2 = "#,##0.00"


@dataclass
class Row:
    """One row of the Interface sheet (columns A..N of ROLES.md)."""

    kind: str
    name: str
    label_nl: str
    label_en: str = ""
    unit: str = ""
    type: str = ""
    lo: float | None = None
    hi: float | None = None
    group: str = ""
    cell: str = ""
    role: str = ""
    actor: str = ""
    input: str = ""
    sign: int | None = None
    evidence: str = ""
    years: str = ""  # a series row: the range of its years


# Input roles (column K of an input row): the discount rate a request's norm sets, and
# what the optimism-bias correction scales (docs/analysis.md, "How sure are we"): an
# `effect` is scaled down, a `cost` up, by the percentage of its evidence grade (column O).
INPUT_ROLES = {"disconteringsvoet": "discountRate"}
# Every figure but the published target groups and caseload norms is an assumption of
# this rebuild (docs/model-mkba-sociale-wijkteams.md): expert guesses. The caseloads are
# published norms and not scaled (a higher caseload lowers the costs); nor is the overhead
# mark-up, which the uplift of the salary already raises.
EVIDENCE = {
    "efficiencyWinst": ("effect", "expertschatting"),
    "escalatieReductie": ("effect", "expertschatting"),
    "succesWerk": ("effect", "expertschatting"),
    "succesSchulden": ("effect", "expertschatting"),
    "succesWonen": ("effect", "expertschatting"),
    "succesVeiligheid": ("effect", "expertschatting"),
    "succesOpvoeding": ("effect", "expertschatting"),
    "kostenPerFte": ("cost", "expertschatting"),
    "frictiekostenPerFte": ("cost", "expertschatting"),
    "kostenExtraZorg": ("cost", "expertschatting"),
}


class Model(Book):
    """The workbook under construction with the Interface rows, roles included."""

    def __init__(self) -> None:
        super().__init__()
        self.rows: list[Row] = []

    def inp(
        self,
        sheet: str,
        addr: str,
        key: str,
        value: object,
        labels: tuple[str, str],
        unit: str,
        typ: str,
        group: str,
        bounds: tuple[float | None, float | None] = (None, None),
        fmt: str = "",
    ) -> None:
        """A yellow input cell, registered and declared in the interface."""
        full = self.put(sheet, addr, value, key=key, fmt=fmt)
        self.sheet(sheet)[addr].fill = INPUT_FILL
        kind, grade = EVIDENCE.get(key, ("", ""))
        role = INPUT_ROLES.get(key, kind)
        self.rows.append(
            Row("input", key, *labels, unit, typ, *bounds, group, full, role, evidence=grade)
        )

    def out(
        self, key: str, labels: tuple[str, str], unit: str, typ: str, group: str, role: str = ""
    ) -> None:
        """Declare the registered cell `key` an output."""
        self.rows.append(
            Row("output", key, *labels, unit, typ, None, None, group, self.ref[key], role)
        )


# --------------------------------------------------------------------------- Invoer A: bereik

# Target groups (doelgroepen): the 5% / 15% / 80% split and the caseload norms are the
# published ones (NVSI page on the BZK/LPBL tool: "Voor de 5% zware problematiek is 5 - 7
# gezinnen een passende caseload. Voor de 15% kwetsbare burgers ... 30 tot 40 ... Voor de
# overige 80% niet-kwetsbare burgers is 100 personen in een caseload acceptabel").
# (code, key, label NL, label EN, share, reach, caseload, months, care cost, escalation risk)
DOELGROEPEN = [
    (1, "zwaar", "Zware problematiek", "Severe problems", 0.05, 0.20, 6, 12, 40000, 0.25),
    (
        2,
        "kwetsbaar",
        "Kwetsbare huishoudens",
        "Vulnerable households",
        0.15,
        0.15,
        35,
        6,
        10000,
        0.05,
    ),
    (
        3,
        "overig",
        "Overige (niet-kwetsbare) huishoudens",
        "Other households",
        None,
        0.01,
        100,
        3,
        2000,
        0.005,
    ),
]
DG_FIRST = 5  # first table row on sheet Doelgroepen
DG_LAST = DG_FIRST + len(DOELGROEPEN) - 1

# --------------------------------------------------------------------------- Effect domains

# (key, label NL, label EN, unit of one success, default extra success rate, value per success
#  per year, duration in years, first year)
DOMEINEN = [
    (
        "werk",
        "Werk en inkomen",
        "Work and income",
        "huishouden (weer) aan het werk",
        0.03,
        15000,
        3,
        1,
    ),
    (
        "schulden",
        "Financiën en schulden",
        "Finances and debt",
        "huishouden financieel gestabiliseerd",
        0.08,
        3000,
        3,
        1,
    ),
    ("wonen", "Wonen", "Housing", "huisuitzetting voorkomen", 0.04, 8000, 1, 1),
    (
        "veiligheid",
        "Veiligheid en overlast",
        "Safety and nuisance",
        "huishouden minder overlastgevend",
        0.05,
        2500,
        2,
        1,
    ),
    (
        "opvoeding",
        "Opvoeding en jeugd",
        "Parenting and youth",
        "jeugdhulptraject voorkomen",
        0.03,
        20000,
        2,
        1,
    ),
]
DOM_FIRST = 22  # first row of the domain table on sheet Kengetallen
DOM_LAST = DOM_FIRST + len(DOMEINEN) - 1

ACTORS = [
    ("gemeente", "Gemeente", "Municipality"),
    ("zorgverzekeraars", "Zorgverzekeraars", "Health insurers"),
    ("woningcorporaties", "Woningcorporaties", "Housing corporations"),
    ("politieJustitie", "Politie en justitie", "Police and justice"),
    ("huishoudens", "Huishoudens en buurt", "Households and neighbours"),
]

# Lines: key, label NL, label EN, structural (counts every year in the budget), actor shares.
COSTS = [
    (
        "kTeam",
        "Kosten aanpak (sociaal wijkteam)",
        "Cost of the approach (team)",
        1,
        [1, 0, 0, 0, 0],
    ),
    ("kFrictie", "Frictiekosten (eenmalig)", "Transition costs (one-off)", 0, [1, 0, 0, 0, 0]),
    ("kExtraZorg", "Kosten extra zorg", "Cost of extra care", 1, [0.5, 0.5, 0, 0, 0]),
]
BENEFITS = [
    ("bEfficientie", "Efficiëntere hulpverlening", "More efficient help", 1, [0.5, 0.5, 0, 0, 0]),
    ("bEscalatie", "Voorkomen escalatie", "Escalation prevented", 1, [0.4, 0.4, 0, 0.2, 0]),
    ("bWerk", "Effectiviteit: werk en inkomen", "Effectiveness: work", 1, [0.7, 0, 0, 0, 0.3]),
    (
        "bSchulden",
        "Effectiviteit: financiën en schulden",
        "Effectiveness: debt",
        1,
        [0.5, 0, 0.2, 0, 0.3],
    ),
    ("bWonen", "Effectiviteit: wonen", "Effectiveness: housing", 1, [0.5, 0, 0.5, 0, 0]),
    (
        "bVeiligheid",
        "Effectiviteit: veiligheid en overlast",
        "Effectiveness: safety",
        1,
        [0, 0, 0, 0.7, 0.3],
    ),
    (
        "bOpvoeding",
        "Effectiviteit: opvoeding en jeugd",
        "Effectiveness: youth",
        1,
        [0.8, 0.2, 0, 0, 0],
    ),
    (
        "bImmaterieel",
        "Immateriële baten (kwaliteit van leven)",
        "Intangible benefits (quality of life)",
        1,
        [0, 0, 0, 0, 1],
    ),
]


def build() -> Model:
    """Lay out all sheets and the interface."""
    m = Model()
    m.wb.active.title = "Cockpit"
    sheets = ("Doelgroepen", "Kengetallen", "Berekening", "Verdeling", "Jaarreeksen", "Interface")
    for name in sheets:
        m.sheet(name)
    _cockpit_inputs(m)
    _doelgroepen(m)
    _kengetallen(m)
    _bereik(m)
    _lines(m)
    _totals(m)
    blocks = _verdeling(m)
    _jaarreeksen(m, blocks)
    _cockpit_outputs(m)
    _interface(m)
    return m


def _cockpit_inputs(m: Model) -> None:
    ws = m.sheet("Cockpit")
    ws["A1"] = "MKBA-tool sociale (wijk)teams - cockpit"
    ws["A1"].font = Font(bold=True, size=14)
    ws["A2"] = "Gele cellen zijn invoer; per doelgroep staat de invoer op blad Doelgroepen."
    ws["A4"] = "INVOER A. BEREIK"
    ws["A4"].font = BOLD
    ws["A5"] = "Aantal huishoudens in het werkgebied"
    m.inp(
        "Cockpit",
        "B5",
        "huishoudensWerkgebied",
        8000,
        ("Aantal huishoudens in het werkgebied", "Households in the team's area"),
        "huishoudens",
        "count",
        "bereik",
        (0, 100000),
        "#,##0",
    )
    ws["A7"] = "INVOER B. KOSTEN"
    ws["A7"].font = BOLD
    ws["A8"] = "Frictiekosten meetellen (ja/nee)"
    m.inp(
        "Cockpit",
        "B8",
        "frictiekostenMeetellen",
        "ja",
        ("Frictiekosten meetellen", "Count transition costs"),
        "ja/nee",
        "yesno",
        "kosten",
    )
    ws["A10"] = "INVOER C. EFFECT"
    ws["A10"].font = BOLD
    ws["A11"] = (
        "Efficiëntere hulpverlening: besparing op huidige zorgkosten van bereikte huishoudens"
    )
    m.inp(
        "Cockpit",
        "B11",
        "efficiencyWinst",
        0.10,
        ("Besparing op zorgkosten door afstemming", "Saving on care costs through coordination"),
        "fractie",
        "fraction",
        "effect",
        (0, 0.5),
        PCT,
    )
    ws["A12"] = "Minder escalatie onder bereikte huishoudens"
    m.inp(
        "Cockpit",
        "B12",
        "escalatieReductie",
        0.30,
        ("Minder escalatie (relatief)", "Fewer escalations (relative)"),
        "fractie",
        "fraction",
        "effect",
        (0, 1),
        PCT,
    )
    ws["A13"] = (
        "Extra succes per leefgebied (procentpunt van bereikte zware en kwetsbare huishoudens)"
    )
    ws["A13"].font = BOLD
    for i, (key, nl, en, _unit, rate, *_rest) in enumerate(DOMEINEN):
        r = 14 + i
        ws[f"A{r}"] = nl
        m.inp(
            "Cockpit",
            f"B{r}",
            "succes" + key.capitalize(),
            rate,
            (f"Extra succes: {nl.lower()}", f"Extra success: {en.lower()}"),
            "fractie",
            "fraction",
            "effect",
            (0, 0.5),
            PCT1,
        )
    ws["A20"] = "Immateriële baten meetellen (ja/nee)"
    m.inp(
        "Cockpit",
        "B20",
        "immaterieleBatenMeetellen",
        "ja",
        ("Immateriële baten meetellen", "Count intangible benefits"),
        "ja/nee",
        "yesno",
        "effect",
    )
    ws.column_dimensions["A"].width = 70
    ws.column_dimensions["B"].width = 12


def _doelgroepen(m: Model) -> None:
    ws = m.sheet("Doelgroepen")
    ws["A1"] = "Doelgroepen - bereik, caseload, huidige zorgkosten en escalatiekans per doelgroep"
    ws["A1"].font = BOLD
    ws["A2"] = (
        "Verdeling 5/15/80% en caseloadnormen 5-7 / 30-40 / 100: BZK/LPBL MKBA-tool "
        "(succesfactor 2); overige waarden: aannames, zie docs/model-mkba-sociale-wijkteams.md"
    )
    heads = [
        "code",
        "doelgroep",
        "omschrijving",
        "aandeel huishoudens",
        "bereik per jaar",
        "caseload (huishoudens per fte)",
        "trajectduur (maanden)",
        "huidige zorgkosten per jaar",
        "escalatiekans per jaar",
    ]
    for i, h in enumerate(heads, 1):
        ws.cell(row=4, column=i, value=h).font = BOLD
    for n, (code, key, nl, en, share, reach, cl, months, care, risk) in enumerate(
        DOELGROEPEN, DG_FIRST
    ):
        ws[f"A{n}"], ws[f"B{n}"], ws[f"C{n}"] = code, key, nl
        cap = key.capitalize()
        if share is None:
            # The rest of the households: the shares add up to 100% by construction.
            m.put(
                "Doelgroepen",
                f"D{n}",
                f"=1-D{DG_FIRST}-D{DG_FIRST + 1}",
                key="aandeel" + cap,
                fmt=PCT,
            )
        else:
            m.inp(
                "Doelgroepen",
                f"D{n}",
                "aandeel" + cap,
                share,
                (f"Aandeel huishoudens: {nl.lower()}", f"Share of households: {en.lower()}"),
                "fractie",
                "fraction",
                "bereik",
                (0, 0.2 if key == "zwaar" else 0.4),
                PCT,
            )
        m.inp(
            "Doelgroepen",
            f"E{n}",
            "bereik" + cap,
            reach,
            (f"Bereik per jaar: {nl.lower()}", f"Reach per year: {en.lower()}"),
            "fractie",
            "fraction",
            "bereik",
            (0, 1),
            PCT1,
        )
        m.inp(
            "Doelgroepen",
            f"F{n}",
            "caseload" + cap,
            cl,
            (f"Caseload per fte: {nl.lower()}", f"Caseload per fte: {en.lower()}"),
            "huishoudens per fte",
            "number",
            "kosten",
            (1, 200),
            "0",
        )
        m.inp(
            "Doelgroepen",
            f"G{n}",
            "trajectduur" + cap,
            months,
            (f"Trajectduur: {nl.lower()}", f"Trajectory length: {en.lower()}"),
            "maanden",
            "number",
            "kosten",
            (1, 36),
            "0",
        )
        m.inp(
            "Doelgroepen",
            f"H{n}",
            "zorgkosten" + cap,
            care,
            (
                f"Huidige zorgkosten per huishouden per jaar: {nl.lower()}",
                f"Current care cost per household per year: {en.lower()}",
            ),
            "EUR per jaar",
            "euro",
            "kengetallen",
            (0, 200000),
            EURO,
        )
        m.inp(
            "Doelgroepen",
            f"I{n}",
            "escalatiekans" + cap,
            risk,
            (f"Escalatiekans per jaar: {nl.lower()}", f"Escalation risk per year: {en.lower()}"),
            "fractie",
            "fraction",
            "kengetallen",
            (0, 1),
            PCT1,
        )
    ws.column_dimensions["C"].width = 36


KENGETALLEN = [
    # key, label NL, label EN, value, unit, type, lo, hi, group, fmt
    (
        "disconteringsvoet",
        "Discontovoet (reëel, incl. risico-opslag)",
        "Discount rate",
        0.055,
        "per jaar",
        "fraction",
        0,
        0.2,
        "kengetallen",
        PCT1,
    ),
    (
        "tijdshorizon",
        "Tijdshorizon",
        "Time horizon",
        YEARS,
        "jaar",
        "years",
        1,
        YEARS,
        "kengetallen",
        "0",
    ),
    (
        "kostenPerFte",
        "Loonkosten per fte wijkteam",
        "Staff cost per team fte",
        70000,
        "EUR per jaar",
        "euro",
        10000,
        200000,
        "kosten",
        EURO,
    ),
    (
        "overheadOpslag",
        "Opslag overhead, coördinatie en huisvesting",
        "Overhead mark-up",
        0.15,
        "fractie",
        "fraction",
        0,
        1,
        "kosten",
        PCT,
    ),
    (
        "frictiekostenPerFte",
        "Frictiekosten per fte (opleiding, implementatie)",
        "Transition cost per fte",
        3000,
        "EUR",
        "euro",
        0,
        50000,
        "kosten",
        EURO,
    ),
    (
        "aandeelExtraZorg",
        "Aandeel bereikte huishoudens met extra zorg",
        "Share of reached households with extra care",
        0.20,
        "fractie",
        "fraction",
        0,
        1,
        "kosten",
        PCT,
    ),
    (
        "kostenExtraZorg",
        "Kosten extra zorg per huishouden",
        "Extra care cost per household",
        1500,
        "EUR",
        "euro",
        0,
        50000,
        "kosten",
        EURO,
    ),
    (
        "kostenEscalatie",
        "Kosten per escalatie per jaar (opvang, uithuisplaatsing, crisis)",
        "Cost per escalation per year",
        30000,
        "EUR per jaar",
        "euro",
        0,
        200000,
        "kengetallen",
        EURO,
    ),
    (
        "duurEscalatie",
        "Duur vermeden escalatiekosten",
        "Duration of avoided escalation costs",
        2,
        "jaar",
        "years",
        1,
        YEARS,
        "kengetallen",
        "0",
    ),
    (
        "qalyPerSucces",
        "Gewonnen kwaliteit van leven per succes per jaar",
        "Quality of life gained per success per year",
        0.1,
        "QALY per jaar",
        "number",
        0,
        1,
        "kengetallen",
        "0.00",
    ),
    (
        "waardeQaly",
        "Waarde van een QALY",
        "Value of a QALY",
        20000,
        "EUR",
        "euro",
        0,
        100000,
        "kengetallen",
        EURO,
    ),
    (
        "duurImmaterieel",
        "Duur immateriële baten",
        "Duration of intangible benefits",
        3,
        "jaar",
        "years",
        1,
        YEARS,
        "kengetallen",
        "0",
    ),
]


def _kengetallen(m: Model) -> None:
    ws = m.sheet("Kengetallen")
    ws["A1"] = (
        "Kengetallen - kosten, waarderingen, tijd "
        "(aannames: zie docs/model-mkba-sociale-wijkteams.md)"
    )
    ws["A1"].font = BOLD
    for i, h in enumerate(("omschrijving", "waarde", "eenheid"), 1):
        ws.cell(row=3, column=i, value=h).font = BOLD
    for n, (key, nl, en, v, unit, typ, lo, hi, group, fmt) in enumerate(KENGETALLEN, 4):
        ws[f"A{n}"], ws[f"C{n}"] = nl, unit
        m.inp("Kengetallen", f"B{n}", key, v, (nl, en), unit, typ, group, (lo, hi), fmt)
    ws[f"A{DOM_FIRST - 2}"] = "Effectdomeinen (leefgebieden): waarde per succes, duur en startjaar"
    ws[f"A{DOM_FIRST - 2}"].font = BOLD
    for i, h in enumerate(
        ("domein", "omschrijving", "waarde per succes per jaar", "duur (jaar)", "startjaar"), 1
    ):
        ws.cell(row=DOM_FIRST - 1, column=i, value=h).font = BOLD
    for n, (key, nl, en, _unit, _rate, value, dur, start) in enumerate(DOMEINEN, DOM_FIRST):
        ws[f"A{n}"], ws[f"B{n}"] = key, nl
        cap = key.capitalize()
        m.inp(
            "Kengetallen",
            f"C{n}",
            "waardeSucces" + cap,
            value,
            (
                f"Waarde per succes per jaar: {nl.lower()}",
                f"Value per success per year: {en.lower()}",
            ),
            "EUR per jaar",
            "euro",
            "kengetallen",
            (0, 100000),
            EURO,
        )
        m.inp(
            "Kengetallen",
            f"D{n}",
            "duurSucces" + cap,
            dur,
            (f"Duur effect: {nl.lower()}", f"Duration of the effect: {en.lower()}"),
            "jaar",
            "years",
            "kengetallen",
            (1, YEARS),
            "0",
        )
        ws[f"E{n}"] = start  # first year: a property of the domain, not a knob
    ws.column_dimensions["A"].width = 62
    ws.column_dimensions["B"].width = 30


def _bereik(m: Model) -> None:
    """Reach, staff, efficiency and escalation per target group (lookups into Doelgroepen)."""
    ws = m.sheet("Berekening")
    ws["A1"] = "Berekening - bereik per doelgroep, posten met jaarprofiel en NCW"
    ws["A1"].font = BOLD
    heads = [
        "doelgroep",
        "aandeel",
        "huishoudens",
        "bereik",
        "bereikte huishoudens",
        "huishoudens per fte per jaar",
        "fte",
        "besparing efficiëntie (EUR)",
        "voorkomen escalaties",
    ]
    for i, h in enumerate(heads, 1):
        ws.cell(row=3, column=i, value=h).font = BOLD
    tbl = f"Doelgroepen!$B${DG_FIRST}:$B${DG_LAST}"

    def look(col: str, r: int) -> str:
        return f"INDEX(Doelgroepen!${col}${DG_FIRST}:${col}${DG_LAST},MATCH($A{r},{tbl},0))"

    first, last = 4, 4 + len(DOELGROEPEN) - 1
    for r, (_code, key, *_rest) in enumerate(DOELGROEPEN, first):
        ws[f"A{r}"] = key
        ws[f"B{r}"] = f"=IFERROR({look('D', r)},0)"
        ws[f"C{r}"] = m.f(f"={{huishoudensWerkgebied}}*B{r}", "Berekening")
        ws[f"D{r}"] = f"=IFERROR({look('E', r)},0)"
        ws[f"E{r}"] = f"=C{r}*D{r}"
        # A caseload is households at a time: per year it serves caseload x 12 / months.
        ws[f"F{r}"] = f"={look('F', r)}*12/{look('G', r)}"
        ws[f"G{r}"] = f"=E{r}/F{r}"
        ws[f"H{r}"] = m.f(f"=E{r}*{look('H', r)}*{{efficiencyWinst}}", "Berekening")
        ws[f"I{r}"] = m.f(f"=E{r}*{look('I', r)}*{{escalatieReductie}}", "Berekening")
        for c in "BD":
            ws[f"{c}{r}"].number_format = PCT1
        for c in "CEFGHI":
            ws[f"{c}{r}"].number_format = NUM2
    t = last + 1
    ws[f"A{t}"] = "totaal"
    ws[f"A{t}"].font = BOLD
    for c, key in (
        ("E", "bereikt"),
        ("G", "fte"),
        ("H", "besparingEfficientie"),
        ("I", "escalatiesVoorkomen"),
    ):
        m.put("Berekening", f"{c}{t}", f"=SUM({c}{first}:{c}{last})", key=key, fmt=NUM2)
    ws[f"A{t + 1}"] = "bereikte zware en kwetsbare huishoudens (basis voor effectiviteit)"
    m.put(
        "Berekening",
        f"E{t + 1}",
        f'=SUMIF(A{first}:A{last},"<>overig",E{first}:E{last})',
        key="bereiktZwaarKwetsbaar",
        fmt=NUM2,
    )
    ws[f"A{t + 2}"] = "successen op alle leefgebieden"
    m.put("Berekening", f"E{t + 2}", "=0", key="successen")  # rewritten in _lines


def _lines(m: Model) -> None:
    ws = m.sheet("Berekening")
    top = 12
    heads = [
        "post",
        "sleutel",
        "hoeveelheid",
        "waarde per eenheid",
        "startjaar",
        "duur (jaar)",
        "structureel",
        "NCW",
    ]
    for i, h in enumerate(heads, 1):
        ws.cell(row=top, column=i, value=h).font = BOLD
    ws.cell(row=top, column=FIRST_YEAR_COL + YEARS, value="begroting na 2 jaar").font = BOLD
    ws.cell(row=top - 1, column=FIRST_YEAR_COL, value="jaar").font = BOLD
    for t in range(1, YEARS + 1):
        ws.cell(row=top, column=FIRST_YEAR_COL + t - 1, value=t).font = BOLD
    ja = '="ja"'

    def vl(dom: str, col: int) -> str:
        return f'VLOOKUP("{dom}",Kengetallen!$A${DOM_FIRST}:$E${DOM_LAST},{col},FALSE)'

    lines: dict[str, tuple[str, str, str, str]] = {
        "kTeam": ("{fte}", "{kostenPerFte}*(1+{overheadOpslag})", "1", "1"),
        "kFrictie": (
            "{fte}*IF({frictiekostenMeetellen}" + ja + ",1,0)",
            "{frictiekostenPerFte}",
            "1",
            "1",
        ),
        "kExtraZorg": ("{bereikt}*{aandeelExtraZorg}", "{kostenExtraZorg}", "1", "1"),
        # Average saving per reached household; no one reached gives #DIV/0!, which means 0.
        "bEfficientie": ("{bereikt}", "IFERROR({besparingEfficientie}/{bereikt},0)", "1", "1"),
        "bEscalatie": ("{escalatiesVoorkomen}", "{kostenEscalatie}", "1", "{duurEscalatie}"),
    }
    for dom, *_ in DOMEINEN:
        cap = dom.capitalize()
        lines["b" + cap] = (
            "{bereiktZwaarKwetsbaar}*{succes" + cap + "}",
            vl(dom, 3),
            vl(dom, 5),
            vl(dom, 4),
        )
    lines["bImmaterieel"] = (
        "({successen}+{escalatiesVoorkomen})*{qalyPerSucces}*IF({immaterieleBatenMeetellen}"
        + ja
        + ",1,0)",
        "{waardeQaly}",
        "1",
        "{duurImmaterieel}",
    )
    y1 = get_column_letter(FIRST_YEAR_COL)
    y2 = get_column_letter(FIRST_YEAR_COL + 1)
    yn = get_column_letter(FIRST_YEAR_COL + YEARS - 1)
    budget = get_column_letter(FIRST_YEAR_COL + YEARS)
    n = top + 1
    for block, items in (("Kosten", COSTS), ("Baten", BENEFITS)):
        ws[f"A{n}"] = block
        ws[f"A{n}"].font = BOLD
        n += 1
        for key, nl, _en, structural, _shares in items:
            qty, val, start, dur = lines[key]
            ws[f"A{n}"], ws[f"B{n}"] = nl, key
            for col, v in (("C", qty), ("D", val), ("E", start), ("F", dur)):
                ws[f"{col}{n}"] = int(v) if v.isdigit() else m.f("=" + v, "Berekening")
            ws[f"C{n}"].number_format = ws[f"D{n}"].number_format = NUM2
            ws[f"G{n}"] = structural
            for t in range(1, YEARS + 1):
                col = get_column_letter(FIRST_YEAR_COL + t - 1)
                ws[f"{col}{n}"] = m.f(
                    f"=IF(AND({t}>=$E{n},{t}<$E{n}+$F{n},{t}<={{tijdshorizon}}),$C{n}*$D{n},0)",
                    "Berekening",
                )
                ws[f"{col}{n}"].number_format = EURO
            # Year 1 is not discounted: NPV discounts its first value by one year.
            m.put(
                "Berekening",
                f"H{n}",
                m.f(
                    f"=NPV({{disconteringsvoet}},{y1}{n}:{yn}{n})*(1+{{disconteringsvoet}})",
                    "Berekening",
                ),
                key=key,
                fmt=EURO,
            )
            # Year 2 of a team that runs on: this year's households (their year 1) and last
            # year's (their year 2); one-off costs fall in the first year only.
            m.put(
                "Berekening",
                f"{budget}{n}",
                f"={y1}{n}*$G{n}+{y2}{n}",
                key=key + "Begroting",
                fmt=EURO,
            )
            n += 1
    succ = "+".join(f"C{m.ref['b' + d.capitalize()].split('!')[1][1:]}" for d, *_ in DOMEINEN)
    ws[m.ref["successen"].split("!")[1]] = f"={succ}"
    ws.column_dimensions["A"].width = 44


def _totals(m: Model) -> None:
    ws = m.sheet("Berekening")
    r = 30
    ws[f"A{r}"] = "Totalen (NCW)"
    ws[f"A{r}"].font = BOLD
    cost_keys = [k for k, *_ in COSTS]
    ben_keys = [k for k, *_ in BENEFITS]
    dom_keys = ["b" + d.capitalize() for d, *_ in DOMEINEN]
    rows = [
        ("totaleKosten", "Totale kosten", "+".join("{" + k + "}" for k in cost_keys)),
        ("totaleBaten", "Totale baten", "+".join("{" + k + "}" for k in ben_keys)),
        ("mkbaSaldo", "MKBA saldo", "{totaleBaten}-{totaleKosten}"),
        (
            "batenEffectiviteit",
            "Baten effectiviteit (alle leefgebieden)",
            "+".join("{" + k + "}" for k in dom_keys),
        ),
        (
            "batenPerEuro",
            "Baten per geïnvesteerde euro",
            "IFERROR(ROUND({totaleBaten}/{totaleKosten},2),0)",
        ),
    ]
    for i, (key, label, formula) in enumerate(rows, r + 1):
        ws[f"A{i}"] = label
        m.put("Berekening", f"H{i}", m.f("=" + formula, "Berekening"), key=key, fmt=EURO)


def _verdeling(m: Model) -> dict[str, tuple[int, int]]:
    """The Verdeling sheet; returns the rows of its cost and benefit share blocks."""
    ws = m.sheet("Verdeling")
    ws["A1"] = "Verdeling - wie betaalt, wie profiteert (NCW en begroting na 2 jaar, in euro)"
    ws["A1"].font = BOLD
    n_act = len(ACTORS)
    s0 = 4  # column D: first share column
    ws.cell(row=3, column=1, value="post").font = BOLD
    ws.cell(row=3, column=2, value="NCW").font = BOLD
    ws.cell(row=3, column=3, value="begroting na 2 jaar").font = BOLD
    for i, (_k, nl, _en) in enumerate(ACTORS):
        ws.cell(row=3, column=s0 + i, value=nl).font = BOLD
    ws.cell(row=3, column=s0 + n_act, value="som aandelen").font = BOLD
    row = 4
    blocks: dict[str, tuple[int, int]] = {}
    for block, items in (("kosten", COSTS), ("baten", BENEFITS)):
        first = row
        for key, nl, _en, _structural, shares in items:
            ws[f"A{row}"] = nl
            ws[f"B{row}"] = m.f(f"={{{key}}}", "Verdeling")
            ws[f"C{row}"] = m.f(f"={{{key}Begroting}}", "Verdeling")
            ws[f"B{row}"].number_format = ws[f"C{row}"].number_format = EURO
            for i, s in enumerate(shares):
                c = ws.cell(row=row, column=s0 + i, value=s)
                c.number_format = PCT
                c.fill = INPUT_FILL
            a, z = get_column_letter(s0), get_column_letter(s0 + n_act - 1)
            ws.cell(
                row=row, column=s0 + n_act, value=f"=SUM({a}{row}:{z}{row})"
            ).number_format = PCT
            row += 1
        blocks[block] = (first, row - 1)
    row += 1
    ws[f"A{row}"] = "Per actor"
    ws[f"A{row}"].font = BOLD
    for j, h in enumerate(("kosten (NCW)", "baten (NCW)", "saldo (NCW)", "begroting na 2 jaar"), 2):
        ws.cell(row=row, column=j, value=h).font = BOLD
    (k0, k1), (b0, b1) = blocks["kosten"], blocks["baten"]
    for i, (key, nl, _en) in enumerate(ACTORS):
        r = row + 1 + i
        col = get_column_letter(s0 + i)
        ws[f"A{r}"] = nl
        m.put(
            "Verdeling",
            f"B{r}",
            f"=SUMPRODUCT({col}{k0}:{col}{k1},$B{k0}:$B{k1})",
            key=key + "Kosten",
            fmt=EURO,
        )
        m.put(
            "Verdeling",
            f"C{r}",
            f"=SUMPRODUCT({col}{b0}:{col}{b1},$B{b0}:$B{b1})",
            key=key + "Baten",
            fmt=EURO,
        )
        m.put("Verdeling", f"D{r}", f"=C{r}-B{r}", key=key + "Saldo", fmt=EURO)
        m.put(
            "Verdeling",
            f"E{r}",
            f"=SUMPRODUCT({col}{b0}:{col}{b1},$C{b0}:$C{b1})-SUMPRODUCT({col}{k0}:{col}{k1},$C{k0}:$C{k1})",
            key=key + "BegrotingNa2Jaar",
            fmt=EURO,
        )
    last = row + len(ACTORS)
    ws[f"A{last + 1}"] = "Totaal"
    m.put(
        "Verdeling", f"E{last + 1}", f"=SUM(E{row + 1}:E{last})", key="begrotingNa2Jaar", fmt=EURO
    )
    ws.column_dimensions["A"].width = 44
    return blocks


def _jaarreeksen(m: Model, blocks: dict[str, tuple[int, int]]) -> None:
    """Declare the yearly series: each line's year row on Berekening (undiscounted, within
    the horizon), and per actor the SUMPRODUCT of its shares on Verdeling with those rows
    (sheet Jaarreeksen), discounted as the NCW discounts: year 1 not, year t by
    (1+r)^(t-1) (NPV(r, ...) x (1+r))."""
    ws = m.sheet("Jaarreeksen")
    ws["A1"] = "Jaarreeksen - kosten en baten per jaar per actor, niet contant gemaakt (euro)"
    ws["A1"].font = BOLD
    y0, y1 = get_column_letter(FIRST_YEAR_COL), get_column_letter(FIRST_YEAR_COL + YEARS - 1)
    ws["A3"], ws["A4"] = "jaar", "disconteringsfactor"
    for t in range(1, YEARS + 1):
        col = get_column_letter(FIRST_YEAR_COL + t - 1)
        ws[f"{col}3"] = t
        ws[f"{col}3"].font = BOLD
        ws[f"{col}4"] = m.f(f"=1/(1+{{disconteringsvoet}})^({col}$3-1)", "Jaarreeksen")
        ws[f"{col}4"].number_format = "0.0000"
    years = f"Jaarreeksen!{y0}3:{y1}3"
    m.rows.append(
        Row(
            "series",
            "disconteringsfactorPerJaar",
            "Disconteringsfactor",
            "Discount factor",
            cell=f"Jaarreeksen!{y0}4:{y1}4",
            role="discountFactor",
            years=years,
        )
    )
    spans: dict[str, tuple[int, int]] = {}
    for items, role in ((COSTS, "costSeries"), (BENEFITS, "benefitSeries")):
        rows = [int(m.ref[key].split("!H")[1]) for key, *_ in items]
        spans[role] = (rows[0], rows[-1])
        for (key, nl, en, *_), r in zip(items, rows, strict=True):
            m.rows.append(
                Row(
                    "series",
                    f"{key}PerJaar",
                    nl,
                    en,
                    "EUR",
                    "euro",
                    cell=f"Berekening!{y0}{r}:{y1}{r}",
                    role=role,
                    years=f"Berekening!{y0}12:{y1}12",
                )
            )
    ws["A6"] = "Per actor"
    ws["A6"].font = BOLD
    layout = ActorSeriesLayout(4, YEARS, FIRST_YEAR_COL)
    lines = {role: (span, "Berekening!") for role, span in spans.items()}
    for row in actor_series(ws, 7, ACTORS, layout, blocks, lines, EURO):
        m.rows.append(
            Row(
                "series",
                *row.names,
                "EUR",
                "euro",
                cell=row.cells,
                role=row.role,
                actor=row.actor,
                years=years,
            )
        )
    ws.column_dimensions["A"].width = 44


def _cockpit_outputs(m: Model) -> None:
    """Uitvoer A and B on the cockpit: display cells rounded to thousands of euros, and a chart."""
    ws = m.sheet("Cockpit")
    ws["D4"] = "UITVOER A. KOSTEN EN BATEN IN NCW (x € 1.000)"
    ws["D4"].font = BOLD
    rows = [
        ("kTeam", "Kosten aanpak"),
        ("kFrictie", "Frictiekosten"),
        ("kExtraZorg", "Kosten extra zorg"),
        ("totaleKosten", "Totale kosten"),
        ("bEfficientie", "Baten efficiëntie"),
        ("batenEffectiviteit", "Baten effectiviteit"),
        ("bEscalatie", "Baten voorkomen escalatie"),
        ("bImmaterieel", "Immateriële baten"),
        ("totaleBaten", "Totale baten"),
        ("mkbaSaldo", "MKBA saldo"),
    ]
    for r, (key, label) in enumerate(rows, 5):
        ws[f"D{r}"] = label
        m.put(
            "Cockpit",
            f"E{r}",
            m.f(f"=ROUND({{{key}}}/1000,0)", "Cockpit"),
            key=key + "Afgerond",
            fmt=EURO_K,
        )
        if key in ("totaleKosten", "totaleBaten", "mkbaSaldo"):
            ws[f"D{r}"].font = ws[f"E{r}"].font = BOLD
    ws["D16"] = "Baten per geïnvesteerde euro"
    ws["E16"] = m.f("={batenPerEuro}", "Cockpit")
    ws["E16"].number_format = NUM2
    ws["D18"] = "UITVOER B. BEGROTING NA 2 JAAR (x € 1.000)"
    ws["D18"].font = BOLD
    for i, (key, nl, _en) in enumerate(ACTORS):
        ws[f"D{19 + i}"] = nl
        m.put(
            "Cockpit",
            f"E{19 + i}",
            m.f(f"=ROUND({{{key}BegrotingNa2Jaar}}/1000,0)", "Cockpit"),
            fmt=EURO_K,
        )
    r = 19 + len(ACTORS)
    ws[f"D{r}"] = "Totaal"
    ws[f"D{r}"].font = BOLD
    m.put("Cockpit", f"E{r}", m.f("=ROUND({begrotingNa2Jaar}/1000,0)", "Cockpit"), fmt=EURO_K)
    chart = BarChart()
    chart.title = "Kosten en baten sociaal wijkteam (NCW x € 1.000)"
    chart.add_data(Reference(ws, min_col=5, min_row=5, max_row=14))
    chart.set_categories(Reference(ws, min_col=4, min_row=5, max_row=14))
    chart.legend = None
    chart.height, chart.width = 8, 16
    ws.add_chart(chart, "G4")
    ws.column_dimensions["D"].width = 40
    _declare_outputs(m)


def _declare_outputs(m: Model) -> None:
    e, f = "EUR", "euro"
    for name, key, labels, unit, role in (
        (
            "huishoudensBereikt",
            "bereikt",
            ("Bereikte huishoudens per jaar", "Households reached per year"),
            "huishoudens",
            "headline",
        ),
        ("fteWijkteam", "fte", ("Benodigde formatie wijkteam", "Team staff needed"), "fte", ""),
        (
            "escalatiesVoorkomen",
            "escalatiesVoorkomen",
            ("Voorkomen escalaties", "Escalations prevented"),
            "huishoudens",
            "",
        ),
        (
            "successenLeefgebieden",
            "successen",
            ("Extra successen op leefgebieden", "Extra successes in life domains"),
            "successen",
            "",
        ),
    ):
        m.rows.append(
            Row(
                "output",
                name,
                *labels,
                unit,
                "number",
                None,
                None,
                "bereikEnEffect",
                m.ref[key],
                role,
            )
        )
    # The chart draws benefitBar outputs, then costBar outputs, then the saldo (ROLES.md).
    bars = {
        "kTeam": "costBar",
        "kFrictie": "costBar",
        "kExtraZorg": "costBar",
        "bEfficientie": "benefitBar",
        "bEscalatie": "benefitBar",
        "bImmaterieel": "benefitBar",
    }
    for key, nl, en, *_ in COSTS:
        m.out(key, (nl, en), e, f, "kostenposten", bars.get(key, ""))
    for key, nl, en, *_ in BENEFITS:
        m.out(key, (nl, en), e, f, "batenposten", bars.get(key, ""))
    m.out(
        "batenEffectiviteit",
        ("Baten effectiviteit (alle leefgebieden)", "Benefits: effectiveness (all domains)"),
        e,
        f,
        "totalen",
        "benefitBar",
    )
    m.out("totaleKosten", ("Totale kosten", "Total costs"), e, f, "totalen", "totalCosts,headline")
    m.out(
        "totaleBaten", ("Totale baten", "Total benefits"), e, f, "totalen", "totalBenefits,headline"
    )
    m.out("mkbaSaldo", ("MKBA saldo", "SCBA balance"), e, f, "totalen", "saldo,headline")
    m.out(
        "batenPerEuro",
        ("Baten per geïnvesteerde euro", "Benefits per euro invested"),
        "EUR per EUR",
        "number",
        "totalen",
        "headline",
    )
    for key, nl, en in ACTORS:
        for kind, nl_kind, en_kind, role in (
            ("Kosten", "kosten", "costs", "actorCosts"),
            ("Baten", "baten", "benefits", "actorBenefits"),
            ("Saldo", "saldo", "balance", "actorSaldo"),
        ):
            m.rows.append(
                Row(
                    "output",
                    key + kind,
                    f"{nl}: {nl_kind}",
                    f"{en}: {en_kind}",
                    e,
                    f,
                    None,
                    None,
                    "verdeling",
                    m.ref[key + kind],
                    role,
                    key,
                )
            )
    for key, nl, en in ACTORS:
        m.out(
            key + "BegrotingNa2Jaar",
            (f"{nl}: begroting na 2 jaar", f"{en}: budget after 2 years"),
            e,
            f,
            "begroting",
            "headline" if key == "gemeente" else "",
        )
    m.out(
        "begrotingNa2Jaar",
        ("Begroting na 2 jaar, alle actoren", "Budget after 2 years, all actors"),
        e,
        f,
        "begroting",
    )


def _interface(m: Model) -> None:
    ws = m.sheet("Interface")
    headers = [*COLUMNS, *ROLE_COLUMNS, *SERIES_COLUMNS]
    for i, h in enumerate(headers, 1):
        ws.cell(row=1, column=i, value=h).font = BOLD
    rows: list[Row] = [
        Row(
            "model",
            "title",
            "MKBA-tool sociale (wijk)teams",
            "SCBA tool for social (neighbourhood) teams",
        ),
        Row("model", "version", "1.0.0"),
        Row(
            "model",
            "description",
            "Maatschappelijke kosten-batenanalyse van een sociaal (wijk)team, opgebouwd naar de "
            "Handleiding MKBA-tool sociale (wijk)teams (LPBL/BZK 2014): bereik, kosten, effect; "
            "kosten en baten in NCW en begroting na 2 jaar.",
            "Social cost-benefit analysis of a social neighbourhood team, built after the "
            "manual of the BZK/LPBL tool (2014): reach, costs, effect; NPV and budget "
            "after 2 years.",
        ),
        Row("group", "bereik", "A. Bereik", "A. Reach", role="knobs"),
        Row("group", "kosten", "B. Kosten", "B. Costs"),
        Row("group", "effect", "C. Effect", "C. Effect", role="knobs"),
        Row("group", "kengetallen", "Kengetallen", "Key figures"),
        Row("group", "bereikEnEffect", "Bereik en effect", "Reach and effect"),
        Row("group", "kostenposten", "Kostenposten (NCW)", "Cost lines (NPV)"),
        Row("group", "batenposten", "Batenposten (NCW)", "Benefit lines (NPV)"),
        Row(
            "group",
            "totalen",
            "Uitvoer A. Kosten en baten in NCW",
            "Output A. Costs and benefits (NPV)",
        ),
        Row(
            "group", "begroting", "Uitvoer B. Begroting na 2 jaar", "Output B. Budget after 2 years"
        ),
        Row("group", "verdeling", "Verdeling per actor", "Split per actor"),
    ]
    rows += [Row("actor", k, nl, en) for k, nl, en in ACTORS]
    for key, nl, en, unit, *_ in DOMEINEN:
        rows.append(
            Row("effectDomain", key, nl, en, unit, input="succes" + key.capitalize(), sign=1)
        )
    rows.append(
        Row(
            "effectDomain",
            "escalatie",
            "Voorkomen escalatie",
            "Escalation prevented",
            "escalatie voorkomen (relatief)",
            input="escalatieReductie",
            sign=1,
        )
    )
    rows += m.rows
    for r, row in enumerate(rows, 2):
        values = [
            row.kind,
            row.name,
            row.label_nl,
            row.label_en or None,
            row.unit or None,
            row.type or None,
            row.lo,
            row.hi,
            row.group or None,
            row.cell or None,
            row.role or None,
            row.actor or None,
            row.input or None,
            row.sign,
            row.evidence or None,
            row.years or None,
        ]
        for c, v in enumerate(values, 1):
            ws.cell(row=r, column=c, value=v)
    for col, width in zip(
        "ABCDEFGHIJKLMNO", (12, 30, 56, 46, 14, 10, 8, 8, 16, 18, 30, 18, 20, 6, 26), strict=True
    ):
        ws.column_dimensions[col].width = width


_STAMP = (2014, 5, 1, 0, 0, 0)  # the manual's date: fixed zip and document dates
_W3CDTF = re.compile(rb">\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ<")
_AXID = re.compile(rb'(<c:(?:axId|crossAx) val=")(\d+)(")')


def _write_reproducibly(src: Path, dst: Path) -> None:
    """Copy LibreOffice's xlsx with fixed dates and chart axis ids, so a rebuild is byte-equal."""
    with zipfile.ZipFile(src) as zin, zipfile.ZipFile(dst, "w", zipfile.ZIP_DEFLATED) as zout:
        for info in zin.infolist():
            data = zin.read(info.filename)
            if info.filename == "docProps/core.xml":
                data = _W3CDTF.sub(b">2014-05-01T00:00:00Z<", data)
            if info.filename.startswith("xl/charts/"):
                ids: dict[bytes, bytes] = {}

                def axis(mt: re.Match[bytes], ids: dict[bytes, bytes] = ids) -> bytes:
                    new = ids.setdefault(mt.group(2), str(100 + len(ids)).encode())
                    return mt.group(1) + new + mt.group(3)

                data = _AXID.sub(axis, data)
            out = zipfile.ZipInfo(info.filename, date_time=_STAMP)
            out.compress_type = zipfile.ZIP_DEFLATED
            out.external_attr = info.external_attr
            zout.writestr(out, data)


def main() -> None:
    """Build, recalculate with LibreOffice, and write the workbook and its text form."""
    m = build()
    target = SPEC_DIR / f"{MODEL_ID}.xlsx"
    with tempfile.TemporaryDirectory() as tmp:
        raw = Path(tmp) / f"{MODEL_ID}.xlsx"
        m.wb.save(raw)
        (written,) = recalc_libreoffice([raw], Path(tmp) / "out")
        _write_reproducibly(written, target)
    write_text_form(target)
    print(f"wrote {target} and its text form")


if __name__ == "__main__":
    main()
