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
