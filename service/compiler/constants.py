"""Constant cells as Excel sees them: every value openpyxl can give, or a refusal."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from typing import Any

from service.engine.runtime import ERRORS

_EPOCH = dt.datetime(1899, 12, 30)
# Excel counts 1900-02-29 (a day that never was): serials before 1900-03-01 are one less
# than the day count from 1899-12-30, and openpyxl reads them back that way.
_LEAP_BUG_END = dt.datetime(1900, 3, 1)
_ESCAPE = re.compile(r"_x([0-9A-Fa-f]{4})_")


@dataclass(frozen=True)
class Unsupported:
    """A constant cell the compiler cannot give Excel's value for; reading it is refused."""

    reason: str


def _serial(moment: dt.datetime) -> float:
    delta = moment - _EPOCH
    days = delta.days - (1 if moment < _LEAP_BUG_END else 0)
    return days + (delta.seconds + delta.microseconds / 1e6) / 86400.0


def cell_constant(v: Any) -> Any:
    """An openpyxl cell value -> float, bool, str, ExcelError, None or Unsupported."""
    if isinstance(v, bool) or v is None:
        return v
    if isinstance(v, int | float):
        return float(v)
    if isinstance(v, dt.datetime):
        if v.tzinfo is not None:
            return Unsupported(f"a date with a time zone ({v.isoformat()})")
        return _serial(v)
    if isinstance(v, dt.date):
        return _serial(dt.datetime(v.year, v.month, v.day))
    if isinstance(v, dt.time):
        return (v.hour * 3600 + v.minute * 60 + v.second + v.microsecond / 1e6) / 86400.0
    if isinstance(v, dt.timedelta):
        return v.days + (v.seconds + v.microseconds / 1e6) / 86400.0
    if isinstance(v, str):
        if v in ERRORS:
            return ERRORS[v]
        # OOXML escapes control characters as _xHHHH_ (openpyxl leaves them escaped)
        return _ESCAPE.sub(lambda m: chr(int(m.group(1), 16)), v) if "_x" in v else v
    return Unsupported(f"a constant of type {type(v).__name__}")
