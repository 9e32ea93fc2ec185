"""Fixtures shared by the test areas: spec -> app -> client (Flask tutorial style).

The client checks every response it receives against openapi.yaml
(see tests/api/support.py).
"""

from __future__ import annotations

from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient

from tests.api.support import load_spec, make_app


@pytest.fixture(scope="session")
def spec() -> dict[str, Any]:
    return load_spec()


@pytest.fixture(scope="session")
def app(spec: dict[str, Any]) -> Flask:
    """One app for the session: start-up loads and self-tests every model."""
    return make_app(spec)


@pytest.fixture()
def client(app: Flask) -> FlaskClient:
    return app.test_client()
