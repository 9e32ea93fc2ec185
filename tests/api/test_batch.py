"""POST /v1/modellen/{modelId}/batch-berekeningen: many scenarios, vectorised."""

from __future__ import annotations

import math
from typing import Any

import pytest

from tests.api.support import BATCH, CALC


def assert_same_outputs(
    kolommen: list[dict[str, str]], waarden: list[Any], uitvoer: dict[str, dict[str, Any]]
) -> None:
    """A batch row holds the single calculation's outputs, in the order of `kolommen`."""
    assert sorted((k["groep"], k["naam"]) for k in kolommen) == sorted(
        (group, name) for group, values in uitvoer.items() for name in values
    )
    for kolom, value in zip(kolommen, waarden, strict=True):
        other = uitvoer[kolom["groep"]][kolom["naam"]]
        if isinstance(value, float) and isinstance(other, float):
            assert math.isclose(value, other, rel_tol=1e-9, abs_tol=1e-9), kolom
        else:
            assert value == other, kolom


@pytest.fixture(
    params=[("numpy", "native"), ("native", "python")], ids=["numpy-vs-c", "c-vs-python"]
)
def backends(request: pytest.FixtureRequest, app: Any):  # type: ignore[no-untyped-def]
    """Batch and single on two different implementations (issue 14): numpy batch against
    the C single calculation, then the C batch against the scalar Python artifact."""
    batch, single = request.param
    models = [api.model for api in app.extensions["mkba"].models.values()]
    saved = [(m.columns_backend, m.row_backend) for m in models]
    for m in models:
        m.columns_backend, m.row_backend = batch, single
    yield request.param
    for m, (b, s) in zip(models, saved, strict=True):
        m.columns_backend, m.row_backend = b, s


def test_batch_agrees_with_single_calculations(
    client, numeric_input, yesno_input, backends
) -> None:
    lo, hi, name = numeric_input["minimum"], numeric_input["maximum"], numeric_input["naam"]
    scenarios = [
        {"id": "standaard"},
        {"id": "laag", "invoer": {name: lo}},
        {"id": "hoog", "invoer": {name: hi}},
        {"id": "omgezet", "invoer": {yesno_input["naam"]: not yesno_input["standaardwaarde"]}},
    ]
    response = client.post(BATCH, json={"scenarios": scenarios})
    assert response.status_code == 200
    body = response.get_json()
    assert [r["id"] for r in body["resultaten"]] == [s["id"] for s in scenarios]
    for scenario, result in zip(scenarios, body["resultaten"], strict=True):
        single = client.post(CALC, json={"invoer": scenario.get("invoer", {})}).get_json()
        assert "invoer" not in result
        assert result["invoerHash"] == single["invoerHash"]
        assert result["rekenfouten"] == single["rekenfouten"]
        assert_same_outputs(body["kolommen"], result["waarden"], single["uitvoer"])
    assert body["modelId"] == single["modelId"]


def test_invalid_scenarios_get_errors_and_the_rest_results(client, numeric_input) -> None:
    name = numeric_input["naam"]
    scenarios = [
        {"id": "goed"},
        {"id": "fout", "invoer": {name: "veel", "onbekend": 1}},
        {"id": "ook-goed", "invoer": {name: numeric_input["minimum"]}},
    ]
    body = client.post(BATCH, json={"scenarios": scenarios}).get_json()
    good, bad, also_good = body["resultaten"]
    assert "waarden" in good and "waarden" in also_good
    # the unknown names first (found as the scenario is read), then the values' errors
    assert bad == {
        "id": "fout",
        "invalidParams": [
            {"name": "scenarios.1.invoer.onbekend", "reason": "Unknown field."},
            {"name": f"scenarios.1.invoer.{name}", "reason": "Not a valid number."},
        ],
    }


def test_only_invalid_scenarios(client) -> None:
    body = client.post(BATCH, json={"scenarios": [{"id": "x", "invoer": {"y": 1}}]}).get_json()
    assert body["resultaten"] == [
        {"id": "x", "invalidParams": [{"name": "scenarios.0.invoer.y", "reason": "Unknown field."}]}
    ]


def test_a_full_batch_of_1000(client, numeric_input) -> None:
    lo, hi, name = numeric_input["minimum"], numeric_input["maximum"], numeric_input["naam"]
    scenarios = [{"id": f"s{i}", "invoer": {name: lo + (hi - lo) * i / 999}} for i in range(1000)]
    response = client.post(BATCH, json={"scenarios": scenarios})
    assert response.status_code == 200
    results = response.get_json()["resultaten"]
    assert len(results) == 1000
    assert len({r["invoerHash"] for r in results}) == 1000
