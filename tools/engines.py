"""Real spreadsheet engines (LibreOffice, Gnumeric) that recalculate workbooks for parity checks."""

from __future__ import annotations

import shutil
import subprocess
import tempfile
from pathlib import Path
from typing import Any

# Make LibreOffice recalculate every formula on load instead of trusting cached values.
_RECALC_ALWAYS = """<?xml version="1.0" encoding="UTF-8"?>
<oor:items xmlns:oor="http://openoffice.org/2001/registry"
           xmlns:xs="http://www.w3.org/2001/XMLSchema"
           xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">
<item oor:path="/org.openoffice.Office.Calc/Formula/Load">
  <prop oor:name="OOXMLRecalcMode" oor:op="fuse"><value>0</value></prop></item>
<item oor:path="/org.openoffice.Office.Calc/Formula/Load">
  <prop oor:name="ODFRecalcMode" oor:op="fuse"><value>0</value></prop></item>
</oor:items>
"""

_BINARIES = {"libreoffice": "soffice", "gnumeric": "ssconvert"}


def engine_available(name: str) -> bool:
    """Whether the named engine ('libreoffice' or 'gnumeric') is installed."""
    return shutil.which(_BINARIES[name]) is not None


def recalc_libreoffice(paths: list[Path], outdir: Path, timeout: float = 900) -> list[Path]:
    """Recalculate many .xlsx files in one headless LibreOffice run; return the written copies."""
    outdir.mkdir(parents=True, exist_ok=True)
    if not paths:
        return []
    with tempfile.TemporaryDirectory(prefix="lo-profile-") as profile:
        user = Path(profile) / "user"
        user.mkdir()
        (user / "registrymodifications.xcu").write_text(_RECALC_ALWAYS)
        # Convert in one process: starting soffice costs seconds, a file costs milliseconds.
        subprocess.run(
            [
                "soffice",
                f"-env:UserInstallation={Path(profile).as_uri()}",
                "--headless",
                "--norestore",
                "--convert-to",
                "xlsx:Calc MS Excel 2007 XML",
                "--outdir",
                str(outdir),
                *[str(p) for p in paths],
            ],
            check=True,
            capture_output=True,
            timeout=timeout,
        )
    written = [outdir / (Path(p).stem + ".xlsx") for p in paths]
    missing = [str(p) for p in written if not p.exists()]
    if missing:
        raise RuntimeError(f"LibreOffice wrote no output for: {', '.join(missing)}")
    return written


def recalc_gnumeric(src: Path, dst: Path, timeout: float = 300) -> Path:
    """Recalculate one workbook with Gnumeric's ssconvert and write it as .xlsx."""
    dst.parent.mkdir(parents=True, exist_ok=True)
    subprocess.run(
        ["ssconvert", "--recalc", "--export-type=Gnumeric_Excel:xlsx2", str(src), str(dst)],
        check=True,
        capture_output=True,
        timeout=timeout,
    )
    return dst


def open_workbook(path: Path, data_only: bool) -> Any:
    """Open a workbook with openpyxl, quiet about the default style Gnumeric leaves out."""
    import warnings

    import openpyxl

    with warnings.catch_warnings():
        # Gnumeric writes no default cell style; openpyxl warns and applies its own.
        warnings.filterwarnings("ignore", message="Workbook contains no default style")
        return openpyxl.load_workbook(path, data_only=data_only)


def cached_values(path: Path) -> dict[tuple[str, str], object]:
    """Every non-empty cached cell value of a workbook: (sheet, address) -> value."""
    wb = open_workbook(path, data_only=True)
    values: dict[tuple[str, str], object] = {}
    for ws in wb.worksheets:
        for row in ws.iter_rows():
            for cell in row:
                if cell.value is not None:
                    values[(ws.title, cell.coordinate)] = cell.value
    wb.close()
    return values


def formula_cells(path: Path) -> dict[tuple[str, str], str]:
    """Every formula of a workbook: (sheet, address) -> formula text starting with '='."""
    wb = open_workbook(path, data_only=False)
    found: dict[tuple[str, str], str] = {}
    for ws in wb.worksheets:
        for row in ws.iter_rows():
            for cell in row:
                if isinstance(cell.value, str) and cell.value.startswith("="):
                    found[(ws.title, cell.coordinate)] = cell.value
    wb.close()
    return found
