"""Read an uploaded .xlsx safely: checks before parsing, then openpyxl in a limited child.

In order, nothing written to disk:
1. size cap on the upload; the file's magic bytes (an OLE/CFB container is an encrypted
   workbook or a legacy .xls; anything not a ZIP is not an .xlsx);
2. the ZIP's central directory: entry count, total uncompressed size, compression ratio per
   entry, encrypted entries, macros (vbaProject, macro-enabled content types), external links;
3. in a child process (forkserver: a fork of a small pre-loaded server, not of the
   service) under RLIMIT_AS, RLIMIT_CPU and RLIMIT_FSIZE=0, with a wall-clock timeout in
   the parent: every XML part is refused if it declares a DTD, rows and cells are counted,
   then openpyxl parses with defusedxml underneath.
"""

from __future__ import annotations

import multiprocessing
import os
import re
import resource
import warnings
import zipfile
from dataclasses import dataclass, field
from datetime import date, datetime, time
from io import BytesIO
from multiprocessing.connection import Connection
from typing import Any

from service.audit.errors import (
    AuditError,
    CorruptWorkbook,
    RejectedWorkbook,
    UnsupportedWorkbook,
    WorkbookTooLarge,
)
from service.engine.runtime import ERRORS, ExcelError

_CFB_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_ZIP_MAGIC = b"PK\x03\x04"
_MACRO_SUFFIXES = (".xlsm", ".xltm", ".xlam", ".xlsb")
_MiB = 1024 * 1024


@dataclass(frozen=True)
class Limits:
    """Every limit of an upload; the defaults fit workbooks of this service's size."""

    max_upload_bytes: int = 5 * _MiB
    max_entries: int = 200
    max_uncompressed_bytes: int = 50 * _MiB
    max_entry_ratio: float = 100.0
    max_rows: int = 100_000
    max_cells: int = 500_000
    parse_seconds: float = 4.0
    parse_memory_bytes: int = 1024 * _MiB


DEFAULT_LIMITS = Limits()


@dataclass
class ParsedWorkbook:
    """What an audit needs of an upload: sheet names, formulas and cell values by 'Sheet!A1'."""

    sheets: list[str]
    formulas: dict[str, str] = field(default_factory=dict)  # formula text, '=...'
    values: dict[str, Any] = field(default_factory=dict)  # cached value or typed value


# ------------------------------------------------------------------ before parsing


def check_upload(data: bytes, filename: str | None = None, limits: Limits = DEFAULT_LIMITS) -> None:
    """Refuse an upload that is too large, not an .xlsx, macro-enabled or a ZIP bomb."""
    if len(data) > limits.max_upload_bytes:
        raise WorkbookTooLarge(
            f"upload of {len(data)} bytes exceeds the limit of {limits.max_upload_bytes} bytes"
        )
    name = (filename or "").lower()
    if name.endswith(_MACRO_SUFFIXES):
        raise UnsupportedWorkbook(
            f"{os.path.basename(name)}: macro-enabled or binary workbooks are refused; "
            "save as .xlsx"
        )
    if name and not name.endswith(".xlsx"):
        raise UnsupportedWorkbook(f"{os.path.basename(name)}: only .xlsx files are accepted")
    if data.startswith(_CFB_MAGIC):
        raise UnsupportedWorkbook(
            "an OLE compound file, not an .xlsx: a password-protected (encrypted) workbook or "
            "a legacy .xls; save it without a password as .xlsx"
        )
    if not data.startswith(_ZIP_MAGIC):
        raise UnsupportedWorkbook("not an .xlsx file (an .xlsx is a ZIP package)")
    try:
        archive = zipfile.ZipFile(BytesIO(data))
        infos = archive.infolist()
    except (zipfile.BadZipFile, zipfile.LargeZipFile, ValueError, OSError) as exc:
        raise CorruptWorkbook(f"truncated or corrupt ZIP package ({exc})") from None
    if len(infos) > limits.max_entries:
        raise WorkbookTooLarge(f"{len(infos)} ZIP entries exceed the limit of {limits.max_entries}")
    total = 0
    for info in infos:
        total += info.file_size
        if info.flag_bits & 0x1:
            raise UnsupportedWorkbook(f"encrypted ZIP entry {info.filename!r}")
        if info.file_size > 1024 * 64 and info.file_size > limits.max_entry_ratio * max(
            info.compress_size, 1
        ):
            ratio = info.file_size / max(info.compress_size, 1)
            raise WorkbookTooLarge(
                f"ZIP entry {info.filename!r} expands {ratio:.0f}-fold, more than the limit of "
                f"{limits.max_entry_ratio:.0f}: refused as a possible ZIP bomb"
            )
    if total > limits.max_uncompressed_bytes:
        raise WorkbookTooLarge(
            f"the package expands to {total} bytes, more than the limit of "
            f"{limits.max_uncompressed_bytes}: refused as a possible ZIP bomb"
        )
    names = {i.filename for i in infos}
    lowered = {n.lower() for n in names}
    if any(n.endswith("vbaproject.bin") or "/vba" in n for n in lowered):
        raise UnsupportedWorkbook("the workbook contains macros (a VBA project); save as .xlsx")
    if "[content_types].xml" not in lowered or "xl/workbook.xml" not in lowered:
        raise UnsupportedWorkbook("a ZIP package but not an .xlsx workbook")
    content_types = archive.read(next(n for n in names if n.lower() == "[content_types].xml"))
    if b"macroEnabled" in content_types or b"vbaProject" in content_types:
        raise UnsupportedWorkbook("a macro-enabled workbook (.xlsm); save as .xlsx")
    if any(n.startswith("xl/externallinks/") for n in lowered):
        raise RejectedWorkbook(
            "the workbook links to other workbooks (external links); remove them and upload again"
        )


# ------------------------------------------------------------------ in the child

_DTD = re.compile(rb"<!DOCTYPE|<!ENTITY", re.IGNORECASE)


def _scan_parts(archive: zipfile.ZipFile, limits: Limits) -> None:
    """Refuse DTDs in any XML part; count rows and cells of the worksheets."""
    rows = cells = 0
    for info in archive.infolist():
        if not info.filename.lower().endswith((".xml", ".rels", ".vml")):
            continue
        with archive.open(info) as fh:
            data = fh.read(limits.max_uncompressed_bytes + 1)
        if _DTD.search(data):
            raise RejectedWorkbook(
                f"{info.filename} declares a DTD or entities, which an .xlsx never needs"
            )
        if info.filename.lower().startswith("xl/worksheets/"):
            rows += data.count(b"<row ") + data.count(b"<row>")
            cells += data.count(b"<c ") + data.count(b"<c>")
            if rows > limits.max_rows:
                raise WorkbookTooLarge(f"more than {limits.max_rows} rows in the worksheets")
            if cells > limits.max_cells:
                raise WorkbookTooLarge(f"more than {limits.max_cells} cells in the worksheets")


def _plain(value: Any, data_type: str) -> Any:
    """A picklable, JSON-friendly cell value (errors as ExcelError)."""
    if data_type == "e" or (isinstance(value, str) and value in ERRORS and data_type != "s"):
        return ERRORS.get(str(value), ExcelError(str(value)))
    if isinstance(value, datetime | date | time):
        return value.isoformat()
    if isinstance(value, bool | int | float | str) or value is None:
        return value
    return str(value)


def _read(data: bytes, limits: Limits) -> ParsedWorkbook:
    """Parse the package (runs in the child)."""
    import openpyxl

    if not openpyxl.DEFUSEDXML:
        raise RuntimeError("openpyxl does not use defusedxml; refusing to parse uploads")
    archive = zipfile.ZipFile(BytesIO(data))
    _scan_parts(archive, limits)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        book_f = openpyxl.load_workbook(BytesIO(data), read_only=True, data_only=False)
        book_v = openpyxl.load_workbook(BytesIO(data), read_only=True, data_only=True)
    parsed = ParsedWorkbook(sheets=list(book_f.sheetnames))
    for ws_f, ws_v in zip(book_f.worksheets, book_v.worksheets, strict=True):
        title = ws_f.title
        for row in ws_f.iter_rows():
            for c in row:
                if c.value is None or not hasattr(c, "coordinate"):
                    continue
                key = f"{title}!{c.coordinate}"
                if c.data_type == "f":
                    parsed.formulas[key] = str(c.value)
                else:
                    parsed.values[key] = _plain(c.value, c.data_type)
        for row in ws_v.iter_rows():
            for c in row:
                if c.value is None or not hasattr(c, "coordinate"):
                    continue
                key = f"{title}!{c.coordinate}"
                if key in parsed.formulas:
                    parsed.values[key] = _plain(c.value, c.data_type)
    book_f.close()
    book_v.close()
    return parsed


def _child(data: bytes, limits: Limits, conn: Connection) -> None:
    """Child process entry: set limits, parse, send ('ok', parsed) or ('error', cls, detail)."""
    try:
        resource.setrlimit(
            resource.RLIMIT_AS, (limits.parse_memory_bytes, limits.parse_memory_bytes)
        )
        cpu = int(limits.parse_seconds) + 2
        resource.setrlimit(resource.RLIMIT_CPU, (cpu, cpu))
        resource.setrlimit(resource.RLIMIT_FSIZE, (0, 0))
        result: tuple[Any, ...] = ("ok", _read(data, limits))
    except AuditError as exc:
        result = ("error", type(exc).__name__, exc.detail)
    except MemoryError:
        result = ("error", "WorkbookTooLarge", "parsing the workbook exceeded the memory limit")
    except Exception as exc:  # anything a hostile file makes a parser raise
        name = type(exc).__name__
        if name in ("EntitiesForbidden", "DTDForbidden", "ExternalReferenceForbidden"):
            result = ("error", "RejectedWorkbook", f"XML with forbidden constructs ({name})")
        else:
            detail = str(exc)[:200]
            result = ("error", "CorruptWorkbook", f"unreadable workbook: {name}: {detail}")
    try:
        conn.send(result)
    except MemoryError:
        conn.send(("error", "WorkbookTooLarge", "the parsed workbook exceeded the memory limit"))
    conn.close()


_ERRORS: dict[str, type[AuditError]] = {
    c.__name__: c
    for c in (CorruptWorkbook, WorkbookTooLarge, UnsupportedWorkbook, RejectedWorkbook)
}
_CONTEXT = multiprocessing.get_context("forkserver")
_CONTEXT.set_forkserver_preload(["openpyxl", "service.audit.safety"])


def parse_upload(
    data: bytes, filename: str | None = None, limits: Limits = DEFAULT_LIMITS
) -> ParsedWorkbook:
    """Check an upload, then parse it in a limited child process; raise an AuditError."""
    check_upload(data, filename, limits)
    receiver, sender = _CONTEXT.Pipe(duplex=False)
    proc = _CONTEXT.Process(target=_child, args=(data, limits, sender), daemon=True)
    proc.start()
    sender.close()
    try:
        if not receiver.poll(limits.parse_seconds):
            raise WorkbookTooLarge(
                f"parsing took longer than {limits.parse_seconds:g} s: too large or too complex"
            )
        try:
            result = receiver.recv()
        except EOFError:
            raise WorkbookTooLarge(
                "the parser was stopped by its memory or CPU limit: too large or too complex"
            ) from None
    finally:
        receiver.close()
        if proc.is_alive():
            proc.kill()
        proc.join()
    if result[0] == "ok":
        parsed: ParsedWorkbook = result[1]
        return parsed
    raise _ERRORS.get(result[1], CorruptWorkbook)(result[2])
