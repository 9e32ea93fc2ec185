"""The report's cascade without the footnote, note and stray marker rules of WeasyPrint's
user-agent stylesheet (service/report/uasheet.py): the same PDF, byte for byte."""

from __future__ import annotations

import re
from typing import Any

import pytest
from flask import Flask

from service import report
from service.api.registry import registry
from service.report import render, uasheet

weasyprint = pytest.importorskip("weasyprint")


def test_this_weasyprint_is_one_compared() -> None:
    assert weasyprint.__version__.startswith(uasheet.CHECKED), (
        f"WeasyPrint {weasyprint.__version__} is not in uasheet.CHECKED: compare its "
        "html5_ua.css with uasheet.ua_text and the PDFs of both classes again"
    )
    assert uasheet.html_class() is not weasyprint.HTML


def test_only_the_notes_and_the_universal_marker_change() -> None:
    from weasyprint import html

    before, after = html.UA.splitlines(), uasheet.ua_text(html.UA).splitlines()
    dropped = [line for line in before if line not in after]
    added = [line for line in after if line not in before]
    assert [line.split(" {")[0] for line in dropped] == [
        "::marker",
        "::footnote-call",
        "::footnote-marker",
        "::note-call",
        "::note-marker",
        "::note-callback",
    ]
    assert [line.split(" {")[0] for line in added] == ["li::marker"]
    assert len(after) == len(before) - 5


def test_a_report_has_no_footnote_note_or_list_item() -> None:
    """What the smaller sheet leaves out, a report must not use: a float to a footnote or
    a note, or a list item other than `li` (a marker's element)."""
    for path in render.TEMPLATES.iterdir():
        text = path.read_text("utf-8")
        assert not re.search(r"footnote|float:\s*note|list-item", text), path.name


def test_the_same_pdf(app: Flask) -> None:
    with app.app_context():
        api = registry().models["mkba-1gezin1plan"]
    data: dict[str, Any] = report.scenario_report(api.model, api.calculate({}), {})
    html = report.render_html(data, embed_fonts=True)
    options = {"pdf_variant": render.PDF_VARIANT, "pdf_tags": True}
    ours = uasheet.html_class()(string=html, base_url=str(render.HERE)).write_pdf(**options)
    own = weasyprint.HTML(string=html, base_url=str(render.HERE)).write_pdf(**options)
    assert ours == own
    list_page = "<ol><li>een</li><li>twee</li></ol><p>tekst<sup>1</sup></p>"
    assert (
        uasheet.html_class()(string=list_page).write_pdf()
        == weasyprint.HTML(string=list_page).write_pdf()
    )
