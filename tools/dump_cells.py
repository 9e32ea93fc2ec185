"""Write the text form of a workbook: every non-empty cell with its formula or value, one per line.

Run `python -m tools.dump_cells formulas_spec/*.xlsx` (part of `make workbook`). The text form
sits beside the workbook as <name>.cells.txt, so that a change to the model reads as a diff.
"""

from __future__ import annotations

import sys
from pathlib import Path

from tools.engines import open_workbook


def text_form(path: Path) -> str:
    """Every non-empty cell as 'Sheet!A1<TAB>formula or value', sheets in workbook order."""
    wb = open_workbook(path, data_only=False)
    lines = [
        f"# Generated from {path.name} by `python -m tools.dump_cells`; do not edit.",
        "# One line per non-empty cell: sheet!address, a tab, then the formula or the typed value.",
    ]
    for ws in wb.worksheets:
        for row in ws.iter_rows():
            for cell in row:
                v = cell.value
                if v is None:
                    continue
                text = v if isinstance(v, str) and v.startswith("=") else repr(v)
                lines.append(f"{ws.title}!{cell.coordinate}\t{text}")
    wb.close()
    return "\n".join(lines) + "\n"


def text_path(workbook: Path) -> Path:
    """Where the text form of a workbook lives."""
    return workbook.with_suffix(".cells.txt")


def write_text_form(workbook: Path) -> Path:
    """Regenerate the text form beside the workbook."""
    target = text_path(workbook)
    target.write_text(text_form(workbook), encoding="utf-8")
    return target


if __name__ == "__main__":
    for arg in sys.argv[1:] or sorted(str(p) for p in Path("formulas_spec").glob("*.xlsx")):
        print(write_text_form(Path(arg)))
