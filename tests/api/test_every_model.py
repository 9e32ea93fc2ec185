"""Every model in formulas_spec/, served together, answers every endpoint without a 5xx.

Each endpoint is called for each model with an empty body and with a valid one built from
the model's own interface document (its inputs, outputs and roles), so that a workbook
dropped into formulas_spec/ is tested without a line of test code naming it. Every
answer is also checked against openapi.yaml by the client (tests/api/support.py).
A model without roles answers a request that needs one with a problem naming the role.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import openpyxl
import pytest
from flask import Flask
from flask.testing import FlaskClient

from service.compiler import compile_workbook
from tests.api.support import ROOT, make_app
from tests.compiler.make_workbooks import group_row

MODEL_IDS = sorted(
    p.stem for p in (ROOT / "formulas_spec").glob("*.xlsx") if not p.name.startswith("~$")
)
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _document(client: FlaskClient, model_id: str) -> dict[str, Any]:
    response = client.get(f"/v1/modellen/{model_id}")
    assert response.status_code == 200
    return response.get_json()


def _numeric_input(doc: dict[str, Any]) -> dict[str, Any]:
    """An input with both bounds apart: the one a valid analysis request varies."""
    for item in doc["invoer"]:
        lo, hi = item["minimum"], item["maximum"]
        if item["type"] != "yesno" and lo is not None and hi is not None and lo < hi:
            return item
    pytest.skip("the model has no bounded numeric input to vary")


def _numeric_output(doc: dict[str, Any]) -> str:
    """The saldo role, else the first output that is not yes/no."""
    if doc["rollen"]["saldo"]:
        return doc["rollen"]["saldo"]
    return next(o["naam"] for o in doc["uitvoer"] if o["type"] != "yesno")


def _valid_bodies(doc: dict[str, Any]) -> dict[str, Any]:
    """A valid body per POST endpoint (path below the model -> JSON body)."""
    x = _numeric_input(doc)
    out = _numeric_output(doc)
    lo, hi = x["minimum"], x["maximum"]
    scenario = {"invoer": {x["naam"]: (lo + hi) / 2}}
    bodies: dict[str, Any] = {
        "berekeningen": scenario,
        "batch-berekeningen": {"scenarios": [{"id": "a", **scenario}, {"id": "b", "invoer": {}}]},
        "gevoeligheidsanalyses": {"invoerNamen": [x["naam"]], "uitvoerNamen": [out]},
        "omslagwaarden": {"invoerNaam": x["naam"], "uitvoerNaam": out},
        "onzekerheidsanalyses": {
            "kansverdelingen": [{"invoerNaam": x["naam"], "type": "uniform", "min": lo, "max": hi}],
            "trekkingen": 200,
            "uitvoerNamen": [out],
        },
        "verklaringen": {"uitvoerNaam": out, "diepte": 2},
        "verdelingen": scenario,
        "grafieken/kosten-baten": scenario,
        "grafieken/tornado": {"invoerNamen": [x["naam"]], "uitvoerNamen": [out]},
        "tijdreeksen": {**scenario, "jaren": 1},
        "grafieken/cumulatief-saldo": scenario,
    }
    if doc["effectdomeinen"]:
        bodies["effectmetingen"] = {
            "domein": doc["effectdomeinen"][0]["domein"],
            "interventiegroep": {"huishoudens": 200, "successen": 100},
            "controlegroep": {"huishoudens": 200, "successen": 100},
        }
    return bodies


POSTS = [
    "berekeningen",
    "batch-berekeningen",
    "gevoeligheidsanalyses",
    "omslagwaarden",
    "onzekerheidsanalyses",
    "effectmetingen",
    "verklaringen",
    "verdelingen",
    "grafieken/kosten-baten",
    "grafieken/tornado",
    "tijdreeksen",
    "grafieken/cumulatief-saldo",
]


def _expected(doc: dict[str, Any], path: str) -> int:
    """The status a valid body must get: 404 where the model lacks the resource's role."""
    if path == "verdelingen" and not doc["actoren"]:
        return 404
    roles = doc["rollen"]
    if path in ("tijdreeksen", "grafieken/cumulatief-saldo") and roles["tijdreeksen"] is None:
        return 404
    no_bars = not (roles["batenStaven"] or roles["kostenStaven"] or roles["saldo"])
    if path == "grafieken/kosten-baten" and no_bars:
        return 404
    return 200


def test_formulas_spec_holds_models():
    assert MODEL_IDS, "formulas_spec/ has no workbook"


@pytest.mark.parametrize("model_id", MODEL_IDS)
def test_listed_and_described(client: FlaskClient, model_id: str):
    listed = {m["id"]: m for m in client.get("/v1/modellen").get_json()["modellen"]}
    assert model_id in listed
    doc = _document(client, model_id)
    names = {o["naam"] for o in doc["uitvoer"]}
    roles = doc["rollen"]
    for name in [roles["saldo"], roles["totaalKosten"], roles["totaalBaten"]]:
        assert name is None or name in names
    for name in [*roles["batenStaven"], *roles["kostenStaven"], *roles["kerncijfers"]]:
        assert name in names
    groups = {g["naam"] for g in doc["groepen"]}
    assert {i["groep"] for i in [*doc["invoer"], *doc["uitvoer"]]} <= groups
    for actor in doc["actoren"]:
        assert {actor["kosten"], actor["baten"], actor["saldo"]} - {None} <= names
    inputs = {i["naam"] for i in doc["invoer"]}
    assert {d["invoerNaam"] for d in doc["effectdomeinen"]} <= inputs


def test_at_most_one_cockpit_default(client: FlaskClient):
    listed = client.get("/v1/modellen").get_json()["modellen"]
    assert sum(m["cockpitStandaard"] for m in listed) <= 1


@pytest.mark.parametrize("model_id", MODEL_IDS)
@pytest.mark.parametrize("path", POSTS)
def test_empty_body_is_no_server_error(client: FlaskClient, model_id: str, path: str):
    for body in ({}, None):
        response = client.post(f"/v1/modellen/{model_id}/{path}", json=body)
        assert response.status_code < 500, response.data
        if response.status_code >= 400:
            assert response.mimetype == "application/problem+json"


@pytest.mark.parametrize("model_id", MODEL_IDS)
@pytest.mark.parametrize("path", POSTS)
def test_valid_body_is_answered(client: FlaskClient, model_id: str, path: str):
    doc = _document(client, model_id)
    bodies = _valid_bodies(doc)
    if path not in bodies:
        response = client.post(f"/v1/modellen/{model_id}/{path}", json={"domein": "none"})
        assert response.status_code == 400  # a model without effect domains: unknown domain
        return
    response = client.post(f"/v1/modellen/{model_id}/{path}", json=bodies[path])
    assert response.status_code == _expected(doc, path), response.data
    if response.status_code == 404:
        problem = response.get_json()
        assert problem["code"] == "missingRole"


@pytest.mark.parametrize("model_id", MODEL_IDS)
def test_the_gets_answer(client: FlaskClient, model_id: str):
    for path in ("", "/effectdomeinen"):
        assert client.get(f"/v1/modellen/{model_id}{path}").status_code == 200


@pytest.mark.parametrize("model_id", MODEL_IDS)
def test_the_defaults_need_no_field(client: FlaskClient, model_id: str):
    """A tornado, switching value and Monte Carlo without output names use the saldo role;
    without one, the problem names the role, never a field the client did not send."""
    doc = _document(client, model_id)
    x = _numeric_input(doc)
    lo, hi = x["minimum"], x["maximum"]
    bodies = {
        "gevoeligheidsanalyses": {},
        "omslagwaarden": {"invoerNaam": x["naam"]},
        "onzekerheidsanalyses": {
            "kansverdelingen": [{"invoerNaam": x["naam"], "type": "uniform", "min": lo, "max": hi}],
            "trekkingen": 100,
        },
    }
    for path, body in bodies.items():
        response = client.post(f"/v1/modellen/{model_id}/{path}", json=body)
        if doc["rollen"]["saldo"]:
            assert response.status_code == 200, response.data
        else:
            problem = response.get_json()
            assert response.status_code == 400 and problem["code"] == "missingRole"
            assert "saldo" in problem["detail"] and "invalidParams" not in problem


@pytest.mark.parametrize("model_id", MODEL_IDS)
def test_export_and_audit_of_the_export(client: FlaskClient, model_id: str):
    doc = _document(client, model_id)
    x = _numeric_input(doc)
    body = {"invoer": {x["naam"]: (x["minimum"] + x["maximum"]) / 2}}
    exported = client.post(
        f"/v1/modellen/{model_id}/berekeningen", json=body, headers={"Accept": XLSX}
    )
    assert exported.status_code == 200, exported.data
    empty = client.post(f"/v1/modellen/{model_id}/audits", data=b"", headers={"Content-Type": XLSX})
    assert 400 <= empty.status_code < 500
    audit = client.post(
        f"/v1/modellen/{model_id}/audits", data=exported.data, headers={"Content-Type": XLSX}
    )
    assert audit.status_code == 200, audit.data
    assert audit.get_json()["rapport"]["modelIntact"] is True


# --------------------------------------------------------------- a model without roles


def _bare_workbook(path: Path) -> None:
    """Inputs and outputs (one a text), no role columns, no actors, no effect domains,
    no saldo."""
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "Reken"
    ws["A1"], ws["A2"], ws["A3"] = 10, "=A1*2", '=IF(A1>50,"hoog","laag")'
    itf = wb.create_sheet("Interface")
    itf.append(
        ["kind", "name", "labelNl", "labelEn", "unit", "type", "min", "max", "group", "cell"]
    )
    itf.append(["model", "title", "Kaal model"])
    itf.append(group_row("g")[:10])
    itf.append(["input", "x", "x", "x", "", "number", 0, 100, "g", "Reken!A1"])
    itf.append(["output", "y", "y", "y", "", "number", None, None, "g", "Reken!A2"])
    itf.append(["output", "oordeel", "oordeel", "verdict", "", "text", None, None, "g", "Reken!A3"])
    wb.save(path)


@pytest.fixture(scope="module")
def bare_client(spec: dict[str, Any], tmp_path_factory: pytest.TempPathFactory) -> FlaskClient:
    folder = tmp_path_factory.mktemp("bare")
    _bare_workbook(folder / "kaal.xlsx")
    (folder / "compiled").mkdir()
    compile_workbook(folder / "kaal.xlsx").write(folder / "compiled" / "kaal.py")
    app: Flask = make_app(spec, MODELS_DIR=folder)
    return app.test_client()


def test_a_model_without_roles_names_the_missing_role(bare_client: FlaskClient):
    base = "/v1/modellen/kaal"
    doc = bare_client.get(base).get_json()
    assert doc["actoren"] == [] and doc["rollen"]["saldo"] is None
    assert doc["cockpitStandaard"] is False
    ledger = bare_client.post(f"{base}/verdelingen", json={})
    assert ledger.status_code == 404 and "actor" in ledger.get_json()["detail"]
    chart = bare_client.post(f"{base}/grafieken/kosten-baten", json={})
    assert chart.status_code == 404 and chart.get_json()["code"] == "missingRole"
    tornado = bare_client.post(f"{base}/gevoeligheidsanalyses", json={})
    problem = tornado.get_json()
    assert tornado.status_code == 400 and problem["code"] == "missingRole"
    assert "saldo" in problem["detail"] and "uitvoerNamen" in problem["detail"]
    switching = bare_client.post(f"{base}/omslagwaarden", json={"invoerNaam": "x"})
    assert switching.status_code == 400 and "uitvoerNaam" in switching.get_json()["detail"]
    named = bare_client.post(f"{base}/gevoeligheidsanalyses", json={"uitvoerNamen": ["y"]})
    assert named.status_code == 200
    runs = bare_client.post(
        f"{base}/onzekerheidsanalyses",
        json={
            "kansverdelingen": [{"invoerNaam": "x", "type": "uniform", "min": 0, "max": 1}],
            "uitvoerNamen": ["y"],
            "trekkingen": 50,
        },
    )
    assert runs.status_code == 200 and runs.get_json()["verdeling"] is None
    assert doc["rollen"]["tijdreeksen"] is None
    for path in ("tijdreeksen", "grafieken/cumulatief-saldo"):
        series = bare_client.post(f"{base}/{path}", json={"jaren": 2})
        problem = series.get_json()
        assert series.status_code == 404 and problem["code"] == "missingRole"
        assert "costSeries" in problem["detail"]


def test_a_tornado_chart_of_a_text_output_is_refused(bare_client: FlaskClient):
    body = {"invoerNamen": ["x"], "uitvoerNamen": ["y", "oordeel"], "sorteerOp": "oordeel"}
    table = bare_client.post("/v1/modellen/kaal/gevoeligheidsanalyses", json=body)
    assert table.status_code == 200  # the table holds a text's low and high as they are
    chart = bare_client.post("/v1/modellen/kaal/grafieken/tornado", json=body)
    problem = chart.get_json()
    assert chart.status_code == 400 and problem["code"] == "invalidInput"
    assert problem["invalidParams"] == [
        {"name": "sorteerOp", "reason": "Has no numeric base value."}
    ]


def test_a_switching_value_of_a_text_output_is_refused(bare_client: FlaskClient):
    body = {"invoerNaam": "x", "uitvoerNaam": "oordeel"}
    response = bare_client.post("/v1/modellen/kaal/omslagwaarden", json=body)
    problem = response.get_json()
    assert response.status_code == 400 and problem["invalidParams"] == [
        {"name": "uitvoerNaam", "reason": "Output 'oordeel' is a text, not a number."}
    ]


def test_the_contract_of_a_model_offers_only_what_it_can_take(bare_client: FlaskClient):
    schemas = bare_client.get("/v1/modellen/kaal/openapi.json").get_json()["components"]["schemas"]
    assert schemas["NumeriekeUitvoerNaam"]["enum"] == ["y"]  # not the text `oordeel`
    assert schemas["OmslagwaardeVerzoek"]["properties"]["uitvoerNaam"] == {
        "$ref": "#/components/schemas/NumeriekeUitvoerNaam"
    }
    # no discountRate role, so no norm (the service answers one with a 400)
    assert "norm" not in schemas["BerekeningVerzoek"]["properties"]
    assert "norm" not in schemas["VergelijkingVariant"]["properties"]
    answer = bare_client.post("/v1/modellen/kaal/berekeningen", json={"norm": "2021"})
    assert answer.status_code == 400
