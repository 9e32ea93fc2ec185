"""The sections of a report, one function each, from the API's answer and the analyses.

Each function takes a `Context` (the model, the calculation answer as the API gives it,
the validated scenario, the language) and returns a section dict for the template:
`id`, `title`, and either its content or `omitted` (why it is left out). The figures come
from the answer (the same calculation the API answers) or from the analyses the API's
own endpoints run (`service.analysis`), and are formatted in `service.report.numbers`.
"""

from __future__ import annotations

import base64
from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import cached_property
from typing import Any

from service import analysis
from service.analysis import charts, timeline
from service.analysis.checks import cockpit_inputs, is_number
from service.engine import CompiledModel, InputSpec
from service.report import numbers, svgslim
from service.report.texts import TEXTS

TOP_KNOBS = 5  # the tornado and switching values of the most influential knobs
TORNADO_STEP = 0.1
MC_DRAWS = 2000  # modest: the report is answered interactively
MC_SEED = 1
MC_SPREAD = 0.2  # -/+ 20% around each knob's value, as the cockpit's uncertainty run
MC_BINS = 30
_UNSET: Any = object()  # `Context.fmt` without a value: the scenario's own


@dataclass
class Context:
    """One scenario of a report: the model, its calculation answer and the language."""

    model: CompiledModel
    answer: Mapping[str, Any]  # ModelAPI.calculate's answer (or a comparison's variant)
    values: Mapping[str, Any]  # the validated scenario (API values), norm applied
    lang: str = "nl"
    norm: Mapping[str, Any] | None = None
    cache: dict[str, Any] = field(default_factory=dict)

    @property
    def t(self) -> dict[str, str]:
        return TEXTS[self.lang]

    @cached_property
    def outputs(self) -> dict[str, Any]:
        """Every output by name (the answer groups them)."""
        return {k: v for group in self.answer["uitvoer"].values() for k, v in group.items()}

    @cached_property
    def specs(self) -> dict[str, Any]:
        return {o.name: o for o in self.model.outputs}

    def label(self, item: Any) -> str:
        """An input's, output's, group's or actor's label in the report's language."""
        return item.label_nl if self.lang == "nl" else (item.label_en or item.label_nl)

    def output_label(self, name: str) -> str:
        return self.label(self.specs[name])

    @property
    def title(self) -> str:
        """The model's title in the report's language (its English title if it has one)."""
        meta_title = self.model.meta.get("titleEn") if self.lang == "en" else None
        return str(meta_title or self.model.title)

    def fmt(self, name: str, value: Any = _UNSET) -> str:
        """An output's value (this scenario's unless given), formatted by its type and unit;
        None (an Excel error) is shown as "-"."""
        spec = self.specs[name]
        v = self.outputs[name] if value is _UNSET else value
        return numbers.value(v, spec.type, spec.unit, self.lang)

    def fmt_input(self, spec: InputSpec, value: Any) -> str:
        return numbers.value(value, spec.type, spec.unit, self.lang, exact=True)

    def ledger(self) -> dict[str, Any] | None:
        """The per-actor ledger of the answer's outputs, or None without actors."""
        if not self.model.roles.actors:
            return None
        return analysis.ledger_from_outputs(self.model, self.outputs)

    def timeline(self) -> dict[str, Any] | None:
        """The scenario over the years (computed once), or None without yearly series."""
        if self.model.roles.series is None:
            return None
        if "timeline" not in self.cache:
            self.cache["timeline"] = timeline.timeline(self.model, dict(self.values))
        return self.cache["timeline"]  # type: ignore[no-any-return]

    def monte_carlo(self) -> dict[str, Any] | None:
        """The report's uncertainty run (computed once), or None without a saldo or knobs."""
        if "mc" not in self.cache:
            dists = uncertain_knobs(self.model, self.answer["invoer"])
            self.cache["mc"] = (
                None
                if self.model.roles.saldo is None or not dists
                else analysis.monte_carlo(
                    self.model,
                    distributions=dists,
                    draws=MC_DRAWS,
                    seed=MC_SEED,
                    values=dict(self.values),
                    bins=MC_BINS,
                )
            )
        mc: dict[str, Any] | None = self.cache["mc"]
        return mc

    def section(self, sid: str, **content: Any) -> dict[str, Any]:
        return {"id": sid, "title": self.t[sid], "omitted": None, **content}

    def omitted(self, sid: str, reason: str) -> dict[str, Any]:
        return {"id": sid, "title": self.t[sid], "omitted": self.t["omitted"].format(reason=reason)}


def uncertain_knobs(model: CompiledModel, resolved: Mapping[str, Any]) -> list[dict[str, Any]]:
    """A PERT from -20% to +20% around the value of every bounded numeric knob (clipped to
    its bounds), as the cockpit's "Bereken onzekerheid" draws them."""
    out = []
    for spec in cockpit_inputs(model):
        v = resolved[spec.name]
        if spec.type == "yesno" or spec.min is None or spec.max is None or not is_number(v):
            continue
        lo = max(spec.min, v - MC_SPREAD * abs(v))
        hi = min(spec.max, v + MC_SPREAD * abs(v))
        out.append({"input": spec.name, "type": "pert", "min": lo, "mode": v, "max": hi})
    return out


def svg(data: bytes) -> str:
    """An SVG chart as a data: URI, embedded in the page as an <img> with its caption as
    alternative text (a tagged PDF's Figure gets /Alt; the SVG's own nodes stay out of
    the page's CSS cascade, which halves the PDF's rendering time), in the fewer and
    plainer nodes of `svgslim` (the same drawing, a third less of WeasyPrint's time)."""
    return "data:image/svg+xml;base64," + base64.b64encode(svgslim.slim(data)).decode("ascii")


# -- the sections, in the order of an MKBA report ----------------------------------------


def headline(ctx: Context) -> list[dict[str, str]]:
    """The headline figures (role `headline`) of the scenario, label and value."""
    return [
        {"name": n, "label": ctx.output_label(n), "value": ctx.fmt(n)}
        for n in ctx.model.roles.headline
    ]


def summary(ctx: Context) -> dict[str, Any]:
    """Plain-language summary: saldo, returns, chance, who pays and profits, payback."""
    t, r = ctx.t, ctx.model.roles
    lines = []
    if r.saldo is None:
        lines.append(t["sumNoSaldo"])
    else:
        saldo = ctx.outputs[r.saldo]
        if r.total_costs and r.total_benefits:
            lines.append(
                t["sumSaldo"].format(
                    saldoLabel=ctx.output_label(r.saldo),
                    saldo=ctx.fmt(r.saldo),
                    benefitsLabel=ctx.output_label(r.total_benefits),
                    benefits=ctx.fmt(r.total_benefits),
                    costsLabel=ctx.output_label(r.total_costs),
                    costs=ctx.fmt(r.total_costs),
                )
            )
        else:
            lines.append(
                t["sumSaldoOnly"].format(
                    saldoLabel=ctx.output_label(r.saldo), saldo=ctx.fmt(r.saldo)
                )
            )
        if is_number(saldo):
            lines.append(t["sumPositive"] if saldo > 0 else t["sumNegative"])
    named = {r.saldo, r.total_costs, r.total_benefits}
    others = [n for n in r.headline if n not in named]
    if others:
        lines.append(
            " ".join(
                t["sumReturn"].format(label=ctx.output_label(n), value=ctx.fmt(n)) for n in others
            )
        )
    mc = ctx.monte_carlo()
    if mc is not None and mc["headline"] is not None:
        band = mc["headline"]["band"]
        lines.append(
            t["sumChance"].format(
                chance=numbers.percent(mc["headline"]["probabilitySaldoPositive"]),
                draws=numbers.number(mc["draws"]),
                p5=numbers.euro(band["p5"]),
                p95=numbers.euro(band["p95"]),
            )
        )
    book = ctx.ledger()
    if book is None:
        lines.append(t["sumNoActors"])
    else:
        rows = [a for a in book["actors"] if is_number(a["kosten"]) and is_number(a["saldo"])]
        label = "labelNl" if ctx.lang == "nl" else "labelEn"
        if rows:
            payer = max(rows, key=lambda a: a["kosten"])
            gainer = max(rows, key=lambda a: a["saldo"])
            lines.append(
                t["sumPays"].format(actor=payer[label], costs=numbers.euro(payer["kosten"]))
            )
            lines.append(
                t["sumGains"].format(actor=gainer[label], saldo=numbers.euro(gainer["saldo"]))
            )
            losers = [f"{a[label]} ({numbers.euro(a['saldo'])})" for a in rows if a["saldo"] < 0]
            if losers:
                lines.append(t["sumLosers"].format(actors=", ".join(losers)))
    lines.append(payback_sentence(ctx))
    return ctx.section("samenvatting", paragraphs=lines, headline=headline(ctx))


def payback_sentence(ctx: Context) -> str:
    """The summary's payback year, from the model's yearly series (or why there is none)."""
    result = ctx.timeline()
    if result is None:
        return ctx.t["sumPayback"]
    year = result["total"]["paybackYear"]
    if year is None:
        return ctx.t["sumNotPaidBack"].format(horizon=result["years"][-1])
    return ctx.t["sumPaybackYear"].format(year=year)


def changed_inputs(
    ctx: Context, reference: Mapping[str, Any] | None = None
) -> list[dict[str, str]]:
    """The inputs whose value differs from `reference` (default: the model's defaults)."""
    from service.engine.input_values import api_value

    rows = []
    resolved = ctx.answer["invoer"]
    for spec in ctx.model.inputs:
        base = reference[spec.name] if reference is not None else api_value(spec, spec.default)
        if resolved[spec.name] != base:
            rows.append(
                {
                    "label": ctx.label(spec),
                    "value": ctx.fmt_input(spec, resolved[spec.name]),
                    "default": ctx.fmt_input(spec, base),
                    "unit": spec.unit,
                    "source": spec.cell,
                }
            )
    return rows


def inputs(ctx: Context) -> dict[str, Any]:
    """The inputs that differ from the model's defaults, with labels, units and cells."""
    t = ctx.t
    rows = changed_inputs(ctx)
    notes = [t["inputIntro"] if rows else t["inputNone"]]
    if ctx.norm is not None:
        rate = numbers.percent(ctx.norm["discountRate"], 2)
        notes.append(t["inputNorm"].format(norm=norm_label(ctx), rate=rate))
    return ctx.section("invoer", rows=rows, notes=notes)


def norm_label(ctx: Context) -> str:
    if ctx.norm is None:
        return ""
    return str(ctx.norm["labelNl" if ctx.lang == "nl" else "labelEn"])


def cost_benefit(ctx: Context) -> dict[str, Any]:
    """The outputs grouped as the cockpit groups them (actor groups: the ledger), and the
    cost-benefit chart."""
    r = ctx.model.roles
    actor_outputs = {n for a in r.actors for n in (a.costs, a.benefits, a.saldo) if n}
    tables = []
    for group, outputs in ctx.answer["uitvoer"].items():
        if outputs and set(outputs) <= actor_outputs:
            continue  # shown as the ledger
        g = r.group(group)
        tables.append(
            {
                "caption": ctx.label(g) if g is not None else group,
                "rows": [{"label": ctx.output_label(n), "value": ctx.fmt(n)} for n in outputs],
            }
        )
    chart = None
    if r.benefit_bars or r.cost_bars or r.saldo:
        chart = svg(
            charts.cost_benefit_chart(ctx.model, dict(ctx.values), lang=ctx.lang, title=ctx.title)
        )
    errors = [e["uitvoer"] for e in ctx.answer.get("rekenfouten", [])]
    notes = [ctx.t["cbIntro"]]
    if errors:
        notes.append(ctx.t["calcErrors"].format(names=", ".join(map(ctx.output_label, errors))))
    return ctx.section("kostenBaten", tables=tables, chart=chart, notes=notes)


def actors(ctx: Context) -> dict[str, Any]:
    """Per actor its costs, benefits and saldo, the totals, and their chart."""
    book = ctx.ledger()
    if book is None:
        return ctx.omitted("actoren", ctx.t["noActors"])
    label = "labelNl" if ctx.lang == "nl" else "labelEn"

    def row(name: str, amounts: Mapping[str, Any]) -> dict[str, str]:
        return {
            "label": name,
            **{k: numbers.euro(amounts[k]) for k in ("kosten", "baten", "saldo")},
        }

    rows = [row(a[label], a) for a in book["actors"]]
    total = row(ctx.t["total"], book["sum"])
    chart = svg(charts.actor_chart(book, lang=ctx.lang))
    return ctx.section("actoren", rows=rows, total=total, chart=chart)


def over_time(ctx: Context) -> dict[str, Any]:
    """Per actor and in total: the payback year, the budget after the first years and the
    discounted saldo; the chart of the cumulative saldo per actor over the years."""
    result = ctx.timeline()
    if result is None:
        return ctx.omitted("verloop", ctx.t["noSeries"])
    t, label = ctx.t, "labelNl" if ctx.lang == "nl" else "labelEn"

    def row(name: str, flow: Mapping[str, Any]) -> dict[str, str]:
        year = flow["paybackYear"]
        return {
            "label": name,
            "payback": str(year) if year is not None else t["notPaidBack"],
            "budget": numbers.euro(flow["budget"]["saldo"]),
            "saldo": numbers.euro(flow["cumulative"]["discounted"][-1]),
        }

    rows = [row(a[label], a) for a in result["actors"]]
    total = row(t["total"], result["total"])
    budget_years, horizon = result["total"]["budget"]["years"], result["years"][-1]
    intro = t["overTimeIntro"].format(n=budget_years, horizon=horizon)
    chart = svg(charts.timeline_chart(result, title=ctx.title, lang=ctx.lang))
    return ctx.section("verloop", rows=rows, total=total, intro=intro, chart=chart)


def sensitivity(ctx: Context) -> dict[str, Any]:
    """The tornado of the five most influential knobs, with their switching values."""
    t, saldo = ctx.t, ctx.model.roles.saldo
    if saldo is None:
        return ctx.omitted("gevoeligheid", t["noSaldo"])
    result = analysis.tornado(ctx.model, values=dict(ctx.values), step=TORNADO_STEP)
    rows = [r for r in result["rows"] if r["swing"]][:TOP_KNOBS]
    if not rows:
        return ctx.omitted("gevoeligheid", t["noKnobs"])
    specs = {s.name: s for s in ctx.model.inputs}
    table = []
    for r in rows:
        spec = specs[r["input"]]
        effect = r["effects"][saldo]
        table.append(
            {
                "label": ctx.label(spec),
                "base": ctx.fmt_input(spec, r["base"]),
                "low": ctx.fmt_input(spec, r["low"]),
                "high": ctx.fmt_input(spec, r["high"]),
                "saldoLow": ctx.fmt(saldo, effect["low"]),
                "saldoHigh": ctx.fmt(saldo, effect["high"]),
                "swing": numbers.euro(effect["swing"]),
                "switching": switching(ctx, spec),
            }
        )
    labelled = [{**r, "label": ctx.label(specs[r["input"]])} for r in rows]
    top = {**result, "rows": labelled}
    chart = svg(charts.tornado_chart(top, label=ctx.output_label(saldo), lang=ctx.lang))
    intro = t["tornadoIntro"].format(
        saldoLabel=ctx.output_label(saldo), step=numbers.percent(TORNADO_STEP)
    )
    caption = t["chartTornado"].format(saldoLabel=ctx.output_label(saldo))
    return ctx.section("gevoeligheid", intro=intro, rows=table, chart=chart, caption=caption)


def switching(ctx: Context, spec: InputSpec) -> str:
    """The value of one input at which the saldo is zero, formatted, or why there is none."""
    if spec.type == "yesno" or spec.min is None or spec.max is None:
        return ctx.t["switchNa"]
    found = analysis.switching_value(ctx.model, input=spec.name, values=dict(ctx.values))
    if not found["found"]:
        return ctx.t["switchNone"]
    return ctx.fmt_input(spec, found["value"])


def uncertainty(ctx: Context) -> dict[str, Any]:
    """The Monte Carlo run: chance of a positive saldo, the band, per actor, histogram."""
    t, saldo = ctx.t, ctx.model.roles.saldo
    if saldo is None:
        return ctx.omitted("onzekerheid", t["noSaldo"])
    mc = ctx.monte_carlo()
    if mc is None:
        return ctx.omitted("onzekerheid", t["noKnobs"])
    stats = mc["outputs"][saldo]
    head = mc["headline"]
    rows = [
        {"label": t["chance"], "value": numbers.percent(head["probabilitySaldoPositive"])},
        {"label": t["mean"], "value": ctx.fmt(saldo, stats["mean"])},
        {"label": t["p5"], "value": ctx.fmt(saldo, stats["p5"])},
        {"label": t["p50"], "value": ctx.fmt(saldo, stats["p50"])},
        {"label": t["p95"], "value": ctx.fmt(saldo, stats["p95"])},
    ]
    label = "labelNl" if ctx.lang == "nl" else "labelEn"
    per_actor = [
        {"label": a[label], "value": numbers.percent(a["probabilitySaldoPositive"])}
        for a in head["actors"] or []
    ]
    chart = svg(charts.histogram_chart(stats, label=ctx.output_label(saldo), lang=ctx.lang))
    return ctx.section(
        "onzekerheid",
        intro=t["mcIntro"].format(draws=numbers.number(mc["draws"]), seed=mc["seed"]),
        rows=rows,
        actors=per_actor,
        chart=chart,
        caption=t["chartHistogram"].format(saldoLabel=ctx.output_label(saldo)),
    )


def key_figures(ctx: Context) -> dict[str, Any]:
    """The model's assumptions: every input outside the knobs, value, unit and cell."""
    knobs = {s.name for s in cockpit_inputs(ctx.model)}
    every = len(knobs) == len(ctx.model.inputs)
    resolved = ctx.answer["invoer"]
    rows = [
        {
            "label": ctx.label(s),
            "value": ctx.fmt_input(s, resolved[s.name]),
            "unit": s.unit,
            "source": s.cell,
        }
        for s in ctx.model.inputs
        if every or s.name not in knobs
    ]
    meta = ctx.model.meta
    description = meta.get("description" if ctx.lang == "nl" else "descriptionEn") or meta.get(
        "description", ""
    )
    notes = [ctx.t["kfIntro"]] + ([ctx.t["kfAll"]] if every else [])
    return ctx.section("kengetallen", rows=rows, notes=notes, description=description)


def closing(ctx: Context) -> dict[str, Any]:
    """What the figures are and are not: uncertainty, PM items, errors, reproducibility."""
    t = ctx.t
    lines = [t["closeUncertainty"]]
    mc = ctx.monte_carlo() if ctx.model.roles.saldo else None
    if mc is not None and mc["headline"] is not None:
        band = mc["headline"]["band"]
        lines.append(
            t["closeBand"].format(p5=numbers.euro(band["p5"]), p95=numbers.euro(band["p95"]))
        )
    lines.append(t["closePm"])
    errors = [e["uitvoer"] for e in ctx.answer.get("rekenfouten", [])]
    if errors:
        lines.append(t["closeErrors"].format(names=", ".join(map(ctx.output_label, errors))))
    lines.append(t["closeReproduce"])
    return ctx.section("afsluiting", paragraphs=lines)


# The scenario sections in report order (the comparison adds `varianten` after actoren).
SCENARIO_SECTIONS = {
    "samenvatting": summary,
    "invoer": inputs,
    "kostenBaten": cost_benefit,
    "actoren": actors,
    "verloop": over_time,
    "gevoeligheid": sensitivity,
    "onzekerheid": uncertainty,
    "kengetallen": key_figures,
    "afsluiting": closing,
}
