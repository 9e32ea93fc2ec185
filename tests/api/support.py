"""What the API tests share besides fixtures: paths, the app factory for tests, and a
Flask test client that validates every response it receives against openapi.yaml: with
openapi-core where the request matches an operation of the spec, and against
the spec's Problem schema where it does not (unknown paths, wrong methods).
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import yaml
from flask import Flask
from flask.testing import FlaskClient
from openapi_core import Config, OpenAPI
from openapi_core.contrib.werkzeug import WerkzeugOpenAPIRequest, WerkzeugOpenAPIResponse
from openapi_core.templating.paths.exceptions import PathError
from openapi_schema_validator import OAS30Validator

from service import create_app

ROOT = Path(__file__).resolve().parents[2]
DEFAULT_MODEL = "mkba-1gezin1plan"
CALC = f"/v1/modellen/{DEFAULT_MODEL}/berekeningen"
BATCH = f"/v1/modellen/{DEFAULT_MODEL}/batch-berekeningen"
SPEC_PATH = ROOT / "openapi.yaml"


def load_spec() -> dict[str, Any]:
    with open(SPEC_PATH, encoding="utf-8") as f:
        return yaml.safe_load(f)


class _RequestWithoutBody(WerkzeugOpenAPIRequest):
    """The request side of a finished exchange; its body stream is already consumed,
    and only the response is validated."""

    @property
    def body(self) -> bytes:
        return b""


class SpecValidatingClient(FlaskClient):
    """A test client that checks each response against the OpenAPI document."""

    openapi: OpenAPI
    problem_validator: OAS30Validator

    def open(self, *args: Any, **kwargs: Any) -> Any:
        response = super().open(*args, **kwargs)
        self.check(response)
        return response

    def check(self, response: Any) -> None:
        request = _RequestWithoutBody(response.request)
        try:
            self.openapi.validate_response(request, WerkzeugOpenAPIResponse(response))
        except PathError:
            # Not an operation of the spec (unknown path, wrong method): must be a problem.
            assert response.mimetype == "application/problem+json", response.data
            self.problem_validator.validate(response.get_json())


def make_app(spec: dict[str, Any], **config: Any) -> Flask:
    """An app over the served models, with a client that checks responses against `spec`."""
    app = create_app({"TESTING": True, **config})
    config = Config(
        extra_media_type_deserializers={
            "application/problem+json": json.loads,
            "application/yaml": yaml.safe_load,
        }
    )
    SpecValidatingClient.openapi = OpenAPI.from_dict(spec, config=config)
    SpecValidatingClient.problem_validator = OAS30Validator(
        {"$ref": "#/components/schemas/Problem", "components": spec["components"]}
    )
    app.test_client_class = SpecValidatingClient
    return app
