"""POST /v1/modellen/{modelId}/optimisme-correcties and GET /v1/bewijsniveaus (issue 15,
part 3: how sure are we), on every served model.

The corrected figures are held to LibreOffice: the test reads the graded inputs from the
workbook's own Interface sheet (openpyxl, not the service), computes their corrected
values from the published percentages written out below, types them into a copy of the
workbook and lets LibreOffice recalculate it.
"""

from __future__ import annotations

import math
from pathlib import Path
from typing import Any

import openpyxl
import pytest
from flask import Flask
from flask.testing import FlaskClient

from tests.compiler.parity import run_libreoffice
from tools.engines import engine_available

ROOT = Path(__file__).resolve().parents[2]
SPEC = ROOT / "formulas_spec"
MODELS = sorted(p.stem for p in SPEC.glob("*.xlsx"))

# Mott MacDonald (2002), Review of Large Public Procurement in the UK, Table 2, the row
# "Outsourcing" (operating expenditure): upper bound 41%, lower bound 0%; the Green Book
# supplementary guidance on optimism bias (2003) Table 1 is prepared from it. Outsourcing
# is the default reference class (docs/analysis.md).
UPPER, LOWER = 0.41, 0.0
# docs/analysis.md: the strongest grade takes the lower bound, the weakest the upper
# bound, the two grades between them 1/3 and 2/3 of the way (the service's interpolation).
UPLIFT = {
    "gemetenMetControlegroep": LOWER,
    "gemetenZonderControlegroep": LOWER + (UPPER - LOWER) / 3,
    "literatuur": LOWER + 2 * (UPPER - LOWER) / 3,
    "expertschatting": UPPER,
}
# The request's own benefit reductions (no generic figure is published for benefits).
REDUCTIONS = {"gemetenZonderControlegroep": 0.1, "literatuur": 0.2, "expertschatting": 0.4}


def url(model_id: str) -> str:
    return f"/v1/modellen/{model_id}/optimisme-correcties"


def declarations(model_id: str) -> dict[str, tuple[str, str, str, float]]:
    """input -> (cell, role, grade, default) of every graded input, read from the
    workbook's Interface sheet and input cells with openpyxl."""
    wb = openpyxl.load_workbook(SPEC / f"{model_id}.xlsx")
    rows = list(wb["Interface"].iter_rows(values_only=True))
    col = {h: i for i, h in enumerate(rows[0]) if h}
    out = {}
    for row in rows[1:]:
        if row[col["kind"]] == "input" and row[col["evidence"]]:
            cell = row[col["cell"]]
            sheet, addr = cell.rsplit("!", 1)
            default = wb[sheet][addr].value
            out[row[col["name"]]] = (cell, row[col["role"]], row[col["evidence"]], default)
    return out


def corrected_by_hand(model_id: str, reductions: dict[str, float]) -> dict[str, float]:
    """cell -> corrected value: a cost times (1 + uplift), an effect times (1 - reduction)."""
    out = {}
    for cell, role, grade, default in declarations(model_id).values():
        factor = 1 + UPLIFT[grade] if role == "cost" else 1 - reductions.get(grade, 0.0)
        out[cell] = default * factor
    return out


@pytest.fixture(scope="module")
def documents(app: Flask) -> dict[str, dict[str, Any]]:
    client = app.test_client()
    return {m: client.get(f"/v1/modellen/{m}").get_json() for m in MODELS}


def test_both_reference_models_grade_effects_and_costs(documents: dict[str, Any]) -> None:
    """The workbooks declare graded effects and costs, and the API publishes them."""
    for model_id in ("mkba-1gezin1plan", "mkba-sociale-wijkteams"):
        declared = declarations(model_id)
        published = {b["invoerNaam"]: b for b in documents[model_id]["bewijs"]}
        assert {r for _c, r, _g, _d in declared.values()} == {"effect", "cost"}
        assert published.keys() == declared.keys()
        for name, (_cell, role, grade, _d) in declared.items():
            kind = "kosten" if role == "cost" else "effect"
            assert (published[name]["soort"], published[name]["bewijsniveau"]) == (kind, grade)


@pytest.mark.skipif(not engine_available("libreoffice"), reason="LibreOffice not installed")
@pytest.mark.parametrize("model_id", MODELS)
def test_corrected_saldo_is_libreoffices_on_the_corrected_inputs(
    client: FlaskClient, documents: dict[str, Any], model_id: str
) -> None:
    answer = client.post(url(model_id), json={"batenCorrecties": REDUCTIONS}).get_json()
    doc = documents[model_id]
    cells = {o["naam"]: o["cel"] for o in doc["uitvoer"]}
    roles = doc["rollen"]
    wanted = [roles["saldo"], roles["totaalKosten"], roles["totaalBaten"]]
    scenario = corrected_by_hand(model_id, REDUCTIONS)
    assert scenario, "the model grades no input"
    lo = run_libreoffice(SPEC / f"{model_id}.xlsx", [cells[n] for n in wanted], [scenario])[0]
    groups = {o["naam"]: o["groep"] for o in doc["uitvoer"]}
    for name in wanted:
        ours = answer["uitvoer"][groups[name]][name]["gecorrigeerd"]
        assert math.isclose(ours, lo[cells[name]], rel_tol=1e-9, abs_tol=1e-6), name
    assert (
        answer["saldo"]["gecorrigeerd"]
        == answer["uitvoer"][groups[wanted[0]]][wanted[0]]["gecorrigeerd"]
    )
    # the correction makes the saldo worse: costs up, benefits down
    assert answer["saldo"]["gecorrigeerd"] < answer["saldo"]["ongecorrigeerd"]
    assert answer["saldo"]["verschil"] == pytest.approx(
        answer["saldo"]["gecorrigeerd"] - answer["saldo"]["ongecorrigeerd"]
    )


@pytest.mark.parametrize("model_id", MODELS)
def test_each_declared_effect_lowers_benefits_and_each_cost_raises_costs(
    client: FlaskClient, documents: dict[str, Any], model_id: str
) -> None:
    """The workbook's declarations mean what they say: grading one input alone as an
    expert guess lowers the total benefits (an effect, reduced 40%) or raises the total
    costs (a cost) and never raises the saldo."""
    doc = documents[model_id]
    groups = {o["naam"]: o["groep"] for o in doc["uitvoer"]}
    costs, benefits = doc["rollen"]["totaalKosten"], doc["rollen"]["totaalBaten"]
    for item in doc["bewijs"]:
        body = {
            "bewijsniveaus": {item["invoerNaam"]: "expertschatting"},
            "batenCorrecties": {"expertschatting": 0.4},
        }
        # every other graded input at the strongest grade: no cost uplift, no reduction
        body["bewijsniveaus"].update(
            {
                b["invoerNaam"]: "gemetenMetControlegroep"
                for b in doc["bewijs"]
                if b["invoerNaam"] != item["invoerNaam"]
            }
        )
        a = client.post(url(model_id), json=body).get_json()
        pair = a["uitvoer"][groups[costs if item["soort"] == "kosten" else benefits]]
        line = pair[costs if item["soort"] == "kosten" else benefits]
        if item["soort"] == "kosten":
            assert line["gecorrigeerd"] > line["ongecorrigeerd"], item
        else:
            assert line["gecorrigeerd"] < line["ongecorrigeerd"], item
        assert a["saldo"]["gecorrigeerd"] < a["saldo"]["ongecorrigeerd"], item


def test_the_grades_of_a_request_replace_the_workbooks(client: FlaskClient) -> None:
    model_id = "mkba-1gezin1plan"
    answer = client.post(
        url(model_id), json={"bewijsniveaus": {"kostenPerFte": "gemetenMetControlegroep"}}
    ).get_json()
    row = next(r for r in answer["correcties"] if r["invoerNaam"] == "kostenPerFte")
    assert row["bewijsniveau"] == "gemetenMetControlegroep" and row["bewijsniveauUit"] == "verzoek"
    assert row["factor"] == 1.0 and row["gecorrigeerd"] == row["waarde"] == 83400.0
    other = next(r for r in answer["correcties"] if r["invoerNaam"] == "overigeKostenPerFte")
    assert other["bewijsniveauUit"] == "werkboek"
    assert other["factor"] == pytest.approx(1 + UPLIFT["literatuur"])


def test_without_benefit_reductions_effects_stay_and_the_answer_says_why(
    client: FlaskClient,
) -> None:
    answer = client.post(url("mkba-1gezin1plan"), json={}).get_json()
    effects = [r for r in answer["correcties"] if r["soort"] == "effect"]
    assert effects and all(r["factor"] == 1.0 and r["percentage"] is None for r in effects)
    assert any(
        "No generic published percentage for reducing benefits" in m for m in answer["meldingen"]
    )


def test_a_hand_calculation_of_a_linear_cost(client: FlaskClient) -> None:
    """Wijkteams: with only the transition costs graded (expert guess, +41%) and the rest
    at the strongest grade, the one-off transition cost line rises by exactly 41%: it is
    fte x EUR 3.000 a fte, once (docs/model-mkba-sociale-wijkteams.md, "Frictiekosten
    (eenmalig)"), linear in the EUR per fte, so the corrected line is 1.41 x the old one."""
    model_id = "mkba-sociale-wijkteams"
    grades = {n: "gemetenMetControlegroep" for n in declarations(model_id)}
    grades["frictiekostenPerFte"] = "expertschatting"
    answer = client.post(url(model_id), json={"bewijsniveaus": grades}).get_json()
    line = next(v for g in answer["uitvoer"].values() for k, v in g.items() if k == "kFrictie")
    assert line["gecorrigeerd"] == pytest.approx(1.41 * line["ongecorrigeerd"], rel=1e-12)


def test_the_graded_spreads_run_in_the_monte_carlo(client: FlaskClient) -> None:
    for model_id in MODELS:
        answer = client.post(url(model_id), json={}).get_json()
        spreads = answer["kansverdelingen"]
        assert spreads
        for d in spreads:
            assert d["min"] <= d["modus"] <= d["max"]
        mc = client.post(
            f"/v1/modellen/{model_id}/onzekerheidsanalyses",
            json={"kansverdelingen": spreads, "trekkingen": 2000, "seed": 3},
        )
        assert mc.status_code == 200, mc.get_json()


def test_every_field_error_at_once(client: FlaskClient) -> None:
    body = {
        "invoer": {"fteAanpak": -1, "onbekend": 1},
        "bewijsniveaus": {"fteAanpak": "literatuur", "kostenPerFte": "slecht"},
        "referentieklasse": "kasteel",
        "batenCorrecties": {"expertschatting": 2, "gok": 0.1},
        "kostenOpslagen": {"literatuur": "1"},
        "extra": True,
    }
    r = client.post(url("mkba-1gezin1plan"), json=body)
    assert r.status_code == 400 and r.mimetype == "application/problem+json"
    names = {p["name"] for p in r.get_json()["invalidParams"]}
    assert names == {
        "invoer.fteAanpak",
        "invoer.onbekend",
        "bewijsniveaus.fteAanpak",
        "bewijsniveaus.kostenPerFte",
        "referentieklasse",
        "batenCorrecties.expertschatting",
        "batenCorrecties.gok",
        "kostenOpslagen.literatuur",
        "extra",
    }


@pytest.mark.parametrize(
    "body",
    [
        [],
        "x",
        3,
        {"bewijsniveaus": []},
        {"batenCorrecties": 1},
        {"referentieklasse": None},
        {"invoer": None},
        {"kostenOpslagen": None},
    ],
)
def test_bodies_of_the_wrong_shape_are_400(client: FlaskClient, body: Any) -> None:
    r = client.post(url("mkba-sociale-wijkteams"), json=body)
    assert r.status_code == 400 and r.get_json()["invalidParams"]


def test_the_grades_table_cites_its_sources(client: FlaskClient) -> None:
    data = client.get("/v1/bewijsniveaus").get_json()
    assert [g["id"] for g in data["bewijsniveaus"]] == list(UPLIFT)
    outsourcing = next(c for c in data["referentieklassen"] if c["id"] == "outsourcing")
    assert (outsourcing["bovengrens"], outsourcing["ondergrens"]) == (UPPER, LOWER)
    assert "Mott MacDonald" in outsourcing["bron"]["titel"] and outsourcing["bron"]["url"]
    assert data["baten"]["gepubliceerd"] is False
    assert all(s["url"].startswith("https://") for s in data["bronnen"])


@pytest.mark.parametrize("model_id", MODELS)
def test_the_monte_carlo_option_draws_the_graded_inputs(client: FlaskClient, model_id: str) -> None:
    """`bewijsSpreiding: true` draws every graded input the request leaves out, as the
    correction's `kansverdelingen` describe them; a distribution the request gives wins."""
    mc = f"/v1/modellen/{model_id}/onzekerheidsanalyses"
    spreads = client.post(url(model_id), json={}).get_json()["kansverdelingen"]
    run = {"trekkingen": 3000, "seed": 11}
    option = client.post(mc, json={"kansverdelingen": [], "bewijsSpreiding": True, **run})
    explicit = client.post(mc, json={"kansverdelingen": spreads, **run})
    assert option.status_code == explicit.status_code == 200
    a, b = option.get_json(), explicit.get_json()
    assert {d["invoerNaam"] for d in a["kansverdelingen"]} == {d["invoerNaam"] for d in spreads}
    assert a["kern"] == b["kern"] and a["uitvoer"] == b["uitvoer"]
    first = dict(spreads[0], min=spreads[0]["modus"], max=spreads[0]["modus"])
    pinned = client.post(mc, json={"kansverdelingen": [first], "bewijsSpreiding": True, **run})
    drawn = {d["invoerNaam"]: d for d in pinned.get_json()["kansverdelingen"]}
    assert drawn[first["invoerNaam"]]["min"] == drawn[first["invoerNaam"]]["max"]
    assert drawn.keys() == {d["invoerNaam"] for d in spreads}
    bad = client.post(mc, json={"kansverdelingen": [], "bewijsSpreiding": "ja"})
    assert bad.status_code == 400
    assert bad.get_json()["invalidParams"] == [
        {"name": "bewijsSpreiding", "reason": "Must be true or false."}
    ]


@pytest.mark.skipif(not engine_available("libreoffice"), reason="LibreOffice not installed")
def test_request_deflators_are_libreoffices_on_the_deflated_effect(
    client: FlaskClient, documents: dict[str, Any]
) -> None:
    """Deadweight 25% and attribution 20% on one effect (SROI Guide 2012, stage 4: impact
    = outcome x (1 - deadweight) x (1 - attribution)) scale it by 0.75 x 0.8 = 0.6; every
    cost at the strongest grade (outsourcing's lower bound, 0%) keeps the costs as they
    are, so LibreOffice recalculates the workbook with that effect at 0.6 x its default."""
    model_id, effect = "mkba-sociale-wijkteams", "succesWerk"
    grades = {n: "gemetenMetControlegroep" for n in declarations(model_id)}
    body = {
        "bewijsniveaus": grades,
        "deflatoren": {effect: {"deadweight": 0.25, "attributie": 0.2}},
    }
    answer = client.post(url(model_id), json=body).get_json()
    cell, _role, _grade, default = declarations(model_id)[effect]
    assert answer["gecorrigeerdeInvoer"][effect] == pytest.approx(default * 0.75 * 0.8)
    assert [(d["deflator"], d["factor"], d["uit"]) for d in answer["deflatoren"]] == [
        ("deadweight", 0.75, "verzoek"),
        ("attributie", 0.8, "verzoek"),
    ]
    doc = documents[model_id]
    saldo = {o["naam"]: o["cel"] for o in doc["uitvoer"]}[doc["rollen"]["saldo"]]
    lo = run_libreoffice(SPEC / f"{model_id}.xlsx", [saldo], [{cell: default * 0.6}])[0]
    assert math.isclose(answer["saldo"]["gecorrigeerd"], lo[saldo], rel_tol=1e-9, abs_tol=1e-6)
    assert answer["gedefleerdSaldo"] == answer["saldo"]["gecorrigeerd"]
    assert answer["deflatoren"][-1]["saldo"] == answer["gedefleerdSaldo"]
    assert any("Social Return on Investment" in b["titel"] for b in answer["bronnen"])


def test_a_drop_off_counts_from_the_effects_first_year(client: FlaskClient) -> None:
    """A drop-off of 10% a year on a model with yearly series: its factor lies below 1,
    it counts from a year of the series, and it lowers the saldo."""
    model_id = "mkba-sociale-wijkteams"
    body = {"deflatoren": {"succesWerk": {"afnamePerJaar": 0.1}}, "kostenOpslagen": {}}
    answer = client.post(url(model_id), json=body).get_json()
    (step,) = answer["deflatoren"]
    years = client.get(f"/v1/modellen/{model_id}").get_json()["rollen"]["tijdreeksen"]
    assert 0 < step["factor"] < 1 and step["vanafJaar"] in years
    assert answer["gedefleerdSaldo"] < answer["saldo"]["ongecorrigeerd"]


def test_every_deflator_error_at_once(client: FlaskClient) -> None:
    body = {
        "deflatoren": {
            "kostenPerFte": {"deadweight": 0.1},
            "succesWerk": {"deadweight": 1, "attributie": "0.2", "uitval": 0.1},
        }
    }
    r = client.post(url("mkba-sociale-wijkteams"), json=body)
    assert r.status_code == 400 and r.mimetype == "application/problem+json"
    names = {p["name"] for p in r.get_json()["invalidParams"]}
    assert names == {
        "deflatoren.kostenPerFte",
        "deflatoren.succesWerk.deadweight",
        "deflatoren.succesWerk.attributie",
        "deflatoren.succesWerk.uitval",
    }
