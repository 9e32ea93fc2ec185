"""Charts for a council memo: the costs-and-benefits bars, the tornado, the cumulative saldo.

Drawn with matplotlib (Agg, no pyplot state), imported lazily; SVG is byte-for-byte
deterministic (fixed svg.hashsalt, no date), its text kept as text. Every fixed word of a
chart is in `WORDS`, in Dutch (the default, as the API's chart endpoints draw them) and
English. Run `python -m service.analysis.charts docs/img`.
"""

from __future__ import annotations

import io
import re
import sys
import textwrap
from collections.abc import Mapping
from functools import lru_cache
from pathlib import Path
from typing import Any

from service.analysis.checks import AnalysisError, Problems, check_values, is_number
from service.engine import CompiledModel, MissingRole, input_values

FORMATS = ("svg", "png")
MAX_TORNADO_ROWS = 25  # bars in one tornado chart; the rest is left off (the widest are kept)
DPI = 150
COLOURS = {"baten": "#2b7a3d", "kosten": "#b03a2e", "saldo": "#1f4e79", "laag": "#8fb3d9"}
_RC: Any = {  # matplotlib rcParams
    "svg.hashsalt": "mkba-chart",  # fixed, so that SVG ids are the same on every run
    "svg.fonttype": "none",
    "font.family": "DejaVu Sans",
    "font.size": 10,
    "axes.spines.top": False,
    "axes.spines.right": False,
}
# A title at the top of the axes, where matplotlib's automatic placement puts it when no
# tick labels are on top: set, it spares a measuring pass over the axes on every draw.
TITLE_Y = 1.0
PAD_INCHES = 0.1  # white space around the drawn artists, as savefig's bbox_inches="tight"

# Every fixed word of a chart, per language (labels of outputs, inputs and actors come from
# the model: its English labels where it declares them).
WORDS: dict[str, dict[str, str]] = {
    "nl": {
        "error": "fout",
        "npv": "NCW x € 1.000",
        "thousands": "x € 1.000",
        "costBenefit": "Kosten en baten",
        "tornado": "Gevoeligheid (tornado)",
        "tornadoStep": ": elke knop -/+ {step}%, ja/nee: nee/ja",
        "base": "basis",
        "leftOff": "{n} invoervariabelen zonder effect op {what} niet getoond",
        "low": "lage waarde",
        "high": "hoge waarde",
        "costs": "kosten",
        "benefits": "baten",
        "saldo": "saldo",
        "draws": "trekkingen",
        "total": "Totaal",
        "year": "jaar",
        "paidBack": "{label} (jaar {year})",
        "notPaidBack": "{label} (niet terugverdiend)",
        "cumulative": "cumulatief saldo, contant x € 1.000",
        "timeline": "Cumulatief saldo per actor",
        "yes": input_values.YES,
        "no": input_values.NO,
    },
    "en": {
        "error": "error",
        "npv": "NPV x € 1,000",
        "thousands": "x € 1,000",
        "costBenefit": "Costs and benefits",
        "tornado": "Sensitivity (tornado)",
        "tornadoStep": ": each knob -/+ {step}%, yes/no: no/yes",
        "base": "base",
        "leftOff": "{n} inputs without effect on {what} not shown",
        "low": "low value",
        "high": "high value",
        "costs": "costs",
        "benefits": "benefits",
        "saldo": "balance",
        "draws": "draws",
        "total": "Total",
        "year": "year",
        "paidBack": "{label} (year {year})",
        "notPaidBack": "{label} (not paid back)",
        "cumulative": "cumulative balance, discounted x € 1,000",
        "timeline": "Cumulative balance per actor",
        "yes": "yes",
        "no": "no",
    },
}


def thousands(x: float, decimals: int = 0) -> str:
    """Dutch number format: dots between thousands, a comma for decimals (1.234,5)."""
    s = f"{x:,.{decimals}f}"
    return s.replace(",", "_").replace(".", ",").replace("_", ".")


def chart_bars(model: CompiledModel) -> list[tuple[str, str]]:
    """The declared bars, in drawing order: (output, kind) for the benefitBar outputs,
    the costBar outputs, then the saldo; MissingRole when the model declares none."""
    r = model.roles
    bars = [(n, "baten") for n in r.benefit_bars] + [(n, "kosten") for n in r.cost_bars]
    if r.saldo is not None:
        bars.append((r.saldo, "saldo"))
    if not bars:
        raise MissingRole("benefitBar", model.id)
    return bars


def cost_benefit_data(
    model: CompiledModel, results: Mapping[str, Any], lang: str = "nl"
) -> list[dict[str, Any]]:
    """The bars of the cost-benefit chart: output, label, kind and NCW x EUR 1.000."""
    english = lang == "en"
    labels = {o.name: (english and o.label_en) or o.label_nl for o in model.outputs}
    return [
        {
            "output": name,
            "label": labels[name],
            "kind": kind,
            "value": results[name] / 1000 if is_number(results[name]) else None,
        }
        for name, kind in chart_bars(model)
    ]


def _render(fig: Any, fmt: str) -> bytes:
    import matplotlib

    if fmt == "svg":
        return _svg(fig)
    buf = io.BytesIO()
    with matplotlib.rc_context(_RC):
        fig.savefig(buf, format=fmt, dpi=DPI, metadata={"Software": None}, bbox_inches="tight")
    return buf.getvalue()


def _svg(fig: Any) -> bytes:
    """The figure as SVG, cropped to what is drawn: one draw, where savefig's
    bbox_inches="tight" draws twice (once to measure); the crop is the SVG's viewBox."""
    import matplotlib

    out = io.StringIO()
    with matplotlib.rc_context(_RC):
        fig.dpi = 72  # SVG user units are points, as FigureCanvasSVG.print_svg draws them
        width, height = fig.get_size_inches() * 72
        renderer = _renderer()(width, height, out, image_dpi=DPI, metadata=_NO_METADATA)
        renderer.figure_dpi = fig.dpi
        fig.draw(renderer)
        box = fig.get_tightbbox(renderer).padded(PAD_INCHES)
        renderer.finalize()
    x, y, w, h = box.x0 * 72, height - box.y1 * 72, box.width * 72, box.height * 72
    size = f'width="{w:.2f}pt" height="{h:.2f}pt" viewBox="{x:.2f} {y:.2f} {w:.2f} {h:.2f}"'
    text = re.sub(r'width="[^"]*" height="[^"]*" viewBox="[^"]*"', size, out.getvalue(), count=1)
    return text.encode("utf-8")


_TEXT_SIZES: dict[tuple[str, int, Any], tuple[float, float, float]] = {}
_TEXT_SIZES_MAX = 4096


@lru_cache(maxsize=1)
def _renderer() -> Any:
    """matplotlib's SVG renderer, its text measured once per process: matplotlib keeps
    its cache of text sizes per renderer, so every chart (a report draws five) measured
    its tick labels, titles and legend words anew with FreeType; and a font's heights,
    which it read from the font's tables for every text it laid out."""
    from matplotlib.backends.backend_svg import RendererSVG

    class Renderer(RendererSVG):  # type: ignore[misc]
        figure_dpi = 72.0  # the drawn figure's dpi (`_svg` sets it)

        def get_text_width_height_descent(
            self, s: str, prop: Any, ismath: Any
        ) -> tuple[float, float, float]:
            # A FontProperties is equal to another of the same hash (its __eq__); the
            # SVG renderer measures in points, whatever the figure's dpi.
            key = (s, hash(prop), ismath)
            size = _TEXT_SIZES.get(key)
            if size is None:
                if len(_TEXT_SIZES) >= _TEXT_SIZES_MAX:
                    _TEXT_SIZES.clear()
                size = _TEXT_SIZES[key] = super().get_text_width_height_descent(s, prop, ismath)
            return size

        def _get_font_height_metrics(self, prop: Any) -> tuple[Any, Any, Any]:
            # matplotlib's Text asks a renderer for this first (as its PDF backend
            # answers); else it reads the font's tables anew for every text it lays out.
            key = (hash(prop), self.figure_dpi)
            metrics = _FONT_HEIGHTS.get(key)
            if metrics is None:
                if len(_FONT_HEIGHTS) >= _TEXT_SIZES_MAX:
                    _FONT_HEIGHTS.clear()
                metrics = _FONT_HEIGHTS[key] = _font_height_metrics(prop, self.figure_dpi)
            return metrics

    return Renderer


_FONT_HEIGHTS: dict[tuple[int, float], tuple[Any, Any, Any]] = {}


def _font_height_metrics(prop: Any, dpi: float) -> tuple[Any, Any, Any]:
    """A font's ascent, descent and line gap at `dpi`, read from its tables as
    matplotlib's `Text._get_layout` reads them (None, None, None: it measures instead)."""
    from matplotlib.font_manager import fontManager, get_font

    font: Any = get_font(fontManager._find_fonts_by_props(prop))
    for table_name, gap, ascent, descent in (
        ("OS/2", "sTypoLineGap", "sTypoAscender", "sTypoDescender"),
        ("hhea", "lineGap", "ascent", "descent"),
    ):
        table = font.get_sfnt_table(table_name)
        if table is None:
            continue
        size = prop.get_size_in_points()
        scale = 1 / font.get_sfnt_table("head")["unitsPerEm"] * size * dpi / 72
        return table[ascent] * scale, -table[descent] * scale, table[gap] * scale
    return None, None, None


# No RDF metadata block (it says nothing the report needs, and a parser reads it again).
_NO_METADATA = {"Creator": None, "Date": None, "Format": None, "Type": None}


def _figure(size: tuple[float, float]) -> tuple[Any, Any]:
    import matplotlib

    matplotlib.use("Agg", force=False)
    from matplotlib.figure import Figure

    with matplotlib.rc_context(_RC):
        fig = Figure(figsize=size)
        ax = fig.add_subplot()
    return fig, ax


def _in_thousands(axis: Any) -> None:
    """Tick labels of `axis` in thousands, Dutch style (see `thousands`)."""
    from matplotlib.ticker import FuncFormatter

    axis.set_major_formatter(FuncFormatter(lambda v, _: thousands(v)))


def _gridded(fig: Any, ax: Any, fmt: str, axis: str) -> bytes:
    """The figure in `fmt`, with light grid lines across `axis` (x, y or both) behind the data."""
    ax.grid(axis=axis, color="#dddddd", linewidth=0.6)
    ax.set_axisbelow(True)
    return _render(fig, fmt)


def _check_format(fmt: str) -> None:
    if fmt not in FORMATS:
        raise AnalysisError([{"field": "format", "message": f"must be one of {FORMATS}"}])


def cost_benefit_chart(
    model: CompiledModel,
    values: Mapping[str, Any] | None = None,
    fmt: str = "svg",
    lang: str = "nl",
    title: str | None = None,
) -> bytes:
    """The cockpit's cost-benefit bars for one scenario, as SVG or PNG bytes."""
    chart_bars(model)  # a model without bars has no such chart (before any other check)
    problems = Problems()
    check_values(model, values, "values", problems)
    problems.raise_if_any()
    _check_format(fmt)
    bars = cost_benefit_data(model, model.calculate(values or {}), lang)
    words = WORDS[lang]
    fig, ax = _figure((7.0, 4.2))
    labels = [textwrap.fill(b["label"], 14) for b in bars]
    heights = [b["value"] if b["value"] is not None else 0.0 for b in bars]
    colours = [COLOURS[b["kind"]] for b in bars]
    rects = ax.bar(labels, heights, color=colours, width=0.62)
    for rect, b in zip(rects, bars, strict=True):
        text = thousands(b["value"]) if b["value"] is not None else words["error"]
        y = rect.get_height()
        ax.annotate(
            text,
            (rect.get_x() + rect.get_width() / 2, y),
            xytext=(0, 3 if y >= 0 else -12),
            textcoords="offset points",
            ha="center",
            fontsize=9,
        )
    ax.axhline(0, color="#444444", linewidth=0.8)
    _in_thousands(ax.yaxis)
    ax.set_ylabel(words["npv"])
    ax.set_title(
        f"{words['costBenefit']} - {title or model.title}", loc="left", fontsize=11, y=TITLE_Y
    )
    ax.tick_params(axis="x", labelsize=9, bottom=False)  # categories: labels, no tick marks
    return _gridded(fig, ax, fmt, "y")


def tornado_chart(
    result: Mapping[str, Any],
    output: str | None = None,
    fmt: str = "svg",
    label: str = "",
    lang: str = "nl",
) -> bytes:
    """The tornado of a `sensitivity.tornado` result for one of its outputs (x EUR 1.000);
    the rows are labelled by their `label` (the caller gives them in `lang`)."""
    _check_format(fmt)
    words = WORDS[lang]
    output = output or result["sortedBy"]
    if output not in result["outputs"]:
        raise AnalysisError([{"field": "output", "message": "is not an output of the tornado"}])
    base = result["base"][output]
    if not is_number(base):
        raise AnalysisError([{"field": "output", "message": "has no numeric base value"}])
    numeric = [
        r
        for r in result["rows"]
        if is_number(r["effects"][output]["low"]) and is_number(r["effects"][output]["high"])
    ]
    moving = [r for r in numeric if r["effects"][output]["swing"] > 0]
    moving.sort(key=lambda r: -r["effects"][output]["swing"])
    rows = moving[:MAX_TORNADO_ROWS][::-1]  # widest on top
    left_off = len(result["rows"]) - len(rows)
    from matplotlib.patches import Patch

    fig, ax = _figure((8.0, 0.9 + 0.32 * max(len(rows), 1)))
    scale = 1000.0
    for y, r in enumerate(rows):
        lo = r["effects"][output]["low"] / scale - base / scale
        hi = r["effects"][output]["high"] / scale - base / scale
        bars = [(lo, COLOURS["laag"]), (hi, COLOURS["saldo"])]
        for width, colour in sorted(bars, key=lambda b: -abs(b[0])):  # the shorter on top
            ax.barh(y, width, left=base / scale, color=colour, height=0.7)
    ax.axvline(base / scale, color="#444444", linewidth=0.8)
    ax.set_yticks(range(len(rows)), [_row_label(r, words) for r in rows], fontsize=8)
    ax.tick_params(axis="y", left=False)  # one label per bar, no tick marks
    _in_thousands(ax.xaxis)
    what = label or output
    xlabel = f"{what} ({words['npv']}); {words['base']} {thousands(base / scale)}"
    if left_off:
        xlabel += "\n" + words["leftOff"].format(n=left_off, what=what)
    ax.set_xlabel(xlabel)
    step = result.get("step")
    title = words["tornado"]
    if isinstance(step, int | float):
        title += words["tornadoStep"].format(step=thousands(100 * step))
    ax.set_title(title, loc="left", fontsize=11, y=TITLE_Y)
    ax.legend(
        handles=[
            Patch(color=COLOURS["laag"], label=words["low"]),
            Patch(color=COLOURS["saldo"], label=words["high"]),
        ],
        loc="lower right",
        fontsize=8,
        frameon=False,
    )
    return _gridded(fig, ax, fmt, "x")


def actor_chart(ledger: Mapping[str, Any], fmt: str = "svg", lang: str = "nl") -> bytes:
    """Costs, benefits and saldo per actor of a `ledger` result, grouped bars (x EUR 1.000)."""
    _check_format(fmt)
    import numpy as np

    rows = list(ledger["actors"])
    names = [textwrap.fill(r["labelNl" if lang == "nl" else "labelEn"], 16) for r in rows]
    words = WORDS[lang]
    kinds = (words["costs"], words["benefits"], words["saldo"])
    fig, ax = _figure((7.6, 4.4))
    x = np.arange(len(rows))
    for i, (kind, label) in enumerate(zip(("kosten", "baten", "saldo"), kinds, strict=True)):
        heights = [(r[kind] or 0.0) / 1000 for r in rows]
        ax.bar(x + (i - 1) * 0.27, heights, width=0.27, color=COLOURS[kind], label=label)
    ax.axhline(0, color="#444444", linewidth=0.8)
    ax.set_xticks(x, names, fontsize=7, rotation=45, ha="right")
    ax.tick_params(axis="x", bottom=False)
    _in_thousands(ax.yaxis)
    ax.set_ylabel(words["thousands"])
    ax.legend(fontsize=8, frameon=False)
    return _gridded(fig, ax, fmt, "y")


def histogram_chart(
    statistics: Mapping[str, Any], fmt: str = "svg", label: str = "", lang: str = "nl"
) -> bytes:
    """The histogram of one output of a `monte_carlo` result (its `outputs[name]`), in
    EUR 1.000, with the zero line (at the edge, marked, when every draw lies on one side)."""
    _check_format(fmt)
    edges = [e / 1000 for e in statistics["histogram"]["edges"]]
    counts = statistics["histogram"]["counts"]
    fig, ax = _figure((7.0, 3.6))
    if counts:  # one filled outline, not a rectangle per bin: one path for SVG and PDF
        ax.stairs(counts, edges, fill=True, color=COLOURS["saldo"])
    if edges and edges[0] <= 0 <= edges[-1]:
        ax.axvline(0, color=COLOURS["kosten"], linewidth=1.2)
    elif edges:
        edge = edges[0] if edges[0] > 0 else edges[-1]
        ax.axvline(edge, color=COLOURS["kosten"], linewidth=1.2, linestyle="--")
        ax.annotate(
            "← 0" if edges[0] > 0 else "0 →",
            (edge, 0),
            xytext=(2, 2),
            textcoords="offset points",
            fontsize=8,
            color=COLOURS["kosten"],
        )
    _in_thousands(ax.xaxis)
    scale = WORDS[lang]["npv"]
    ax.set_xlabel(f"{label} ({scale})" if label else scale)
    ax.set_ylabel(WORDS[lang]["draws"])
    return _gridded(fig, ax, fmt, "y")


def timeline_chart(
    result: Mapping[str, Any], title: str = "", fmt: str = "svg", lang: str = "nl"
) -> bytes:
    """The cumulative discounted saldo per actor (and in total) over the years of a
    `timeline.timeline` result, x EUR 1.000, with each actor's payback year marked."""
    from matplotlib.ticker import MaxNLocator

    _check_format(fmt)
    words = WORDS[lang]
    years = result["years"]
    fig, ax = _figure((8.0, 4.6))
    scale = 1000.0
    total = result["total"]
    ax.plot(
        years,
        [v / scale for v in total["cumulative"]["discounted"]],
        color="#222222",
        linewidth=2.4,
        label=_payback_label(words["total"], total["paybackYear"], words),
    )
    for a in result["actors"]:
        cumulative = [v / scale for v in a["cumulative"]["discounted"]]
        name = a["labelNl"] if lang == "nl" else a["labelEn"]
        label = _payback_label(name, a["paybackYear"], words)
        (line,) = ax.plot(years, cumulative, linewidth=1.3, label=label)
        if a["paybackYear"] is not None:
            k = years.index(a["paybackYear"])
            ax.plot([years[k]], [cumulative[k]], "o", color=line.get_color(), markersize=4)
    ax.axhline(0, color="#444444", linewidth=0.8)
    _in_thousands(ax.yaxis)
    ax.xaxis.set_major_locator(MaxNLocator(integer=True))
    ax.set_xlabel(words["year"])
    ax.set_ylabel(words["cumulative"])
    ax.set_title(
        words["timeline"] + (f" - {title}" if title else ""), loc="left", fontsize=11, y=TITLE_Y
    )
    ax.legend(loc="center left", bbox_to_anchor=(1.01, 0.5), fontsize=8, frameon=False)
    return _gridded(fig, ax, fmt, "both")


def _payback_label(label: str, year: int | None, words: Mapping[str, str]) -> str:
    if year is None:
        return words["notPaidBack"].format(label=label)
    return words["paidBack"].format(label=label, year=year)


def _row_label(r: Mapping[str, Any], words: Mapping[str, str]) -> str:
    def fmt(v: Any) -> str:
        if isinstance(v, bool):
            return words["yes"] if v else words["no"]
        if r["unit"] == "fractie":
            return f"{thousands(100 * v, 1)}%"
        return thousands(v, 0 if abs(v) >= 100 else 2)

    return f"{r['label']} ({fmt(r['low'])} / {fmt(r['high'])})"


def main(argv: list[str] | None = None) -> int:
    """Write kosten-baten and tornado (SVG and PNG) of a model to a directory:
    `python -m service.analysis.charts [out-dir] [spec-dir] [model-id]`; the model is the
    one given, else the one that declares cockpitDefault, else the first."""
    from service.analysis.sensitivity import tornado
    from service.analysis.timeline import timeline
    from service.engine import load_models

    args = sys.argv[1:] if argv is None else argv
    out = Path(args[0] if args else "docs/img")
    spec = Path(args[1] if len(args) > 1 else "formulas_spec")
    models = load_models(spec)
    if len(args) > 2:
        model = models[args[2]]
    else:
        defaults = [m for m in models.values() if m.roles.cockpit_default]
        model = (defaults or list(models.values()))[0]
    out.mkdir(parents=True, exist_ok=True)
    result = tornado(model)
    saldo = {o.name: o.label_nl for o in model.outputs}[result["sortedBy"]]
    yearly = timeline(model) if model.roles.series is not None else None
    for fmt in FORMATS:
        (out / f"kosten-baten.{fmt}").write_bytes(cost_benefit_chart(model, fmt=fmt))
        (out / f"tornado.{fmt}").write_bytes(tornado_chart(result, fmt=fmt, label=saldo))
        if yearly is not None:
            chart = timeline_chart(yearly, model.title, fmt=fmt)
            (out / f"cumulatief-saldo.{fmt}").write_bytes(chart)
    print(f"wrote {out}/kosten-baten, tornado and cumulatief-saldo (svg, png) of {model.id}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
