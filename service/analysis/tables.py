"""The analyses' reference tables: JSON files with their sources in data/, read once."""

from __future__ import annotations

import json
from functools import cache
from pathlib import Path
from typing import Any

DATA = Path(__file__).resolve().parent / "data"


@cache
def table(name: str) -> dict[str, Any]:
    """The table `data/<name>.json` (norms, cpi, optimism_bias), read on first use."""
    with open(DATA / f"{name}.json", encoding="utf-8") as f:
        data: dict[str, Any] = json.load(f)
    return data
