"""The analysis endpoints: answers in the spec's Dutch shape, every field error at once."""

from __future__ import annotations

from typing import Any

import pytest

from tests.api.support import DEFAULT_MODEL

BASE = f"/v1/modellen/{DEFAULT_MODEL}"


def ok(response: Any) -> dict[str, Any]:
    assert response.status_code == 200, response.data
    assert response.headers["API-Version"]
    body = response.get_json()
    assert body["modelId"] == DEFAULT_MODEL
    return body


def invalid(response: Any) -> dict[str, str]:
    assert response.status_code == 400, response.data
    assert response.mimetype == "application/problem+json"
    return {p["name"]: p["reason"] for p in response.get_json()["invalidParams"]}


def test_tornado_with_ranges(client) -> None:
    body = ok(
        client.post(
            f"{BASE}/gevoeligheidsanalyses",
            json={
                "invoerNamen": ["fteAanpak"],
                "bereiken": {"fteAanpak": {"laag": 10, "hoog": 14}},
            },
        )
    )
    (row,) = body["resultaten"]
    assert (row["invoerNaam"], row["laag"], row["hoog"]) == ("fteAanpak", 10, 14)
    effect = row["effecten"][body["gesorteerdOp"]]
    assert effect["laag"] > effect["hoog"]  # more staff costs more
    assert row["bereik"] == pytest.approx(abs(effect["hoog"] - effect["laag"]))


def test_tornado_defaults_to_every_cockpit_knob_sorted_by_swing(client) -> None:
    body = ok(client.post(f"{BASE}/gevoeligheidsanalyses"))
    swings = [r["bereik"] for r in body["resultaten"] if r["bereik"] is not None]
    assert len(swings) > 10 and swings == sorted(swings, reverse=True)


def test_tornado_reports_every_error_at_once(client) -> None:
    errors = invalid(
        client.post(
            f"{BASE}/gevoeligheidsanalyses",
            json={
                "invoer": {"bestaatNiet": 1},
                "stap": 5,
                "bereiken": {"fteAanpak": {"laag": 1, "zz": 2}},
                "step": 0.1,
            },
        )
    )
    assert {"invoer.bestaatNiet", "stap", "bereiken.fteAanpak.zz", "step"} <= set(errors)
    assert errors["step"] == "Unknown field."


@pytest.mark.parametrize("ranges", [False, 0, "", []])
def test_tornado_ranges_must_be_an_object_even_when_falsy(client, ranges) -> None:
    """Found by the contract fuzz: `bereiken: false` was taken as no ranges at all."""
    errors = invalid(client.post(f"{BASE}/gevoeligheidsanalyses", json={"bereiken": ranges}))
    assert "bereiken" in errors


def saldo(client, invoer: dict[str, Any]) -> float:
    """The model's saldo (its `saldo` role) from a single calculation."""
    interface = client.get(BASE).get_json()
    name = interface["rollen"]["saldo"]
    group = next(o["groep"] for o in interface["uitvoer"] if o["naam"] == name)
    return client.post(f"{BASE}/berekeningen", json={"invoer": invoer}).get_json()["uitvoer"][
        group
    ][name]


def test_switching_value(client) -> None:
    body = ok(client.post(f"{BASE}/omslagwaarden", json={"invoerNaam": "fteAanpak"}))
    assert body["gevonden"] is True
    assert body["huidig"]["invoerwaarde"] == 12
    value = body["waarde"]
    assert abs(body["uitvoerBijWaarde"]) < 1e-3
    # single calculations (not the switching-value code) put the saldo's sign change there
    assert saldo(client, {"fteAanpak": value}) == pytest.approx(0, abs=1e-3)
    assert (
        saldo(client, {"fteAanpak": value - 0.01}) > 0 > saldo(client, {"fteAanpak": value + 0.01})
    )


def test_switching_value_needs_an_input(client) -> None:
    assert invalid(client.post(f"{BASE}/omslagwaarden", json={"x": 1})) == {
        "invoerNaam": "Missing data for required field.",
        "x": "Unknown field.",
    }


MC = {
    "kansverdelingen": [
        {"invoerNaam": "fteAanpak", "type": "pert", "min": 10, "modus": 12, "max": 16},
        {"invoerNaam": "disconteringsvoet", "type": "uniform", "min": 0.03, "max": 0.07},
    ],
    "trekkingen": 2000,
    "seed": 7,
    "klassen": 10,
}


def test_monte_carlo_is_reproducible(client) -> None:
    first = ok(client.post(f"{BASE}/onzekerheidsanalyses", json=MC))
    assert first == ok(client.post(f"{BASE}/onzekerheidsanalyses", json=MC))
    saldo = first["uitvoer"][first["saldoUitvoer"]]
    assert saldo["n"] + saldo["fouten"] == 2000
    assert sum(saldo["histogram"]["aantallen"]) == saldo["n"]
    assert set(first["invoer"]) == {"fteAanpak", "disconteringsvoet"}
    assert {a["actor"] for a in first["verdeling"]} >= {"gemeente"}


def test_monte_carlo_errors_name_the_request_fields(client) -> None:
    body = {
        "kansverdelingen": [
            {"invoerNaam": "fteAanpak", "type": "pert", "min": 10, "max": 16, "mode": 12}
        ],
        "trekkingen": 1_000_001,
    }
    errors = invalid(client.post(f"{BASE}/onzekerheidsanalyses", json=body))
    assert set(errors) == {"kansverdelingen.0.modus", "kansverdelingen.0.mode", "trekkingen"}


def test_monte_carlo_distribution_type_of_the_wrong_kind_is_a_400(client) -> None:
    """An object as `type` was a 500 (found by schemathesis against a live gunicorn)."""
    for kind in ({}, [], 3):
        body = {"kansverdelingen": [{"invoerNaam": "duurWerk", "type": kind}]}
        response = client.post(f"{BASE}/onzekerheidsanalyses", json=body)
        assert response.status_code == 400, response.data
        names = [p["name"] for p in response.get_json()["invalidParams"]]
        assert "kansverdelingen.0.type" in names


def test_effect_measurement_feeds_the_other_analyses(client) -> None:
    domains = ok(client.get(f"{BASE}/effectdomeinen"))["domeinen"]
    assert "debtCounselling" in {d["domein"] for d in domains}
    body = ok(
        client.post(
            f"{BASE}/effectmetingen",
            json={
                "domein": "debtCounselling",
                "interventiegroep": {"huishoudens": 400, "successen": 220},
                "controlegroep": {"huishoudens": 400, "successen": 200},
            },
        )
    )
    assert body["verschil"] == pytest.approx(0.05)
    lo, hi = body["interval"]
    assert lo < 0.05 < hi
    ok(client.post(f"{BASE}/berekeningen", json={"invoer": body["scenario"]}))
    mc = {"kansverdelingen": [body["kansverdeling"]], "trekkingen": 100}
    ok(client.post(f"{BASE}/onzekerheidsanalyses", json=mc))


def test_effect_measurement_errors(client) -> None:
    body = {"domein": "geen", "interventiegroep": {"huishoudens": 10, "successen": 11}}
    errors = invalid(client.post(f"{BASE}/effectmetingen", json=body))
    assert "controlegroep" in errors


def test_explain(client) -> None:
    body = ok(client.post(f"{BASE}/verklaringen", json={"uitvoerNaam": "totaleKosten"}))
    assert body["boom"]["naam"] == "totaleKosten"
    assert body["boom"]["invoer"]
    assert "fteAanpak" in {i["naam"] for i in body["invoer"]}
    errors = invalid(client.post(f"{BASE}/verklaringen", json={"uitvoerNaam": "x", "diepte": 0}))
    assert set(errors) == {"uitvoerNaam", "diepte"}


def test_ledger_sums_to_the_totals(client) -> None:
    body = ok(client.post(f"{BASE}/verdelingen", json={"invoer": {"fteAanpak": 14}}))
    assert body["invoer"]["fteAanpak"] == 14
    assert body["som"]["saldo"] == pytest.approx(body["totalen"]["saldo"])
    assert invalid(client.post(f"{BASE}/verdelingen", json={"invoer": {"fteAanpak": "x"}}))


@pytest.mark.parametrize(
    "path",
    ["gevoeligheidsanalyses", "omslagwaarden", "onzekerheidsanalyses", "verklaringen"],
)
def test_body_must_be_an_object(client, path: str) -> None:
    assert invalid(client.post(f"{BASE}/{path}", json=[1])) == {"body": "Not a valid object."}


def test_unknown_model(client) -> None:
    response = client.post("/v1/modellen/geen/omslagwaarden", json={"invoerNaam": "x"})
    assert response.status_code == 404
