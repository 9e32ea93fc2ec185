"""Discount-rate norms: GET /v1/normen and `norm` on a variant of a comparison.

Independent figures: the saldo at 2.25% that docs/model.md states for the first model
(EUR 562.995, from the workbook recalculated by LibreOffice at that rate), and for every
model a single calculation with its discount-rate input typed in by hand.
"""

from __future__ import annotations

import json
import math
from datetime import date

import pytest

from service.analysis.tables import DATA
from service.engine import load_models
from tests.api.test_comparisons import ROOT, path

# the served models that declare which input a norm sets (input role discountRate)
MODELS = sorted(m.id for m in load_models(ROOT / "formulas_spec").values() if m.roles.discount_rate)

# The rates as the cited reports give them (risk-free + premium = standard rate).
PUBLISHED = {
    "2007": (0.025, 0.03, 0.055),
    "2016": (0.0, 0.03, 0.03),
    "2021": (-0.01, 0.0325, 0.0225),
}


def test_the_norms_table_with_its_sources(client) -> None:
    body = client.get("/v1/normen").get_json()
    assert [n["id"] for n in body["normen"]] == list(PUBLISHED)
    for n in body["normen"]:
        free, premium, rate = PUBLISHED[n["id"]]
        assert (n["risicovrijeVoet"], n["risicoOpslag"], n["disconteringsvoet"]) == (
            free,
            premium,
            rate,
        )
        assert math.isclose(n["risicovrijeVoet"] + n["risicoOpslag"], n["disconteringsvoet"])
        assert n["bronnen"] and all(b["titel"] and b["url"] for b in n["bronnen"])
        for b in n["bronnen"]:
            # a source sets the norm or confirms it while it holds
            until = date.fromisoformat(n["geldigTot"]) if n["geldigTot"] else date.today()
            assert date.fromisoformat(b["datum"]) <= until
    assert body["versie"] == json.loads((DATA / "norms.json").read_text())["version"]


def test_the_first_model_at_the_2021_norm_gives_the_saldo_of_docs_model_md(client) -> None:
    body = client.post(
        path("mkba-1gezin1plan", "vergelijkingen"),
        json={"varianten": [{"naam": "bijlage-ii"}, {"naam": "nu", "norm": "2021"}]},
    ).get_json()
    now = body["varianten"][1]
    assert now["norm"]["id"] == "2021" and now["norm"]["disconteringsvoet"] == 0.0225
    assert now["invoer"] == {"disconteringsvoet": 0.0225}
    assert round(now["uitvoer"]["saldo"]["mkbaSaldo"]) == 562995  # docs/model.md
    assert body["varianten"][0]["norm"] is None


@pytest.mark.parametrize("model_id", MODELS)
@pytest.mark.parametrize("norm", list(PUBLISHED))
def test_a_norm_is_its_rate_typed_in(client, model_id, norm) -> None:
    interface = client.get(f"/v1/modellen/{model_id}").get_json()
    rate_input = interface["rollen"]["disconteringsvoet"]
    assert rate_input is not None
    body = client.post(
        path(model_id, "vergelijkingen"),
        json={"varianten": [{"naam": "a"}, {"naam": "b", "norm": norm}]},
    ).get_json()
    single = client.post(
        path(model_id, "berekeningen"), json={"invoer": {rate_input: PUBLISHED[norm][2]}}
    ).get_json()
    variant = body["varianten"][1]
    assert variant["invoerHash"] == single["invoerHash"]
    assert variant["uitvoer"] == single["uitvoer"]


def test_norm_errors_come_with_the_other_field_errors(client) -> None:
    response = client.post(
        path("mkba-1gezin1plan", "vergelijkingen"),
        json={
            "varianten": [
                {"naam": "a", "norm": "1999"},
                {"naam": "b", "norm": "2021", "invoer": {"disconteringsvoet": 0.03}},
                {"naam": "c", "invoer": {"fteAanpak": -1}},
            ]
        },
    )
    assert response.status_code == 400
    problems = {p["name"]: p["reason"] for p in response.get_json()["invalidParams"]}
    assert set(problems) == {"varianten.0.norm", "varianten.1.norm", "varianten.2.invoer.fteAanpak"}
    assert "not both" in problems["varianten.1.norm"]


def test_a_calculation_at_a_norm_names_it(client) -> None:
    calc = path("mkba-1gezin1plan", "berekeningen")
    body = client.post(calc, json={"norm": "2021", "invoer": {"fteAanpak": 12}}).get_json()
    assert body["norm"]["id"] == "2021"
    assert body["invoer"]["disconteringsvoet"] == 0.0225
    assert round(body["uitvoer"]["saldo"]["mkbaSaldo"]) == 562995  # docs/model.md
    typed = client.post(calc, json={"invoer": {"disconteringsvoet": 0.0225}}).get_json()
    assert "norm" not in typed and typed["invoerHash"] == body["invoerHash"]


def test_a_calculation_reports_norm_and_input_errors_at_once(client) -> None:
    response = client.post(
        path("mkba-1gezin1plan", "berekeningen"),
        json={"norm": "2021", "invoer": {"disconteringsvoet": 0.03, "kleur": 1}},
    )
    assert response.status_code == 400
    names = {p["name"] for p in response.get_json()["invalidParams"]}
    assert names == {"norm", "invoer.kleur"}
    response = client.post(path("mkba-1gezin1plan", "berekeningen"), json={"norm": 2021})
    assert [p["name"] for p in response.get_json()["invalidParams"]] == ["norm"]


@pytest.mark.parametrize("model_id", MODELS)
def test_a_ledger_at_a_norm_is_the_ledger_at_its_rate(client, model_id) -> None:
    """`norm` is part of every scenario body the contract describes (the ledger too)."""
    rate_input = client.get(f"/v1/modellen/{model_id}").get_json()["rollen"]["disconteringsvoet"]
    at_norm = client.post(path(model_id, "verdelingen"), json={"norm": "2021"})
    typed = client.post(
        path(model_id, "verdelingen"), json={"invoer": {rate_input: PUBLISHED["2021"][2]}}
    )
    assert at_norm.status_code == typed.status_code == 200
    assert at_norm.get_json() == typed.get_json()
