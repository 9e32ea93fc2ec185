"""End to end: the cockpit lists the model's versions and shows a version's change note,
cell by cell, as the API serves it."""

from __future__ import annotations

import json
import urllib.request

import pytest

from tests.e2e.test_cockpit import CHROMIUM, browser, server  # noqa: F401 - fixtures

pytestmark = pytest.mark.skipif(CHROMIUM is None, reason="Chromium not installed (apt chromium)")

MODEL = "mkba-1gezin1plan"


def _get(base: str, path: str) -> dict:
    req = urllib.request.Request(f"{base}/v1{path}", headers={"Accept": "application/json"})
    with urllib.request.urlopen(req) as resp:
        return json.load(resp)


def test_versions_and_change_note(server, browser) -> None:  # noqa: F811
    versions = _get(server, f"/modellen/{MODEL}/versies")["versies"]
    current = versions[-1]
    note = _get(server, f"/modellen/{MODEL}/versies/{current['versie']}/wijzigingen")
    page = browser.new_page()
    errors: list[str] = []
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    page.goto(f"{server}/cockpit#model={MODEL}")
    page.wait_for_selector('tr[data-output="mkbaSaldo"]')
    shown = page.locator("#version-list details")
    assert shown.count() == len(versions) >= 2
    assert [shown.nth(i).get_attribute("data-version") for i in range(shown.count())] == [
        v["versie"] for v in reversed(versions)
    ]
    newest = page.locator(f'#version-list details[data-version="{current["versie"]}"]')
    assert current["werkboekSha256"][:12] in newest.locator("summary").inner_text()
    newest.locator("summary").click()
    rows = newest.locator("table.changes tbody tr")
    rows.first.wait_for()
    cells = [rows.nth(i).get_attribute("data-cell") for i in range(rows.count())]
    assert cells == [c["cel"] for c in note["wijzigingen"]]
    first = note["wijzigingen"][0]
    assert rows.first.locator("td").nth(2).inner_text() == first["nieuw"]
    assert errors == []
    page.close()
