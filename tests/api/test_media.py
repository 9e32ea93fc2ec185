"""Answers in other media types: charts (SVG/PNG), the scenario as a workbook, 406."""

from __future__ import annotations

import io
import zipfile

import pytest

from service.audit import XLSX_MIMETYPE
from tests.api.support import CALC, DEFAULT_MODEL

CHARTS = [f"/v1/modellen/{DEFAULT_MODEL}/grafieken/{name}" for name in ("kosten-baten", "tornado")]


@pytest.mark.parametrize("url", CHARTS)
@pytest.mark.parametrize(
    ("accept", "mimetype", "magic"),
    [
        (None, "image/svg+xml", b"<?xml"),
        ("*/*", "image/svg+xml", b"<?xml"),
        ("image/svg+xml", "image/svg+xml", b"<?xml"),
        ("image/png", "image/png", b"\x89PNG"),
        ("image/png, image/svg+xml;q=0.5", "image/png", b"\x89PNG"),
    ],
)
def test_charts_by_accept(client, url: str, accept, mimetype: str, magic: bytes) -> None:
    headers = {"Accept": accept} if accept else {}
    response = client.post(url, json={}, headers=headers)
    assert response.status_code == 200
    assert response.mimetype == mimetype
    assert response.data.startswith(magic)


@pytest.mark.parametrize("url", CHARTS)
def test_charts_refuse_json(client, url: str) -> None:
    response = client.post(url, json={}, headers={"Accept": "application/json"})
    assert response.status_code == 406
    assert "image/svg+xml" in response.get_json()["detail"]


def test_chart_input_errors_are_problems(client) -> None:
    response = client.post(CHARTS[0], json={"invoer": {"fteAanpak": -1}})
    assert response.status_code == 400
    assert response.get_json()["invalidParams"][0]["name"] == "invoer.fteAanpak"


def test_calculation_as_a_workbook(client) -> None:
    response = client.post(
        CALC, json={"invoer": {"fteAanpak": 13}}, headers={"Accept": XLSX_MIMETYPE}
    )
    assert response.status_code == 200
    assert response.mimetype == XLSX_MIMETYPE
    disposition = response.headers["Content-Disposition"]
    assert disposition == f'attachment; filename="{DEFAULT_MODEL}.xlsx"'
    assert "xl/workbook.xml" in zipfile.ZipFile(io.BytesIO(response.data)).namelist()


def test_workbook_of_an_invalid_scenario_is_a_400(client) -> None:
    response = client.post(CALC, json={"invoer": {"x": 1}}, headers={"Accept": XLSX_MIMETYPE})
    assert response.status_code == 400
    assert response.mimetype == "application/problem+json"


def test_json_stays_the_default(client) -> None:
    for accept in ("*/*", f"application/json, {XLSX_MIMETYPE};q=0.5"):
        response = client.post(CALC, json={}, headers={"Accept": accept})
        assert response.mimetype == "application/json"
    assert client.post(CALC, json={}, headers={"Accept": "image/png"}).status_code == 406
