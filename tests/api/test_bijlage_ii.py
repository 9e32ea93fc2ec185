"""Integration: an empty calculation request answers the example of Bijlage II.

The figures are those Bijlage II prints (tests/bijlage_ii.py), rounded as the page
rounds them: quantities to whole numbers, amounts (NCW) to whole thousands of
euros, returns to whole percents. The output names are the workbook's (Interface
sheet of formulas_spec/mkba-1gezin1plan.xlsx).
"""

from __future__ import annotations

from typing import Any

import pytest

from tests.api.support import BATCH, CALC
from tests.bijlage_ii import AMOUNTS, QUANTITIES, RETURNS, page_round


def flat(uitvoer: dict[str, dict[str, Any]]) -> dict[str, Any]:
    return {name: value for group in uitvoer.values() for name, value in group.items()}


@pytest.fixture(scope="module", params=["single", "batch"])
def outputs(request, app) -> dict[str, Any]:
    client = app.test_client()
    if request.param == "single":
        response = client.post(CALC)  # no body at all
        assert response.status_code == 200
        body = response.get_json()
        assert body["rekenfouten"] == []
        return flat(body["uitvoer"])
    response = client.post(BATCH, json={"scenarios": [{"id": "bijlage-ii"}]})
    assert response.status_code == 200
    body = response.get_json()
    row = body["resultaten"][0]
    assert row["rekenfouten"] == []
    return {k["naam"]: v for k, v in zip(body["kolommen"], row["waarden"], strict=True)}


@pytest.mark.parametrize(("name", "expected"), QUANTITIES.items())
def test_quantities(outputs, name: str, expected: int) -> None:
    assert page_round(outputs[name]) == expected


@pytest.mark.parametrize(("name", "expected"), AMOUNTS.items())
def test_amounts_in_thousands(outputs, name: str, expected: int) -> None:
    assert page_round(outputs[name], 1000) == expected


@pytest.mark.parametrize(("name", "expected"), RETURNS.items())
def test_returns_in_percent(outputs, name: str, expected: int) -> None:
    assert page_round(outputs[name], 0.01) == expected


def test_zero_costs_give_a_clean_division_error(client) -> None:
    """Returns divide by the total costs: with none, #DIV/0! shows as null + rekenfout."""
    no_costs = {"fteAanpak": 0, "percentageMeerGevonden": 0, "percentageMda": 0}
    body = client.post(CALC, json={"invoer": no_costs}).get_json()
    assert body["uitvoer"]["kosten"]["totaleKosten"] == 0
    assert flat(body["uitvoer"])["maatschappelijkRendement"] is None
    assert {"uitvoer": "maatschappelijkRendement", "code": "#DIV/0!"} in body["rekenfouten"]
    batch = client.post(
        BATCH, json={"scenarios": [{"id": "geen-kosten", "invoer": no_costs}, {"id": "basis"}]}
    ).get_json()["resultaten"]
    assert batch[0]["rekenfouten"] == body["rekenfouten"]
    assert batch[1]["rekenfouten"] == []
