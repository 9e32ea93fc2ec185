"""The cockpit page: the knobs of a model in a browser, recalculated through the JSON API."""

from __future__ import annotations

from flask import Blueprint, render_template

bp = Blueprint(
    "cockpit",
    __name__,
    url_prefix="/cockpit",
    static_folder="static",
    static_url_path="/assets",
    template_folder="templates",
)


@bp.get("")
def page() -> str:
    """The single page; everything it shows comes from the API."""
    return render_template("cockpit.html")
