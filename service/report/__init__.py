"""The council report: a scenario or a comparison of variants as HTML and as a tagged PDF.

`scenario_report` / `comparison_report` gather the report's data from the API's own
answers and analyses (`service.report.sections`), `render_html` / `render_pdf` render it
with one Jinja template per kind of report (templates/).
"""

from service.report.build import SECTIONS, comparison_report, scenario_report
from service.report.render import preload, render_html, render_pdf
from service.report.texts import LANGUAGES

__all__ = [
    "LANGUAGES",
    "SECTIONS",
    "comparison_report",
    "preload",
    "render_html",
    "render_pdf",
    "scenario_report",
]
