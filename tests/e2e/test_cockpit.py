"""End to end: the cockpit page in headless Chromium recalculates through the API."""

from __future__ import annotations

import os
import shutil
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest
from werkzeug.serving import make_server

from service import create_app

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
ARTIFACTS = Path(os.environ.get("TEST_ARTIFACTS", Path(__file__).resolve().parents[2] / "build"))
# Flags a root sandbox without network needs (see the machine notes in the README).
FLAGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]

pytestmark = pytest.mark.skipif(CHROMIUM is None, reason="Chromium not installed (apt chromium)")


@pytest.fixture(scope="module")
def server() -> Iterator[str]:
    app = create_app()
    httpd = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{httpd.server_port}"
    httpd.shutdown()


@pytest.fixture(scope="module")
def browser():
    sync_api = pytest.importorskip("playwright.sync_api")
    with sync_api.sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, args=FLAGS)
        yield b
        b.close()


def _api_value(base: str, invoer: dict[str, object], name: str) -> float:
    import json
    import urllib.request

    req = urllib.request.Request(
        f"{base}/v1/modellen/mkba-1gezin1plan/berekeningen",
        data=json.dumps({"invoer": invoer}).encode(),
        headers={"Content-Type": "application/json", "Accept": "application/json"},
    )
    with urllib.request.urlopen(req) as resp:
        body = json.load(resp)
    return next(group[name] for group in body["uitvoer"].values() if name in group)


def test_turning_a_knob_updates_the_costs_to_the_api_value(server, browser):
    page = browser.new_page(viewport={"width": 1400, "height": 1800})
    page.goto(f"{server}/cockpit")
    cell = page.locator('tr[data-output="kostenMeerGevondenMph"] td')
    before = _api_value(server, {}, "kostenMeerGevondenMph")
    page.wait_for_function(
        "v => document.querySelector('tr[data-output=\"kostenMeerGevondenMph\"] td')"
        "?.dataset.value === String(v)",
        arg=before,
    )
    knob = page.get_by_label("% meer MPH 'gevonden' (%)")
    assert knob.input_value() == "10"
    knob.fill("20")
    after = _api_value(server, {"percentageMeerGevonden": 0.2}, "kostenMeerGevondenMph")
    assert after > before
    page.wait_for_function(
        "v => document.querySelector('tr[data-output=\"kostenMeerGevondenMph\"] td')"
        "?.dataset.value === String(v)",
        arg=after,
    )
    assert cell.inner_text() == "€ " + f"{round(after):,}".replace(",", ".")
    assert "percentageMeerGevonden=0.2" in page.url  # the scenario travels in the fragment
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "cockpit.png"), full_page=True)
    page.close()


def test_shared_link_restores_the_scenario_and_english_labels(server, browser):
    page = browser.new_page()
    page.goto(f"{server}/cockpit#model=mkba-1gezin1plan&lang=en&percentageMda=0.1")
    knob = page.get_by_label("% multidisciplinary approach (heavy) (%)")
    assert knob.input_value() == "10"
    expected = _api_value(server, {"percentageMda": 0.1}, "kostenMdaAanpak")
    page.wait_for_function(
        "v => document.querySelector('tr[data-output=\"kostenMdaAanpak\"] td')"
        "?.dataset.value === String(v)",
        arg=expected,
    )
    page.close()


def test_invalid_input_is_marked_with_the_api_reason(server, browser):
    page = browser.new_page()
    page.goto(f"{server}/cockpit")
    knob = page.get_by_label("% meer MPH 'gevonden' (%)")
    knob.fill("250")  # above the 100% bound: the API answers 400 with the field
    page.wait_for_function(
        "() => document.getElementById('in-percentageMeerGevonden')"
        ".getAttribute('aria-invalid') === 'true'"
    )
    assert page.locator("#in-percentageMeerGevonden-error").inner_text() != ""
    page.close()
