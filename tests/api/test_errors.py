"""Every error is a specific application/problem+json (RFC 9457) naming what is wrong."""

from __future__ import annotations

import logging
from typing import Any

import pytest

from tests.api.support import BATCH, CALC, DEFAULT_MODEL, make_app


def problem(response, status: int, code: str) -> dict[str, Any]:
    assert response.status_code == status, response.data
    assert response.mimetype == "application/problem+json"
    body = response.get_json()
    assert body["status"] == status
    assert body["code"] == code
    assert body["title"] and body["detail"] and body["type"]
    assert body["instance"] == response.request.path
    return body


def params(body: dict[str, Any]) -> dict[str, str]:
    return {p["name"]: p["reason"] for p in body["invalidParams"]}


def test_unknown_field(client) -> None:
    body = problem(client.post(CALC, json={"invoer": {"geenInvoer": 1}}), 400, "invalidInput")
    assert params(body) == {"invoer.geenInvoer": "Unknown field."}
    assert "invoer.geenInvoer" in body["detail"]


def test_unknown_top_level_field(client) -> None:
    body = problem(client.post(CALC, json={"invoerr": {}}), 400, "invalidInput")
    assert params(body) == {"invoerr": "Unknown field."}


@pytest.mark.parametrize("value", ["10", None, [1], {"a": 1}, True])
def test_wrong_type_for_a_number(client, numeric_input, value) -> None:
    name = numeric_input["naam"]
    body = problem(client.post(CALC, json={"invoer": {name: value}}), 400, "invalidInput")
    assert list(params(body)) == [f"invoer.{name}"]


@pytest.mark.parametrize("value", ["ja", 1, 0, None])
def test_wrong_type_for_a_yesno(client, yesno_input, value) -> None:
    name = yesno_input["naam"]
    body = problem(client.post(CALC, json={"invoer": {name: value}}), 400, "invalidInput")
    assert list(params(body)) == [f"invoer.{name}"]
    if value is not None:
        assert params(body)[f"invoer.{name}"] == "Not a valid boolean; use true or false."


def test_non_finite_number_is_malformed_json(client, numeric_input) -> None:
    raw = '{"invoer": {"' + numeric_input["naam"] + '": NaN}}'
    response = client.post(CALC, data=raw, content_type="application/json")
    assert "not valid JSON" in problem(response, 400, "malformedJson")["detail"]


@pytest.mark.parametrize("side", ["below", "above"])
def test_out_of_bounds(client, numeric_input, side: str) -> None:
    name, lo, hi = numeric_input["naam"], numeric_input["minimum"], numeric_input["maximum"]
    value = lo - 1 if side == "below" else hi + 1
    body = problem(client.post(CALC, json={"invoer": {name: value}}), 400, "invalidInput")
    reason = params(body)[f"invoer.{name}"]
    assert str(lo) in reason and str(hi) in reason


def test_bounds_are_inclusive(client, numeric_input) -> None:
    name = numeric_input["naam"]
    for value in (numeric_input["minimum"], numeric_input["maximum"]):
        assert client.post(CALC, json={"invoer": {name: value}}).status_code == 200


def test_every_field_error_at_once(client, numeric_input, yesno_input) -> None:
    body = {
        "invoer": {
            numeric_input["naam"]: numeric_input["maximum"] + 1,
            yesno_input["naam"]: "nee",
            "geenInvoer": 0,
        },
        "extra": True,
    }
    names = set(params(problem(client.post(CALC, json=body), 400, "invalidInput")))
    assert names == {
        f"invoer.{numeric_input['naam']}",
        f"invoer.{yesno_input['naam']}",
        "invoer.geenInvoer",
        "extra",
    }


@pytest.mark.parametrize("body", [[], "tekst", 3, {"invoer": []}, {"invoer": 5}])
def test_body_of_the_wrong_shape(client, body) -> None:
    found = params(problem(client.post(CALC, json=body), 400, "invalidInput"))
    assert list(found) == (["invoer"] if isinstance(body, dict) else ["body"])


def test_malformed_json(client) -> None:
    response = client.post(CALC, data='{"invoer": {', content_type="application/json")
    assert "not valid JSON" in problem(response, 400, "malformedJson")["detail"]


def test_wrong_content_type(client) -> None:
    response = client.post(CALC, data="invoer=1", content_type="application/x-www-form-urlencoded")
    body = problem(response, 415, "unsupportedMediaType")
    assert "application/x-www-form-urlencoded" in body["detail"]


def test_body_too_large(app, client) -> None:
    limit = app.config["MAX_CONTENT_LENGTH"]
    raw = b'{"invoer": {}, "x": "' + b"a" * limit + b'"}'
    response = client.post(CALC, data=raw, content_type="application/json")
    assert str(limit) in problem(response, 413, "bodyTooLarge")["detail"]


def test_unknown_model(client) -> None:
    for response in (
        client.post("/v1/modellen/geen-model/berekeningen", json={}),
        client.post("/v1/modellen/geen-model/batch-berekeningen", json={"scenarios": []}),
    ):
        assert "geen-model" in problem(response, 404, "unknownModel")["detail"]


def test_unknown_path(client) -> None:
    problem(client.get("/v1/geen-pad"), 404, "notFound")
    problem(client.get("/geen-pad"), 404, "notFound")  # outside /v1 too (/ is the cockpit's)


def test_wrong_method(client) -> None:
    response = client.get(CALC)
    body = problem(response, 405, "methodNotAllowed")
    assert "GET" in body["detail"] and "POST" in body["detail"]
    assert "POST" in response.headers["Allow"]
    problem(client.delete(f"/v1/modellen/{DEFAULT_MODEL}"), 405, "methodNotAllowed")


def test_not_acceptable(client) -> None:
    response = client.get("/v1/modellen", headers={"Accept": "text/html"})
    assert "text/html" in problem(response, 406, "notAcceptable")["detail"]
    for accept in ("application/json", "application/*", "*/*", "application/problem+json"):
        assert client.get("/v1/modellen", headers={"Accept": accept}).status_code == 200


def test_batch_errors_are_problems_too(client) -> None:
    too_many = {"scenarios": [{"id": f"s{i}"} for i in range(1001)]}
    assert "scenarios" in params(problem(client.post(BATCH, json=too_many), 400, "invalidInput"))
    assert "scenarios" in params(problem(client.post(BATCH, json={}), 400, "invalidInput"))
    empty = {"scenarios": []}
    assert "scenarios" in params(problem(client.post(BATCH, json=empty), 400, "invalidInput"))
    twice = {"scenarios": [{"id": "a"}, {"id": "a"}]}
    assert "scenarios.1.id" in params(problem(client.post(BATCH, json=twice), 400, "invalidInput"))
    # a final newline too: Python's `$` would let it through, the spec's pattern does not
    bad_id = {"scenarios": [{"id": "a b"}, {"invoer": {}}, {"id": "c\n"}, {"id": "d"}]}
    found = params(problem(client.post(BATCH, json=bad_id), 400, "invalidInput"))
    assert set(found) == {"scenarios.0.id", "scenarios.1.id", "scenarios.2.id"}


def test_unexpected_errors_are_a_bare_500(spec, caplog) -> None:
    app = make_app(spec)

    @app.get("/v1/stuk")
    def broken() -> None:
        raise RuntimeError("geheime details /etc/passwd")

    with caplog.at_level(logging.ERROR):
        response = app.test_client().get("/v1/stuk")
    body = problem(response, 500, "internalError")
    assert b"geheime" not in response.data and b"Traceback" not in response.data
    assert body["detail"] == "The server could not complete the request."
    assert "geheime details" in caplog.text  # logged, with its traceback, on the server


def test_batch_scenario_structure(client) -> None:
    body = {"scenarios": [{"id": "a", "extra": 1}, 5, {"id": 7}, {"id": "b", "invoer": []}]}
    found = params(problem(client.post(BATCH, json=body), 400, "invalidInput"))
    assert found == {
        "scenarios.0.extra": "Unknown field.",
        "scenarios.1": "Invalid input type.",
        "scenarios.2.id": "Not a valid string.",
    }
    # a scenario whose `invoer` is not an object is that scenario's error, not the batch's
    response = client.post(BATCH, json={"scenarios": [{"id": "b", "invoer": []}, {"id": "c"}]})
    assert response.status_code == 200
    bad, good = response.get_json()["resultaten"]
    assert bad["invalidParams"] == [{"name": "scenarios.0.invoer", "reason": "Invalid input type."}]
    assert "waarden" in good


def test_empty_body_means_the_defaults_but_whitespace_is_not_json(client) -> None:
    assert client.post(CALC, data="", content_type="application/json").status_code == 200
    response = client.post(CALC, data=" \n", content_type="application/json")
    assert "not valid JSON" in problem(response, 400, "malformedJson")["detail"]
