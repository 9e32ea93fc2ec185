"""publiccode.yml: the fields the standard (v0.4) requires, in step with pyproject.toml."""

from __future__ import annotations

import tomllib
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[2]
CODE = yaml.safe_load((ROOT / "publiccode.yml").read_text(encoding="utf-8"))
PROJECT = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
REQUIRED = {
    "publiccodeYmlVersion", "name", "url", "platforms", "categories", "developmentStatus",
    "softwareType", "description", "legal", "maintenance", "localisation",
}  # fmt: skip


def test_required_fields_and_version() -> None:
    assert REQUIRED <= set(CODE)
    assert CODE["publiccodeYmlVersion"] == "0.4"
    assert CODE["softwareVersion"] == PROJECT["version"]
    assert CODE["legal"]["license"] == PROJECT["license"]["text"] == "EUPL-1.2"
    assert CODE["maintenance"]["type"] in {"internal", "contract", "community", "none"}
    assert CODE["developmentStatus"] in {"concept", "development", "beta", "stable", "obsolete"}


def test_dutch_and_english_descriptions() -> None:
    assert set(CODE["description"]) == {"nl", "en"}
    assert set(CODE["localisation"]["availableLanguages"]) == {"nl", "en"}
    for lang, text in CODE["description"].items():
        assert len(text["shortDescription"]) <= 150, lang
        assert 150 <= len(text["longDescription"]) <= 10000, lang
        assert text["features"], lang
