"""POST /v1/modellen/{modelId}/berekeningen: one scenario."""

from __future__ import annotations

import hashlib
import json
from typing import Any

import pytest

from service.api.model_api import ModelAPI
from service.api.registry import registry
from service.engine import ExcelError
from tests.api.support import CALC


def test_empty_request_calculates_the_defaults(client, interface, default_result) -> None:
    defaults = {i["naam"]: i["standaardwaarde"] for i in interface["invoer"]}
    assert default_result["invoer"] == defaults
    assert default_result["modelId"] == interface["id"]
    assert default_result["modelVersie"] == interface["versie"]
    assert default_result["werkboekSha256"] == interface["werkboekSha256"]
    for body in ({}, {"invoer": {}}):
        again = client.post(CALC, json=body).get_json()
        assert again["uitvoer"] == default_result["uitvoer"]
        assert again["invoerHash"] == default_result["invoerHash"]


def test_every_output_comes_back_grouped_as_the_interface_groups_it(
    interface, default_result
) -> None:
    expected: dict[str, list[str]] = {}
    for item in interface["uitvoer"]:
        expected.setdefault(item["groep"], []).append(item["naam"])
    got = {group: list(values) for group, values in default_result["uitvoer"].items()}
    assert got == expected
    assert list(got) == list(expected)  # the interface's order, too


def test_input_hash_is_sha256_of_canonical_resolved_inputs(default_result) -> None:
    canonical = json.dumps(default_result["invoer"], sort_keys=True, separators=(",", ":"))
    digest = hashlib.sha256(canonical.encode()).hexdigest()
    assert default_result["invoerHash"] == f"sha256:{digest}"


def test_an_override_changes_resolved_inputs_and_hash(client, numeric_input, default_result):
    name = numeric_input["naam"]
    value = (numeric_input["standaardwaarde"] + numeric_input["maximum"]) / 2
    result = client.post(CALC, json={"invoer": {name: value}}).get_json()
    assert result["invoer"] == {**default_result["invoer"], name: value}
    assert result["invoerHash"] != default_result["invoerHash"]
    # An integer and the same float are the same input.
    if value == int(value):
        same = client.post(CALC, json={"invoer": {name: int(value)}}).get_json()
        assert same["invoerHash"] == result["invoerHash"]


def test_overriding_with_the_default_gives_the_default_result(client, interface, default_result):
    every_default = {i["naam"]: i["standaardwaarde"] for i in interface["invoer"]}
    result = client.post(CALC, json={"invoer": every_default}).get_json()
    assert result["uitvoer"] == default_result["uitvoer"]
    assert result["invoerHash"] == default_result["invoerHash"]


def test_a_yesno_input_takes_a_json_boolean(client, yesno_input, default_result) -> None:
    name = yesno_input["naam"]
    flipped = not yesno_input["standaardwaarde"]
    result = client.post(CALC, json={"invoer": {name: flipped}})
    assert result.status_code == 200
    assert result.get_json()["invoer"][name] is flipped


def test_the_same_request_gives_the_same_answer(client, numeric_input) -> None:
    body = {"invoer": {numeric_input["naam"]: numeric_input["minimum"]}}
    first, second = (client.post(CALC, json=body).get_json() for _ in range(2))
    assert first == second


@pytest.mark.parametrize("content_type", ["application/json", "application/json; charset=utf-8"])
def test_json_content_types(client, content_type: str) -> None:
    response = client.post(CALC, data=b"{}", headers={"Content-Type": content_type})
    assert response.status_code == 200


class _WithErrors:
    """The real model, with one output turned into an Excel error (scalar backend) and
    into an error object and a NaN (vectorised backend)."""

    def __init__(self, model: Any, broken: str) -> None:
        self.model, self.broken = model, broken

    def __getattr__(self, name: str) -> Any:
        return getattr(self.model, name)

    def calculate_row(self, values: Any) -> list[Any]:
        row = self.model.calculate_row(values)
        row[[o.name for o in self.model.outputs].index(self.broken)] = ExcelError("#VALUE!")
        return row

    def calculate_columns(self, columns: Any) -> dict[str, Any]:
        out = self.model.calculate_columns(columns)
        col = out[self.broken].astype(object)
        col[0] = ExcelError("#N/A")
        col[1] = float("nan")
        return {**out, self.broken: col}


def test_excel_errors_become_null_with_a_rekenfout(app, interface, numeric_input) -> None:
    broken = interface["uitvoer"][0]
    with app.app_context():
        real = registry().models[interface["id"]].model
    api = ModelAPI(_WithErrors(real, broken["naam"]))

    single = api.calculate({})
    assert single["uitvoer"][broken["groep"]][broken["naam"]] is None
    assert single["rekenfouten"] == [{"uitvoer": broken["naam"], "code": "#VALUE!"}]

    name = numeric_input["naam"]
    scenarios = [{name: numeric_input[key]} for key in ("minimum", "standaardwaarde", "maximum")]
    first, second, third = api.calculate_many(scenarios)
    assert first["rekenfouten"] == [{"uitvoer": broken["naam"], "code": "#N/A"}]
    assert second["rekenfouten"] == [{"uitvoer": broken["naam"], "code": "#NUM!"}]
    assert third["rekenfouten"] == []
    assert first["waarden"][0] is None and second["waarden"][0] is None
    assert third["waarden"][0] is not None
    for result in (single, first, second):
        json.dumps(result, allow_nan=False)
