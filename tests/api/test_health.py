"""Liveness and readiness."""

from __future__ import annotations

from tests.api.support import DEFAULT_MODEL, make_app


def test_live(client) -> None:
    response = client.get("/v1/health/live")
    assert response.status_code == 200
    assert response.get_json() == {"status": "up"}


def test_ready_once_models_are_loaded_and_self_tested(client) -> None:
    response = client.get("/v1/health/ready")
    assert response.status_code == 200
    assert DEFAULT_MODEL in response.get_json()["modellen"]


def test_not_ready_without_models(spec, tmp_path) -> None:
    app = make_app(spec, MODELS_DIR=tmp_path)
    response = app.test_client().get("/v1/health/ready")
    assert response.status_code == 503
    assert response.mimetype == "application/problem+json"
    assert response.get_json()["code"] == "notReady"
    assert app.test_client().get("/v1/health/live").status_code == 200
