"""Figures as a Dutch council paper prints them: EUR 1.364.850; 34%; 1,65.

Both languages print numbers the Dutch way (the report is a Dutch council document);
a non-breaking space keeps "EUR" with its amount on one line.
"""

from __future__ import annotations

import math
from typing import Any

from service.analysis.charts import thousands

NBSP = "\u00a0"
PERCENT_UNITS = ("fractie", "%", "")


def _is_number(x: Any) -> bool:
    return isinstance(x, int | float) and not isinstance(x, bool) and math.isfinite(x)


def _decimals(x: float, most: int = 2) -> str:
    """A number with up to `most` decimals, trailing zeros dropped (5,5; 2,25; 324)."""
    text = thousands(x, most)
    if "," in text:
        text = text.rstrip("0").rstrip(",")
    return "0" if text in ("-0", "") else text


def euro(x: Any) -> str:
    """EUR 1.364.850: whole euros, except small amounts with cents (EUR 12,50)."""
    if not _is_number(x):
        return "-"
    if abs(x) >= 100 or float(x).is_integer():
        text = thousands(round(x))
    else:
        text = thousands(x, 2)
    return f"EUR{NBSP}{text}"


def percent(x: Any, decimals: int = 0) -> str:
    """A fraction as a percentage: 0,343 -> 34% (decimals=0); 0,055 -> 5,5% (decimals=2)."""
    if not _is_number(x):
        return "-"
    if decimals == 0:
        return f"{thousands(round(100 * x))}%"
    return f"{_decimals(100 * x, decimals)}%"


def number(x: Any) -> str:
    """A plain number: 324; 1,65; 12.000."""
    if not _is_number(x):
        return "-"
    return _decimals(x, 2)


def value(x: Any, kind: str, unit: str, lang: str = "nl", exact: bool = False) -> str:
    """A value of an input or output by its type and unit; `exact` keeps up to two decimals
    of a percentage (inputs: 5,5%), else whole percentages (outputs: 34%)."""
    if x is None:
        return "-"
    if kind == "yesno" or isinstance(x, bool):
        yes = x if isinstance(x, bool) else str(x).strip().lower() == "ja"
        return ("ja" if yes else "nee") if lang == "nl" else ("yes" if yes else "no")
    if isinstance(x, str):
        return x
    if kind == "euro":
        rest = unit.removeprefix("EUR").strip()
        return euro(x) + (f" {rest}" if rest else "")
    if kind == "fraction":
        text = percent(x, 2 if exact else 0)
        return text + ("" if unit in PERCENT_UNITS else f" {unit}")
    text = number(x)
    return text + (f" {unit}" if unit else "")
