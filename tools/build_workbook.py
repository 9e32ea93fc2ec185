"""Build the reference workbook formulas_spec/mkba-1gezin1plan.xlsx, recalculated by LibreOffice.

Run `make workbook` (python -m tools.build_workbook). The script lays out the sheets Cockpit,
Gemeente, Kengetallen, Berekening, Verdeling and Interface with openpyxl, lets headless
LibreOffice recalculate and save it (so the committed cached values are a real engine's), and
rewrites the text form beside it. Every figure the cockpit shows is a formula; only inputs and
key figures are typed. docs/model.md explains each line and each key figure.
"""

from __future__ import annotations

import shutil
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

from openpyxl import Workbook
from openpyxl.chart import BarChart, Reference
from openpyxl.styles import Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from service.compiler.interface import COLUMNS, ROLE_COLUMNS, SERIES_COLUMNS
from tools.dump_cells import write_text_form
from tools.engines import recalc_libreoffice
from tools.key_figures_doc import TARGET as KEY_FIGURES_DOC
from tools.key_figures_doc import render as render_key_figures

SPEC_DIR = Path(__file__).resolve().parent.parent / "formulas_spec"
MODEL_ID = "mkba-1gezin1plan"
YEARS = 30  # columns of the year profile; the horizon input may not exceed it
FIRST_YEAR_COL = 8  # column H holds year 1

EURO = '#,##0" €"'
EURO_K = "#,##0,"  # NCW in thousands of euros, as Bijlage II shows them
PCT = "0%"
PCT1 = "0.0%"
COUNT = "#,##0"
BOLD = Font(bold=True)
INPUT_FILL = PatternFill("solid", fgColor="FFF2CC")


@dataclass
class Item:
    """One input or output of the interface."""

    kind: str
    name: str
    label_nl: str
    label_en: str
    unit: str
    type: str
    cell: str
    group: str
    lo: float | None = None
    hi: float | None = None
    actor: str = ""  # column L: the actor of an actorCosts/actorBenefits/actorSaldo output


@dataclass
class Book:
    """The workbook under construction plus a registry of named cells."""

    wb: Workbook = field(default_factory=Workbook)
    ref: dict[str, str] = field(default_factory=dict)
    items: list[Item] = field(default_factory=list)

    def sheet(self, title: str):  # type: ignore[no-untyped-def]
        """Get or create a sheet."""
        if title in self.wb.sheetnames:
            return self.wb[title]
        return self.wb.create_sheet(title)

    def put(
        self, sheet: str, addr: str, value: object, key: str | None = None, fmt: str = ""
    ) -> str:
        """Write a value or formula; remember its sheet-qualified address under key."""
        ws = self.sheet(sheet)
        ws[addr] = value
        if fmt:
            ws[addr].number_format = fmt
        full = f"{sheet}!{addr}"
        if key:
            if key in self.ref:
                raise ValueError(f"duplicate key {key}")
            self.ref[key] = full
        return full

    def f(self, template: str, here: str) -> str:
        """Expand {key} placeholders into references, local ones without the sheet name."""

        def r(key: str) -> str:
            sheet, addr = self.ref[key].split("!")
            col = "".join(c for c in addr if c.isalpha())
            row = "".join(c for c in addr if c.isdigit())
            absolute = f"${col}${row}"
            return absolute if sheet == here else f"{sheet}!{absolute}"

        out, i = [], 0
        while i < len(template):
            if template[i] == "{":
                j = template.index("}", i)
                out.append(r(template[i + 1 : j]))
                i = j + 1
            else:
                out.append(template[i])
                i += 1
        return "".join(out)

    def input(
        self,
        name: str,
        label_nl: str,
        label_en: str,
        unit: str,
        typ: str,
        group: str,
        lo: float | None,
        hi: float | None,
        cell: str,
    ) -> None:
        """Declare an input of the interface at a registered cell."""
        self.items.append(Item("input", name, label_nl, label_en, unit, typ, cell, group, lo, hi))

    def output(
        self, name: str, label_nl: str, label_en: str, unit: str, typ: str, group: str, cell: str
    ) -> None:
        """Declare an output of the interface."""
        self.items.append(Item("output", name, label_nl, label_en, unit, typ, cell, group))


# --------------------------------------------------------------------------- key figures

# (key, label NL, label EN, value, unit, type, lo, hi, source)
GEMEENTE = [
    (
        "fteAanpak",
        "Extra personeel 1-gezin-1-plan (gezinscoaches en coördinatoren)",
        "Extra staff (family coaches and coordinators)",
        12,
        "fte",
        "number",
        0,
        1000,
        "Seed 004, Toelichting op het model: 'extra personeelskosten (12 fte)'.",
    ),
    (
        "fteCoordinatieElders",
        "Vervallen coördinatie elders in de organisatie",
        "Coordination no longer needed elsewhere",
        0.9,
        "fte",
        "number",
        0,
        1000,
        "Calibrated: prose gives about EUR 76.000; 0,9 fte x kosten per fte = EUR 75.060.",
    ),
    (
        "hulpverlenersPerMph",
        "Betrokken hulpverleners per MPH",
        "Professionals involved per household",
        6,
        "personen",
        "number",
        0,
        100,
        "Calibrated to Bijlage II (line 1 = 455): prose's 'EUR 56.000' cannot hold beside 22 "
        "trajectories x EUR 10.700 and the coordinator saving; see docs/model.md.",
    ),
    (
        "dreigendeHuisuitzettingen",
        "Huishoudens met dreigende huisuitzetting per jaar",
        "Households under threat of eviction per year",
        160,
        "huishoudens",
        "count",
        0,
        1e6,
        "Seed: +10% prevention rate gives 16 households, so 16 / 10% = 160.",
    ),
    (
        "schuldhulptrajecten",
        "Schuldhulpverleningstrajecten per jaar",
        "Debt-counselling trajectories per year",
        300,
        "trajecten",
        "count",
        0,
        1e6,
        "Seed: 5% more effective gives about 15 households, so 15 / 5% = 300.",
    ),
    (
        "aandeelGevondenMetSchulden",
        "Aandeel gevonden MPH met problematische schulden",
        "Share of newly found households with problem debts",
        0.96,
        "fractie",
        "fraction",
        0,
        1,
        "Calibrated to Bijlage II: 63 stabilised households = 15 + 100 x 96% x 50%.",
    ),
    (
        "kinderenRisicoSchooluitval",
        "Kinderen in MPH met risico op voortijdig schoolverlaten",
        "Children in the households at risk of leaving school early",
        110,
        "kinderen",
        "count",
        0,
        1e6,
        "Seed: 1% less drop-out gives 1,1 child (footnote 3), so 1,1 / 1% = 110.",
    ),
    (
        "intensieveZorgtrajecten",
        "Intensieve (2e lijns) zorgtrajecten per jaar",
        "Intensive (second-line) care trajectories per year",
        3200,
        "trajecten",
        "count",
        0,
        1e6,
        "Cockpit: 1 percentage point less gives 32 trajectories, so 32 / 1% = 3.200 "
        "(the prose says 16; the cockpit wins).",
    ),
    (
        "aandeelMphUithuisplaatsing",
        "Aandeel MPH met uithuisplaatsing van kinderen per jaar",
        "Share of households with a child placed out of home per year",
        0.04,
        "fractie",
        "fraction",
        0,
        1,
        "Assumption (not in the seed); only the '% minder MPH' chain, 0 in the example.",
    ),
    (
        "aandeelOverlastgevend",
        "Aandeel overlastgevend onder voorkomen huisuitzettingen",
        "Share causing nuisance among prevented evictions",
        0.125,
        "fractie",
        "fraction",
        0,
        1,
        "Calibrated: prose 'about 2 fewer nuisance households' = 16 x 12,5%.",
    ),
    (
        "personenPerHuishouden",
        "Gemiddeld aantal personen per MPH",
        "Average number of persons per household",
        2.8,
        "personen",
        "number",
        1,
        20,
        "Assumption; used only when 'kwaliteit van leven in QALY's' is 'ja'.",
    ),
]

KENGETALLEN = [
    (
        "disconteringsvoet",
        "Discontovoet (reëel, incl. risico-opslag)",
        "Discount rate (real, incl. risk premium)",
        0.055,
        "per jaar",
        "fraction",
        0,
        0.2,
        "2010",
        "Dutch guideline 2007-2015: 2,5% risk-free + 3% risk premium; reproduces Bijlage II. "
        "Since 2021 the standard rate is 2,25%.",
    ),
    (
        "tijdshorizon",
        "Tijdshorizon",
        "Time horizon",
        20,
        "jaar",
        "years",
        1,
        YEARS,
        "",
        "Choice of the rebuild: 20 years (one cohort's working life effects, cautious).",
    ),
    (
        "kostenPerFte",
        "Loonkosten per fte incl. werkgeverslasten en overhead",
        "Staff cost per fte incl. overhead",
        83400,
        "EUR per jaar",
        "euro",
        0,
        1e7,
        "2010",
        "Calibrated: 12 fte = EUR 1.001.000 (personeel, Bijlage II).",
    ),
    (
        "overigeKostenPerFte",
        "Overige projectkosten per fte",
        "Other project costs per fte",
        1400,
        "EUR per jaar",
        "euro",
        0,
        1e7,
        "2010",
        "Calibrated: 12 x EUR 1.400 = EUR 16.800 (overig 17).",
    ),
    (
        "kostenHulpGevondenMph",
        "Kosten zorg- en hulptrajecten per extra gevonden MPH",
        "Care and help cost per extra household found",
        3390,
        "EUR",
        "euro",
        0,
        1e7,
        "2010",
        "Calibrated: 100 households x EUR 3.390 = EUR 339.000 (prose: 'bijna EUR 350.000').",
    ),
    (
        "kostenMdaTraject",
        "Extra kosten MDA-aanpak per traject",
        "Extra cost per MDA trajectory",
        300,
        "EUR",
        "euro",
        0,
        1e7,
        "2010",
        "Calibrated: 27,5 x EUR 300 = EUR 8.250 (MDA-aanpak 8).",
    ),
    (
        "minutenPlanAnalyse",
        "Tijdwinst plan- en analysefase per case per hulpverlener",
        "Time saved in the plan/analysis phase per case per professional",
        15,
        "minuten",
        "number",
        0,
        480,
        "",
        "Seed: '±15 minuten per case'.",
    ),
    (
        "minutenCoordinatie",
        "Tijdwinst coördinatie en afstemming per case per hulpverlener",
        "Time saved in coordination per case per professional",
        15,
        "minuten",
        "number",
        0,
        480,
        "",
        "Seed: '±15 minuten per case'.",
    ),
    (
        "uurtariefProfessional",
        "Integraal uurtarief hulpverlener",
        "Hourly rate of a professional",
        87.5,
        "EUR per uur",
        "euro",
        0,
        1e4,
        "2010",
        "Calibrated to Bijlage II (besparing organisatiekosten 455).",
    ),
    (
        "kostenZorgtraject",
        "Gemiddelde kosten per zorg- en welzijnstraject",
        "Average cost per care and welfare trajectory",
        10700,
        "EUR",
        "euro",
        0,
        1e7,
        "2010",
        "Seed: 'De gemiddelde kosten per traject zijn EUR 10.700'.",
    ),
    (
        "waardeSchoolDirect",
        "Directe besparing per kind met startkwalificatie (verzuim, leerplicht)",
        "Direct saving per child with a start qualification",
        2700,
        "EUR",
        "euro",
        0,
        1e7,
        "2010",
        "Calibrated: 1,1 x EUR 2.700 = EUR 2.970 (line 2 = 3); part of the seed's EUR 70.000.",
    ),
    (
        "uitkeringPerJaar",
        "Vermeden uitkering en uitvoeringskosten per persoon aan het werk",
        "Avoided benefit and administration per person in work",
        18550,
        "EUR per jaar",
        "euro",
        0,
        1e7,
        "2010",
        "Calibrated to line 3 = 109 over 5 years (prose: EUR 60.000 per person, "
        "see docs/model.md).",
    ),
    (
        "duurWerk",
        "Duur baan-effect",
        "Duration of the job effect",
        5,
        "jaar",
        "years",
        0,
        YEARS,
        "",
        "Assumption: effect of finding work counted for 5 years.",
    ),
    (
        "verzuimkostenPerHuishouden",
        "Vermeden verzuimkosten per gestabiliseerd huishouden",
        "Avoided sick-leave cost per stabilised household",
        825,
        "EUR",
        "euro",
        0,
        1e7,
        "2010",
        "Calibrated: 63 x EUR 825 = EUR 51.975 (line 4 = 52).",
    ),
    (
        "kostenHuisuitzetting",
        "Kosten per huisuitzetting",
        "Cost per eviction",
        4750,
        "EUR",
        "euro",
        0,
        1e7,
        "2010",
        "Calibrated: 16 x EUR 4.750 = EUR 76.000.",
    ),
    (
        "kostenMoPerJaar",
        "Kosten maatschappelijke opvang per huishouden per jaar",
        "Shelter cost per household per year",
        42650,
        "EUR per jaar",
        "euro",
        0,
        1e7,
        "2010",
        "Calibrated: 4 households x 2,5 years, discounted = EUR 408.944 (409).",
    ),
    (
        "kostenAlternatieveScholing",
        "Alternatieve scholing en uitkeringen per kind",
        "Alternative schooling and benefits per child",
        3600,
        "EUR",
        "euro",
        0,
        1e7,
        "2010",
        "Calibrated: 1,1 x EUR 3.600 = EUR 3.960 (4); part of the seed's EUR 70.000.",
    ),
    (
        "kostenUithuisplaatsing",
        "Kosten uithuisplaatsing per huishouden",
        "Cost of an out-of-home placement",
        45000,
        "EUR",
        "euro",
        0,
        1e7,
        "2010",
        "Assumption; 0 in the example because '% minder MPH' is 0%.",
    ),
    (
        "kostenPolitiePerOverlastHuishouden",
        "Kosten politie en justitie per overlastgevend MPH",
        "Police and justice cost per nuisance household",
        500,
        "EUR",
        "euro",
        0,
        1e7,
        "2010",
        "Calibrated: 2 x EUR 500 = EUR 1.000 (1).",
    ),
    (
        "incassokostenPerJaar",
        "Oplopende incassokosten per huishouden per jaar",
        "Rising collection costs per household per year",
        760,
        "EUR per jaar",
        "euro",
        0,
        1e7,
        "2010",
        "Calibrated: 22,2 households over 3 years, discounted = EUR 47.971 (48).",
    ),
    (
        "duurIncasso",
        "Duur vermeden incassokosten",
        "Duration of avoided collection costs",
        3,
        "jaar",
        "years",
        0,
        YEARS,
        "",
        "Seed: 'schuldenvrij na 3 jaar'.",
    ),
    (
        "aandeelSchuldenvrij",
        "Aandeel duurzaam gestabiliseerden schuldenvrij na 3 jaar",
        "Share of durably stabilised households debt-free after 3 years",
        0.44,
        "fractie",
        "fraction",
        0,
        1,
        "",
        "Calibrated: 63 x 80% x 44% = 22,2 (22).",
    ),
    (
        "kostenIntensiefZorgtraject",
        "Kosten per intensief zorgtraject",
        "Cost per intensive care trajectory",
        8700,
        "EUR",
        "euro",
        0,
        1e7,
        "2010",
        "Calibrated: 32 x EUR 8.700 = EUR 278.400 (278; prose: 'bijna EUR 300.000').",
    ),
    (
        "loonwinstStartkwalificatie",
        "Hogere loonwaarde per jaar met startkwalificatie",
        "Higher wage per year with a start qualification",
        6650,
        "EUR per jaar",
        "euro",
        0,
        1e7,
        "2010",
        "Calibrated: NCW per child EUR 59.250 ('bijna EUR 60.000' in the seed).",
    ),
    (
        "startjaarArbeidsmarkt",
        "Startjaar op de arbeidsmarkt",
        "Year of entering the labour market",
        5,
        "jaar",
        "years",
        1,
        YEARS,
        "",
        "Assumption: pupils at risk enter work after 4 years.",
    ),
    (
        "kostenSchooluitvalLater",
        "Vermeden latere kosten schooluitval per kind per jaar",
        "Avoided later cost of drop-out per child per year",
        510,
        "EUR per jaar",
        "euro",
        0,
        1e7,
        "2010",
        "Calibrated: line 8 = 5.",
    ),
    (
        "waoLastenPerHuishouden",
        "Vermeden WAO-lasten per duurzaam gestabiliseerd huishouden",
        "Avoided disability cost per durably stabilised household",
        102,
        "EUR per jaar",
        "euro",
        0,
        1e7,
        "2010",
        "Calibrated: line 7 = 55 (0,5% lower chance x EUR 20.400 a year).",
    ),
    (
        "startjaarWao",
        "Startjaar WAO-effect",
        "First year of the disability effect",
        3,
        "jaar",
        "years",
        1,
        YEARS,
        "",
        "Assumption.",
    ),
    (
        "vermedenKostenPerMph",
        "Vermeden maatschappelijke kosten per voorkomen MPH per jaar",
        "Avoided social cost per prevented household per year",
        5000,
        "EUR per jaar",
        "euro",
        0,
        1e7,
        "2010",
        "Assumption; 0 in the example because '% minder MPH' is 0%.",
    ),
    (
        "woningwaardeOverlastHuishouden",
        "Woningwaarde-effect per minder overlastgevend MPH",
        "House value effect per fewer nuisance household",
        8200,
        "EUR",
        "euro",
        0,
        1e7,
        "2010",
        "Calibrated: line 10 = 26 (seed: house prices as indicator).",
    ),
    (
        "woningwaardeJongere",
        "Woningwaarde-effect per minder overlastgevende jongere",
        "House value effect per fewer nuisance youth",
        4000,
        "EUR",
        "euro",
        0,
        1e7,
        "2010",
        "Calibrated with the line above.",
    ),
    (
        "woningwaardeWerkloze",
        "Woningwaarde-effect per minder werkloze",
        "House value effect per fewer unemployed",
        4000,
        "EUR",
        "euro",
        0,
        1e7,
        "2010",
        "Calibrated with the line above.",
    ),
    (
        "kostenOverlastaanpak",
        "Kosten overlastaanpak per overlastgevend MPH",
        "Cost of the nuisance approach per nuisance household",
        5000,
        "EUR",
        "euro",
        0,
        1e7,
        "2010",
        "Assumption; counted only when 'Reductie o & o' is 'ja'.",
    ),
    (
        "qalyPerHuishouden",
        "Gewonnen levensjaren per gestabiliseerd huishouden per jaar",
        "Life years gained per stabilised household per year",
        0.0323,
        "QALY per jaar",
        "number",
        0,
        1,
        "",
        "Calibrated: 15 life years and line 11 = 247 (seed: 15 households ~ 3 life "
        "years; here 15 x 0,0323 x 7,4 = 3,6).",
    ),
    (
        "duurKwaliteitVanLeven",
        "Duur effect kwaliteit van leven",
        "Duration of the quality-of-life effect",
        9,
        "jaar",
        "years",
        0,
        YEARS,
        "",
        "Calibrated with the line above.",
    ),
]


def build() -> Book:
    """Lay out all sheets and the interface."""
    b = Book()
    cockpit = b.wb.active
    cockpit.title = "Cockpit"
    for name in ("Gemeente", "Kengetallen", "Berekening", "Verdeling", "Jaarreeksen", "Interface"):
        b.sheet(name)
    _key_figures(b)
    _cockpit_inputs(b)
    _year_header(b)
    _quantities(b)
    _lines(b)
    _cockpit_outputs(b)
    blocks = _verdeling(b)
    series = _jaarreeksen(b, blocks)
    _interface(b, series)
    return b


def _key_figures(b: Book) -> None:
    for sheet, rows, has_year in (
        ("Gemeente", GEMEENTE, False),
        ("Kengetallen", KENGETALLEN, True),
    ):
        ws = b.sheet(sheet)
        ws["A1"] = f"{sheet} - " + (
            "eigen cijfers van de gemeente" if sheet == "Gemeente" else "landelijke kengetallen"
        )
        ws["A1"].font = BOLD
        headers = (
            ["Omschrijving", "Waarde", "Eenheid"] + (["Prijsjaar"] if has_year else []) + ["Bron"]
        )
        for i, h in enumerate(headers, 1):
            ws.cell(row=3, column=i, value=h).font = BOLD
        for n, row in enumerate(rows, 4):
            if has_year:
                key, nl, en, value, unit, typ, lo, hi, year, source = row
            else:
                key, nl, en, value, unit, typ, lo, hi, source = row
                year = None
            ws.cell(row=n, column=1, value=nl)
            fmt = (
                PCT1 if typ == "fraction" else ("#,##0.00" if typ == "euro" and value < 100 else "")
            )
            b.put(
                sheet,
                f"B{n}",
                value,
                key=key,
                fmt=fmt or ("#,##0.####" if typ == "number" else "#,##0"),
            )
            ws[f"B{n}"].fill = INPUT_FILL
            ws.cell(row=n, column=3, value=unit)
            col = 4
            if has_year:
                ws.cell(row=n, column=4, value=year or None)
                col = 5
            ws.cell(row=n, column=col, value=source)
            b.input(key, nl, en, unit, typ, sheet.lower(), lo, hi, b.ref[key])
        ws.column_dimensions["A"].width = 62
        ws.column_dimensions["E" if has_year else "D"].width = 90


# Cockpit block INVOER: (row, key base, key change, label, base, change, new?, types)
def _cockpit_inputs(b: Book) -> None:
    ws = b.sheet("Cockpit")
    ws["A1"] = "MKBA 1-gezin-1-plan - cockpit (Bijlage II)"
    ws["A1"].font = Font(bold=True, size=14)
    for addr, text in (
        ("A3", "INVOER (Aanname)"),
        ("F3", "EFFECT (Hoeveelheid)"),
        ("I3", "Kosten en Baten (NCW x € 1.000)"),
    ):
        ws[addr] = text
        ws[addr].font = BOLD
    ws["A4"] = "Effect verkleinen afstand (preventie)"
    ws["A4"].font = BOLD
    ws["B4"], ws["C4"], ws["D4"] = "basis", "verschil", "aantal"

    def knob(
        row: int,
        label: str,
        base_key: str,
        base: float,
        base_type: str,
        base_label: tuple,
        base_bounds: tuple,
        chg_key: str,
        chg: float,
        chg_label: tuple,
        chg_bounds: tuple,
        new: str | None,
        base_fmt: str,
        group: str,
    ) -> None:
        ws[f"A{row}"] = label
        b.put("Cockpit", f"B{row}", base, key=base_key, fmt=base_fmt)
        b.put("Cockpit", f"C{row}", chg, key=chg_key, fmt=PCT)
        ws[f"B{row}"].fill = INPUT_FILL
        ws[f"C{row}"].fill = INPUT_FILL
        if new:
            b.put("Cockpit", f"D{row}", b.f(new, "Cockpit"), key=base_key + "Nieuw", fmt=base_fmt)
        unit = "fractie" if base_type == "fraction" else "aantal"
        b.input(base_key, *base_label, unit, base_type, group, *base_bounds, b.ref[base_key])
        b.input(chg_key, *chg_label, "fractie", "fraction", group, *chg_bounds, b.ref[chg_key])

    cnt = (0, 1e6)
    pm = (-1, 1)
    knob(
        5,
        "1. % minder MPH",
        "aantalMph",
        3000,
        "count",
        ("Aantal MPH in de gemeente", "Multi-problem households in the municipality"),
        cnt,
        "percentageMinderMph",
        0.0,
        ("% minder MPH", "% fewer multi-problem households"),
        (0, 1),
        "={aantalMph}*{percentageMinderMph}",
        COUNT,
        "preventie",
    )
    knob(
        6,
        "2. % meer MPH 'gevonden'",
        "mphBuitenBeeld",
        1000,
        "count",
        ("MPH buiten beeld", "Households out of view"),
        cnt,
        "percentageMeerGevonden",
        0.1,
        ("% meer MPH 'gevonden'", "% more households found"),
        (0, 1),
        "={mphBuitenBeeld}*{percentageMeerGevonden}",
        COUNT,
        "preventie",
    )
    knob(
        7,
        "3. %  MDA (zware gevallen)",
        "aantalMphAanpak",
        550,
        "count",
        ("Aantal MPH in 1-gezin-1-plan", "Households in 1-family-1-plan"),
        cnt,
        "percentageMda",
        0.05,
        ("% MDA (zware gevallen)", "% multidisciplinary approach (heavy)"),
        (0, 1),
        "={aantalMphAanpak}*{percentageMda}",
        COUNT,
        "preventie",
    )
    ws["A8"] = "Effect 1 gezin - 1 plan (integraal)"
    ws["A8"].font = BOLD
    ws["A9"], ws["B9"], ws["C9"], ws["D9"] = "4. Aantal", "huidig", "verschil", "nieuw"
    knob(
        10,
        "meer (werk)trajecten agv 1 gezin - 1 plan",
        "werktrajecten",
        123,
        "count",
        ("Aantal (werk)trajecten, huidig", "Work trajectories, current"),
        cnt,
        "werktrajectenVerschil",
        0.02,
        ("Meer (werk)trajecten agv 1 gezin - 1 plan", "More work trajectories"),
        pm,
        "={werktrajecten}*(1+{werktrajectenVerschil})",
        COUNT,
        "integraal",
    )
    knob(
        11,
        "minder (zorg)trajecten agv 1 gezin - 1 plan",
        "zorgtrajecten",
        1100,
        "count",
        ("Aantal (zorg)trajecten, huidig", "Care trajectories, current"),
        cnt,
        "zorgtrajectenVerschil",
        -0.02,
        ("Minder (zorg)trajecten agv 1 gezin - 1 plan", "Fewer care trajectories"),
        pm,
        "={zorgtrajecten}*(1+{zorgtrajectenVerschil})",
        COUNT,
        "integraal",
    )
    ws["A12"] = "5. Effectiviteit"
    eff = [
        (13, "huisuitzettingen", "Huisuitzettingen", "evictions prevented", 0.6, 0.1),
        (14, "schuldhulpverlening", "Schuldhulpverlening", "debt counselling", 0.45, 0.05),
        (15, "opleiding en werk", "OpleidingWerk", "education and work", 0.02, 0.01),
        (16, "schooluitval", "Schooluitval", "school drop-out", 0.49, -0.01),
        (17, "vermindering intensieve zorg", "IntensieveZorg", "intensive care", 0.46, -0.01),
    ]
    for row, label, key, en, base, chg in eff:
        knob(
            row,
            label,
            f"effectiviteit{key}",
            base,
            "fraction",
            (f"Effectiviteit {label}, huidig", f"Effectiveness {en}, current"),
            (0, 1),
            f"effectiviteit{key}Verschil",
            chg,
            (f"Effectiviteit {label}, verschil", f"Effectiveness {en}, change"),
            pm,
            f"={{effectiviteit{key}}}+{{effectiviteit{key}Verschil}}",
            PCT,
            "integraal",
        )
    ws["A18"] = "Effect nazorg en monitoring (terugval)"
    ws["A18"].font = BOLD
    ws["A19"], ws["B19"] = "6. % recidive", "??"
    b.put("Cockpit", "C19", 0.2, key="percentageRecidive", fmt=PCT)
    ws["C19"].fill = INPUT_FILL
    b.put("Cockpit", "D19", b.f("={percentageRecidive}", "Cockpit"), fmt=PCT)
    b.input(
        "percentageRecidive",
        "% recidive (terugval na traject)",
        "% relapse after the trajectory",
        "fractie",
        "fraction",
        "nazorg",
        0,
        1,
        b.ref["percentageRecidive"],
    )
    ws["A20"] = "Overig"
    ws["A20"].font = BOLD
    overig = [
        (
            21,
            "Reductie o & o in minder overlastgevende MPH",
            "reductieOverlastMeetellen",
            "nee",
            "Count the avoided cost of the nuisance approach",
            "",
            "yesno",
            None,
            None,
        ),
        (
            22,
            "kwaliteit van leven in QALY's",
            "kwaliteitVanLevenInQalys",
            "nee",
            "Quality of life of every household member, in QALYs",
            "",
            "yesno",
            None,
            None,
        ),
        (
            23,
            "Waardering levensjaar (VOLY)",
            "waarderingLevensjaar",
            20000,
            "Value of a life year (VOLY)",
            "EUR",
            "euro",
            0,
            1e6,
        ),
        (
            24,
            "% dat beroep doet op MO na HU",
            "aandeelMoNaHuisuitzetting",
            0.25,
            "% needing a shelter after eviction",
            "fractie",
            "fraction",
            0,
            1,
        ),
        (
            25,
            "gemiddeld aantal jaren in MO",
            "jarenInMo",
            2.5,
            "Average years in a shelter",
            "jaar",
            "years",
            0,
            YEARS,
        ),
    ]
    for row, label, key, value, en, unit, typ, lo, hi in overig:
        ws[f"A{row}"] = label
        fmt = {"euro": EURO, "fraction": PCT}.get(typ, "0.0" if typ == "years" else "")
        b.put("Cockpit", f"B{row}", value, key=key, fmt=fmt)
        ws[f"B{row}"].fill = INPUT_FILL
        b.input(key, label, en, unit, typ, "overig", lo, hi, b.ref[key])
    ws.column_dimensions["A"].width = 46
    ws.column_dimensions["F"].width = 40
    ws.column_dimensions["I"].width = 52
    ws.column_dimensions["J"].width = 12


def _year_header(b: Book) -> None:
    ws = b.sheet("Berekening")
    ws["A1"] = "Berekening - hoeveelheden en jaarprofielen, contant gemaakt (NCW)"
    ws["A1"].font = BOLD
    ws["A3"], ws["A4"], ws["A5"] = "jaar", "binnen tijdshorizon", "disconteringsfactor"
    for t in range(1, YEARS + 1):
        col = get_column_letter(FIRST_YEAR_COL + t - 1)
        ws[f"{col}3"] = t
        ws[f"{col}4"] = b.f(f"=IF({col}$3<={{tijdshorizon}},1,0)", "Berekening")
        ws[f"{col}5"] = b.f(f"={col}$4/(1+{{disconteringsvoet}})^({col}$3-1)", "Berekening")
        ws[f"{col}5"].number_format = "0.0000"


# Quantities on Berekening: (key, label, formula, unit)
QUANTITIES = [
    ("qMinderMph", "Minder MPH (preventie)", "={aantalMph}*{percentageMinderMph}", "huishoudens"),
    ("qMphAanpak", "Aantal MPH 1 gezin 1 plan", "={aantalMphAanpak}", "huishoudens"),
    ("qMda", "Aantal MDA-trajecten", "={aantalMphAanpak}*{percentageMda}", "trajecten"),
    (
        "qGevonden",
        "Meer MPH 'gevonden'",
        "={mphBuitenBeeld}*{percentageMeerGevonden}",
        "huishoudens",
    ),
    (
        "qMinderZorgtrajecten",
        "Minder (zorg)trajecten",
        "=-{zorgtrajecten}*{zorgtrajectenVerschil}",
        "trajecten",
    ),
    (
        "qUrenBespaard",
        "Bespaarde uren hulpverleners",
        "={aantalMphAanpak}*{hulpverlenersPerMph}*({minutenPlanAnalyse}+{minutenCoordinatie})/60",
        "uren",
    ),
    (
        "qStabielEffectiviteit",
        "Extra stabiel door hogere effectiviteit schuldhulp",
        "={schuldhulptrajecten}*{effectiviteitSchuldhulpverleningVerschil}",
        "huishoudens",
    ),
    (
        "qStabielGevonden",
        "Stabiel onder nieuw bereikte huishoudens",
        "={qGevonden}*{aandeelGevondenMetSchulden}*{effectiviteitSchuldhulpverleningNieuw}",
        "huishoudens",
    ),
    (
        "qStabiel",
        "Aantal MPH's in fin. stabilisatie",
        "={qStabielEffectiviteit}+{qStabielGevonden}",
        "huishoudens",
    ),
    (
        "qDuurzaamStabiel",
        "Duurzaam gestabiliseerd (na terugval)",
        "={qStabiel}*(1-{percentageRecidive})",
        "huishoudens",
    ),
    (
        "qSchuldenvrij",
        "Aantal MPH's schuldenvrij na 3 jaar",
        "={qDuurzaamStabiel}*{aandeelSchuldenvrij}",
        "huishoudens",
    ),
    (
        "qWerk",
        "Aantal mensen aan het werk",
        "={werktrajectenNieuw}*{effectiviteitOpleidingWerkNieuw}"
        "-{werktrajecten}*{effectiviteitOpleidingWerk}",
        "personen",
    ),
    (
        "qStartkwalificatie",
        "Aantal kinderen met startkwalificatie",
        "=-{kinderenRisicoSchooluitval}*{effectiviteitSchooluitvalVerschil}",
        "kinderen",
    ),
    (
        "qHuisuitzettingen",
        "Aantal voorkomen huisuitzettingen",
        "={dreigendeHuisuitzettingen}*{effectiviteitHuisuitzettingenVerschil}",
        "huishoudens",
    ),
    (
        "qIntensieveZorg",
        "Aantal minder intensieve zorgtrajecten",
        "=-{intensieveZorgtrajecten}*{effectiviteitIntensieveZorgVerschil}",
        "trajecten",
    ),
    (
        "qMo",
        "Aantal voorkomen MO",
        "={qHuisuitzettingen}*{aandeelMoNaHuisuitzetting}",
        "huishoudens",
    ),
    (
        "qUithuisplaatsing",
        "Voorkomen uithuisplaatsingen",
        "={qMinderMph}*{aandeelMphUithuisplaatsing}",
        "huishoudens",
    ),
    (
        "qOverlastMph",
        "Minder overlastgevende MPH",
        "={qHuisuitzettingen}*{aandeelOverlastgevend}",
        "huishoudens",
    ),
    ("qOverlastJongeren", "Minder overlastgevende jongeren", "={qStartkwalificatie}", "jongeren"),
    (
        "qQalyFactor",
        "Personen per huishouden in QALY-telling",
        '=IF({kwaliteitVanLevenInQalys}="ja",{personenPerHuishouden},1)',
        "personen",
    ),
    (
        "qOverlastaanpak",
        "Meetellen kosten overlastaanpak (1 = ja)",
        '=IF({reductieOverlastMeetellen}="ja",1,0)',
        "",
    ),
]


def _quantities(b: Book) -> None:
    ws = b.sheet("Berekening")
    ws["A7"] = "Hoeveelheden"
    ws["A7"].font = BOLD
    ws["B7"], ws["C7"] = "waarde", "eenheid"
    for n, (key, label, formula, unit) in enumerate(QUANTITIES, 8):
        ws[f"A{n}"] = label
        b.put("Berekening", f"B{n}", b.f(formula, "Berekening"), key=key, fmt="#,##0.00")
        ws[f"C{n}"] = unit


# NCW lines: (key, label, quantity, unit value, start, duration, persistence after first year)
# A unit value of "1" makes a line count units (QALYs) instead of euros.
LINES = [
    ("kPersoneel", "Projectkosten - personeel", "{fteAanpak}", "{kostenPerFte}", 1, 1, 1),
    ("kOverig", "Projectkosten - overig", "{fteAanpak}", "{overigeKostenPerFte}", 1, 1, 1),
    ("kZorg", "Meer zorg- & hulptrajecten", "{qGevonden}", "{kostenHulpGevondenMph}", 1, 1, 1),
    ("kMda", "MDA-aanpak", "{qMda}", "{kostenMdaTraject}", 1, 1, 1),
    (
        "bTijd",
        "Besparing tijd hulpverleners",
        "{qUrenBespaard}",
        "{uurtariefProfessional}",
        1,
        1,
        1,
    ),
    (
        "bCoordinatie",
        "Besparing coördinatie elders",
        "{fteCoordinatieElders}",
        "{kostenPerFte}",
        1,
        1,
        1,
    ),
    (
        "bTrajecten",
        "Besparing minder zorg- en welzijnstrajecten",
        "{qMinderZorgtrajecten}",
        "{kostenZorgtraject}",
        1,
        1,
        1,
    ),
    (
        "bSchoolDirect",
        "Minder schooluitval a.g.v. direct ingrijpen",
        "{qStartkwalificatie}",
        "{waardeSchoolDirect}",
        1,
        1,
        1,
    ),
    (
        "bWerk",
        "Mensen meer (en eerder) aan het werk",
        "{qWerk}",
        "{uitkeringPerJaar}",
        1,
        "{duurWerk}",
        1,
    ),
    (
        "bVerzuim",
        "Minder ziekteverzuim op het werk",
        "{qStabiel}",
        "{verzuimkostenPerHuishouden}",
        1,
        1,
        1,
    ),
    (
        "bHuisuitzetting",
        "Kosten huisuitzettingen",
        "{qHuisuitzettingen}",
        "{kostenHuisuitzetting}",
        1,
        1,
        1,
    ),
    ("bMo", "Kosten maatschappelijke opvang", "{qMo}", "{kostenMoPerJaar}", 1, "{jarenInMo}", 1),
    (
        "bAlternatief",
        "Kosten alternatieve scholingstrajecten, uitkeringen",
        "{qStartkwalificatie}",
        "{kostenAlternatieveScholing}",
        1,
        1,
        1,
    ),
    (
        "bUithuisplaatsing",
        "Kosten uithuisplaatsing van kinderen",
        "{qUithuisplaatsing}",
        "{kostenUithuisplaatsing}",
        1,
        1,
        1,
    ),
    (
        "bPolitie",
        "Kosten politie en justitie agv minder incidenten",
        "{qOverlastMph}",
        "{kostenPolitiePerOverlastHuishouden}",
        1,
        1,
        1,
    ),
    (
        "bIncasso",
        "Oplopende incassokosten",
        "{qSchuldenvrij}",
        "{incassokostenPerJaar}",
        1,
        "{duurIncasso}",
        1,
    ),
    (
        "bGezondheidszorg",
        "Kosten gezondheidszorg",
        "{qIntensieveZorg}",
        "{kostenIntensiefZorgtraject}",
        1,
        1,
        1,
    ),
    (
        "bSchoolLater",
        "Minder schooluitval later a.g.v. preventief ingrijpen",
        "{qStartkwalificatie}",
        "{loonwinstStartkwalificatie}",
        "{startjaarArbeidsmarkt}",
        YEARS,
        1,
    ),
    (
        "bWao",
        "Minder kans op langdurige ziekteverzuim (WAO)",
        "{qDuurzaamStabiel}",
        "{waoLastenPerHuishouden}",
        "{startjaarWao}",
        YEARS,
        1,
    ),
    (
        "bKostenSchoolLater",
        "Kosten a.g.v. schooluitval later",
        "{qStartkwalificatie}",
        "{kostenSchooluitvalLater}",
        "{startjaarArbeidsmarkt}",
        YEARS,
        1,
    ),
    (
        "bLangeTermijn",
        "Baten a.g.v. voorkomen kosten op lange termijn",
        "{qMinderMph}",
        "{vermedenKostenPerMph}",
        2,
        YEARS,
        1,
    ),
    (
        "bOverlast",
        "Reductie overlast en onveiligheid",
        "({qOverlastMph}*({woningwaardeOverlastHuishouden}+{qOverlastaanpak}*{kostenOverlastaanpak})"
        "+{qOverlastJongeren}*{woningwaardeJongere}+{qWerk}*{woningwaardeWerkloze})",
        "1",
        1,
        1,
        1,
    ),
    (
        "qalyProfiel",
        "Gewonnen levensjaren (QALY's), per jaar",
        "{qStabiel}*{qalyPerHuishouden}*{qQalyFactor}",
        "1",
        1,
        "{duurKwaliteitVanLeven}",
        "(1-{percentageRecidive})",
    ),
]


def _lines(b: Book) -> None:
    ws = b.sheet("Berekening")
    top = 8 + len(QUANTITIES) + 2
    ws[f"A{top}"] = "Kosten- en batenposten: hoeveelheid x waarde x jaarprofiel, contant gemaakt"
    ws[f"A{top}"].font = BOLD
    for i, h in enumerate(
        [
            "post",
            "hoeveelheid",
            "waarde per eenheid",
            "startjaar",
            "duur (jaar)",
            "behoud na 1e jaar",
            "NCW",
        ],
        1,
    ):
        ws.cell(row=top + 1, column=i, value=h).font = BOLD
    first_year = get_column_letter(FIRST_YEAR_COL)
    last_year = get_column_letter(FIRST_YEAR_COL + YEARS - 1)
    for n, (key, label, qty, value, start, dur, keep) in enumerate(LINES, top + 2):
        ws[f"A{n}"] = label

        # Strings are formula templates ("1" is the unit value of a line counted in units).
        for col, v in (("B", qty), ("C", value), ("D", start), ("E", dur), ("F", keep)):
            if isinstance(v, str):
                v = 1 if v == "1" else b.f("=" + v, "Berekening")
            ws[f"{col}{n}"] = v
            if col in "BC":
                ws[f"{col}{n}"].number_format = "#,##0.00"
        for t in range(1, YEARS + 1):
            col = get_column_letter(FIRST_YEAR_COL + t - 1)
            ws[f"{col}{n}"] = (
                f"=$B{n}*$C{n}*MAX(0,MIN(1,$D{n}+$E{n}-{col}$3,{col}$3-$D{n}+1))"
                f"*IF({col}$3>$D{n},$F{n},1)"
            )
            ws[f"{col}{n}"].number_format = "#,##0"
        b.put(
            "Berekening",
            f"G{n}",
            f"=SUMPRODUCT({first_year}{n}:{last_year}{n},{first_year}$5:{last_year}$5)",
            key=key,
            fmt=EURO,
        )
    n = top + 2 + len(LINES)
    ws[f"A{n}"] = "Toename kwaliteit van leven agv fin stabilisatie (QALY's x VOLY)"
    b.put(
        "Berekening",
        f"G{n}",
        b.f("={qalyProfiel}*{waarderingLevensjaar}", "Berekening"),
        key="bKwaliteitVanLeven",
        fmt=EURO,
    )
    ws[f"A{n + 1}"] = "Aantal gewonnen levensjaren binnen de tijdshorizon"
    qaly_row = int(b.ref["qalyProfiel"].split("!G")[1])
    b.put(
        "Berekening",
        f"G{n + 1}",
        f"=SUMPRODUCT({first_year}{qaly_row}:{last_year}{qaly_row},{first_year}$4:{last_year}$4)",
        key="qQaly",
        fmt="#,##0.00",
    )
    ws.column_dimensions["A"].width = 58


# Cockpit block EFFECT and NCW: (key, label, formula, output name, English label, group, fmt)
EFFECT = [
    (
        "Aantal MPH 1 gezin 1 plan",
        "{qMphAanpak}",
        "aantalMph1Gezin1Plan",
        "Households in 1-family-1-plan",
        "huishoudens",
    ),
    ("Aantal MDA-trajecten", "{qMda}", "aantalMdaTrajecten", "MDA trajectories", "trajecten"),
    (
        "Meer MPH 'gevonden'",
        "{qGevonden}",
        "meerMphGevonden",
        "More households found",
        "huishoudens",
    ),
    (
        "Aantal MPH's in fin. stabilisatie",
        "{qStabiel}",
        "aantalMphFinancieleStabilisatie",
        "Households financially stabilised",
        "huishoudens",
    ),
    (
        "Aantal MPH's schuldenvrij na 3 jaar",
        "{qSchuldenvrij}",
        "aantalMphSchuldenvrij",
        "Households debt-free after 3 years",
        "huishoudens",
    ),
    (
        "Aantal mensen aan het werk",
        "{qWerk}",
        "aantalMensenAanHetWerk",
        "People in work",
        "personen",
    ),
    (
        "Aantal kinderen met startkwalificatie",
        "{qStartkwalificatie}",
        "aantalKinderenStartkwalificatie",
        "Children with a start qualification",
        "kinderen",
    ),
    (
        "Aantal voorkomen huisuitzettingen",
        "{qHuisuitzettingen}",
        "aantalVoorkomenHuisuitzettingen",
        "Evictions prevented",
        "huishoudens",
    ),
    (
        "Aantal minder intensieve zorgtrajecten",
        "{qIntensieveZorg}",
        "aantalMinderIntensieveZorgtrajecten",
        "Intensive care trajectories avoided",
        "trajecten",
    ),
    ("Aantal voorkomen MO", "{qMo}", "aantalVoorkomenMo", "Shelter stays prevented", "huishoudens"),
    (
        "Minder overlastgevende MPH",
        "{qOverlastMph}",
        "minderOverlastgevendeMph",
        "Fewer nuisance households",
        "huishoudens",
    ),
    (
        "Minder overlastgevende jongeren",
        "{qOverlastJongeren}",
        "minderOverlastgevendeJongeren",
        "Fewer nuisance youths",
        "jongeren",
    ),
    (
        "Aantal gewonnen levensjaren (Qaly's)",
        "{qQaly}",
        "aantalGewonnenLevensjaren",
        "Life years gained (QALYs)",
        "QALY",
    ),
]

# (label, formula, output name, English label, group, bold)
NCW = [
    (
        "Totale kosten",
        "{projectkosten}+{kostenMeerGevondenMph}",
        "totaleKosten",
        "Total costs",
        "kosten",
        True,
    ),
    (
        "1 Projectkosten",
        "{projectkostenPersoneel}+{projectkostenOverig}",
        "projectkosten",
        "Project costs",
        "kosten",
        False,
    ),
    ("personeel", "{kPersoneel}", "projectkostenPersoneel", "staff", "kosten", False),
    ("overig", "{kOverig}", "projectkostenOverig", "other", "kosten", False),
    (
        "2 Kosten agv meer gevonden MPH",
        "{kostenMeerZorgEnHulptrajecten}+{kostenMdaAanpak}",
        "kostenMeerGevondenMph",
        "Costs of more households found",
        "kosten",
        False,
    ),
    (
        "meer zorg- & hulptrajecten",
        "{kZorg}",
        "kostenMeerZorgEnHulptrajecten",
        "more care and help trajectories",
        "kosten",
        False,
    ),
    ("MDA-aanpak", "{kMda}", "kostenMdaAanpak", "multidisciplinary approach", "kosten", False),
    (
        "Totale baten",
        "{batenKorteTermijn}+{batenLangeTermijn}+{immaterieleBaten}",
        "totaleBaten",
        "Total benefits",
        "saldo",
        True,
    ),
    (
        "Baten op korte termijn",
        "{besparingOrganisatiekosten}+{minderSchooluitvalDirect}"
        "+{mensenMeerAanHetWerk}+{minderZiekteverzuim}+{batenDirectVoorkomenKosten}",
        "batenKorteTermijn",
        "Short-term benefits",
        "batenKorteTermijn",
        True,
    ),
    (
        "1 Besparing organisatiekosten",
        "{bTijd}+{bCoordinatie}+{bTrajecten}",
        "besparingOrganisatiekosten",
        "Organisational savings",
        "batenKorteTermijn",
        False,
    ),
    (
        "2 Minder schooluitval a.g.v. direct ingrijpen",
        "{bSchoolDirect}",
        "minderSchooluitvalDirect",
        "Less drop-out through direct intervention",
        "batenKorteTermijn",
        False,
    ),
    (
        "3 Mensen meer (en eerder) aan het werk",
        "{bWerk}",
        "mensenMeerAanHetWerk",
        "More people (sooner) in work",
        "batenKorteTermijn",
        False,
    ),
    (
        "4 Minder ziekteverzuim op het werk",
        "{bVerzuim}",
        "minderZiekteverzuim",
        "Less sick leave",
        "batenKorteTermijn",
        False,
    ),
    (
        "5 Baten a.g.v. direct voorkomen kosten",
        "{voorkomenKostenHuisuitzettingen}+{voorkomenKostenMaatschappelijkeOpvang}"
        "+{voorkomenKostenAlternatieveScholing}+{voorkomenKostenUithuisplaatsing}"
        "+{voorkomenKostenPolitieJustitie}+{voorkomenIncassokosten}+{voorkomenKostenGezondheidszorg}",
        "batenDirectVoorkomenKosten",
        "Directly avoided costs",
        "batenKorteTermijn",
        False,
    ),
    (
        "Kosten huisuitzettingen",
        "{bHuisuitzetting}",
        "voorkomenKostenHuisuitzettingen",
        "evictions",
        "batenKorteTermijn",
        False,
    ),
    (
        "Kosten maatschappelijke opvang",
        "{bMo}",
        "voorkomenKostenMaatschappelijkeOpvang",
        "shelter",
        "batenKorteTermijn",
        False,
    ),
    (
        "Kosten alternatieve scholingstrajecten, uitkeringen",
        "{bAlternatief}",
        "voorkomenKostenAlternatieveScholing",
        "alternative schooling, benefits",
        "batenKorteTermijn",
        False,
    ),
    (
        "Kosten uithuisplaatsing van kinderen",
        "{bUithuisplaatsing}",
        "voorkomenKostenUithuisplaatsing",
        "out-of-home placement of children",
        "batenKorteTermijn",
        False,
    ),
    (
        "Kosten politie en justitie agv minder incidenten",
        "{bPolitie}",
        "voorkomenKostenPolitieJustitie",
        "police and justice",
        "batenKorteTermijn",
        False,
    ),
    (
        "Oplopende incassokosten",
        "{bIncasso}",
        "voorkomenIncassokosten",
        "rising collection costs",
        "batenKorteTermijn",
        False,
    ),
    (
        "Kosten gezondheidszorg",
        "{bGezondheidszorg}",
        "voorkomenKostenGezondheidszorg",
        "health care",
        "batenKorteTermijn",
        False,
    ),
    (
        "Baten op lange termijn",
        "{minderSchooluitvalLater}+{minderLangdurigZiekteverzuim}"
        "+{minderKostenSchooluitvalLater}+{voorkomenKostenLangeTermijn}",
        "batenLangeTermijn",
        "Long-term benefits",
        "batenLangeTermijn",
        True,
    ),
    (
        "6 Minder schooluitval later a.g.v. preventief ingrijpen",
        "{bSchoolLater}",
        "minderSchooluitvalLater",
        "Less drop-out later",
        "batenLangeTermijn",
        False,
    ),
    (
        "7 Minder kans op langdurige ziekteverzuim (WAO)",
        "{bWao}",
        "minderLangdurigZiekteverzuim",
        "Less long-term disability",
        "batenLangeTermijn",
        False,
    ),
    (
        "8 Kosten a.g.v. schooluitval later",
        "{bKostenSchoolLater}",
        "minderKostenSchooluitvalLater",
        "Later costs of drop-out",
        "batenLangeTermijn",
        False,
    ),
    (
        "9 Baten a.g.v. voorkomen kosten op lange termijn",
        "{bLangeTermijn}",
        "voorkomenKostenLangeTermijn",
        "Long-term avoided costs",
        "batenLangeTermijn",
        False,
    ),
    (
        "Immateriele baten",
        "{reductieOverlastOnveiligheid}+{toenameKwaliteitVanLeven}",
        "immaterieleBaten",
        "Immaterial benefits",
        "immaterieleBaten",
        True,
    ),
    (
        "10 Reductie overlast en onveiligheid",
        "{bOverlast}",
        "reductieOverlastOnveiligheid",
        "Less nuisance and insecurity",
        "immaterieleBaten",
        False,
    ),
    (
        "11 Toename kwaliteit van leven agv fin stabilisatie",
        "{bKwaliteitVanLeven}",
        "toenameKwaliteitVanLeven",
        "Quality of life through financial stability",
        "immaterieleBaten",
        False,
    ),
    (
        "MKBA saldo",
        "{totaleBaten}-{totaleKosten}",
        "mkbaSaldo",
        "Net social benefit",
        "saldo",
        True,
    ),
    (
        "Financieel rendement",
        "({batenKorteTermijn}+{batenLangeTermijn}-{totaleKosten})/{totaleKosten}",
        "financieelRendement",
        "Financial return",
        "rendement",
        True,
    ),
    (
        "Maatschappelijk rendement",
        "{mkbaSaldo}/{totaleKosten}",
        "maatschappelijkRendement",
        "Social return",
        "rendement",
        True,
    ),
]


def _cockpit_outputs(b: Book) -> None:
    ws = b.sheet("Cockpit")
    for n, (label, formula, name, en, unit) in enumerate(EFFECT, 5):
        ws[f"F{n}"] = label
        b.put("Cockpit", f"G{n}", b.f("=" + formula, "Cockpit"), key=name, fmt=COUNT)
        b.output(name, label, en, unit, "count", "hoeveelheden", b.ref[name])
    # Register every NCW cell first: totals refer to lines further down.
    rows = {name: n for n, (_, _, name, *_rest) in enumerate(NCW, 5)}
    for name, n in rows.items():
        b.ref[name] = f"Cockpit!J{n}"
    for (label, formula, name, en, group, bold), n in zip(NCW, rows.values(), strict=True):
        ws[f"I{n}"] = label
        ws[f"J{n}"] = b.f("=" + formula, "Cockpit")
        is_return = group == "rendement"
        ws[f"J{n}"].number_format = PCT if is_return else EURO_K
        if bold:
            ws[f"I{n}"].font = BOLD
            ws[f"J{n}"].font = BOLD
        b.output(
            name,
            label.lstrip("0123456789 "),
            en,
            "fractie" if is_return else "EUR",
            "fraction" if is_return else "euro",
            group,
            b.ref[name],
        )
    # Data of the bar chart (figure 3.4), then the chart itself.
    chart_rows = [
        ("baten op korte termijn", "batenKorteTermijn"),
        ("baten op lange termijn", "batenLangeTermijn"),
        ("immateriele baten", "immaterieleBaten"),
        ("Totale kosten", "totaleKosten"),
        ("MKBA saldo", "mkbaSaldo"),
    ]
    ws["L3"], ws["M3"] = "Basis", "NCW x € 1.000"
    ws["L3"].font = BOLD
    for n, (label, key) in enumerate(chart_rows, 4):
        ws[f"L{n}"] = label
        ws[f"M{n}"] = b.f(f"={{{key}}}/1000", "Cockpit")
        ws[f"M{n}"].number_format = "#,##0"
    chart = BarChart()
    chart.title = "Kosten en baten 1-gezin-1-plan (NCW x € 1.000)"
    chart.add_data(Reference(ws, min_col=13, min_row=3, max_row=8), titles_from_data=True)
    chart.set_categories(Reference(ws, min_col=12, min_row=4, max_row=8))
    chart.legend = None
    chart.height, chart.width = 8, 16
    ws.add_chart(chart, "L11")


ACTORS = [
    ("gemeente", "Gemeente", "Municipality"),
    ("zorgEnWelzijn", "Zorg- en welzijnsinstellingen", "Care and welfare organisations"),
    ("zorgverzekeraars", "Zorgverzekeraars", "Health insurers"),
    ("woningcorporaties", "Woningcorporaties", "Housing corporations"),
    ("uitkeringsinstanties", "Uitkeringsinstanties", "Benefits agencies"),
    ("politieEnJustitie", "Politie en justitie", "Police and justice"),
    ("scholen", "Scholen", "Schools"),
    ("werkgevers", "Werkgevers", "Employers"),
    ("huishoudens", "Huishoudens zelf", "The households themselves"),
    ("buurtbewoners", "Buurtbewoners en huiseigenaren", "Neighbours and home owners"),
]

# Who pays, who profits: each line's share per actor, in the order of ACTORS.
COST_SPLIT = [
    ("kPersoneel", [1, 0, 0, 0, 0, 0, 0, 0, 0, 0]),
    ("kOverig", [1, 0, 0, 0, 0, 0, 0, 0, 0, 0]),
    ("kZorg", [0.5, 0, 0.5, 0, 0, 0, 0, 0, 0, 0]),
    ("kMda", [0.5, 0.5, 0, 0, 0, 0, 0, 0, 0, 0]),
]
BENEFIT_SPLIT = [
    ("bTijd", [0, 1, 0, 0, 0, 0, 0, 0, 0, 0]),
    ("bCoordinatie", [1, 0, 0, 0, 0, 0, 0, 0, 0, 0]),
    ("bTrajecten", [0.5, 0, 0.5, 0, 0, 0, 0, 0, 0, 0]),
    ("bSchoolDirect", [0.5, 0, 0, 0, 0, 0, 0.5, 0, 0, 0]),
    ("bWerk", [1, 0, 0, 0, 0, 0, 0, 0, 0, 0]),
    ("bVerzuim", [0, 0, 0, 0, 0, 0, 0, 1, 0, 0]),
    ("bHuisuitzetting", [0, 0, 0, 1, 0, 0, 0, 0, 0, 0]),
    ("bMo", [1, 0, 0, 0, 0, 0, 0, 0, 0, 0]),
    ("bAlternatief", [0.5, 0, 0, 0, 0, 0, 0.5, 0, 0, 0]),
    ("bUithuisplaatsing", [1, 0, 0, 0, 0, 0, 0, 0, 0, 0]),
    ("bPolitie", [0, 0, 0, 0, 0, 1, 0, 0, 0, 0]),
    ("bIncasso", [0, 0, 0, 0, 0, 0, 0, 0, 1, 0]),
    ("bGezondheidszorg", [0, 0, 1, 0, 0, 0, 0, 0, 0, 0]),
    ("bSchoolLater", [0, 0, 0, 0, 0, 0, 0, 0, 1, 0]),
    ("bWao", [0, 0, 0, 0, 1, 0, 0, 0, 0, 0]),
    ("bKostenSchoolLater", [0.5, 0, 0, 0, 0.5, 0, 0, 0, 0, 0]),
    ("bLangeTermijn", [0.5, 0, 0.25, 0, 0, 0.25, 0, 0, 0, 0]),
    ("bOverlast", [0, 0, 0, 0, 0, 0, 0, 0, 0, 1]),
    ("bKwaliteitVanLeven", [0, 0, 0, 0, 0, 0, 0, 0, 1, 0]),
]


def _verdeling(b: Book) -> dict[str, tuple[int, int]]:
    """The Verdeling sheet; returns the rows of its cost and benefit share blocks."""
    ws = b.sheet("Verdeling")
    ws["A1"] = "Verdeling - wie betaalt, wie profiteert (NCW in euro)"
    ws["A1"].font = BOLD
    n_act = len(ACTORS)
    share0 = 3  # column C: first share column
    amount0 = share0 + n_act + 1  # after the share columns and a check column
    ws.cell(row=3, column=1, value="post").font = BOLD
    ws.cell(row=3, column=2, value="NCW").font = BOLD
    ws.cell(row=2, column=share0, value="aandeel per actor").font = BOLD
    ws.cell(row=2, column=amount0, value="bedrag per actor").font = BOLD
    for i, (_, nl, _) in enumerate(ACTORS):
        ws.cell(row=3, column=share0 + i, value=nl)
        ws.cell(row=3, column=amount0 + i, value=nl)
    ws.cell(row=3, column=share0 + n_act, value="som aandelen")
    labels = {key: label for key, label, *_ in LINES}
    labels["bKwaliteitVanLeven"] = "Toename kwaliteit van leven agv fin stabilisatie"

    row = 4
    blocks: dict[str, tuple[int, int]] = {}
    for block, split in (("kosten", COST_SPLIT), ("baten", BENEFIT_SPLIT)):
        ws.cell(row=row, column=1, value=block.capitalize()).font = BOLD
        row += 1
        first = row
        for key, shares in split:
            ws.cell(row=row, column=1, value=labels[key])
            ws.cell(row=row, column=2, value=b.f(f"={{{key}}}", "Verdeling")).number_format = EURO
            for i, s in enumerate(shares):
                c = ws.cell(row=row, column=share0 + i, value=s)
                c.number_format = PCT
                c.fill = INPUT_FILL
                sc = get_column_letter(share0 + i)
                ws.cell(
                    row=row, column=amount0 + i, value=f"=$B{row}*{sc}{row}"
                ).number_format = EURO
            s0, s1 = get_column_letter(share0), get_column_letter(share0 + n_act - 1)
            ws.cell(
                row=row, column=share0 + n_act, value=f"=SUM({s0}{row}:{s1}{row})"
            ).number_format = PCT
            row += 1
        blocks[block] = (first, row - 1)
        row += 1
    ws.cell(row=row, column=1, value="Per actor").font = BOLD
    for i, (key, nl, en) in enumerate(ACTORS):
        col = get_column_letter(amount0 + i)
        r = row + 1 + i
        ws.cell(row=r, column=1, value=nl)
        (k0, k1), (b0, b1) = blocks["kosten"], blocks["baten"]
        for j, (kind, formula) in enumerate(
            (
                ("Kosten", f"=SUM({col}{k0}:{col}{k1})"),
                ("Baten", f"=SUM({col}{b0}:{col}{b1})"),
                ("Saldo", f"=D{r}-C{r}"),
            )
        ):
            addr = f"{get_column_letter(3 + j)}{r}"
            name = f"{key}{kind}"
            addr_ref = b.put("Verdeling", addr, formula, key=name, fmt=EURO)
            kind_en = {"Kosten": "costs", "Baten": "benefits", "Saldo": "balance"}[kind]
            label_en = f"{en}: {kind_en}"
            b.output(name, f"{nl}: {kind.lower()}", label_en, "EUR", "euro", "verdeling", addr_ref)
            b.items[-1].actor = key
    ws.cell(row=row, column=3, value="Kosten").font = BOLD
    ws.cell(row=row, column=4, value="Baten").font = BOLD
    ws.cell(row=row, column=5, value="Saldo").font = BOLD
    ws.column_dimensions["A"].width = 52
    return blocks


# Series rows of the Interface: (name, label NL, label EN, unit, role, actor, cells, years)
SeriesRow = tuple[str, str, str, str, str, str, str, str]


def _jaarreeksen(b: Book, blocks: dict[str, tuple[int, int]]) -> list[SeriesRow]:
    """Costs and benefits per year, undiscounted, per line and per actor (sheet Jaarreeksen).

    A line's year is its profile cell on Berekening within the horizon (the NCW discounts
    the same cells with SUMPRODUCT); an actor's year is the SUMPRODUCT of its shares on
    Verdeling with the lines' years. Discounted by Berekening's discount factors, each
    row sums to the NCW of its line or actor."""
    ws = b.sheet("Jaarreeksen")
    ws["A1"] = "Jaarreeksen - kosten en baten per jaar, niet contant gemaakt (euro)"
    ws["A1"].font = BOLD
    ws["A3"] = "jaar"
    y0, y1 = get_column_letter(FIRST_YEAR_COL), get_column_letter(FIRST_YEAR_COL + YEARS - 1)
    for t in range(1, YEARS + 1):
        ws.cell(row=3, column=FIRST_YEAR_COL + t - 1, value=t).font = BOLD
    years = f"Jaarreeksen!{y0}3:{y1}3"
    rows: list[SeriesRow] = [
        (
            "disconteringsfactorPerJaar",
            "Disconteringsfactor",
            "Discount factor",
            "",
            "discountFactor",
            "",
            f"Berekening!{y0}5:{y1}5",
            f"Berekening!{y0}3:{y1}3",
        )
    ]
    labels = {key: label for key, label, *_ in LINES}
    labels["bKwaliteitVanLeven"] = "Toename kwaliteit van leven agv fin stabilisatie"
    qaly_row = int(b.ref["qalyProfiel"].split("!G")[1])
    n = 5
    spans: dict[str, tuple[tuple[int, int], str]] = {}
    for block, split, role in (
        ("Kosten per post", COST_SPLIT, "costSeries"),
        ("Baten per post", BENEFIT_SPLIT, "benefitSeries"),
    ):
        ws[f"A{n}"] = block
        ws[f"A{n}"].font = BOLD
        n += 1
        first = n
        for key, _shares in split:
            ws[f"A{n}"], ws[f"B{n}"] = labels[key], key
            if key == "bKwaliteitVanLeven":  # QALYs per year valued as the NCW values them
                source, value = qaly_row, b.f("*{waarderingLevensjaar}", "Jaarreeksen")
            else:
                source, value = int(b.ref[key].split("!G")[1]), ""
            for t in range(1, YEARS + 1):
                col = get_column_letter(FIRST_YEAR_COL + t - 1)
                ws[f"{col}{n}"] = f"=Berekening!{col}{source}*Berekening!{col}$4{value}"
                ws[f"{col}{n}"].number_format = "#,##0"
            rows.append(
                (
                    f"{key}PerJaar",
                    labels[key],
                    "",
                    "EUR",
                    role,
                    "",
                    f"Jaarreeksen!{y0}{n}:{y1}{n}",
                    years,
                )
            )
            n += 1
        spans[role] = ((first, n - 1), "")  # the lines' rows are on this sheet
        n += 1
    ws[f"A{n}"] = "Per actor"
    ws[f"A{n}"].font = BOLD
    for row in actor_series(
        ws, n + 1, ACTORS, ActorSeriesLayout(3, YEARS, FIRST_YEAR_COL), blocks, spans, "#,##0"
    ):
        rows.append((*row.names, "EUR", row.role, row.actor, row.cells, years))
    ws.column_dimensions["A"].width = 52
    return rows


@dataclass(frozen=True)
class ActorSeriesLayout:
    """Where a workbook keeps what the per-actor series read: the first actor's share
    column on Verdeling, the number of years, and the column of year 1."""

    first_share_col: int
    years: int
    first_year_col: int


@dataclass(frozen=True)
class ActorSeriesRow:
    """One per-actor series row written on Jaarreeksen: its name and labels (NL, EN),
    its role, its actor and its year cells."""

    names: tuple[str, str, str]
    role: str
    actor: str
    cells: str


def actor_series(
    ws: Worksheet,
    n: int,
    actors: list[tuple[str, str, str]],
    layout: ActorSeriesLayout,
    blocks: dict[str, tuple[int, int]],
    spans: dict[str, tuple[tuple[int, int], str]],
    number_format: str,
) -> list[ActorSeriesRow]:
    """Per actor a costs and a benefits row on `ws` (Jaarreeksen) from row `n` on: each year
    the SUMPRODUCT of the actor's shares on Verdeling (rows `blocks[kind]`) with the lines'
    year rows (`spans[role]`: the rows and the sheet prefix they are on)."""
    out = []
    y0 = get_column_letter(layout.first_year_col)
    y1 = get_column_letter(layout.first_year_col + layout.years - 1)
    for i, (actor, nl, en) in enumerate(actors):
        share = get_column_letter(layout.first_share_col + i)  # the actor's share column
        for kind, block, role, kind_nl, kind_en in (
            ("Kosten", "kosten", "costSeries", "kosten", "costs"),
            ("Baten", "baten", "benefitSeries", "baten", "benefits"),
        ):
            v0, v1 = blocks[block]
            (l0, l1), sheet = spans[role]
            ws[f"A{n}"] = f"{nl}: {kind_nl}"
            for t in range(layout.years):
                col = get_column_letter(layout.first_year_col + t)
                ws[f"{col}{n}"] = (
                    f"=SUMPRODUCT(Verdeling!${share}${v0}:${share}${v1},{sheet}{col}{l0}:{col}{l1})"
                )
                ws[f"{col}{n}"].number_format = number_format
            names = (
                f"{actor}{kind}PerJaar",
                f"{nl}: {kind_nl} per jaar",
                f"{en}: {kind_en} per year",
            )
            out.append(ActorSeriesRow(names, role, actor, f"Jaarreeksen!{y0}{n}:{y1}{n}"))
            n += 1
    return out


# The Interface roles (docs/adding-a-model.md): what the service needs to know about the
# model. Groups in display order: (key, label NL, label EN, shown as cockpit knobs).
GROUPS = [
    ("preventie", "Effect verkleinen afstand (preventie)", "Prevention", True),
    ("integraal", "Effect 1 gezin - 1 plan (integraal)", "Integrated approach", True),
    ("nazorg", "Effect nazorg en monitoring (terugval)", "Aftercare (relapse)", True),
    ("overig", "Overig", "Other", True),
    ("gemeente", "Gemeente", "Municipality", False),
    ("kengetallen", "Kengetallen", "Key figures", False),
    ("hoeveelheden", "Hoeveelheden", "Quantities", False),
    ("kosten", "Kosten", "Costs", False),
    ("saldo", "Saldo", "Balance", False),
    ("batenKorteTermijn", "Baten op korte termijn", "Short-term benefits", False),
    ("batenLangeTermijn", "Baten op lange termijn", "Long-term benefits", False),
    ("immaterieleBaten", "Immateriële baten", "Immaterial benefits", False),
    ("rendement", "Rendement", "Return", False),
    ("verdeling", "Wie betaalt, wie profiteert", "Who pays, who profits", False),
]
# Output roles (column K): the saldo and totals, the bars of figure 3.4 (benefit bars, then
# cost bars, then the saldo) and the cockpit's headline figures.
# Input roles (column K of an input row): the discount rate a request's norm sets, and
# what the optimism-bias correction scales (docs/analysis.md, "How sure are we"): an
# `effect` is scaled down, a `cost` up, by the percentage of its evidence grade (column O).
INPUT_ROLES = {"disconteringsvoet": "discountRate"}
# The effect differences are the worked example's assumptions (Bijlage II; seed chapter 4
# asks for them to be measured against a control group): expert guesses until measured.
# The cost figures are national reference values with a source (key-figures.md).
EVIDENCE = {
    "effectiviteitHuisuitzettingenVerschil": ("effect", "expertschatting"),
    "effectiviteitSchuldhulpverleningVerschil": ("effect", "expertschatting"),
    "effectiviteitOpleidingWerkVerschil": ("effect", "expertschatting"),
    "effectiviteitSchooluitvalVerschil": ("effect", "expertschatting"),
    "effectiviteitIntensieveZorgVerschil": ("effect", "expertschatting"),
    "zorgtrajectenVerschil": ("effect", "expertschatting"),
    "kostenPerFte": ("cost", "literatuur"),
    "overigeKostenPerFte": ("cost", "literatuur"),
    "kostenHulpGevondenMph": ("cost", "literatuur"),
    "kostenMdaTraject": ("cost", "literatuur"),
}

OUTPUT_ROLES = {
    "totaleKosten": "totalCosts,costBar,headline",
    "totaleBaten": "totalBenefits,headline",
    "mkbaSaldo": "saldo,headline",
    "batenKorteTermijn": "benefitBar",
    "batenLangeTermijn": "benefitBar",
    "immaterieleBaten": "benefitBar",
    "financieelRendement": "headline",
    "maatschappelijkRendement": "headline",
}
ACTOR_ROLES = {"Kosten": "actorCosts", "Baten": "actorBenefits", "Saldo": "actorSaldo"}
# Effect measurement (seed 004, ch. 4): (key, label NL, label EN, one success, input, sign).
# Drop-out and intensive care are rates that fall: Berekening!B20 = -children x change and
# B22 = -trajectories x change (docs/model.md), hence sign -1.
EFFECT_DOMAINS = [
    (
        "debtCounselling",
        "Schuldhulpverlening",
        "Debt counselling",
        "huishouden financieel gestabiliseerd",
        "effectiviteitSchuldhulpverleningVerschil",
        1,
    ),
    (
        "reintegration",
        "Opleiding en werk (re-integratie)",
        "Education and work (reintegration)",
        "persoon aan het werk of in opleiding",
        "effectiviteitOpleidingWerkVerschil",
        1,
    ),
    (
        "evictions",
        "Huisuitzettingen",
        "Evictions",
        "dreigende huisuitzetting voorkomen",
        "effectiviteitHuisuitzettingenVerschil",
        1,
    ),
    (
        "schoolDropout",
        "Schooluitval",
        "School drop-out",
        "kind niet uitgevallen (startkwalificatie)",
        "effectiviteitSchooluitvalVerschil",
        -1,
    ),
    (
        "intensiveCare",
        "Vermindering intensieve zorg",
        "Less intensive care",
        "geen intensief (2e lijns) zorgtraject nodig",
        "effectiviteitIntensieveZorgVerschil",
        -1,
    ),
]
HEADERS = [*COLUMNS, *ROLE_COLUMNS, *SERIES_COLUMNS]

# The day this version of the model was published (Interface `versionDate`).
VERSION_DATE = "2026-12-02"

# Dutch labels of the Interface that differ from the cockpit's text: the cockpit keeps
# Bijlage II's wording, the API says what the input means (version 1.1.0, docs/model.md).
INTERFACE_LABELS_NL = {
    "reductieOverlastMeetellen": "Reductie overlast en onveiligheid: kosten overlastaanpak "
    "meetellen",
}


def _interface(b: Book, series: list[SeriesRow]) -> None:
    ws = b.sheet("Interface")
    for i, h in enumerate(HEADERS, 1):
        ws.cell(row=1, column=i, value=h).font = BOLD
    meta = [
        ("title", "MKBA 1-gezin-1-plan", "SCBA 1-family-1-plan"),
        ("version", "1.1.0", ""),
        (
            "description",
            "Maatschappelijke kosten-batenanalyse van de 1-gezin-1-plan aanpak voor "
            "multiprobleemhuishoudens; reproduceert Bijlage II.",
            "Social cost-benefit analysis of the 1-family-1-plan approach; reproduces Bijlage II.",
        ),
        ("cockpitDefault", "ja", ""),
    ]
    rows: list[list[object]] = [["model", key, nl, en or None] for key, nl, en in meta]
    rows += [
        ["group", key, nl, en, *[None] * 6, "knobs" if knobs else None]
        for key, nl, en, knobs in GROUPS
    ]
    rows += [["actor", key, nl, en] for key, nl, en in ACTORS]
    rows += [
        ["effectDomain", key, nl, en, success, *[None] * 7, target, sign]
        for key, nl, en, success, target, sign in EFFECT_DOMAINS
    ]
    for it in b.items:
        roles = OUTPUT_ROLES if it.kind == "output" else INPUT_ROLES
        role = roles.get(it.name, "")
        if it.actor:
            role = ACTOR_ROLES[it.name[len(it.actor) :]]
        kind, grade = EVIDENCE.get(it.name, ("", "")) if it.kind == "input" else ("", "")
        role = role or kind
        rows.append(
            [
                it.kind,
                it.name,
                INTERFACE_LABELS_NL.get(it.name, it.label_nl),
                it.label_en,
                it.unit,
                it.type,
                it.lo,
                it.hi,
                it.group,
                it.cell,
                role or None,
                it.actor or None,
                None,
                None,
                grade or None,
            ]
        )
    years = HEADERS.index("years")
    for name, nl, en, unit, role, actor, cells, year_cells in series:
        row: list[object] = [None] * len(HEADERS)
        row[:6] = ["series", name, nl, en or None, unit or None, "euro" if unit else "number"]
        row[9:12] = [cells, role, actor or None]
        row[years] = year_cells
        rows.append(row)
    # last, so that the rows of version 1.0.0 keep their places (a short change note)
    rows.append(["model", "versionDate", VERSION_DATE])
    for r, values in enumerate(rows, 2):
        for col, v in enumerate(values, 1):
            ws.cell(row=r, column=col, value=v)
    widths = (8, 36, 60, 50, 14, 10, 8, 10, 18, 18, 28, 20, 40, 6, 26)
    for col, width in zip("ABCDEFGHIJKLMNO", widths, strict=True):
        ws.column_dimensions[col].width = width


def main() -> None:
    """Build, recalculate with LibreOffice, and write the workbook and its text form."""
    b = build()
    target = SPEC_DIR / f"{MODEL_ID}.xlsx"
    with tempfile.TemporaryDirectory() as tmp:
        raw = Path(tmp) / f"{MODEL_ID}.xlsx"
        b.wb.save(raw)
        (written,) = recalc_libreoffice([raw], Path(tmp) / "out")
        shutil.copyfile(written, target)
    write_text_form(target)
    KEY_FIGURES_DOC.write_text(render_key_figures(target), encoding="utf-8")
    print(f"wrote {target}, its text form and {KEY_FIGURES_DOC.name}")


if __name__ == "__main__":
    main()
