"""GET /v1/modellen and /v1/modellen/{modelId}: the models and their interfaces."""

from __future__ import annotations

from typing import Any

from tests.api.support import DEFAULT_MODEL


def test_list_of_models(client) -> None:
    response = client.get("/v1/modellen")
    assert response.status_code == 200
    models = {m["id"]: m for m in response.get_json()["modellen"]}
    assert DEFAULT_MODEL in models
    model = models[DEFAULT_MODEL]
    assert model["titel"] and model["versie"] and model["rekenkernVersie"]
    assert len(model["werkboekSha256"]) == 64


def test_interface_describes_every_input_and_output(interface: dict[str, Any]) -> None:
    assert interface["id"] == DEFAULT_MODEL
    assert interface["invoer"] and interface["uitvoer"]
    for item in interface["invoer"]:
        assert item["labelNl"] and item["groep"] and item["cel"]
        if item["type"] == "yesno":
            assert isinstance(item["standaardwaarde"], bool)
        else:
            assert isinstance(item["standaardwaarde"], float)
            if item["minimum"] is not None:
                assert item["minimum"] <= item["standaardwaarde"]
            if item["maximum"] is not None:
                assert item["standaardwaarde"] <= item["maximum"]
    for item in interface["uitvoer"]:
        assert item["labelNl"] and item["groep"] and item["cel"]
    names = [i["naam"] for i in interface["invoer"] + interface["uitvoer"]]
    assert len(names) == len(set(names))


def test_unknown_model_is_a_404_problem_naming_it(client) -> None:
    response = client.get("/v1/modellen/bestaat-niet")
    assert response.status_code == 404
    problem = response.get_json()
    assert problem["code"] == "unknownModel"
    assert "bestaat-niet" in problem["detail"]


def test_the_reference_model_publishes_its_roles(interface: dict[str, Any]) -> None:
    """The roles of the reference workbook's Interface sheet (tools/build_workbook.py)."""
    roles = interface["rollen"]
    assert (roles["saldo"], roles["totaalKosten"], roles["totaalBaten"]) == (
        "mkbaSaldo",
        "totaleKosten",
        "totaleBaten",
    )
    assert roles["batenStaven"] == ["batenKorteTermijn", "batenLangeTermijn", "immaterieleBaten"]
    assert roles["kostenStaven"] == ["totaleKosten"]
    knobs = [g["naam"] for g in interface["groepen"] if g["knoppen"]]
    assert knobs == ["preventie", "integraal", "nazorg", "overig"]
    assert len(interface["actoren"]) == 10 and interface["actoren"][0]["saldo"] == "gemeenteSaldo"
    assert [d["domein"] for d in interface["effectdomeinen"]][:2] == [
        "debtCounselling",
        "reintegration",
    ]
    assert interface["cockpitStandaard"] is True
