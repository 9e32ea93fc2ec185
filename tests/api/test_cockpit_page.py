"""The cockpit page outside /v1: where / leads, its assets, and a policy that allows only them."""

from __future__ import annotations

import json
import re
from pathlib import Path

from flask import Flask
from flask.testing import FlaskClient

import service.cockpit
from service.cockpit import CSP

BROWSER_ACCEPT = "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"


def plain(app: Flask) -> FlaskClient:
    return FlaskClient(app, app.response_class)  # not part of the spec: no validation


def test_root_redirects_to_the_cockpit(app: Flask) -> None:
    response = plain(app).get("/")
    assert response.status_code == 302
    assert response.headers["Location"] == "/cockpit"


def test_page_and_assets_under_a_self_only_policy(app: Flask) -> None:
    client = plain(app)
    page = client.get("/cockpit", headers={"Accept": BROWSER_ACCEPT})
    assert page.status_code == 200 and page.mimetype == "text/html"
    assert page.headers["Content-Security-Policy"] == CSP
    assert "script-src 'self'" in CSP and "unsafe" not in CSP and "http" not in CSP
    html = page.get_data(as_text=True)
    for asset in ("/cockpit/assets/cockpit.js", "/cockpit/assets/cockpit.css"):
        assert asset in html
        response = client.get(asset, headers={"Accept": "*/*"})
        assert response.status_code == 200
        assert response.headers["Content-Security-Policy"] == CSP
        assert response.headers["X-Content-Type-Options"] == "nosniff"
        response.close()
    assert "<script>" not in html and "style=" not in html  # nothing inline to allow
    # the one inline block is data (the wording), which no browser runs
    assert re.findall(r"<script[^>]*>", html) == [
        '<script type="application/json" id="cockpit-text">',
        '<script src="/cockpit/assets/cockpit.js">',
    ]


def test_the_api_keeps_its_own_policy(app: Flask) -> None:
    headers = plain(app).get("/v1/modellen").headers
    assert headers["Content-Security-Policy"] == "frame-ancestors 'none'"


def test_every_word_the_page_uses_is_there_in_both_languages(app: Flask) -> None:
    """The wording is data (service/cockpit/text.json) the page embeds: the script's `t("...")`
    keys and the page's data-i18n keys all stand in nl and in en."""
    html = plain(app).get("/cockpit", headers={"Accept": BROWSER_ACCEPT}).get_data(as_text=True)
    block = re.search(r'<script type="application/json" id="cockpit-text">(.*?)</script>', html)
    assert block is not None
    text = json.loads(block.group(1))
    script = (Path(service.cockpit.__file__).parent / "static" / "cockpit.js").read_text("utf-8")
    used = set(re.findall(r'\bt\("(\w+)"\)', script)) | set(re.findall(r'data-i18n="(\w+)"', html))
    assert len(used) > 50
    for lang in ("nl", "en"):
        assert used <= set(text[lang]), (lang, used - set(text[lang]))
    assert set(text["nl"]) == set(text["en"])
