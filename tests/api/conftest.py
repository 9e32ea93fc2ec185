"""Fixtures of the API tests: the default model and its interface, read through the API."""

from __future__ import annotations

from typing import Any

import pytest
from flask import Flask

from tests.api.support import CALC, DEFAULT_MODEL


@pytest.fixture(scope="session")
def interface(app: Flask) -> dict[str, Any]:
    response = app.test_client().get(f"/v1/modellen/{DEFAULT_MODEL}")
    assert response.status_code == 200
    return response.get_json()


@pytest.fixture(scope="session")
def numeric_input(interface: dict[str, Any]) -> dict[str, Any]:
    """An input with both bounds, whose default lies strictly inside them."""
    for item in interface["invoer"]:
        lo, hi, default = item["minimum"], item["maximum"], item["standaardwaarde"]
        if item["type"] != "yesno" and lo is not None and hi is not None and lo < default < hi:
            return item
    pytest.fail("the model has no bounded numeric input")


@pytest.fixture(scope="session")
def yesno_input(interface: dict[str, Any]) -> dict[str, Any]:
    for item in interface["invoer"]:
        if item["type"] == "yesno":
            return item
    pytest.fail("the model has no yesno input")


@pytest.fixture(scope="session")
def default_result(app: Flask) -> dict[str, Any]:
    response = app.test_client().post(CALC)
    assert response.status_code == 200
    return response.get_json()
