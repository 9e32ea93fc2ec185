"""The charts' SVG text drawn a run at a time (service/report/svgtext.py) against
WeasyPrint's own letter-by-letter drawing: the same pixels and the same words."""

from __future__ import annotations

import base64
import shutil
import subprocess
from pathlib import Path

import pytest

from service.analysis import charts
from service.report import svgtext
from tests.report.support import needs_poppler, pdf_text

weasyprint = pytest.importorskip("weasyprint")
needs_pdftoppm = pytest.mark.skipif(not shutil.which("pdftoppm"), reason="poppler-utils")
# Pixels (150 dpi, A4) allowed to differ by more than a quarter of grey: the anti-aliased
# edges of a few glyphs placed a fraction of a pixel apart (about 50 measured). Text moved
# by half a point, or an anchor handled wrongly, changes thousands.
LIMIT = 150

# Text as matplotlib writes it (one x and y, anchors, a rotation, a transform only) and two
# forms that only WeasyPrint's own path handles (per-letter dx, a tspan).
SVG = """<svg xmlns="http://www.w3.org/2000/svg" width="400pt" height="220pt"
  viewBox="0 0 400 220">
 <text style="font-size: 10px; font-family: 'DejaVu Sans'; text-anchor: start"
   x="20" y="30">Kosten en baten - MKBA (NCW x € 1.000)</text>
 <text style="font-size: 10px; font-family: 'DejaVu Sans'; text-anchor: middle"
   x="200" y="60" transform="rotate(-0 200 60)">1.435</text>
 <text style="font-size: 8px; font-family: 'DejaVu Sans'; text-anchor: end"
   x="380" y="90">Aantal (zorg)trajecten, huidig (990 / 1.210)</text>
 <text style="font-size: 10px; font-family: 'DejaVu Sans'; text-anchor: middle"
   transform="translate(14 150) rotate(-90)">cumulatief saldo</text>
 <text style="font-size: 7px; font-family: 'DejaVu Sans'; text-anchor: end"
   x="250" y="200" transform="rotate(-45 250 200)">Gemeente (Wmo, jeugd)</text>
 <text style="font-size: 10px; font-family: 'DejaVu Sans'" x="20" y="120"
   dx="0 2 2 2">spatie</text>
 <text style="font-size: 10px; font-family: 'DejaVu Sans'" x="120" y="120">een
   <tspan font-weight="bold">tspan</tspan></text>
</svg>"""


def _pdf(svg: bytes) -> bytes:
    data = "data:image/svg+xml;base64," + base64.b64encode(svg).decode("ascii")
    html = f'<img src="{data}" style="width: 12cm">'
    pdf: bytes = weasyprint.HTML(string=html).write_pdf()
    return pdf


def _both(svg: bytes, monkeypatch: pytest.MonkeyPatch) -> tuple[bytes, bytes, int]:
    """The PDF by WeasyPrint's own path, by the run path, and how often the run path
    handed a text element back to WeasyPrint's."""
    from weasyprint import svg as engine

    svgtext.install()
    assert engine.TAGS["text"] is svgtext.draw_text, (
        f"WeasyPrint {weasyprint.__version__} is not in svgtext.CHECKED: compare the paths again"
    )
    with monkeypatch.context() as m:  # WeasyPrint's own handlers, for the first PDF
        for tag, handler in list(engine.TAGS.items()):
            if handler is svgtext.draw_text:
                m.setitem(engine.TAGS, tag, svgtext._original)
        m.setattr(engine, "text", svgtext._original)
        own = _pdf(svg)
    handed_back = []
    original = svgtext._original
    monkeypatch.setattr(
        svgtext, "_original", lambda *a: (handed_back.append(a[1].tag), original(*a))
    )
    return own, _pdf(svg), len(handed_back)


def _pixels(pdf: bytes, tmp: Path, name: str) -> bytes:
    (tmp / f"{name}.pdf").write_bytes(pdf)
    subprocess.run(
        ["pdftoppm", "-r", "150", "-gray", str(tmp / f"{name}.pdf"), str(tmp / name)], check=True
    )
    return next(tmp.glob(f"{name}*.pgm")).read_bytes()


def _differing(a: bytes, b: bytes) -> int:
    """Pixels of two same-size PGM images whose grey differs by more than a quarter."""
    assert len(a) == len(b)
    return sum(abs(x - y) > 64 for x, y in zip(a, b, strict=True))


@needs_poppler
@needs_pdftoppm
def test_runs_draw_what_letters_draw(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    own, runs, handed_back = _both(SVG.encode("utf-8"), monkeypatch)
    assert handed_back == 3  # the dx text, the text holding a tspan, and the tspan
    pixels = _pixels(runs, tmp_path, "runs")
    assert _differing(_pixels(own, tmp_path, "own"), pixels) < LIMIT
    text = pdf_text(tmp_path / "runs.pdf")
    for words in ("Kosten en baten - MKBA (NCW x € 1.000)", "1.435", "(990 / 1.210)"):
        assert words in text


@needs_poppler
@needs_pdftoppm
def test_a_chart_by_runs(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    statistics = {"histogram": {"edges": [-500.0, 0.0, 500.0, 1000.0], "counts": [3, 9, 4]}}
    chart = charts.histogram_chart(statistics, label="MKBA saldo")
    own, runs, handed_back = _both(chart, monkeypatch)
    assert handed_back == 0  # every text of a matplotlib chart is one run
    assert _differing(_pixels(own, tmp_path, "own"), _pixels(runs, tmp_path, "runs")) < LIMIT
    assert "MKBA saldo (NCW x € 1.000)" in pdf_text(tmp_path / "runs.pdf")
