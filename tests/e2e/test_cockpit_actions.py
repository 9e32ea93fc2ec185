"""End to end: the cockpit's tornado and downloads go through the analysis and export endpoints."""

from __future__ import annotations

import pytest

from tests.e2e.test_cockpit import CHROMIUM, browser, server  # noqa: F401 - fixtures

pytestmark = pytest.mark.skipif(CHROMIUM is None, reason="Chromium not installed (apt chromium)")


def test_tornado_and_downloads(server, browser) -> None:  # noqa: F811
    page = browser.new_page(accept_downloads=True)
    errors: list[str] = []
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    page.goto(f"{server}/")  # / leads to the cockpit
    page.wait_for_selector('tr[data-output="mkbaSaldo"]')
    page.click("#run-tornado")
    rows = page.locator("#tornado table tbody tr")
    rows.first.wait_for()
    assert rows.count() > 10
    assert rows.first.locator("td").first.inner_text().startswith("€ ")
    with page.expect_download() as xlsx:
        page.click("#download-xlsx")
    assert xlsx.value.suggested_filename == "mkba-1gezin1plan.xlsx"
    with page.expect_download() as svg:
        page.click("#download-svg")
    assert svg.value.suggested_filename.endswith(".svg")
    assert errors == []  # no CSP violation, no failed request
    page.close()


def test_report_download(server, browser) -> None:  # noqa: F811
    """ "Download rapport (PDF)" fetches the council report of the current scenario."""
    page = browser.new_page(accept_downloads=True)
    errors: list[str] = []
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    page.goto(f"{server}/cockpit")
    page.wait_for_selector('tr[data-output="mkbaSaldo"]')
    assert page.inner_text("#download-report") == "Download rapport (PDF)"
    with page.expect_download(timeout=90_000) as pdf:
        page.click("#download-report")
    assert pdf.value.suggested_filename == "mkba-1gezin1plan-rapport.pdf"
    with open(pdf.value.path(), "rb") as f:
        assert f.read(5) == b"%PDF-"
    assert errors == []
    page.close()
