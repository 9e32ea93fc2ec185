"""POST /v1/modellen/{modelId}/vergelijkingen: variants side by side.

The independent computation: every variant calculated alone through
`POST .../berekeningen` (the single-scenario path, not the batch path the comparison
uses) and its ledger through `POST .../verdelingen`; the differences, ranking and
per-actor differences are worked out here from those answers.
"""

from __future__ import annotations

import math
from typing import Any

import pytest

from service.analysis.compare import compare_results
from service.engine import load_models
from service.engine.roles import Roles
from tests.api.support import ROOT

MODELS = sorted(load_models(ROOT / "formulas_spec"))


def path(model_id: str, what: str) -> str:
    return f"/v1/modellen/{model_id}/{what}"


def knob_variants(client: Any, model_id: str) -> list[dict[str, Any]]:
    """Four variants of a model: the defaults and three moves of its first bounded knobs."""
    interface = client.get(path(model_id, "")[:-1]).get_json()
    knobs = {g["naam"] for g in interface["groepen"] if g["knoppen"]}
    numeric = [
        i
        for i in interface["invoer"]
        if i["type"] != "yesno"
        and i["groep"] in knobs
        and i["minimum"] is not None
        and i["maximum"] is not None
        and i["minimum"] < i["maximum"]
    ]
    a, b = numeric[0], numeric[1]
    return [
        {"naam": "basis"},
        {"naam": "laag", "invoer": {a["naam"]: a["minimum"]}},
        {"naam": "hoog", "invoer": {a["naam"]: a["maximum"], b["naam"]: b["maximum"]}},
        {"naam": "mid", "invoer": {b["naam"]: (b["minimum"] + b["maximum"]) / 2}},
    ]


def close(a: Any, b: Any) -> bool:
    if isinstance(a, float) and isinstance(b, float):
        return math.isclose(a, b, rel_tol=1e-9, abs_tol=1e-6)
    return a == b


@pytest.mark.parametrize("model_id", MODELS)
@pytest.mark.parametrize("reference", [None, 2])
def test_comparison_agrees_with_single_calculations(client, model_id, reference) -> None:
    variants = knob_variants(client, model_id)
    if reference is not None:
        variants[reference]["referentie"] = True
    response = client.post(path(model_id, "vergelijkingen"), json={"varianten": variants})
    assert response.status_code == 200, response.get_json()
    body = response.get_json()
    ref = 0 if reference is None else reference
    singles = [
        client.post(path(model_id, "berekeningen"), json={"invoer": v.get("invoer", {})}).get_json()
        for v in variants
    ]
    ledgers = [
        client.post(path(model_id, "verdelingen"), json={"invoer": v.get("invoer", {})}).get_json()
        for v in variants
    ]
    assert body["referentie"] == variants[ref]["naam"]
    saldo = body["saldoUitvoer"]
    interface = client.get(f"/v1/modellen/{model_id}").get_json()
    assert saldo == interface["rollen"]["saldo"]
    for v, got, single, ledger in zip(variants, body["varianten"], singles, ledgers, strict=True):
        assert got["naam"] == v["naam"]
        assert got["referentie"] == (v is variants[ref])
        assert got["invoerHash"] == single["invoerHash"]
        assert got["rekenfouten"] == single["rekenfouten"]
        for group, outputs in single["uitvoer"].items():
            for name, value in outputs.items():
                assert close(got["uitvoer"][group][name], value), name
                other = singles[ref]["uitvoer"][group][name]
                expected = (
                    value - other if isinstance(value, float) and isinstance(other, float) else None
                )
                assert close(got["verschillen"][group][name], expected), name
        # the inputs that depart from the reference, as the resolved inputs show them
        base = singles[ref]["invoer"]
        assert got["afwijkendeInvoer"] == {
            k: x for k, x in single["invoer"].items() if x != base[k]
        }
        for row, actor, ref_actor in zip(
            got["verdeling"], ledger["actoren"], ledgers[ref]["actoren"], strict=True
        ):
            assert row["actor"] == actor["actor"]
            for kind in ("kosten", "baten", "saldo"):
                assert close(row[kind], actor[kind])
                if actor[kind] is not None:
                    assert close(row["verschillen"][kind], actor[kind] - ref_actor[kind])
    saldos = [next(o[saldo] for o in s["uitvoer"].values() if saldo in o) for s in singles]
    order = sorted(range(len(variants)), key=lambda i: -saldos[i])
    assert [r["naam"] for r in body["rangorde"]] == [variants[i]["naam"] for i in order]
    assert [r["rang"] for r in body["rangorde"]] == [1, 2, 3, 4]
    for r in body["rangorde"]:
        i = next(j for j, v in enumerate(variants) if v["naam"] == r["naam"])
        assert close(r["saldo"], saldos[i])
        assert close(r["verschil"], saldos[i] - saldos[ref])
        assert body["varianten"][i]["rang"] == r["rang"]
    assert body["meldingen"] == []


def test_the_2021_discount_rate_as_a_variant(client) -> None:
    """docs/model.md: at 2.25% the first model's saldo rises from EUR 468.094 to 562.995."""
    body = client.post(
        path("mkba-1gezin1plan", "vergelijkingen"),
        json={
            "varianten": [
                {"naam": "norm-2021", "invoer": {"disconteringsvoet": 0.0225}},
                {"naam": "bijlage-ii", "referentie": True},
            ]
        },
    ).get_json()
    top, second = body["rangorde"]
    assert top["naam"] == "norm-2021" and round(top["saldo"]) == 562995
    assert round(second["saldo"]) == 468094 and second["verschil"] == 0.0
    assert round(top["verschil"]) == 562995 - 468094
    assert body["varianten"][0]["afwijkendeInvoer"] == {"disconteringsvoet": 0.0225}


def test_every_field_error_at_once(client) -> None:
    body = {
        "varianten": [
            {"naam": "a", "referentie": True, "invoer": {"disconteringsvoet": 0.5}},
            {"naam": "a", "referentie": True, "invoer": {"kleur": "rood"}},
            {"naam": "met spatie", "referentie": "ja"},
            {"invoer": {"fteAanpak": "12"}, "extra": 1},
        ]
    }
    response = client.post(path("mkba-1gezin1plan", "vergelijkingen"), json=body)
    assert response.status_code == 400
    assert response.mimetype == "application/problem+json"
    names = {p["name"] for p in response.get_json()["invalidParams"]}
    assert names == {
        "varianten.0.invoer.disconteringsvoet",
        "varianten.1.naam",  # duplicate
        "varianten.1.referentie",  # a second reference
        "varianten.1.invoer.kleur",
        "varianten.2.naam",
        "varianten.2.referentie",
        "varianten.3.naam",
        "varianten.3.invoer.fteAanpak",
        "varianten.3.extra",
    }


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({}, "varianten"),
        ({"varianten": [{"naam": "alleen"}]}, "varianten"),
        ({"varianten": [{"naam": f"v{i}"} for i in range(11)]}, "varianten"),
        ({"varianten": "twee"}, "varianten"),
        ([], "body"),
    ],
)
def test_two_to_ten_variants(client, body, field) -> None:
    response = client.post(path("mkba-1gezin1plan", "vergelijkingen"), json=body)
    assert response.status_code == 400
    assert [p["name"] for p in response.get_json()["invalidParams"]] == [field]


def test_unknown_model(client) -> None:
    response = client.post(path("geen-model", "vergelijkingen"), json={"varianten": []})
    assert response.status_code == 404


class _NoRoles:
    """A model that declares no roles: no saldo, no actors."""

    id = "zonder-rollen"
    roles = Roles()


def test_a_model_without_saldo_or_actors_says_so() -> None:
    rows = [[1.0, True], [3.0, False]]
    out = compare_results(_NoRoles(), ["a", "b"], ["x", "y"], rows)  # type: ignore[arg-type]
    assert out["ranking"] is None
    assert [v["ledger"] for v in out["variants"]] == [None, None]
    assert [v["differences"] for v in out["variants"]] == [[0.0, None], [2.0, None]]
    assert out["notes"] == [
        "model zonder-rollen declares no saldo role: no ranking",
        "model zonder-rollen declares no actor roles: no per-actor split",
    ]
