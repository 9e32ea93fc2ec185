"""End to end: the cockpit's time view (cumulative saldo per actor, payback year, budget
after N years) against the figures of `POST .../tijdreeksen` for the same scenario."""

from __future__ import annotations

import json
import urllib.request

import pytest

from tests.e2e.test_cockpit import ARTIFACTS, CHROMIUM, browser, server  # noqa: F401 - fixtures

pytestmark = pytest.mark.skipif(CHROMIUM is None, reason="Chromium not installed (apt chromium)")

MODEL = "mkba-1gezin1plan"


def _timeline(base: str, body: dict[str, object]) -> dict[str, object]:
    req = urllib.request.Request(
        f"{base}/v1/modellen/{MODEL}/tijdreeksen",
        data=json.dumps(body).encode(),
        headers={"Content-Type": "application/json", "Accept": "application/json"},
    )
    with urllib.request.urlopen(req) as resp:
        return json.load(resp)


def _shown(page, api: dict) -> None:  # type: ignore[no-untyped-def]
    """Every row of the table shows the API's payback year and budget."""
    flows = {"totaal": api["totaal"], **{a["actor"]: a for a in api["actoren"]}}
    rows = page.locator("table.timeline tbody tr")
    assert rows.count() == len(flows)
    for i in range(rows.count()):
        row = rows.nth(i)
        flow = flows[row.get_attribute("data-actor")]
        year = flow["terugverdienJaar"]
        shown = row.locator("td.payback").get_attribute("data-year")
        assert shown == ("" if year is None else str(year))
        budget = float(row.locator("td.budget").get_attribute("data-value"))
        assert budget == pytest.approx(flow["begroting"]["saldo"], abs=1e-6)


def test_time_view_follows_the_knobs(server, browser) -> None:  # noqa: F811
    page = browser.new_page(viewport={"width": 1400, "height": 1900})
    errors: list[str] = []
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    page.goto(f"{server}/cockpit#model={MODEL}")
    page.wait_for_selector("#timeline-chart polyline[data-actor='totaal']")
    assert page.locator("#tijdreeksen").is_visible()
    api = _timeline(server, {"invoer": {}, "jaren": 2})
    _shown(page, api)
    # one line per actor plus the total
    assert page.locator("#timeline-chart polyline").count() == len(api["actoren"]) + 1
    assert "jaar 2" not in page.locator("table.timeline").inner_text()  # years are numbers

    # a knob moves the figures; the budget years field changes N
    page.get_by_label("% meer MPH 'gevonden' (%)").fill("20")
    page.fill("#budget-years", "5")
    page.dispatch_event("#budget-years", "change")
    api = _timeline(server, {"invoer": {"percentageMeerGevonden": 0.2}, "jaren": 5})
    page.wait_for_function(
        "v => document.querySelector('table.timeline tr[data-actor=\"totaal\"] td.budget')"
        "?.dataset.value === String(v)",
        arg=api["totaal"]["begroting"]["saldo"],
    )
    _shown(page, api)
    assert "begroting na 5 jaar" in page.locator("table.timeline thead").inner_text()
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    page.locator("#tijdreeksen").screenshot(path=str(ARTIFACTS / "cockpit-tijdreeksen.png"))
    assert not errors, errors


def test_second_model_time_view(server, browser) -> None:  # noqa: F811
    """The second model declares series too: its time view shows its own actors."""
    page = browser.new_page(viewport={"width": 1400, "height": 1600})
    page.goto(f"{server}/cockpit#model=mkba-sociale-wijkteams")
    page.wait_for_selector("#timeline-chart polyline[data-actor='gemeente']")
    rows = page.locator("table.timeline tbody tr")
    assert rows.count() == 1 + 5  # the total and the five actors of its Verdeling
