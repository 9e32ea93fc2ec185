"""Write docs/key-figures.md: every municipal figure and key figure of a workbook with its source.

Run `python -m tools.key_figures_doc` (part of `make workbook`); a test checks it is current.
"""

from __future__ import annotations

from pathlib import Path

from tools.engines import open_workbook

ROOT = Path(__file__).resolve().parent.parent
WORKBOOK = ROOT / "formulas_spec" / "mkba-1gezin1plan.xlsx"
TARGET = ROOT / "docs" / "key-figures.md"


def _fmt(value: object) -> str:
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    if isinstance(value, int):
        return f"{value:,}".replace(",", ".")
    return str(value).replace(".", ",")


def render(workbook: Path = WORKBOOK) -> str:
    """The key-figure tables as Markdown, straight from the workbook's sheets."""
    wb = open_workbook(workbook, data_only=False)
    names = {
        row[9]: row[1]
        for row in wb["Interface"].iter_rows(min_row=2, values_only=True)
        if row[0] == "input"
    }
    out = [
        f"<!-- Generated from formulas_spec/{workbook.name} by `python -m tools.key_figures_doc`;"
        " do not edit. -->",
        "# Key figures and municipal figures",
        "",
        "Every typed figure the calculation uses besides the cockpit knobs, with its source. "
        "'Calibrated' means: chosen so that the default scenario reproduces Bijlage II, "
        "as docs/model.md explains. All are inputs of the API under the name given.",
    ]
    for sheet in ("Gemeente", "Kengetallen"):
        ws = wb[sheet]
        has_year = sheet == "Kengetallen"
        out += ["", f"## {sheet}", ""]
        out.append(
            "| figure | API name | value | unit |"
            + (" price year |" if has_year else "")
            + " source |"
        )
        out.append("|---|---|---|---|" + ("---|" if has_year else "") + "---|")
        for row in ws.iter_rows(min_row=4):
            label, value = row[0].value, row[1].value
            if label is None:
                continue
            name = names.get(f"{sheet}!B{row[0].row}", "")
            cells = [label, f"`{name}`", _fmt(value), row[2].value or ""]
            if has_year:
                cells.append(row[3].value or "")
            cells.append((row[4 if has_year else 3].value or "").replace("|", "/"))
            out.append("| " + " | ".join(str(c) for c in cells) + " |")
    wb.close()
    return "\n".join(out) + "\n"


if __name__ == "__main__":
    TARGET.write_text(render(), encoding="utf-8")
    print(f"wrote {TARGET}")
