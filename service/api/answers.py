"""The analyses' answers in the API's Dutch: marshmallow schemas that dump what
`service.analysis` returns, the analysis' key as the field's name and the API's word as
its `data_key`. A key no schema declares (the model id, given by the header) is left out.

One vocabulary for every answer, so a word means the same in every endpoint: the
distribution of an effect measurement is written by the schema that reads an item of
`kansverdelingen` in an uncertainty analysis, and the groups of an effect measurement
by the schema that reads them.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from marshmallow import Schema, fields

from service.api.analyses import Distribution, Group


def word(data_key: str | None = None) -> fields.Raw:
    """A value written as it is, under the API's word for it."""
    return fields.Raw(data_key=data_key)


def named(schema: Any, data_key: str) -> fields.Dict:
    """An object keyed by model names (inputs, outputs), each value written by `schema`."""
    return fields.Dict(values=fields.Nested(schema), data_key=data_key)


class Term(fields.Raw):
    """A value of the analysis' vocabulary written as the API's word for it."""

    def __init__(self, words: Mapping[Any, Any], **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.words = words

    def _serialize(self, value: Any, attr: str | None, obj: Any, **kwargs: Any) -> Any:
        return self.words[value]


class Answer(Schema):
    """An answer, or an object in one."""


class Actor(Answer):
    actor = word()
    labelNl = word()
    labelEn = word()


# Sensitivity (tornado)


class Swing(Answer):
    low = word("laag")
    high = word("hoog")
    swing = word("bereik")


class TornadoRow(Answer):
    input = word("invoerNaam")
    label = word()
    unit = word("eenheid")
    group = word("groep")
    base = word("basis")
    low = word("laag")
    high = word("hoog")
    swing = word("bereik")
    effects = named(Swing, "effecten")


class Tornado(Answer):
    outputs = word("uitvoer")
    sortedBy = word("gesorteerdOp")
    step = word("stap")
    base = word("basis")
    rows = fields.Nested(TornadoRow, many=True, data_key="resultaten")


# Switching value


class Current(Answer):
    input = word("invoerwaarde")
    output = word("uitvoerwaarde")


class Range(Answer):
    min = word()
    max = word()


class Switching(Answer):
    input = word("invoerNaam")
    output = word("uitvoerNaam")
    target = word("doelwaarde")
    bounds = word("grenzen")
    current = fields.Nested(Current, data_key="huidig")
    range = fields.Nested(Range, data_key="uitkomstbereik")
    found = word("gevonden")
    value = word("waarde")
    outputAtValue = word("uitvoerBijWaarde")
    switchingValues = word("omslagwaarden")
    message = word("melding")


# Uncertainty (Monte Carlo)


class Summary(Answer):
    mean = word("gemiddelde")
    sd = word("standaardafwijking")
    min = word()
    max = word()


class Histogram(Answer):
    edges = word("klassegrenzen")
    counts = word("aantallen")


class Statistics(Answer):
    n = word()
    errors = word("fouten")
    mean = word("gemiddelde")
    sd = word("standaardafwijking")
    min = word()
    max = word()
    p5 = word()
    p50 = word()
    p95 = word()
    histogram = fields.Nested(Histogram)


class ActorChance(Actor):
    probabilitySaldoPositive = word("kansSaldoPositief")


class Headline(Answer):
    probabilitySaldoPositive = word("kansSaldoPositief")
    band = word()
    actors = fields.Nested(ActorChance, many=True, data_key="actoren")


class ActorLedger(Actor):
    kosten = word()
    baten = word()
    saldo = word()


class ActorLedgerChance(ActorLedger):
    probabilitySaldoPositive = word("kansSaldoPositief")


class MonteCarlo(Answer):
    headline = fields.Nested(Headline, data_key="kern")
    draws = word("trekkingen")
    seed = word()
    distributions = fields.Nested(Distribution, many=True, data_key="kansverdelingen")
    inputs = named(Summary, "invoer")
    outputs = named(Statistics, "uitvoer")
    saldoOutput = word("saldoUitvoer")
    probabilitySaldoPositive = word("kansSaldoPositief")
    ledger = fields.Nested(ActorLedgerChance, many=True, data_key="verdeling")


# Effect measurement


class Domain(Answer):
    input = word("invoerNaam")
    sign = word("teken")
    labelNl = word()
    labelEn = word()
    success = word("succes")


class Measured(Group):
    rate = word("aandeel")


class Effect(Answer):
    domain = word("domein")
    labelNl = word()
    labelEn = word()
    success = word("succes")
    method = word("methode")
    confidence = word("betrouwbaarheid")
    treatment = fields.Nested(Measured, data_key="interventiegroep")
    control = fields.Nested(Measured, data_key="controlegroep")
    difference = word("verschil")
    standardError = word("standaardfout")
    interval = word()
    input = word("invoerNaam")
    sign = word("teken")
    current = word("huidig")
    value = word("waarde")
    valueInterval = word("waardeInterval")
    scenario = word()
    distribution = fields.Nested(Distribution, data_key="kansverdeling")
    warnings = word("waarschuwingen")


# Explanation


class Reached(Answer):
    name = word("naam")
    label = word()
    unit = word("eenheid")
    value = word("waarde")


class Node(Answer):
    cell = word("cel")
    name = word("naam")
    label = word()
    kind = word("soort")
    unit = word("eenheid")
    formula = word("formule")
    value = word("waarde")
    inputs = fields.Nested(lambda: Node(), many=True, data_key="invoer")
    repeated = word("herhaald")
    truncated = word("afgekapt")


class Explain(Answer):
    output = word("uitvoerNaam")
    mode = word("modus")
    nodes = word("aantalKnopen")
    tree = fields.Nested(Node, data_key="boom")
    inputs = fields.Nested(Reached, many=True, data_key="invoer")


# Ledger


class Ledger(Answer):
    actors = fields.Nested(ActorLedger, many=True, data_key="actoren")
    sum = word("som")
    totals = word("totalen")


# How sure are we: evidence grades, the optimism-bias correction and impact deflators

KIND = {"effect": "effect", "cost": "kosten"}
ORIGIN = {"workbook": "werkboek", "request": "verzoek", "": None}
DEFLATOR = {"deadweight": "deadweight", "attribution": "attributie", "dropOff": "afnamePerJaar"}


class Source(Answer):
    title = word("titel")
    date = word("verschenen")
    url = word()
    table = word("tabel")


class ReferenceClass(Answer):
    id = word()
    labelEn = word()
    costs = word("kosten")
    upper = word("bovengrens")
    lower = word("ondergrens")
    source = fields.Nested(Source, data_key="bron")


class Grade(Answer):
    id = word()
    rank = word("rang")
    labelNl = word()
    labelEn = word()
    boundPosition = word("positie")
    basis = word("grondslag")


class Benefits(Answer):
    published = word("gepubliceerd")
    note = word("toelichting")


class Grades(Answer):
    version = word("versie")
    unit = word("eenheid")
    grades = fields.Nested(Grade, many=True, data_key="bewijsniveaus")
    defaultReferenceClass = word("standaardReferentieklasse")
    referenceClasses = fields.Nested(ReferenceClass, many=True, data_key="referentieklassen")
    benefits = fields.Nested(Benefits, data_key="baten")
    sources = fields.Nested(Source, many=True, data_key="bronnen")


class Pair(Answer):
    uncorrected = word("ongecorrigeerd")
    corrected = word("gecorrigeerd")
    difference = word("verschil")


class Correction(Answer):
    input = word("invoerNaam")
    kind = Term(KIND, data_key="soort")
    grade = word("bewijsniveau")
    gradeFrom = Term(ORIGIN, data_key="bewijsniveauUit")
    percentage = word()
    factor = word()
    basis = word("grondslag")
    value = word("waarde")
    corrected = word("gecorrigeerd")


class Deflation(Answer):
    input = word("invoerNaam")
    deflator = Term(DEFLATOR)
    rate = word("percentage")
    origin = Term(ORIGIN, data_key="uit", attribute="from")
    factor = word()
    fromYear = word("vanafJaar")
    saldo = word()


class ActorPairs(Actor):
    kosten = fields.Nested(Pair)
    baten = fields.Nested(Pair)
    saldo = fields.Nested(Pair)


class OptimismCorrection(Answer):
    referenceClass = fields.Nested(ReferenceClass, data_key="referentieklasse")
    values = word("invoer")
    correctedValues = word("gecorrigeerdeInvoer")
    inputs = fields.Nested(Correction, many=True, data_key="correcties")
    deflators = fields.Nested(Deflation, many=True, data_key="deflatoren")
    deflatedSaldo = word("gedefleerdSaldo")
    saldoOutput = word("saldoUitvoer")
    saldo = fields.Nested(Pair)
    outputs = fields.Dict(values=fields.Dict(values=fields.Nested(Pair)), data_key="uitvoer")
    ledger = fields.Nested(ActorPairs, many=True, data_key="verdeling")
    distributions = fields.Nested(Distribution, many=True, data_key="kansverdelingen")
    notes = word("meldingen")
    sources = fields.Nested(Source, many=True, data_key="bronnen")


TORNADO = Tornado()
SWITCHING = Switching()
MONTE_CARLO = MonteCarlo()
DOMAIN = Domain()
EFFECT = Effect()
EXPLAIN = Explain()
LEDGER = Ledger()
GRADES = Grades()
OPTIMISM_CORRECTION = OptimismCorrection()
