"""WeasyPrint's HTML, cascaded with its user-agent stylesheet less the rules a report
never uses: those of footnotes and notes, and list markers outside a list item.

WeasyPrint's default stylesheet (css/html5_ua.css) gives every element six pseudo-elements
by universal rules (`::marker`, `::footnote-call`, `::footnote-marker`, `::note-call`,
`::note-marker`, `::note-callback`), and computes a style for each of them whether or not
the element ever has one: six styles per table cell, two thirds of a report's cascade. A
footnote or a note exists only where a stylesheet floats an element to one, and a marker
only on a list item; a report does neither (tests/report/test_uasheet.py checks the
templates), so the same PDF comes out, byte for byte, from a smaller cascade. For the
WeasyPrint releases in `CHECKED` only; with another, WeasyPrint's own class is used.
"""

from __future__ import annotations

import re
from functools import lru_cache
from typing import Any

# The releases whose html5_ua.css this was compared with (tests/report/test_uasheet.py
# fails with another, as a reminder to compare again and widen this).
CHECKED = ("70.",)

# A universal rule of one of these pseudo-elements, at the start of a line of the sheet.
NOTES = re.compile(r"^::(footnote-call|footnote-marker|note-call|note-marker|note-callback)\b.*$")
MARKER = re.compile(r"^::marker\b")


def ua_text(text: str) -> str:
    """The user-agent sheet `text` with the notes' rules left out and `::marker` on `li`."""
    lines = [line for line in text.splitlines() if not NOTES.match(line)]
    return "\n".join(MARKER.sub("li::marker", line) for line in lines) + "\n"


@lru_cache(maxsize=1)
def html_class() -> Any:
    """`weasyprint.HTML`, or a subclass of it cascaded with the smaller sheet when this
    WeasyPrint release is one in `CHECKED`."""
    import weasyprint
    from weasyprint import CSS, html

    if not weasyprint.__version__.startswith(CHECKED):
        return weasyprint.HTML
    sheet = CSS(string=ua_text(html.UA), counter_style=html.UA_COUNTER_STYLE)

    class ReportHTML(weasyprint.HTML):  # type: ignore[misc]
        """WeasyPrint's HTML with the report's user-agent stylesheet."""

        def _ua_stylesheets(self, forms: bool = False) -> list[Any]:
            return [sheet, html.UA_FORM_STYLESHEET] if forms else [sheet]

    return ReportHTML
