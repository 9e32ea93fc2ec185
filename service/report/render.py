"""A report as HTML (Jinja, one template per kind of report) and as a tagged PDF
(WeasyPrint: PDF/UA-1 with structure tags, document language and title, fonts embedded)."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path
from typing import Any

import jinja2

from service.report import svgtext, uasheet

HERE = Path(__file__).resolve().parent
TEMPLATES = HERE / "templates"
TEMPLATE = {"scenario": "scenario.html", "comparison": "comparison.html"}
PDF_VARIANT = "pdf/ua-1"  # tagged, with /Lang and the title shown (ISO 14289-1)


@lru_cache(maxsize=1)
def _environment() -> jinja2.Environment:
    return jinja2.Environment(
        loader=jinja2.FileSystemLoader(TEMPLATES),
        autoescape=True,
        trim_blocks=True,
        lstrip_blocks=True,
        undefined=jinja2.StrictUndefined,
    )


def render_html(report: dict[str, Any], embed_fonts: bool = False) -> str:
    """The report as one HTML page (inline style and SVG charts; no scripts, no requests).

    `embed_fonts` links the vendored DejaVu Sans (for the PDF, resolved against the
    package); a browser uses its own sans-serif."""
    template = _environment().get_template(TEMPLATE[report["kind"]])
    css = (TEMPLATES / "report.css").read_text("utf-8")
    fonts = (TEMPLATES / "fonts.css").read_text("utf-8") if embed_fonts else ""
    return template.render(r=report, t=report["t"], css=css, fonts=fonts)


def preload() -> None:
    """Import WeasyPrint and matplotlib's SVG backend now (the app calls it at start, before
    gunicorn forks): a first import takes seconds, which a request's time limit would
    otherwise spend, and an interrupted import leaves half-built modules behind."""
    import matplotlib

    matplotlib.use("Agg", force=False)
    import matplotlib.backends.backend_svg  # noqa: F401
    import matplotlib.figure  # noqa: F401
    import weasyprint  # noqa: F401

    svgtext.install()
    uasheet.html_class()


def render_pdf(report: dict[str, Any]) -> bytes:
    """The report as an A4 PDF/UA-1 document: tagged, language and title set, fonts
    embedded (a subset of the vendored DejaVu Sans), page numbers in the footer."""
    svgtext.install()  # the charts' SVG text laid out a run at a time, not a letter
    # WeasyPrint (lazy: only a PDF needs it, and pango from the system), its cascade without
    # the pseudo-elements of footnotes and notes a report never has
    html = uasheet.html_class()(string=render_html(report, embed_fonts=True), base_url=str(HERE))
    pdf: bytes = html.write_pdf(pdf_variant=PDF_VARIANT, pdf_tags=True)
    return pdf
