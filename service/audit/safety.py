"""Read an uploaded .xlsx safely: checks before parsing, then openpyxl in a limited child.

In order, nothing written to disk:
1. size cap on the upload; the file's magic bytes (an OLE/CFB container is an encrypted
   workbook or a legacy .xls; anything not a ZIP is not an .xlsx);
2. the ZIP's central directory: entry count, total uncompressed size, compression ratio per
   entry, encrypted entries, macros (vbaProject, macro-enabled content types), external links;
3. in a fresh interpreter (`child_parser.py`, a subprocess: nothing of the service's state is
   shared, and no multiprocessing re-import of the caller's __main__) under RLIMIT_AS,
   RLIMIT_CPU and RLIMIT_FSIZE=0, with a wall-clock timeout in the parent: every XML part
   is refused if it declares a DTD, rows and cells are counted, then openpyxl parses with
   defusedxml underneath. The answer comes back as JSON (never pickle) on a pipe.
"""

from __future__ import annotations

import json
import math
import os
import signal
import subprocess
import sys
import threading
import zipfile
from dataclasses import dataclass, field
from io import BytesIO
from pathlib import Path
from typing import Any

from service.audit.errors import (
    AuditError,
    CorruptWorkbook,
    ParserBusy,
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
    max_rows: int = 50_000
    max_cells: int = 200_000
    max_content_types_bytes: int = _MiB
    parse_seconds: float = 4.0
    parse_memory_bytes: int = 1024 * _MiB
    parallel_parses: int = 4  # per service process; more wait, then get 503


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
    ct_info = next(i for i in infos if i.filename.lower() == "[content_types].xml")
    if ct_info.file_size > limits.max_content_types_bytes:
        raise WorkbookTooLarge(f"[Content_Types].xml of {ct_info.file_size} bytes")
    try:
        content_types = archive.read(ct_info)
    except (zipfile.BadZipFile, ValueError, OSError, EOFError) as exc:
        raise CorruptWorkbook(f"truncated or corrupt ZIP package ({exc})") from None
    if b"macroEnabled" in content_types or b"vbaProject" in content_types:
        raise UnsupportedWorkbook("a macro-enabled workbook (.xlsm); save as .xlsx")
    if any(n.startswith("xl/externallinks/") for n in lowered):
        raise RejectedWorkbook(
            "the workbook links to other workbooks (external links); remove them and upload again"
        )


# ------------------------------------------------------------------ in the child

_CHILD = Path(__file__).with_name("child_parser.py")
# Signals a child gets from its limits (SIGXCPU, SIGKILL at the hard CPU limit, SIGSEGV
# when a C extension hits RLIMIT_AS, SIGXFSZ on any attempt to write a file).
_LIMIT_SIGNALS = {signal.SIGXCPU, signal.SIGKILL, signal.SIGSEGV, signal.SIGXFSZ}
_ERRORS: dict[str, type[AuditError]] = {
    c.__name__: c
    for c in (CorruptWorkbook, WorkbookTooLarge, UnsupportedWorkbook, RejectedWorkbook)
}


_SLOTS: dict[int, threading.BoundedSemaphore] = {}
_SLOTS_LOCK = threading.Lock()


def _slots(n: int) -> threading.BoundedSemaphore:
    """The semaphore that admits `n` parses at once in this process."""
    with _SLOTS_LOCK:
        return _SLOTS.setdefault(n, threading.BoundedSemaphore(n))


def _cell(v: Any) -> Any:
    if isinstance(v, dict):
        code = str(v.get("error"))
        return ERRORS.get(code, ExcelError(code))
    return v


def parse_upload(
    data: bytes, filename: str | None = None, limits: Limits = DEFAULT_LIMITS
) -> ParsedWorkbook:
    """Check an upload, then parse it in a limited child process; raise an AuditError."""
    check_upload(data, filename, limits)
    slots = _slots(limits.parallel_parses)
    if not slots.acquire(timeout=limits.parse_seconds):
        raise ParserBusy(
            f"{limits.parallel_parses} workbooks are being parsed already; try again shortly"
        )
    try:
        return _parse_in_child(data, limits)
    finally:
        slots.release()


def _parse_in_child(data: bytes, limits: Limits) -> ParsedWorkbook:
    child_limits = {
        "memory": limits.parse_memory_bytes,
        "cpu": int(math.ceil(limits.parse_seconds)) + 1,
        "max_rows": limits.max_rows,
        "max_cells": limits.max_cells,
        "max_uncompressed": limits.max_uncompressed_bytes,
    }
    # -I: no PYTHON* variables, no user site, no script directory on sys.path;
    # -B: no bytecode written (the child may write no file at all).
    command = [sys.executable, "-I", "-B", str(_CHILD), json.dumps(child_limits)]
    env = {"PATH": os.environ.get("PATH", ""), "LANG": "C.UTF-8", "OPENPYXL_DEFUSEDXML": "True"}
    try:
        done = subprocess.run(
            command, input=data, capture_output=True, timeout=limits.parse_seconds, env=env
        )
    except subprocess.TimeoutExpired:
        raise WorkbookTooLarge(
            f"parsing took longer than {limits.parse_seconds:g} s: too large or too complex"
        ) from None
    if done.returncode < 0 and -done.returncode in _LIMIT_SIGNALS:
        raise WorkbookTooLarge(
            "the parser was stopped by its memory or CPU limit: too large or too complex"
        )
    try:
        answer = json.loads(done.stdout)
    except ValueError:
        answer = None
    if done.returncode != 0 or not isinstance(answer, dict):
        # Not the upload's fault (the interpreter or openpyxl failed to start): a server error.
        tail = done.stderr.decode("utf-8", "replace")[-500:]
        raise RuntimeError(f"workbook parser exited with code {done.returncode}: {tail}")
    if "error" in answer:
        kind, detail = answer["error"]
        raise _ERRORS.get(kind, CorruptWorkbook)(str(detail))
    ok = answer["ok"]
    return ParsedWorkbook(
        sheets=list(ok["sheets"]),
        formulas={str(k): str(v) for k, v in ok["formulas"].items()},
        values={str(k): _cell(v) for k, v in ok["values"].items()},
    )
