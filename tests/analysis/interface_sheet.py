"""The reference workbook's Interface sheet read straight from the file (openpyxl), not
through the compiler: the independent side of the ledger and effect-domain tests."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from tests.analysis.conftest import SPEC_DIR
from tools.engines import open_workbook

WORKBOOK = SPEC_DIR / "mkba-1gezin1plan.xlsx"


def interface_rows(path: Path) -> list[dict[str, Any]]:
    """The Interface sheet's rows as header -> value, read straight from the workbook."""
    wb = open_workbook(path, data_only=False)
    rows = list(wb["Interface"].iter_rows(values_only=True))
    wb.close()
    header = [str(h) for h in rows[0]]
    return [dict(zip(header, row, strict=False)) for row in rows[1:] if any(row)]
