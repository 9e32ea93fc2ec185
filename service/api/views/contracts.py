"""GET /v1/modellen/{modelId}[/versies/{versie}]/openapi.json|yaml: the contract of each
model and of each served version of it."""

from __future__ import annotations

from typing import Any

import yaml
from flask import Blueprint, Response, current_app, jsonify

from service.api.contract import model_contract, version_contract
from service.api.http import PROBLEM, YAML, offers
from service.api.registry import model_api, registry
from service.api.versions import pinned

bp = Blueprint("contracts", __name__, url_prefix="/v1")


def contract(model_id: str) -> dict[str, Any]:
    """The model's contract, built at its first request and kept (the app's models are fixed)."""
    api = model_api(model_id)
    cache: dict[str, dict[str, Any]] = current_app.extensions.setdefault("mkba-contracts", {})
    if model_id not in cache:
        cache[model_id] = model_contract(current_app.config["OPENAPI"], api)
    return cache[model_id]


@bp.get("/modellen/<model_id>/openapi.json")
def model_openapi_json(model_id: str) -> Response:
    return jsonify(contract(model_id))


@bp.get("/modellen/<model_id>/openapi.yaml")
@offers(YAML, PROBLEM)
def model_openapi_yaml(model_id: str) -> Response:
    text = yaml.safe_dump(contract(model_id), sort_keys=False, allow_unicode=True)
    return current_app.response_class(text, mimetype=YAML)


def contract_of_version(model_id: str, version: str) -> dict[str, Any]:
    """The contract of one served version (404 naming the served ones), kept as `contract`."""
    model_api(model_id)  # 404 for a model not served
    served = registry().versions[model_id]
    api = pinned(served, model_id, version)
    cache: dict[tuple[str, str], dict[str, Any]] = current_app.extensions.setdefault(
        "mkba-version-contracts", {}
    )
    if (model_id, version) not in cache:
        cache[model_id, version] = version_contract(
            current_app.config["OPENAPI"], api, list(served)
        )
    return cache[model_id, version]


@bp.get("/modellen/<model_id>/versies/<versie>/openapi.json")
def version_openapi_json(model_id: str, versie: str) -> Response:
    return jsonify(contract_of_version(model_id, versie))


@bp.get("/modellen/<model_id>/versies/<versie>/openapi.yaml")
@offers(YAML, PROBLEM)
def version_openapi_yaml(model_id: str, versie: str) -> Response:
    doc = contract_of_version(model_id, versie)
    text = yaml.safe_dump(doc, sort_keys=False, allow_unicode=True)
    return current_app.response_class(text, mimetype=YAML)
