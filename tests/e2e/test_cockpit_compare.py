"""End to end: the cockpit's compare mode (keep variants, columns with differences,
save and load a JSON file, share the set in the link) against the API's own figures."""

from __future__ import annotations

import json
import urllib.request
from pathlib import Path

import pytest

from tests.e2e.test_cockpit import ARTIFACTS, CHROMIUM, browser, server  # noqa: F401 - fixtures

pytestmark = pytest.mark.skipif(CHROMIUM is None, reason="Chromium not installed (apt chromium)")

MODEL = "mkba-1gezin1plan"
SALDO_CELL = 'table.comparison tr[data-output="mkbaSaldo"] td'


def _saldo(base: str, invoer: dict[str, object]) -> float:
    """The saldo of a scenario, from a single calculation (not the comparison endpoint)."""
    req = urllib.request.Request(
        f"{base}/v1/modellen/{MODEL}/berekeningen",
        data=json.dumps({"invoer": invoer}).encode(),
        headers={"Content-Type": "application/json", "Accept": "application/json"},
    )
    with urllib.request.urlopen(req) as resp:
        body = json.load(resp)
    return body["uitvoer"]["saldo"]["mkbaSaldo"]


def test_keep_compare_save_share_and_load(server, browser, tmp_path: Path) -> None:  # noqa: F811
    page = browser.new_page(viewport={"width": 1400, "height": 1900}, accept_downloads=True)
    errors: list[str] = []
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    page.goto(f"{server}/cockpit#model={MODEL}")
    page.wait_for_selector('tr[data-output="mkbaSaldo"]')

    # keep the default scenario as "basis", then turn a knob: two columns
    page.fill("#variant-name", "basis")
    page.click("#keep-variant")
    page.get_by_label("% meer MPH 'gevonden' (%)").fill("20")
    base, more = _saldo(server, {}), _saldo(server, {"percentageMeerGevonden": 0.2})
    page.wait_for_function(
        "v => document.querySelector("
        "'table.comparison tr[data-output=\"mkbaSaldo\"] td:nth-of-type(2)'"
        ")?.dataset.value === String(v)",
        arg=more,
    )
    cells = page.locator(SALDO_CELL)
    assert cells.count() == 2
    assert float(cells.nth(0).get_attribute("data-value")) == base
    # the reference column is not highlighted, the changed one is, with its difference
    assert "verschil" not in (cells.nth(0).get_attribute("class") or "")
    assert "verschil" in cells.nth(1).get_attribute("class")
    assert float(cells.nth(1).get_attribute("data-diff")) == pytest.approx(more - base, abs=1e-6)
    headers = page.locator("table.comparison thead th[data-variant]")
    assert headers.nth(0).inner_text().startswith("basis (referentie)")

    # keep this one as well and go back to the defaults: three columns
    page.fill("#variant-name", "meer-gevonden")
    page.click("#keep-variant")
    page.click("#reset")
    page.wait_for_function(
        "() => document.querySelectorAll('table.comparison thead th[data-variant]').length === 3"
    )
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    page.locator("#vergelijken").screenshot(path=str(ARTIFACTS / "cockpit-vergelijken.png"))

    # the set travels in the link
    assert "varianten=" in page.url
    shared = browser.new_page(viewport={"width": 1400, "height": 1200})
    shared.goto(page.url)
    shared.wait_for_function(
        "() => document.querySelectorAll('table.comparison thead th[data-variant]').length === 3"
    )
    names = shared.locator("table.comparison thead th[data-variant]")
    assert [names.nth(i).get_attribute("data-variant") for i in range(3)] == [
        "basis",
        "meer-gevonden",
        "huidig",
    ]
    shared.close()

    # save the set as JSON: the request body of POST .../vergelijkingen, with its model
    with page.expect_download() as download:
        page.click("#save-variants")
    saved = json.loads(Path(download.value.path()).read_text())
    assert saved == {
        "modelId": MODEL,
        "varianten": [
            {"naam": "basis", "invoer": {}},
            {"naam": "meer-gevonden", "invoer": {"percentageMeerGevonden": 0.2}},
        ],
    }

    # clear, then load a file: its variants come back as columns
    page.click("#clear-variants")
    page.wait_for_function("() => !document.querySelector('table.comparison')")
    upload = tmp_path / "varianten.json"
    lower = {"percentageMeerGevonden": 0.05}
    saved["varianten"].append({"naam": "minder", "invoer": lower})
    upload.write_text(json.dumps(saved))
    page.set_input_files("#load-variants", str(upload))
    page.wait_for_function(
        "() => document.querySelectorAll('table.comparison thead th[data-variant]').length === 4"
    )
    third = page.locator(SALDO_CELL).nth(2)
    assert float(third.get_attribute("data-value")) == _saldo(server, lower)
    assert errors == []  # no CSP violation, no failed request
    page.close()


def test_uncertainty_leads_with_the_chance_and_draws_the_histogram(server, browser) -> None:  # noqa: F811
    page = browser.new_page(viewport={"width": 1400, "height": 2400})
    errors: list[str] = []
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    page.goto(f"{server}/cockpit#model={MODEL}")
    page.wait_for_selector('tr[data-output="mkbaSaldo"]')
    with page.expect_request("**/onzekerheidsanalyses") as sent:
        page.click("#run-uncertainty")
    page.wait_for_selector("#zero-line", state="attached")  # a vertical line has no width
    # the same request, answered by the API directly: the page shows its headline
    req = urllib.request.Request(
        f"{server}/v1/modellen/{MODEL}/onzekerheidsanalyses",
        data=sent.value.post_data.encode(),
        headers={"Content-Type": "application/json", "Accept": "application/json"},
    )
    with urllib.request.urlopen(req) as resp:
        answer = json.load(resp)
    kern = answer["kern"]
    assert (
        float(page.locator("#uncertainty .kans").get_attribute("data-kans"))
        == kern["kansSaldoPositief"]
    )
    p5 = "€ " + f"{round(kern['band']['p5']):,}".replace(",", ".")
    assert p5 in page.locator("#uncertainty .band").inner_text()
    bars = page.locator("#histogram rect")
    counts = [int(bars.nth(i).get_attribute("data-count")) for i in range(bars.count())]
    assert counts == answer["uitvoer"]["mkbaSaldo"]["histogram"]["aantallen"]
    rows = page.locator("#uncertainty table.kansen tbody tr")
    assert rows.count() == len(kern["actoren"])
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    page.locator("#uncertainty").screenshot(path=str(ARTIFACTS / "cockpit-onzekerheid.png"))
    assert errors == []
    page.close()


def test_calculate_at_the_2021_norm(server, browser) -> None:  # noqa: F811
    """docs/model.md: at 2.25% (the norm since 2021) the saldo is EUR 562.995."""
    page = browser.new_page()
    page.goto(f"{server}/cockpit#model={MODEL}")
    page.wait_for_selector('tr[data-output="mkbaSaldo"]')
    assert page.locator("#norm").input_value() == "2007"  # the default 5.5% is that norm
    page.select_option("#norm", "2021")
    expected = _saldo(server, {"disconteringsvoet": 0.0225})
    assert round(expected) == 562995
    page.wait_for_function(
        "v => document.querySelector('tr[data-output=\"mkbaSaldo\"] td')"
        "?.dataset.value === String(v)",
        arg=expected,
    )
    assert page.locator("#in-disconteringsvoet").input_value() == "2.25"
    assert "disconteringsvoet=0.0225" in page.url
    page.close()
