"""A report's data: the title page and the sections of a scenario or of a comparison."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from typing import Any

from service.engine import CompiledModel
from service.report import numbers
from service.report.sections import SCENARIO_SECTIONS, Context, changed_inputs, headline
from service.report.texts import LANGUAGES, TEXTS

# What a request may ask for (`onderdelen`), in report order; every one by default.
SECTIONS = (
    "samenvatting",
    "invoer",
    "kostenBaten",
    "actoren",
    "varianten",
    "verloop",
    "gevoeligheid",
    "onzekerheid",
    "kengetallen",
    "afsluiting",
)


def _title_page(ctx: Context, kind: str, today: dt.date) -> dict[str, Any]:
    t, m, a = ctx.t, ctx.model, ctx.answer
    rate = m.roles.discount_rate
    if ctx.norm is not None:
        norm = f"{ctx.norm['id']}: {numbers.percent(ctx.norm['discountRate'], 2)}"
    elif rate is not None:
        norm = t["noNorm"].format(rate=numbers.percent(a["invoer"][rate], 2))
    else:
        norm = t["noNormNoRate"]
    model_title = ctx.title
    rows = [
        (t["model"], model_title),
        (t["modelId"], m.id),
        (t["version"], m.version),
        (t["workbookSha"], m.workbook_sha256),
        (t["engineVersion"], m.engine_version),
    ]
    if "invoerHash" in a:
        rows.append((t["inputHash"], a["invoerHash"]))
    rows += [
        (t["date"], today.isoformat()),
        (t["norm"], norm),
        (t["priceYear"], m.meta.get("priceYear") or t["priceYearUnknown"]),
    ]
    return {
        "title": t[kind],
        "model": model_title,
        "rows": [{"label": k, "value": str(v)} for k, v in rows],
    }


def _pick(ctx: Context, wanted: Sequence[str], built: dict[str, Any]) -> list[dict[str, Any]]:
    """The sections in report order, built or left out as not requested."""
    out = []
    for sid in SECTIONS:
        if sid not in built:
            continue
        out.append(built[sid]() if sid in wanted else ctx.omitted(sid, ctx.t["notRequested"]))
    return out


def scenario_report(
    model: CompiledModel,
    answer: Mapping[str, Any],
    values: Mapping[str, Any],
    *,
    norm: Mapping[str, Any] | None = None,
    lang: str = "nl",
    sections: Sequence[str] = SECTIONS,
    today: dt.date | None = None,
) -> dict[str, Any]:
    """The report of one scenario from its calculation answer (`ModelAPI.calculate`)."""
    assert lang in LANGUAGES
    ctx = Context(model, answer, values, lang, norm)
    built = {sid: (lambda f=f: f(ctx)) for sid, f in SCENARIO_SECTIONS.items()}
    return {
        "lang": lang,
        "t": TEXTS[lang],
        "kind": "scenario",
        "titlePage": _title_page(ctx, "scenarioTitle", today or dt.date.today()),
        "sections": _pick(ctx, sections, built),
    }


def comparison_report(
    model: CompiledModel,
    comparison: Mapping[str, Any],
    values: Sequence[Mapping[str, Any]],
    *,
    norms: Sequence[Mapping[str, Any] | None],
    lang: str = "nl",
    sections: Sequence[str] = SECTIONS,
    today: dt.date | None = None,
) -> dict[str, Any]:
    """The report of a comparison (`POST .../vergelijkingen`'s answer) and the validated
    values of its variants (norms applied): the variants side by side, then the sections
    of the reference variant."""
    assert lang in LANGUAGES
    from service.engine.input_values import api_value

    defaults = {s.name: api_value(s, s.default) for s in model.inputs}
    variants = comparison["varianten"]
    contexts = [
        Context(
            model,
            {
                "uitvoer": v["uitvoer"],
                "invoer": {**defaults, **vals},
                "invoerHash": v["invoerHash"],
                "rekenfouten": v["rekenfouten"],
            },
            vals,
            lang,
            norm,
        )
        for v, vals, norm in zip(variants, values, norms, strict=True)
    ]
    ref_index = next(i for i, v in enumerate(variants) if v["referentie"])
    ref = contexts[ref_index]
    built: dict[str, Any] = {
        "samenvatting": lambda: _comparison_summary(ref, comparison, contexts),
        "varianten": lambda: _side_by_side(ref, comparison, contexts),
    }
    for sid in ("kostenBaten", "actoren", "verloop", "gevoeligheid", "onzekerheid"):
        built[sid] = lambda f=SCENARIO_SECTIONS[sid]: f(ref)
    built["kengetallen"] = lambda: SCENARIO_SECTIONS["kengetallen"](ref)
    built["afsluiting"] = lambda: SCENARIO_SECTIONS["afsluiting"](ref)
    page = _title_page(ref, "comparisonTitle", today or dt.date.today())
    # each variant's input hash is in the table of variants below
    page["rows"] = [row for row in page["rows"] if row["label"] != ref.t["inputHash"]]
    page["variants"] = [
        {"name": v["naam"], "hash": v["invoerHash"], "reference": v["referentie"]} for v in variants
    ]
    return {
        "lang": lang,
        "t": TEXTS[lang],
        "kind": "comparison",
        "titlePage": page,
        "reference": variants[ref_index]["naam"],
        "sections": _pick(ref, sections, built),
    }


def _comparison_summary(
    ref: Context, comparison: Mapping[str, Any], contexts: Sequence[Context]
) -> dict[str, Any]:
    t, saldo = ref.t, ref.model.roles.saldo
    lines = []
    ranking = comparison["rangorde"]
    if saldo is None or not ranking:
        lines.append(t["sumNoSaldo"])
    else:
        best = ranking[0]
        ref_name = comparison["referentie"]
        ref_saldo = next(r["saldo"] for r in ranking if r["naam"] == ref_name)
        lines.append(
            t["sumRanking"].format(
                saldoLabel=ref.output_label(saldo),
                best=best["naam"],
                saldo=ref.fmt(saldo, best["saldo"]),
                reference=ref_name,
                refSaldo=ref.fmt(saldo, ref_saldo),
            )
        )
    lines.append(t["refSections"].format(name=comparison["referentie"]))
    section = summary_of(ref)
    return {**section, "paragraphs": lines + section["paragraphs"], "headline": headline(ref)}


def summary_of(ctx: Context) -> dict[str, Any]:
    return SCENARIO_SECTIONS["samenvatting"](ctx)


def _side_by_side(
    ref: Context, comparison: Mapping[str, Any], contexts: Sequence[Context]
) -> dict[str, Any]:
    """Every variant as a column: rank, headline figures with the difference from the
    reference, each actor's saldo, and the inputs each variant changes."""
    t = ref.t
    variants = comparison["varianten"]
    columns = []
    for v in variants:
        note = t["reference"] if v["referentie"] else ""
        if v.get("norm"):
            note = ", ".join(filter(None, [note, t["variantNorm"].format(norm=v["norm"]["id"])]))
        columns.append({"name": v["naam"], "note": note, "rank": v.get("rang")})
    rows = []
    flat_diffs = [
        {k: x for group in v["verschillen"].values() for k, x in group.items()} for v in variants
    ]
    for name in ref.model.roles.headline:
        cells = []
        for v, ctx, diffs in zip(variants, contexts, flat_diffs, strict=True):
            d = diffs.get(name)
            diff = "" if v["referentie"] or d is None else ("+" if d > 0 else "") + ref.fmt(name, d)
            cells.append({"value": ctx.fmt(name), "diff": diff})
        rows.append({"label": ref.output_label(name), "cells": cells})
    actor_rows = []
    if ref.model.roles.actors:
        label = "labelNl" if ref.lang == "nl" else "labelEn"
        for i, a in enumerate(variants[0]["verdeling"] or []):
            actor_rows.append(
                {
                    "label": a[label],
                    "cells": [numbers.euro((v["verdeling"] or [])[i]["saldo"]) for v in variants],
                }
            )
    resolved_ref = ref.answer["invoer"]
    changes = [
        {"name": v["naam"], "rows": changed_inputs(ctx, resolved_ref)}
        for v, ctx in zip(variants, contexts, strict=True)
        if not v["referentie"]
    ]
    return ref.section(
        "varianten", columns=columns, rows=rows, actorRows=actor_rows, changes=changes
    )
