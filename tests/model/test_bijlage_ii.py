"""The default scenario reproduces every figure of Bijlage II, rounded the way the page rounds."""

from __future__ import annotations

import pytest

from service.engine import CompiledModel
from tests.bijlage_ii import AMOUNTS, CHART, INPUTS, QUANTITIES, RETURNS, page_round


def _cell_of(model: CompiledModel, name: str) -> tuple[str, str]:
    spec = next(o for o in model.outputs if o.name == name)
    sheet, addr = spec.cell.split("!")
    return sheet, addr


@pytest.mark.parametrize(("cell", "label", "printed", "kind"), INPUTS, ids=[i[1] for i in INPUTS])
def test_input_as_printed(cached, cell, label, printed, kind):
    value = cached[("Cockpit", cell)]
    if kind == "percent":
        assert page_round(value * 100) == printed
    elif kind == "number":
        assert page_round(value) == printed
    else:
        assert value == printed


@pytest.mark.parametrize(("name", "printed"), QUANTITIES.items(), ids=list(QUANTITIES))
def test_quantity_as_printed(model, cached, name, printed):
    assert page_round(cached[_cell_of(model, name)]) == printed
    assert page_round(model.calculate({})[name]) == printed


@pytest.mark.parametrize(("name", "printed"), AMOUNTS.items(), ids=list(AMOUNTS))
def test_amount_as_printed(model, cached, name, printed):
    assert page_round(cached[_cell_of(model, name)] / 1000) == printed
    assert page_round(model.calculate({})[name] / 1000) == printed


@pytest.mark.parametrize(("cell", "printed"), CHART.items(), ids=list(CHART))
def test_chart_data_as_printed(cached, cell, printed):
    assert page_round(cached[("Cockpit", cell)]) == printed


@pytest.mark.parametrize(("name", "printed"), RETURNS.items(), ids=list(RETURNS))
def test_return_as_printed(model, cached, name, printed):
    assert page_round(cached[_cell_of(model, name)] * 100) == printed
    assert page_round(model.calculate({})[name] * 100) == printed


def test_page_checks_hold_on_exact_values(model):
    """The sums the page itself obeys hold exactly, not only after rounding."""
    r = model.calculate({})
    assert r["totaleBaten"] == pytest.approx(
        r["batenKorteTermijn"] + r["batenLangeTermijn"] + r["immaterieleBaten"], rel=1e-12
    )
    assert r["mkbaSaldo"] == pytest.approx(r["totaleBaten"] - r["totaleKosten"], rel=1e-12)
    assert r["maatschappelijkRendement"] == pytest.approx(r["mkbaSaldo"] / r["totaleKosten"])
    assert r["financieelRendement"] == pytest.approx(
        (r["batenKorteTermijn"] + r["batenLangeTermijn"] - r["totaleKosten"]) / r["totaleKosten"]
    )
