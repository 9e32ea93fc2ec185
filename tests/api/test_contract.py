"""Each served model's contract (GET /v1/modellen/{modelId}/openapi.json and .yaml): a valid
OpenAPI document, exact for that model, and the model's own answers conform to it.

The contract is built by the service (service/api/contract.py); the oracles here are the
model's interface as `GET /modellen/{modelId}` publishes it and its real answers,
validated with openapi-core against the contract.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
from pathlib import Path
from typing import Any

import pytest
import yaml
from flask import Flask
from openapi_core import Config, OpenAPI
from openapi_core.contrib.werkzeug import WerkzeugOpenAPIResponse
from openapi_schema_validator import OAS30Validator
from openapi_spec_validator import validate

from tests.api.support import ROOT, _RequestWithoutBody


def _model_ids(app: Flask) -> list[str]:
    return [m["id"] for m in app.test_client().get("/v1/modellen").get_json()["modellen"]]


@pytest.fixture(scope="module")
def contracts(app: Flask) -> dict[str, dict[str, Any]]:
    out = {}
    for model_id in _model_ids(app):
        response = app.test_client().get(f"/v1/modellen/{model_id}/openapi.json")
        assert response.status_code == 200
        assert response.mimetype == "application/json"
        out[model_id] = response.get_json()
    assert len(out) >= 2, "formulas_spec/ serves at least two models"
    return out


def test_every_contract_is_valid_openapi(contracts: dict[str, dict[str, Any]]) -> None:
    for doc in contracts.values():
        validate(doc)


def test_yaml_is_the_same_document(client, contracts: dict[str, dict[str, Any]]) -> None:
    for model_id, doc in contracts.items():
        response = client.get(f"/v1/modellen/{model_id}/openapi.yaml")
        assert response.status_code == 200
        assert response.mimetype == "application/yaml"
        assert yaml.safe_load(response.data) == doc


def test_unknown_model_has_no_contract(client) -> None:
    for suffix in ("json", "yaml"):
        response = client.get(f"/v1/modellen/bestaat-niet/openapi.{suffix}")
        assert response.status_code == 404
        assert response.get_json()["code"] == "unknownModel"


def test_contract_keeps_the_operations_of_one_model(
    spec: dict[str, Any], contracts: dict[str, dict[str, Any]]
) -> None:
    for doc in contracts.values():
        # all but the list of every model, which would name other models' ids
        assert doc["paths"].keys() == spec["paths"].keys() - {"/modellen"}
        assert doc["info"]["version"] == spec["info"]["version"]


def test_inputs_are_exact(client, contracts: dict[str, dict[str, Any]]) -> None:
    for model_id, doc in contracts.items():
        interface = client.get(f"/v1/modellen/{model_id}").get_json()
        invoer = doc["components"]["schemas"]["Invoer"]
        assert invoer["additionalProperties"] is False
        assert list(invoer["properties"]) == [i["naam"] for i in interface["invoer"]]
        for item in interface["invoer"]:
            prop = invoer["properties"][item["naam"]]
            assert prop["type"] == ("boolean" if item["type"] == "yesno" else "number")
            assert prop["default"] == item["standaardwaarde"]
            assert prop.get("minimum") == item["minimum"]
            assert prop.get("maximum") == item["maximum"]
            assert f"Unit: {item['eenheid'] or '-'};" in prop["description"]
            assert item["labelEn"] in prop["description"]
        path_param = doc["components"]["parameters"]["modelId"]["schema"]
        assert path_param == {"$ref": "#/components/schemas/ModelId"}
        assert doc["components"]["schemas"]["ModelId"]["enum"] == [model_id]


def test_outputs_and_roles_are_exact(client, contracts: dict[str, dict[str, Any]]) -> None:
    for model_id, doc in contracts.items():
        interface = client.get(f"/v1/modellen/{model_id}").get_json()
        uitvoer = doc["components"]["schemas"]["Uitvoer"]
        groups: dict[str, list[str]] = {}
        for item in interface["uitvoer"]:
            groups.setdefault(item["groep"], []).append(item["naam"])
        assert uitvoer["required"] == list(groups)
        for group, names in groups.items():
            assert uitvoer["properties"][group]["required"] == names
            assert list(uitvoer["properties"][group]["properties"]) == names
        names = doc["components"]["schemas"]["UitvoerNaam"]["enum"]
        assert names == [item["naam"] for item in interface["uitvoer"]]
        rollen = doc["components"]["schemas"]["Rollen"]
        validator = OAS30Validator({**rollen, "components": doc["components"]})
        validator.validate(interface["rollen"])
        # a different saldo would break the contract: the roles are pinned, not described
        if interface["rollen"]["saldo"] is not None:
            other = [n for n in names if n != interface["rollen"]["saldo"]][0]
            assert not validator.is_valid({**interface["rollen"], "saldo": other})
        if interface["rollen"]["saldo"] is not None:
            saldo = interface["rollen"]["saldo"]
            group = next(i["groep"] for i in interface["uitvoer"] if i["naam"] == saldo)
            assert (
                "roles: saldo" in uitvoer["properties"][group]["properties"][saldo]["description"]
            )


def _exact_openapi(doc: dict[str, Any]) -> OpenAPI:
    config = Config(extra_media_type_deserializers={"application/problem+json": json.loads})
    return OpenAPI.from_dict(doc, config=config)


def test_answers_conform_to_the_contract(app: Flask, contracts: dict[str, dict[str, Any]]) -> None:
    """Requests and answers of the model's main operations, checked against its contract;
    and a request the generic document allows but the contract does not is refused by both
    the contract and the server."""
    client = app.test_client()
    for model_id, doc in contracts.items():
        openapi = _exact_openapi(doc)
        base = f"/v1/modellen/{model_id}"
        batch = {"scenarios": [{"id": "a"}, {"id": "b", "invoer": {}}]}
        for method, path, body in [
            ("get", base, None),
            ("post", f"{base}/berekeningen", {}),
            ("post", f"{base}/batch-berekeningen", batch),
            ("get", f"{base}/effectdomeinen", None),
        ]:
            response = getattr(client, method)(path, json=body)
            assert response.status_code == 200, response.data
            request = _RequestWithoutBody(response.request)
            openapi.validate_response(request, WerkzeugOpenAPIResponse(response))
        invoer = doc["components"]["schemas"]["Invoer"]
        validator = OAS30Validator({**invoer, "components": doc["components"]})
        assert not validator.is_valid({"bestaatNiet": 1})
        response = client.post(f"{base}/berekeningen", json={"invoer": {"bestaatNiet": 1}})
        assert response.status_code == 400


def test_spectral_adr_ruleset_passes_on_every_contract(
    contracts: dict[str, dict[str, Any]], tmp_path: Path
) -> None:
    """The Dutch API Design Rules' Spectral ruleset, zero errors (as make lint-openapi)."""
    spectral = ROOT / ".venv/spectral/node_modules/.bin/spectral"
    ruleset = Path(os.environ.get("ADR_RULESET", ROOT / "tools/spectral/adr-ruleset.yaml"))
    if not spectral.exists() or not ruleset.exists() or shutil.which("node") is None:
        pytest.skip("Spectral (make lint-openapi installs it) or the ADR ruleset is missing")
    files = []
    for model_id, doc in contracts.items():
        path = tmp_path / f"{model_id}.openapi.json"
        path.write_text(json.dumps(doc), encoding="utf-8")
        files.append(str(path))
    result = subprocess.run(
        [str(spectral), "lint", "--fail-severity=error", "-r", str(ruleset), *files],
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert result.returncode == 0, result.stdout + result.stderr


def test_every_served_version_has_its_own_valid_contract(client) -> None:
    for model in client.get("/v1/modellen").get_json()["modellen"]:
        base = f"/v1/modellen/{model['id']}"
        for entry in client.get(f"{base}/versies").get_json()["versies"]:
            version = entry["versie"]
            doc = client.get(f"{base}/versies/{version}/openapi.json").get_json()
            validate(doc)
            interface = client.get(f"{base}/versies/{version}").get_json()
            schemas = doc["components"]["schemas"]
            assert list(schemas["Invoer"]["properties"]) == [i["naam"] for i in interface["invoer"]]
            defaults = {n: p["default"] for n, p in schemas["Invoer"]["properties"].items()}
            assert defaults == {i["naam"]: i["standaardwaarde"] for i in interface["invoer"]}
            assert schemas["ModelVersie"]["enum"] == [version]
            assert schemas["HerberekeningVerzoek"]["properties"]["werkboekSha256"]["enum"] == [
                entry["werkboekSha256"]
            ]
            assert "/modellen/{modelId}/versies/{versie}/berekeningen" in doc["paths"]
            assert "/modellen/{modelId}/berekeningen" not in doc["paths"]  # the current one's
