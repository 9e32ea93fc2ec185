"""The charts' SVG in fewer nodes (service/report/svgslim.py) draws what matplotlib's own
SVG draws: every chart of a report, the same pixels and the same words."""

from __future__ import annotations

import base64
import re
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
from flask import Flask

from service import report
from service.api.registry import registry
from service.report import svgslim
from tests.report.support import MODELS, needs_poppler, pdf_text
from tests.report.test_svgtext import _differing, _pdf, _pixels, needs_pdftoppm

pytest.importorskip("weasyprint")


def _charts(app: Flask, model_id: str, monkeypatch: pytest.MonkeyPatch) -> dict[str, bytes]:
    """The charts of a model's default report as matplotlib writes them (not slimmed)."""
    with app.app_context():
        api = registry().models[model_id]
    with monkeypatch.context() as m:
        m.setattr(svgslim, "slim", lambda data: data)
        data = report.scenario_report(api.model, api.calculate({}), {})
    return {
        s["id"]: base64.b64decode(s["chart"].split(",", 1)[1])
        for s in data["sections"]
        if s.get("chart")
    }


def _nodes(svg: bytes) -> int:
    return sum(1 for _ in ET.fromstring(svg).iter())


@needs_poppler
@needs_pdftoppm
@pytest.mark.parametrize("model_id", MODELS)
def test_every_chart_draws_the_same(
    app: Flask, model_id: str, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    charts = _charts(app, model_id, monkeypatch)
    assert len(charts) >= 4, sorted(charts)
    for name, own in charts.items():
        slim = svgslim.slim(own)
        assert b"style=" not in slim and b"<style" not in slim, name
        assert _nodes(slim) < 0.7 * _nodes(own), name
        a = _pixels(_pdf(own), tmp_path, f"{name}-own")
        b = _pixels(_pdf(slim), tmp_path, f"{name}-slim")
        assert _differing(a, b) == 0, name
        words = pdf_text(tmp_path / f"{name}-own.pdf")
        assert words.strip() and pdf_text(tmp_path / f"{name}-slim.pdf") == words, name


SVG = """<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink"
  width="100pt" height="50pt" viewBox="0 0 100 50">
 <defs><style type="text/css">*{stroke-linejoin: round; stroke-linecap: butt}</style></defs>
 <g id="figure_1">
  <g id="named"><path id="m1" d="M 0 0 L 5 0" style="stroke: #000000; stroke-width: 0.8"/></g>
  <g id="kept" opacity="0.5"><use xlink:href="#m1" x="10" y="10" style="stroke: #000000"/></g>
  <g id="used"><path d="M 1 1 L 2 2"/></g>
  <use xlink:href="#used" x="3"/>
  <text x="5" y="40" transform="rotate(-0 5 40)" style="font-size: 10px; fill: #ff0000">tekst</text>
  <text x="5" y="20" transform="rotate(-45 5 20)">schuin</text>
 </g>
</svg>"""


def test_what_is_rewritten_and_what_is_kept() -> None:
    slim = svgslim.slim(SVG.encode("utf-8")).decode("utf-8")
    root = ET.fromstring(slim)
    ns = "{http://www.w3.org/2000/svg}"
    assert root.get("stroke-linejoin") == "round" and root.get("stroke-linecap") == "butt"
    assert root.find(f"{ns}defs") is None  # only the stylesheet was in it
    groups = {g.get("id"): g for g in root.iter(f"{ns}g")}
    assert set(groups) == {"kept", "used"}  # a group with a property, a referenced group
    path = root.find(f".//{ns}path[@id='m1']")
    assert path is not None and path.get("stroke-width") == "0.8"
    use = groups["kept"].find(f"{ns}use")
    assert use is not None and use.get("{http://www.w3.org/1999/xlink}href") == "#m1"
    texts = {t.text: t for t in root.iter(f"{ns}text")}
    assert texts["tekst"].get("transform") is None and texts["tekst"].get("fill") == "#ff0000"
    assert texts["schuin"].get("transform") == "rotate(-45 5 20)"


@pytest.mark.parametrize(
    "sheet",
    [
        "*{opacity: 0.5}",  # not inherited: on the root it would fade the whole drawing once
        "path{stroke-linecap: butt}",  # a rule for some nodes only
        "*{font-size: 80%}",  # relative: under a `*` rule it compounds at every level
    ],
)
def test_a_stylesheet_it_cannot_move_leaves_the_svg_as_it_is(sheet: str) -> None:
    svg = SVG.replace("*{stroke-linejoin: round; stroke-linecap: butt}", sheet).encode()
    assert svgslim.slim(svg) == svg


def test_an_important_declaration_leaves_the_svg_as_it_is() -> None:
    svg = SVG.replace("fill: #ff0000", "fill: #ff0000 !important").encode()
    assert svgslim.slim(svg) == svg


def test_an_element_of_another_namespace_leaves_the_svg_as_it_is() -> None:
    svg = re.sub("<svg ", '<svg xmlns:x="urn:x" ', SVG).replace("</svg>", "<x:y/></svg>")
    assert svgslim.slim(svg.encode()) == svg.encode()
