"""Fuzzing against the contract: schemathesis generates requests from openapi.yaml for
every operation, valid (positive) and invalid (negative) data, sends them to the Flask
app in-process (WSGI, no server) and runs all its checks on every answer: no 5xx, a
status the spec lists for the operation, content type, headers and body conforming to
the spec, invalid data rejected, valid data accepted.

Two contracts are fuzzed:

- `openapi.yaml` as published. It describes every model at once, so it cannot name a
  model's inputs or their bounds (those are in `GET /modellen/{modelId}`): a body that
  is valid for the document may still be a 400 for the model (an unknown input name,
  a value out of bounds). There the "valid data accepted" check cannot hold and is off;
  every other check is on.
- `openapi.yaml` specialised to the models this app serves: `modelId` an enum of their
  ids and `Invoer` the model's own inputs (types, bounds, no other names), everything
  else unchanged. Here valid data must be accepted (a 200), so the fuzzer also checks
  that no input within the interface's bounds fails, over HTTP.

Bounded: FUZZ_MAX_EXAMPLES per operation (default 30), hypothesis' database off, so
runs do not depend on each other.
"""

from __future__ import annotations

import copy
import os
from pathlib import Path
from typing import Any

import pytest
import schemathesis
from flask import Flask
from hypothesis import HealthCheck, settings
from openapi_schema_validator import OAS30Validator
from schemathesis import GenerationMode
from schemathesis.specs.openapi.checks import negative_data_rejection

from tests.api.support import ROOT, load_spec

MAX_EXAMPLES = int(os.environ.get("FUZZ_MAX_EXAMPLES", "30"))
BASE_URL = "http://localhost/v1"


def specialised(spec: dict[str, Any], models_dir: Path) -> dict[str, Any]:
    """`spec` with `modelId` and `Invoer` made exact for the served models."""
    from service.engine import load_models

    models = load_models(models_dir)
    if len(models) != 1:  # one Invoer schema per spec; more models would need one spec each
        pytest.skip("the specialised contract is built for exactly one served model")
    (model,) = models.values()
    out = copy.deepcopy(spec)
    out["components"]["parameters"]["modelId"]["schema"]["enum"] = [model.id]
    properties: dict[str, Any] = {}
    for item in model.inputs:
        if item.type == "yesno":
            properties[item.name] = {"type": "boolean"}
        else:
            prop: dict[str, Any] = {"type": "number"}
            if item.min is not None:
                prop["minimum"] = float(item.min)
            if item.max is not None:
                prop["maximum"] = float(item.max)
            properties[item.name] = prop
    out["components"]["schemas"]["Invoer"] = {
        "type": "object",
        "additionalProperties": False,
        "properties": properties,
    }
    return out


def _configure(schema: Any, *, accept_valid: bool) -> Any:
    schema.config.update(base_url=BASE_URL)
    schema.config.generation.update(
        modes=[GenerationMode.POSITIVE, GenerationMode.NEGATIVE],
        max_examples=MAX_EXAMPLES,
        database="none",
    )
    if not accept_valid:
        schema.config.checks.update(excluded_check_names=["positive_data_acceptance"])
    return schema


PUBLISHED = load_spec()
EXACT = specialised(PUBLISHED, ROOT / "formulas_spec")


def _unique_ids(body: Any) -> Any:
    """Batch ids must be unique, which JSON Schema cannot say: make repeated ones
    unique (the first character kept, so an invalid id stays invalid)."""
    scenarios = body.get("scenarios") if isinstance(body, dict) else None
    if not isinstance(scenarios, list):
        return body
    seen: set[str] = set()
    for i, scenario in enumerate(scenarios):
        if isinstance(scenario, dict) and isinstance(scenario.get("id"), str):
            if scenario["id"] in seen:
                scenario["id"] = f"{scenario['id'][:90]}.{i}"
            seen.add(scenario["id"])
    return body


published = _configure(schemathesis.openapi.from_dict(PUBLISHED), accept_valid=False)
exact = _configure(schemathesis.openapi.from_dict(EXACT), accept_valid=True)


def _validator(name: str) -> OAS30Validator:
    return OAS30Validator(
        {"$ref": f"#/components/schemas/{name}", "components": EXACT["components"]}
    )


_VALID_INVOER = _validator("Invoer")
_VALID_BATCH = _validator("BatchVerzoek")


def batch_answers_per_scenario(ctx: Any, response: Any, case: schemathesis.Case) -> None:
    """The oracle for a batch answered 200, which replaces "invalid data rejected" there.

    A batch is rejected as a whole (400) only when its shape is wrong; a scenario whose
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
    assert _VALID_BATCH.is_valid(shape), f"a malformed batch was answered 200: {shape}"
    results = response.json()["resultaten"]
    assert [r["id"] for r in results] == [s["id"] for s in body["scenarios"]]
    for scenario, result in zip(body["scenarios"], results, strict=True):
        valid = _VALID_INVOER.is_valid(scenario.get("invoer", {}))
        assert ("waarden" in result) == valid, (scenario, result)
        assert ("invalidParams" in result) != valid, (scenario, result)


def _without_invoer(scenario: Any) -> Any:
    if isinstance(scenario, dict):
        return {k: v for k, v in scenario.items() if k != "invoer"}
    return scenario


def call_and_check(case: schemathesis.Case, app: Flask) -> None:
    if case.path.endswith("/batch-berekeningen"):
        case.call_and_validate(
            app=app,
            excluded_checks=[negative_data_rejection],
            additional_checks=[batch_answers_per_scenario],
        )
    else:
        case.call_and_validate(app=app)


SETTINGS = settings(
    max_examples=MAX_EXAMPLES,
    deadline=None,
    suppress_health_check=list(HealthCheck),
    database=None,
)


@pytest.fixture(scope="module")
def fuzz_app(app: Flask) -> Flask:
    return app


@published.parametrize()
@SETTINGS
def test_published_contract(case: schemathesis.Case, fuzz_app: Flask) -> None:
    call_and_check(case, fuzz_app)


@exact.parametrize()
@SETTINGS
def test_contract_of_the_served_model(case: schemathesis.Case, fuzz_app: Flask) -> None:
    # In place, before the call (hooks do not reach every phase's examples).
    _unique_ids(case.body)
    call_and_check(case, fuzz_app)
