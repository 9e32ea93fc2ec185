"""openapi.yaml is valid, matches the app's routes, and is what /v1/openapi.json serves."""

from __future__ import annotations

import re
from typing import Any

from flask import Flask
from openapi_spec_validator import validate

METHODS = {"get", "post", "put", "patch", "delete"}


def test_spec_is_valid_openapi(spec: dict[str, Any]) -> None:
    validate(spec)


def _spec_operations(spec: dict[str, Any]) -> set[tuple[str, str]]:
    base = spec["servers"][0]["url"].rstrip("/")
    return {
        (method.upper(), base + path)
        for path, item in spec["paths"].items()
        for method in item
        if method in METHODS
    }


def _camel(name: str) -> str:
    head, *rest = name.split("_")
    return head + "".join(part.title() for part in rest)


def _app_operations(app: Flask) -> set[tuple[str, str]]:
    ops = set()
    for rule in app.url_map.iter_rules():
        if not rule.rule.startswith("/v1/"):
            continue  # pages outside /v1 (HTML) are not part of the API description
        path = re.sub(r"<(?:[a-z]+:)?([a-z_]+)>", lambda m: "{" + _camel(m[1]) + "}", rule.rule)
        for method in rule.methods or ():
            if method.lower() in METHODS:
                ops.add((method, path))
    return ops


def test_routes_and_spec_paths_are_the_same_set(app: Flask, spec: dict[str, Any]) -> None:
    assert _app_operations(app) == _spec_operations(spec)


def test_openapi_json_is_the_yaml_document(client, spec: dict[str, Any]) -> None:
    response = client.get("/v1/openapi.json")
    assert response.status_code == 200
    assert response.mimetype == "application/json"
    assert response.get_json() == spec


def test_api_version_header_is_the_spec_version(client, spec: dict[str, Any]) -> None:
    for url in ("/v1/modellen", "/v1/health/live", "/v1/bestaat-niet"):
        assert client.get(url).headers["API-Version"] == spec["info"]["version"]


def test_paths_are_kebab_case_and_fields_lower_camel_case(spec: dict[str, Any]) -> None:
    for path in spec["paths"]:
        for segment in path.strip("/").split("/"):
            assert re.fullmatch(r"[a-z0-9-]+(\.json|\.yaml)?|\{[a-z][A-Za-z0-9]*\}", segment), path

    def walk(node: Any) -> None:
        if isinstance(node, dict):
            for name in (node.get("properties") or {}).keys():
                assert re.fullmatch(r"[a-z][A-Za-z0-9]*", name), name
            for value in node.values():
                walk(value)
        elif isinstance(node, list):
            for value in node:
                walk(value)

    walk(spec["components"]["schemas"])
