"""What the report tests share: poppler's tools on a PDF, and figures formatted the Dutch
way, written out here independently of service/report/numbers.py."""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path
from typing import Any

import pytest

POPPLER = shutil.which("pdftotext") and shutil.which("pdffonts") and shutil.which("pdfinfo")
needs_poppler = pytest.mark.skipif(
    not POPPLER, reason="poppler-utils not installed (apt poppler-utils; .ci/run installs it)"
)
MODELS = ("mkba-1gezin1plan", "mkba-sociale-wijkteams")


def report_path(model_id: str) -> str:
    return f"/v1/modellen/{model_id}/rapporten"


def pdf_text(pdf: Path) -> str:
    """The PDF's text by pdftotext, whitespace (non-breaking spaces too) collapsed."""
    out = subprocess.run(
        ["pdftotext", "-enc", "UTF-8", str(pdf), "-"], check=True, capture_output=True, text=True
    ).stdout
    return re.sub(r"\s+", " ", out.replace("\u00a0", " "))


def pdf_fonts(pdf: Path) -> list[dict[str, str]]:
    """pdffonts' table: name, type and its emb(edded) column per font."""
    lines = subprocess.run(
        ["pdffonts", str(pdf)], check=True, capture_output=True, text=True
    ).stdout.splitlines()[2:]
    fonts = []
    for line in lines:
        # name, type (may hold spaces), encoding, emb, sub, uni, object, id: read from the right
        parts = line.split()
        fonts.append({"name": parts[0], "emb": parts[-5], "sub": parts[-4]})
    return fonts


def dutch(value: float, kind: str) -> str:
    """A figure as the report must print it: EUR 1.364.850; 34%; 1,65; 324."""
    if kind == "euro":
        return "EUR " + f"{round(value):,}".replace(",", ".")
    if kind == "fraction":
        return f"{round(100 * value)}%"
    text = f"{value:,.2f}".replace(",", " ").replace(".", ",").replace(" ", ".")
    return text.rstrip("0").rstrip(",")


def flat(uitvoer: dict[str, dict[str, Any]]) -> dict[str, Any]:
    """An answer's outputs by name."""
    return {k: v for group in uitvoer.values() for k, v in group.items()}
