"""Parse one uploaded .xlsx under resource limits; run as a script by service.audit.safety.

Standalone on purpose (stdlib and openpyxl only, no `service` imports): it starts in a few
hundred milliseconds, shares nothing with the service process, and answers in JSON, never
pickle, so even a parser compromised by a hostile file cannot run code in the service.

argv[1]: JSON limits {"memory": bytes, "cpu": seconds, "max_rows": n, "max_cells": n,
"max_uncompressed": bytes}. stdin: the file. stdout: one JSON document, either
{"ok": {"sheets": [...], "formulas": {...}, "values": {...}}} or {"error": [kind, detail]}.
"""

from __future__ import annotations

import json
import re
import resource
import sys
import warnings
import zipfile
from datetime import date, datetime, time, timedelta
from io import BytesIO
from typing import Any

_DTD = re.compile(rb"<!DOCTYPE|<!ENTITY", re.IGNORECASE)
_DEFUSED = ("EntitiesForbidden", "DTDForbidden", "ExternalReferenceForbidden")
_ERROR_CODES = {"#NULL!", "#DIV/0!", "#VALUE!", "#REF!", "#NAME?", "#NUM!", "#N/A"}


class Refused(Exception):
    """An upload refused with an error kind ('RejectedWorkbook', 'WorkbookTooLarge', ...)."""

    def __init__(self, kind: str, detail: str) -> None:
        super().__init__(detail)
        self.kind = kind
        self.detail = detail


def scan_parts(archive: zipfile.ZipFile, limits: dict[str, int]) -> None:
    """Refuse DTDs in any XML part; count rows and cells of the worksheets."""
    rows = cells = 0
    for info in archive.infolist():
        if not info.filename.lower().endswith((".xml", ".rels", ".vml")):
            continue
        with archive.open(info) as fh:
            data = fh.read(limits["max_uncompressed"] + 1)
        if _DTD.search(data):
            raise Refused(
                "RejectedWorkbook",
                f"{info.filename} declares a DTD or entities, which an .xlsx never needs",
            )
        if info.filename.lower().startswith("xl/worksheets/"):
            rows += data.count(b"<row ") + data.count(b"<row>")
            cells += data.count(b"<c ") + data.count(b"<c>")
            if rows > limits["max_rows"]:
                raise Refused("WorkbookTooLarge", f"more than {limits['max_rows']} rows")
            if cells > limits["max_cells"]:
                raise Refused("WorkbookTooLarge", f"more than {limits['max_cells']} cells")


_EPOCH = datetime(1899, 12, 30)


def serial(value: datetime | date | time | timedelta) -> float:
    """A date or time as the number the cell holds (Excel's 1900 date system), which is
    what formulas compute with; openpyxl shows it as a date because of its format."""
    if isinstance(value, datetime):
        delta = value - _EPOCH
        return delta.days + (delta.seconds + delta.microseconds / 1e6) / 86400.0
    if isinstance(value, date):
        return float((value - _EPOCH.date()).days)
    if isinstance(value, time):
        seconds = value.hour * 3600 + value.minute * 60 + value.second
        return (seconds + value.microsecond / 1e6) / 86400.0
    return value.total_seconds() / 86400.0


def plain(value: Any, data_type: str) -> Any:
    """A JSON value for a cell: errors as {"error": code}, dates as their serial number."""
    if data_type == "e" or (data_type != "s" and isinstance(value, str) and value in _ERROR_CODES):
        return {"error": str(value)}
    if isinstance(value, datetime | date | time | timedelta):
        return serial(value)
    if isinstance(value, bool | int | float | str) or value is None:
        return value
    return str(value)


def read(data: bytes, limits: dict[str, int]) -> dict[str, Any]:
    """Sheet names, formulas and values (cached for formula cells) by 'Sheet!A1'."""
    import openpyxl

    if not openpyxl.DEFUSEDXML:
        raise RuntimeError("openpyxl does not use defusedxml; refusing to parse uploads")
    scan_parts(zipfile.ZipFile(BytesIO(data)), limits)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        book_f = openpyxl.load_workbook(BytesIO(data), read_only=True, data_only=False)
        book_v = openpyxl.load_workbook(BytesIO(data), read_only=True, data_only=True)
    formulas: dict[str, str] = {}
    values: dict[str, Any] = {}
    for ws_f, ws_v in zip(book_f.worksheets, book_v.worksheets, strict=True):
        title = ws_f.title
        for row in ws_f.iter_rows():
            for c in row:
                if c.value is None or not hasattr(c, "coordinate"):
                    continue
                if c.data_type == "f":
                    formulas[f"{title}!{c.coordinate}"] = str(c.value)
                else:
                    values[f"{title}!{c.coordinate}"] = plain(c.value, c.data_type)
        for row in ws_v.iter_rows():
            for c in row:
                key = f"{title}!{getattr(c, 'coordinate', '')}"
                if c.value is not None and key in formulas:
                    values[key] = plain(c.value, c.data_type)
    return {"sheets": list(book_f.sheetnames), "formulas": formulas, "values": values}


def forbidden_xml(exc: BaseException | None) -> str | None:
    """The defusedxml error behind `exc` (openpyxl wraps it in a ValueError), if any."""
    seen = 0
    while exc is not None and seen < 10:
        if type(exc).__name__ in _DEFUSED:
            return type(exc).__name__
        exc = exc.__cause__ or exc.__context__
        seen += 1
    return None


def out_of_memory(exc: BaseException | None) -> bool:
    """Whether `exc` comes from the memory limit: MemoryError, or zlib's Z_MEM_ERROR (-4)."""
    seen = 0
    while exc is not None and seen < 10:
        if isinstance(exc, MemoryError) or "Error -4 while" in str(exc):
            return True
        exc = exc.__cause__ or exc.__context__
        seen += 1
    return False


def main() -> None:
    """Set the limits, read stdin, parse, print one JSON answer."""
    limits = json.loads(sys.argv[1])
    sys.modules["numpy"] = None  # type: ignore[assignment]  # openpyxl needs none; 0.3 s saved
    # Import before the limits, so that they bound the parsing and not the start-up, whose
    # footprint differs between environments (an 8 MiB limit failed imports in a fresh venv).
    import openpyxl  # noqa: F401

    resource.setrlimit(resource.RLIMIT_AS, (limits["memory"], limits["memory"]))
    resource.setrlimit(resource.RLIMIT_CPU, (limits["cpu"], limits["cpu"] + 1))
    resource.setrlimit(resource.RLIMIT_FSIZE, (0, 0))  # nothing is written to disk
    data = sys.stdin.buffer.read()
    try:
        answer: dict[str, Any] = {"ok": read(data, limits)}
    except Refused as exc:
        answer = {"error": [exc.kind, exc.detail]}
    except MemoryError:
        answer = {"error": ["WorkbookTooLarge", "parsing exceeded the memory limit"]}
    except Exception as exc:  # anything a hostile file makes a parser raise
        name = type(exc).__name__
        forbidden = forbidden_xml(exc)
        if forbidden:
            answer = {"error": ["RejectedWorkbook", f"XML with forbidden constructs ({forbidden})"]}
        elif out_of_memory(exc):
            answer = {"error": ["WorkbookTooLarge", "parsing exceeded the memory limit"]}
        else:
            answer = {"error": ["CorruptWorkbook", f"unreadable workbook: {name}: {exc}"[:300]]}
    try:
        out = json.dumps(answer)
    except MemoryError:
        out = json.dumps({"error": ["WorkbookTooLarge", "the result exceeded the memory limit"]})
    sys.stdout.write(out)


if __name__ == "__main__":
    main()
