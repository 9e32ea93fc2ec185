"""End to end: the cockpit's optimism correction (corrected beside uncorrected saldo, per
actor) shows the figures of `POST .../optimisme-correcties` for the same scenario."""

from __future__ import annotations

import json
import urllib.request

import pytest

from tests.e2e.test_cockpit import ARTIFACTS, CHROMIUM, browser, server  # noqa: F401 - fixtures

pytestmark = pytest.mark.skipif(CHROMIUM is None, reason="Chromium not installed (apt chromium)")

MODEL = "mkba-1gezin1plan"


def _correction(base: str, body: dict[str, object]) -> dict[str, object]:
    req = urllib.request.Request(
        f"{base}/v1/modellen/{MODEL}/optimisme-correcties",
        data=json.dumps(body).encode(),
        headers={"Content-Type": "application/json", "Accept": "application/json"},
    )
    with urllib.request.urlopen(req) as resp:
        return json.load(resp)


def test_optimism_correction_follows_the_knobs(server, browser) -> None:  # noqa: F811
    page = browser.new_page(viewport={"width": 1400, "height": 2400})
    errors: list[str] = []
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    page.goto(f"{server}/cockpit#model={MODEL}")
    page.wait_for_selector("#knobs input")
    page.get_by_label("% meer MPH 'gevonden' (%)").fill("20")
    page.wait_for_function("() => location.hash.includes('percentageMeerGevonden')")
    page.click("#run-optimism")
    page.wait_for_selector("table.optimism tr[data-row='saldo']")
    api = _correction(server, {"invoer": {"percentageMeerGevonden": 0.2}})
    expected = {"saldo": api["saldo"], **{a["actor"]: a["saldo"] for a in api["verdeling"]}}
    rows = page.locator("table.optimism tbody tr")
    assert rows.count() == len(expected)
    for i in range(rows.count()):
        row = rows.nth(i)
        pair = expected[row.get_attribute("data-row")]
        for cls, key in (("uncorrected", "ongecorrigeerd"), ("corrected", "gecorrigeerd")):
            shown = float(row.locator(f"td.{cls}").get_attribute("data-value"))
            assert shown == pytest.approx(pair[key], abs=1e-6), (cls, row.inner_text())
    # the workbook's graded costs are raised: the corrected saldo is lower
    assert api["saldo"]["gecorrigeerd"] < api["saldo"]["ongecorrigeerd"]
    assert page.locator("ul.corrections li").count() == len(api["correcties"])
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    page.locator("#optimism").screenshot(path=str(ARTIFACTS / "cockpit-optimisme.png"))
    assert not errors, errors
