"""Output values of the analyses: as JSON values, as float columns."""

from __future__ import annotations

import math
from typing import Any

import numpy as np

from service.analysis.checks import is_number


def json_value(v: Any) -> float | bool | str | None:
    """An output value for JSON: float, bool, or the error code as text."""
    if isinstance(v, bool | np.bool_):
        return bool(v)
    if isinstance(v, int | float | np.integer | np.floating):
        f = float(v)
        return f if math.isfinite(f) else None
    return None if v is None else str(v)


def float_column(col: np.ndarray) -> np.ndarray:
    """An output column as float64, NaN where it holds an error or text."""
    if col.dtype.kind in "fiub":
        return col.astype(np.float64, copy=False)
    return np.array([x if is_number(x) else math.nan for x in col.tolist()], dtype=np.float64)
