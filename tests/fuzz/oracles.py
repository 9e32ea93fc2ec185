"""The oracle of a batch answered 200, which replaces "invalid data rejected" there, for
the fuzz in process (tests/fuzz/test_contract_fuzz.py) and from outside (hooks.py)."""

from __future__ import annotations

from typing import Any

import schemathesis
from openapi_schema_validator import OAS30Validator


def _validator(contract: dict[str, Any], name: str) -> OAS30Validator:
    return OAS30Validator(
        {"$ref": f"#/components/schemas/{name}", "components": contract["components"]}
    )


def batch_oracle(contract: dict[str, Any]) -> Any:
    """`batch_answers_per_scenario` for the model (or version) of one exact contract."""
    valid_invoer = _validator(contract, "Invoer")
    valid_batch = _validator(contract, "BatchVerzoek")

    def batch_answers_per_scenario(ctx: Any, response: Any, case: schemathesis.Case) -> None:
        check_batch(response, case, valid_invoer, valid_batch)

    return batch_answers_per_scenario


def check_batch(
    response: Any, case: schemathesis.Case, valid_invoer: Any, valid_batch: Any
) -> None:
    """A batch is rejected as a whole (400) only when its shape is wrong; a scenario whose
    `invoer` is invalid for the model is answered in the 200 with its own
    `invalidParams` (as documented). So on a 200: the batch with every `invoer` left
    out must be valid, and each scenario must have `waarden` exactly when its `invoer`
    is valid for the model, else `invalidParams`.
    """
    if (
        response.status_code != 200
        or response.request.method != "POST"  # other checks send OPTIONS, ... too
        or not case.path.endswith("/batch-berekeningen")
    ):
        return
    body = case.body
    assert isinstance(body, dict) and isinstance(body.get("scenarios"), list), body
    shape = {**body, "scenarios": [_without_invoer(s) for s in body["scenarios"]]}
    assert valid_batch.is_valid(shape), f"a malformed batch was answered 200: {shape}"
    results = response.json()["resultaten"]
    assert [r["id"] for r in results] == [s["id"] for s in body["scenarios"]]
    for scenario, result in zip(body["scenarios"], results, strict=True):
        valid = valid_invoer.is_valid(scenario.get("invoer", {}))
        assert ("waarden" in result) == valid, (scenario, result)
        assert ("invalidParams" in result) != valid, (scenario, result)


def _without_invoer(scenario: Any) -> Any:
    if isinstance(scenario, dict):
        return {k: v for k, v in scenario.items() if k != "invoer"}
    return scenario
