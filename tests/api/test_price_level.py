"""POST .../berekeningen with `prijspeil`: money outputs in another price year with the CBS
consumer price index (issue 15, part 4), held to a hand calculation with the index
figures typed from the CBS table, and the table's transcription held to CBS's own
published yearly changes.
"""

from __future__ import annotations

from typing import Any

import openpyxl
import pytest
from flask import Flask
from flask.testing import FlaskClient

from service.analysis import prices
from service.compiler import compile_workbook
from tests.api.support import make_app
from tests.compiler.make_workbooks import group_row

URL = "/v1/modellen/{}/berekeningen"
# CBS StatLine 71905ned, Consumentenprijzen; prijsindex 1900 = 100, column "Jaarmutatie
# CPI (%)" as CBS publishes it beside the index (rounded to 0,1): a separate column, so
# the index as stored must give it back.
PUBLISHED_CHANGE = {
    2001: 4.6, 2002: 3.4, 2003: 2.1, 2004: 1.2, 2005: 1.7, 2006: 1.1, 2007: 1.6,
    2008: 2.5, 2009: 1.2, 2010: 1.3, 2011: 2.3, 2012: 2.5, 2013: 2.5, 2014: 1.0,
    2015: 0.6, 2016: 0.3, 2017: 1.4, 2018: 1.7, 2019: 2.6,
}  # fmt: skip
# CBS StatLine 71311ned, Consumentenprijzen; prijsindex 2006 = 100, Totaal bestedingen 2015
CPI_2015_ON_2006 = 116.58
# 71905ned: CPI 2010 = 2.554,8 and 2019 = 2.962,7 (1900 = 100)
FACTOR_2010_TO_2019 = 2962.7 / 2554.8


def test_the_stored_index_gives_cbs_published_changes() -> None:
    for year, change in PUBLISHED_CHANGE.items():
        ours = (prices.index(year) / prices.index(year - 1) - 1) * 100
        assert round(ours, 1) == change, year
    assert round(100 * prices.factor(2006, 2015), 2) == CPI_2015_ON_2006
    source = prices.table()["source"]
    assert "71905ned" in source["url"] and source["date"]


def test_money_outputs_in_the_price_year_by_hand(client: FlaskClient) -> None:
    """The first model in euros of 2019, its amounts being of 2010 (docs/key-figures.md:
    the key figures' price year): every euro output times 2962,7 / 2554,8; counts and
    fractions stay."""
    model_id = "mkba-1gezin1plan"
    plain = client.post(URL.format(model_id), json={}).get_json()
    r = client.post(
        URL.format(model_id), json={"prijspeil": {"prijsjaar": 2019, "prijsjaarModel": 2010}}
    )
    assert r.status_code == 200, r.get_json()
    answer = r.get_json()
    doc = client.get(f"/v1/modellen/{model_id}").get_json()
    types = {o["naam"]: o["type"] for o in doc["uitvoer"]}
    level = answer["prijspeil"]
    assert (level["prijsjaar"], level["prijsjaarModel"], level["prijsjaarModelUit"]) == (
        2019,
        2010,
        "verzoek",
    )
    assert level["factor"] == pytest.approx(FACTOR_2010_TO_2019, rel=1e-15)
    assert "71905ned" in level["index"]["bron"]["url"]
    converted = set(level["omgerekendeUitvoer"])
    for group, outputs in plain["uitvoer"].items():
        for name, value in outputs.items():
            new = answer["uitvoer"][group][name]
            if types[name] == "euro" and isinstance(value, float):
                assert name in converted
                assert new == pytest.approx(value * FACTOR_2010_TO_2019, rel=1e-14), name
            else:
                assert name not in converted and new == value, name
    assert converted, "the model has money outputs"
    assert answer["invoer"] == plain["invoer"]  # inputs stay in the model's prices


def test_the_same_year_changes_nothing(client: FlaskClient) -> None:
    model_id = "mkba-sociale-wijkteams"
    plain = client.post(URL.format(model_id), json={}).get_json()
    same = client.post(
        URL.format(model_id), json={"prijspeil": {"prijsjaar": 2014, "prijsjaarModel": 2014}}
    )
    assert same.get_json()["uitvoer"] == plain["uitvoer"]


def test_every_price_field_error_at_once(client: FlaskClient) -> None:
    url = URL.format("mkba-1gezin1plan")
    body = {"prijspeil": {"prijsjaar": 1995, "prijsjaarModel": "2010", "x": 1}, "invoer": {"y": 1}}
    r = client.post(url, json=body)
    assert r.status_code == 400 and r.mimetype == "application/problem+json"
    names = {p["name"] for p in r.get_json()["invalidParams"]}
    assert names == {
        "prijspeil.prijsjaar",
        "prijspeil.prijsjaarModel",
        "prijspeil.x",
        "invoer.y",
    }
    r = client.post(url, json={"prijspeil": {"prijsjaar": 2019}})
    assert [p["name"] for p in r.get_json()["invalidParams"]] == ["prijspeil.prijsjaarModel"]
    r = client.post(url, json={"prijspeil": {"prijsjaarModel": 2010}})
    assert [p["name"] for p in r.get_json()["invalidParams"]] == ["prijspeil.prijsjaar"]
    for level in ({"prijsjaar": True, "prijsjaarModel": 2010}, {"prijsjaar": 2019.0}, None, 3):
        r = client.post(url, json={"prijspeil": level})
        assert r.status_code == 400, level


def test_a_workbook_answer_keeps_the_models_prices(client: FlaskClient) -> None:
    r = client.post(
        URL.format("mkba-1gezin1plan"),
        json={"prijspeil": {"prijsjaar": 2019, "prijsjaarModel": 2010}},
        headers={"Accept": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"},
    )
    assert r.status_code == 400
    assert r.get_json()["invalidParams"][0]["name"] == "prijspeil"


@pytest.fixture(scope="module")
def priced_client(spec: dict[str, Any], tmp_path_factory: pytest.TempPathFactory) -> FlaskClient:
    """A small model that declares its price year (a `model` row priceYear = 2010)."""
    folder = tmp_path_factory.mktemp("priced")
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "Reken"
    ws["A1"], ws["A2"], ws["A3"] = 1000, "=A1*2", "=A1/100"
    itf = wb.create_sheet("Interface")
    itf.append(
        ["kind", "name", "labelNl", "labelEn", "unit", "type", "min", "max", "group", "cell"]
    )
    itf.append(["model", "title", "Geprijsd model"])
    itf.append(["model", "priceYear", 2010])
    itf.append(group_row("g")[:10])
    itf.append(["input", "x", "x", "x", "EUR", "euro", 0, 10_000, "g", "Reken!A1"])
    itf.append(["output", "bedrag", "bedrag", "amount", "EUR", "euro", None, None, "g", "Reken!A2"])
    itf.append(["output", "aantal", "aantal", "count", "", "count", None, None, "g", "Reken!A3"])
    wb.save(folder / "geprijsd.xlsx")
    (folder / "compiled").mkdir()
    compile_workbook(folder / "geprijsd.xlsx").write(folder / "compiled" / "geprijsd.py")
    app: Flask = make_app(spec, MODELS_DIR=folder)
    return app.test_client()


def test_a_declared_price_year_is_used_and_not_asked(priced_client: FlaskClient) -> None:
    url = URL.format("geprijsd")
    answer = priced_client.post(url, json={"prijspeil": {"prijsjaar": 2019}}).get_json()
    assert answer["prijspeil"]["prijsjaarModel"] == 2010
    assert answer["prijspeil"]["prijsjaarModelUit"] == "werkboek"
    assert answer["uitvoer"]["g"]["bedrag"] == pytest.approx(2000 * FACTOR_2010_TO_2019)
    assert answer["uitvoer"]["g"]["aantal"] == 10.0  # a count is no money
    r = priced_client.post(url, json={"prijspeil": {"prijsjaar": 2019, "prijsjaarModel": 2015}})
    assert r.status_code == 400
    assert [p["name"] for p in r.get_json()["invalidParams"]] == ["prijspeil.prijsjaarModel"]
    contract = priced_client.get("/v1/modellen/geprijsd/openapi.json").get_json()
    level = contract["components"]["schemas"]["PrijspeilVerzoek"]
    assert list(level["properties"]) == ["prijsjaar"] and level["required"] == ["prijsjaar"]
