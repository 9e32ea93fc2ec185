"""The report's fixed words, in Dutch and English; figures are filled in with str.format."""

from __future__ import annotations

LANGUAGES = ("nl", "en")

TEXTS: dict[str, dict[str, str]] = {
    "nl": {
        "scenarioTitle": "Maatschappelijke kosten-batenanalyse",
        "comparisonTitle": "Maatschappelijke kosten-batenanalyse: varianten vergeleken",
        "model": "Model",
        "modelId": "Model-id",
        "version": "Versie",
        "workbookSha": "SHA-256 van het werkboek",
        "engineVersion": "Versie rekenkern",
        "inputHash": "Invoerhash",
        "date": "Datum",
        "norm": "Norm discontovoet",
        "noNorm": "geen norm gekozen; discontovoet {rate}",
        "noNormNoRate": "geen norm gekozen",
        "priceYear": "Prijspeil",
        "priceYearUnknown": "het model geeft geen prijsjaar op",
        "page": "pagina",
        "contents": "Inhoud",
        "generated": "Gemaakt door de MKBA-rekenservice; elk bedrag komt uit dezelfde "
        "berekening als het antwoord van de API.",
        "omitted": "Dit onderdeel ontbreekt: {reason}",
        "notRequested": "niet gevraagd.",
        # sections
        "samenvatting": "Samenvatting",
        "invoer": "Invoer die afwijkt van het model",
        "kostenBaten": "Kosten en baten",
        "actoren": "Wie betaalt, wie profiteert",
        "verloop": "Verloop in de tijd en terugverdientijd",
        "gevoeligheid": "Gevoeligheid en omslagwaarden",
        "onzekerheid": "Onzekerheid (Monte Carlo)",
        "varianten": "Varianten naast elkaar",
        "kengetallen": "Aannames en kengetallen",
        "afsluiting": "Onzekerheid en wat de analyse niet omvat",
        # summary sentences
        "sumSaldo": "Het saldo van baten en kosten ({saldoLabel}) is {saldo}: {benefitsLabel} "
        "van {benefits} tegenover {costsLabel} van {costs}, alles als netto contante waarde.",
        "sumSaldoOnly": "Het saldo van baten en kosten ({saldoLabel}) is {saldo}.",
        "sumPositive": "De baten zijn dus groter dan de kosten.",
        "sumNegative": "De kosten zijn dus groter dan de baten.",
        "sumNoSaldo": "Het model geeft geen saldo op (geen rol saldo), dus deze samenvatting "
        "noemt geen saldo.",
        "sumReturn": "{label}: {value}.",
        "sumChance": "De kans dat het saldo positief is, is {chance} ({draws} trekkingen, "
        "zie de onzekerheidsanalyse); in 90% van de trekkingen ligt het saldo tussen "
        "{p5} en {p95}.",
        "sumPays": "De grootste kosten liggen bij {actor} ({costs}).",
        "sumGains": "Het meest profiteert {actor} (saldo {saldo}).",
        "sumLosers": "Een negatief saldo hebben: {actors}.",
        "sumNoActors": "Het model verdeelt kosten en baten niet over actoren.",
        "sumPayback": "Een terugverdienjaar noemt dit rapport niet: het model geeft geen "
        "jaarreeks op.",
        "sumPaybackYear": "Het cumulatieve contante saldo wordt positief en blijft dat vanaf "
        "jaar {year}.",
        "sumNotPaidBack": "Binnen de horizon van {horizon} jaar verdient de aanpak zich niet "
        "terug.",
        "headline": "Kerncijfers",
        "figure": "Kengetal",
        "value": "Waarde",
        # inputs
        "inputIntro": "Alle overige invoer heeft de standaardwaarde van het model.",
        "inputNone": "Alle invoer heeft de standaardwaarde van het model.",
        "inputNorm": "De discontovoet volgt de norm {norm}: {rate}.",
        "input": "Invoer",
        "default": "Standaard",
        "source": "Bron (werkboek)",
        "unit": "Eenheid",
        # costs and benefits
        "cbIntro": "Netto contante waarde, gegroepeerd zoals de cockpit ze toont.",
        "chartCb": "Figuur: kosten en baten (NCW x EUR 1.000).",
        "calcErrors": "Uitkomsten met een rekenfout in het werkboek: {names}.",
        # actors
        "actor": "Actor",
        "costs": "Kosten",
        "benefits": "Baten",
        "saldo": "Saldo",
        "total": "Totaal",
        "chartActors": "Figuur: kosten, baten en saldo per actor (x EUR 1.000).",
        "noActors": "het model verdeelt kosten en baten niet over actoren (geen actor-rollen).",
        # over time
        "noSeries": "het model geeft geen jaarreeks op (geen rol voor kosten en baten per "
        "jaar), dus geen verloop in de tijd en geen terugverdienjaar.",
        "overTimeIntro": "Per actor het jaar vanaf wanneer het cumulatieve contante saldo "
        "positief blijft, de begroting na {n} jaar (saldo, niet contant) en het contante saldo "
        "over {horizon} jaar.",
        "paybackYear": "terugverdiend in jaar",
        "budgetAfter": "begroting na de eerste jaren (saldo)",
        "saldoOverTime": "contant saldo",
        "notPaidBack": "niet binnen de horizon",
        "chartTimeline": "Cumulatief contant saldo per actor over de jaren (x € 1.000).",
        # sensitivity
        "tornadoIntro": "De vijf invoerwaarden met de grootste invloed op {saldoLabel}: elke "
        "knop {step} lager en hoger (ja/nee: nee en ja), de rest gelijk. De omslagwaarde is "
        "de waarde waarbij het saldo nul wordt, gezocht binnen de grenzen van de invoer.",
        "low": "Laag",
        "high": "Hoog",
        "saldoLow": "Saldo bij laag",
        "saldoHigh": "Saldo bij hoog",
        "swing": "Bereik",
        "switching": "Omslagwaarde",
        "switchNone": "geen binnen de grenzen",
        "switchNa": "n.v.t.",
        "chartTornado": "Figuur: gevoeligheid (tornado) van {saldoLabel} (x EUR 1.000).",
        "noSaldo": "het model geeft geen saldo op (geen rol saldo).",
        "noKnobs": "het model heeft geen begrensde numerieke knoppen.",
        # uncertainty
        "mcIntro": "Elke begrensde numerieke knop varieert volgens een PERT-verdeling van "
        "-20% tot +20% rond de huidige waarde (binnen de grenzen); {draws} trekkingen, "
        "seed {seed}, zodat hetzelfde rapport dezelfde cijfers geeft.",
        "chance": "Kans op een positief saldo",
        "mean": "Gemiddelde",
        "p5": "5e percentiel",
        "p50": "Mediaan",
        "p95": "95e percentiel",
        "actorChance": "Kans op een positief saldo per actor",
        "chartHistogram": "Figuur: verdeling van {saldoLabel} over de trekkingen, met de nullijn.",
        # variants
        "variant": "Variant",
        "reference": "referentie",
        "rank": "Rang",
        "difference": "Verschil met referentie",
        "variantInputs": "Invoer per variant die afwijkt van de referentie",
        "sameAsReference": "gelijk aan de referentie",
        "variantActors": "Saldo per actor en variant",
        "sumRanking": "Op {saldoLabel} staat {best} bovenaan met {saldo}; de referentie "
        "{reference} heeft {refSaldo}.",
        "variantNorm": "norm {norm}",
        "refSections": "De onderdelen hieronder gaan over de referentievariant {name}.",
        # key figures
        "kfIntro": "De aannames en kengetallen van het model: de invoer buiten de "
        "cockpitknoppen, met hun waarde in deze berekening en de cel in het werkboek waar ze "
        "staan (de bron per kengetal staat in de documentatie van het model).",
        "kfAll": "Het model markeert geen knoppen; hier staat alle invoer.",
        "description": "Over het model",
        # closing
        "closeUncertainty": "De cijfers zijn schattingen. De gevoeligheidsanalyse laat zien "
        "welke aannames het saldo het meest bewegen, de onzekerheidsanalyse hoe breed de "
        "uitkomst kan zijn als de knoppen tegelijk onzeker zijn.",
        "closeBand": "Het saldo ligt in 90% van de trekkingen tussen {p5} en {p95}.",
        "closePm": "Niet in de bedragen: effecten die het werkboek niet in geld uitdrukt "
        "(PM-posten). Het model geeft geen lijst van PM-posten op; lees de documentatie van "
        "het model voor wat buiten de analyse valt.",
        "closeErrors": "Uitkomsten die het werkboek niet kon berekenen: {names}.",
        "closeReproduce": "Met model, versie, SHA-256 van het werkboek en invoerhash is elke "
        "uitkomst opnieuw te berekenen via de API.",
    },
    "en": {
        "scenarioTitle": "Social cost-benefit analysis",
        "comparisonTitle": "Social cost-benefit analysis: variants compared",
        "model": "Model",
        "modelId": "Model id",
        "version": "Version",
        "workbookSha": "Workbook SHA-256",
        "engineVersion": "Engine version",
        "inputHash": "Input hash",
        "date": "Date",
        "norm": "Discount-rate norm",
        "noNorm": "no norm chosen; discount rate {rate}",
        "noNormNoRate": "no norm chosen",
        "priceYear": "Price year",
        "priceYearUnknown": "the model declares no price year",
        "page": "page",
        "contents": "Contents",
        "generated": "Made by the MKBA calculation service; every amount comes from the same "
        "calculation as the API's answer.",
        "omitted": "This section is left out: {reason}",
        "notRequested": "not requested.",
        "samenvatting": "Summary",
        "invoer": "Inputs that differ from the model",
        "kostenBaten": "Costs and benefits",
        "actoren": "Who pays, who profits",
        "verloop": "Over time and payback",
        "gevoeligheid": "Sensitivity and switching values",
        "onzekerheid": "Uncertainty (Monte Carlo)",
        "varianten": "Variants side by side",
        "kengetallen": "Assumptions and key figures",
        "afsluiting": "Uncertainty and what the analysis does not cover",
        "sumSaldo": "The balance of benefits and costs ({saldoLabel}) is {saldo}: "
        "{benefitsLabel} of {benefits} against {costsLabel} of {costs}, all as net present "
        "value.",
        "sumSaldoOnly": "The balance of benefits and costs ({saldoLabel}) is {saldo}.",
        "sumPositive": "The benefits therefore exceed the costs.",
        "sumNegative": "The costs therefore exceed the benefits.",
        "sumNoSaldo": "The model declares no balance (no saldo role), so this summary names none.",
        "sumReturn": "{label}: {value}.",
        "sumChance": "The chance that the balance is positive is {chance} ({draws} draws, see "
        "the uncertainty analysis); in 90% of the draws the balance lies between {p5} and "
        "{p95}.",
        "sumPays": "The largest costs fall on {actor} ({costs}).",
        "sumGains": "{actor} profits most (balance {saldo}).",
        "sumLosers": "A negative balance: {actors}.",
        "sumNoActors": "The model does not split costs and benefits over actors.",
        "sumPayback": "This report names no payback year: the model declares no yearly series.",
        "sumPaybackYear": "The cumulative discounted balance turns positive and stays so from "
        "year {year}.",
        "sumNotPaidBack": "The approach does not pay back within the horizon of {horizon} years.",
        "headline": "Headline figures",
        "figure": "Figure",
        "value": "Value",
        "inputIntro": "Every other input has the model's default value.",
        "inputNone": "Every input has the model's default value.",
        "inputNorm": "The discount rate follows norm {norm}: {rate}.",
        "input": "Input",
        "default": "Default",
        "source": "Source (workbook)",
        "unit": "Unit",
        "cbIntro": "Net present value, grouped as the cockpit shows them.",
        "chartCb": "Figure: costs and benefits (NPV x EUR 1,000).",
        "calcErrors": "Outputs with a calculation error in the workbook: {names}.",
        "actor": "Actor",
        "costs": "Costs",
        "benefits": "Benefits",
        "saldo": "Balance",
        "total": "Total",
        "chartActors": "Figure: costs, benefits and balance per actor (x EUR 1,000).",
        "noActors": "the model does not split costs and benefits over actors (no actor roles).",
        "noSeries": "the model declares no yearly series (no role for costs and benefits per "
        "year), so there is no course over time and no payback year.",
        "overTimeIntro": "Per actor the year from which the cumulative discounted balance stays "
        "positive, the budget after {n} years (balance, not discounted) and the discounted "
        "balance over {horizon} years.",
        "paybackYear": "paid back in year",
        "budgetAfter": "budget after the first years (balance)",
        "saldoOverTime": "discounted balance",
        "notPaidBack": "not within the horizon",
        "chartTimeline": "Cumulative discounted balance per actor over the years (x € 1,000).",
        "tornadoIntro": "The five inputs with the largest effect on {saldoLabel}: each knob "
        "{step} lower and higher (yes/no: no and yes), the rest unchanged. The switching value "
        "is the value at which the balance becomes zero, searched within the input's bounds.",
        "low": "Low",
        "high": "High",
        "saldoLow": "Balance at low",
        "saldoHigh": "Balance at high",
        "swing": "Swing",
        "switching": "Switching value",
        "switchNone": "none within the bounds",
        "switchNa": "n/a",
        "chartTornado": "Figure: sensitivity (tornado) of {saldoLabel} (x EUR 1,000).",
        "noSaldo": "the model declares no balance (no saldo role).",
        "noKnobs": "the model has no bounded numeric knobs.",
        "mcIntro": "Every bounded numeric knob varies by a PERT distribution from -20% to +20% "
        "around its current value (within its bounds); {draws} draws, seed {seed}, so the same "
        "report gives the same figures.",
        "chance": "Chance of a positive balance",
        "mean": "Mean",
        "p5": "5th percentile",
        "p50": "Median",
        "p95": "95th percentile",
        "actorChance": "Chance of a positive balance per actor",
        "chartHistogram": "Figure: distribution of {saldoLabel} over the draws, with the zero "
        "line.",
        "variant": "Variant",
        "reference": "reference",
        "rank": "Rank",
        "difference": "Difference with the reference",
        "variantInputs": "Inputs per variant that differ from the reference",
        "sameAsReference": "same as the reference",
        "variantActors": "Balance per actor and variant",
        "sumRanking": "On {saldoLabel}, {best} ranks first with {saldo}; the reference "
        "{reference} has {refSaldo}.",
        "variantNorm": "norm {norm}",
        "refSections": "The sections below are about the reference variant {name}.",
        "kfIntro": "The model's assumptions and key figures: the inputs outside the cockpit "
        "knobs, with their value in this calculation and the workbook cell that holds them "
        "(each key figure's source is in the model's documentation).",
        "kfAll": "The model marks no knobs; every input is listed here.",
        "description": "About the model",
        "closeUncertainty": "The figures are estimates. The sensitivity analysis shows which "
        "assumptions move the balance most, the uncertainty analysis how wide the outcome can "
        "be when the knobs are uncertain together.",
        "closeBand": "In 90% of the draws the balance lies between {p5} and {p95}.",
        "closePm": "Not in the amounts: effects the workbook does not express in money (PM "
        "items). The model declares no list of PM items; its documentation says what lies "
        "outside the analysis.",
        "closeErrors": "Outputs the workbook could not calculate: {names}.",
        "closeReproduce": "With the model, version, workbook SHA-256 and input hash every "
        "figure can be calculated again through the API.",
    },
}
