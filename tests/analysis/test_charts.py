"""Charts: Dutch number format, the bars of figure 3.4, deterministic SVG, PNG."""

from __future__ import annotations

import pytest

from service.analysis import AnalysisError, tornado
from service.analysis.charts import (
    cost_benefit_chart,
    cost_benefit_data,
    thousands,
    tornado_chart,
)
from service.engine import CompiledModel


def test_thousands_are_dots_and_decimals_a_comma():
    assert thousands(1_234_567) == "1.234.567"
    assert thousands(-468_093.9) == "-468.094"
    assert thousands(1234.5, 1) == "1.234,5"
    assert thousands(0.0) == "0"


def test_bars_of_figure_3_4(model: CompiledModel):
    bars = cost_benefit_data(model, model.calculate({}))
    got = {b["output"]: round(b["value"]) for b in bars}
    # Bijlage II, chart data (NCW x EUR 1.000), in the order the roles declare them
    assert list(got.items()) == [
        ("batenKorteTermijn", 1435),
        ("batenLangeTermijn", 125),
        ("immaterieleBaten", 273),
        ("totaleKosten", 1365),
        ("mkbaSaldo", 468),
    ]
    assert [b["kind"] for b in bars] == ["baten", "baten", "baten", "kosten", "saldo"]
    labels = {o.name: o.label_nl for o in model.outputs}
    assert [b["label"] for b in bars] == [labels[name] for name in got]


def test_text_measured_once_per_process_draws_what_matplotlib_draws(
    model: CompiledModel, monkeypatch: pytest.MonkeyPatch
):
    """Text sizes and font heights remembered across charts (charts._renderer): a chart
    drawn after others have filled the memory is the chart matplotlib's own SVG renderer
    draws."""
    from matplotlib.backends.backend_svg import RendererSVG

    from service.analysis import charts

    result = tornado(model)
    with monkeypatch.context() as m:
        m.setattr(charts, "_renderer", lambda: RendererSVG)
        own = cost_benefit_chart(model, {"fteAanpak": 20.0}), tornado_chart(result, lang="en")
    charts._TEXT_SIZES.clear()
    charts._FONT_HEIGHTS.clear()
    tornado_chart(result)  # other words, and some of the same, in the memory first
    remembered = cost_benefit_chart(model, {"fteAanpak": 20.0}), tornado_chart(result, lang="en")
    assert charts._TEXT_SIZES and charts._FONT_HEIGHTS and remembered == own


def test_svg_is_deterministic_and_dutch(model: CompiledModel):
    a = cost_benefit_chart(model, fmt="svg")
    assert a == cost_benefit_chart(model, fmt="svg")
    text = a.decode()
    assert "Immateriele" in text and "1.435" in text and "NCW x € 1.000" in text
    png = cost_benefit_chart(model, {"fteAanpak": 20.0}, fmt="png")
    assert png.startswith(b"\x89PNG\r\n\x1a\n")


def test_tornado_chart(model: CompiledModel):
    result = tornado(model)
    svg = tornado_chart(result, fmt="svg", label="MKBA saldo").decode()
    assert "Gevoeligheid" in svg and "basis 468" in svg
    assert "Effectiviteit huisuitzettingen, verschil (9,0% / 11,0%)" in svg
    with pytest.raises(AnalysisError):
        tornado_chart(result, fmt="gif")
    with pytest.raises(AnalysisError):
        tornado_chart(result, output="totaleKosten")


def _figure_with_outside_legend():
    """A figure whose legend lies right of the figure, as the timeline chart's does."""
    from matplotlib.figure import Figure

    fig = Figure(figsize=(6.0, 3.0))
    ax = fig.add_subplot()
    ax.plot([0, 1, 2], [1000, -250, 4000], label="Zorg- en welzijnsinstellingen (jaar 1)")
    ax.set_title("Cumulatief saldo per actor", loc="left")
    ax.set_ylabel("cumulatief saldo, contant x € 1.000")
    ax.legend(loc="center left", bbox_to_anchor=(1.01, 0.5))
    return fig


def test_the_one_draw_svg_is_cropped_as_savefig_crops_it():
    """charts._svg draws once and crops by its viewBox; matplotlib's own savefig with
    bbox_inches="tight" (two draws) gives the size it must have."""
    import io
    import re

    import matplotlib

    from service.analysis import charts

    def size(svg: str) -> tuple[float, float]:
        m = re.search(r'<svg[^>]* width="([\d.]+)pt" height="([\d.]+)pt"', svg)
        assert m, svg[:400]
        return float(m[1]), float(m[2])

    ours = charts._svg(_figure_with_outside_legend()).decode()
    buf = io.StringIO()
    with matplotlib.rc_context(charts._RC):
        _figure_with_outside_legend().savefig(buf, format="svg", bbox_inches="tight")
    width, height = size(ours)
    assert width > 6.0 * 72  # the legend outside the figure is inside the crop
    assert (width, height) == pytest.approx(size(buf.getvalue()), abs=0.05)
    assert "<metadata>" not in ours and "Zorg- en welzijnsinstellingen (jaar 1)" in ours


def test_an_english_chart_has_english_words(model: CompiledModel):
    """The fixed words follow `lang`; the bars carry the outputs' English labels."""
    nl = cost_benefit_chart(model, fmt="svg").decode()
    en = cost_benefit_chart(model, fmt="svg", lang="en", title="SCBA").decode()
    english = {o.name: o.label_en for o in model.outputs}
    assert "NCW x € 1.000" in nl and "NCW" not in en
    assert "NPV x € 1,000" in en and "Costs and benefits - SCBA" in en
    bars = cost_benefit_data(model, model.calculate({}), lang="en")
    assert all(english[b["output"]] for b in bars), "the reference model labels its bars in English"
    assert [b["label"] for b in bars] == [english[b["output"]] for b in bars]
