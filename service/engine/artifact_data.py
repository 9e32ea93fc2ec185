"""An artifact's data file: the Interface and the workbook's formulas as JSON beside the
generated module (`<model-id>.json` beside `<model-id>.py`), which loads it when imported.

The data is what the service reads about a model (META, INPUTS, OUTPUTS, ROLES, RESULTS,
SHEETS, FORMULAS, CONSTANTS, REFUSED); the module holds only code. Excel errors in it are
`{"excelError": "#N/A"}`; every other value is JSON's own (floats round-trip exactly).
"""

from __future__ import annotations

import hashlib
import json
from pathlib import Path
from typing import Any

from service.engine.runtime import ExcelError

# the module's names for the sections of the file, in the file's order
SECTIONS = {
    "META": "meta",
    "INPUTS": "inputs",
    "OUTPUTS": "outputs",
    "ROLES": "roles",
    "REFUSED": "refused",
    "RESULTS": "results",
    "SHEETS": "sheets",
    "FORMULAS": "formulas",
    "CONSTANTS": "constants",
}


class ArtifactError(RuntimeError):
    """A compiled artifact is missing or does not belong to the workbook beside it, or
    its data file to it."""


def _encode(value: Any) -> Any:
    if isinstance(value, ExcelError):
        return {"excelError": value.code}
    if isinstance(value, float) and value - value != 0:  # inf, nan: Excel's #NUM!
        return {"excelError": "#NUM!"}
    if isinstance(value, dict):
        return {k: _encode(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_encode(v) for v in value]
    return value


def _decode(value: Any) -> Any:
    if isinstance(value, dict):
        if value.keys() == {"excelError"}:
            return ExcelError(value["excelError"])
        return {k: _decode(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_decode(v) for v in value]
    return value


def dumps(first_line: str, data: dict[str, Any]) -> str:
    """The data file's text: the generated notice on the first line, then a line per
    entry of each section (diffable), sections in SECTIONS order."""
    out = [f'{{"generated": {json.dumps(first_line)},']
    sections = [(key, data[name]) for name, key in SECTIONS.items() if name in data]
    for n, (key, value) in enumerate(sections):
        value = _encode(value)
        end = "," if n < len(sections) - 1 else ""
        if isinstance(value, dict) and value:
            out.append(f"{json.dumps(key)}: {{")
            items = list(value.items())
            for i, (k, v) in enumerate(items):
                comma = "," if i < len(items) - 1 else ""
                out.append(f"{json.dumps(k)}: {json.dumps(v, ensure_ascii=False)}{comma}")
            out.append("}" + end)
        elif isinstance(value, list) and value:
            out.append(f"{json.dumps(key)}: [")
            for i, v in enumerate(value):
                comma = "," if i < len(value) - 1 else ""
                out.append(json.dumps(v, ensure_ascii=False) + comma)
            out.append("]" + end)
        else:
            out.append(f"{json.dumps(key)}: {json.dumps(value, ensure_ascii=False)}{end}")
    out.append("}")
    return "\n".join(out) + "\n"


def sha256(text: str) -> str:
    """The identity of a data file: its module records it."""
    return hashlib.sha256(text.encode()).hexdigest()


def load(module_file: str, digest: str) -> dict[str, Any]:
    """The data beside a generated module, by the module's names (RESULTS a tuple);
    refused when it is missing or not the file the module was generated with."""
    path = Path(module_file).with_suffix(".json")
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as exc:
        raise ArtifactError(f"{path} is missing ({exc.strerror}): run `make compile`") from None
    if sha256(text) != digest:
        raise ArtifactError(
            f"{path} does not belong to {Path(module_file).name}: run `make compile`"
        )
    raw = json.loads(text)
    data = {name: _decode(raw[key]) for name, key in SECTIONS.items() if key in raw}
    data["RESULTS"] = tuple(data["RESULTS"])
    return data
