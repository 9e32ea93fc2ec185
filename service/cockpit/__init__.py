"""The cockpit page: the knobs of a model in a browser, recalculated through the JSON API."""

from __future__ import annotations

import json
from pathlib import Path

from flask import Blueprint, Response, render_template

bp = Blueprint(
    "cockpit",
    __name__,
    url_prefix="/cockpit",
    static_folder="static",
    static_url_path="/assets",
    template_folder="templates",
)


# The page's wording in nl and en: shown in Dutch first, embedded for the script to switch.
TEXT = json.loads((Path(__file__).resolve().parent / "text.json").read_text("utf-8"))

# The page runs its own script and style only: no inline code, no other origin.
CSP = (
    "default-src 'none'; script-src 'self'; style-src 'self'; connect-src 'self'; "
    "img-src 'self' data: blob:; base-uri 'none'; form-action 'none'; frame-ancestors 'none'"
)


@bp.after_request
def _csp(response: Response) -> Response:
    response.headers["Content-Security-Policy"] = CSP
    return response


@bp.get("")
def page() -> str:
    """The single page; everything it shows comes from the API."""
    return render_template("cockpit.html", text=TEXT, nl=TEXT["nl"])
