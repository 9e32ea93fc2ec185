"""Export a scenario as the reference workbook: its inputs typed in, every formula's value cached.

The reference .xlsx is patched, not rebuilt: every part (styles, chart, Interface sheet)
stays byte for byte; only the input cells and the cached `<v>` of formula cells change.
Only numbers and the constants 'ja'/'nee' are ever written, so no text from a request can
become a formula.
"""

from __future__ import annotations

import re
import zipfile
from collections.abc import Mapping
from io import BytesIO
from typing import Any
from xml.sax.saxutils import escape

import defusedxml.ElementTree as DET

from service.audit.cells import Reference, split_key
from service.audit.errors import InvalidScenario
from service.engine import CompiledModel, input_values
from service.engine.runtime import ExcelError

XLSX_MIMETYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"

_NS_MAIN = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"
_NS_REL = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}"
_NS_PKG = "{http://schemas.openxmlformats.org/package/2006/relationships}"

_CELL = re.compile(rb"<c\b([^>]*?)(/>|>(.*?)</c>)", re.DOTALL)
_ATTR_R = re.compile(rb'\br="([A-Z]+[0-9]+)"')
_ATTR_T = re.compile(rb'\s+t="[^"]*"')
_FORMULA = re.compile(rb"<f\b[^>]*?(?:/>|>.*?</f>)", re.DOTALL)


def validate_scenario(model: CompiledModel, values: Mapping[str, Any]) -> dict[str, Any]:
    """Check names, types and bounds of API-level values; raise InvalidScenario listing all."""
    if not isinstance(values, Mapping):
        raise InvalidScenario("a scenario is a JSON object of input name -> value")
    specs = {s.name: s for s in model.inputs}
    problems: list[dict[str, str]] = []
    for name, v in values.items():
        spec = specs.get(name)
        if spec is None:
            problems.append({"name": str(name), "reason": f"unknown input of {model.id}"})
        else:
            try:
                input_values.parse(spec, v)
            except input_values.InvalidValue as exc:
                problems.append({"name": name, "reason": input_values.export_reason(exc)})
    if problems:
        names = ", ".join(p["name"] for p in problems)
        raise InvalidScenario(f"invalid scenario values: {names}", invalid_params=problems)
    return dict(values)


def _number(v: float) -> bytes:
    return repr(float(v)).encode()


def _cached(value: Any) -> tuple[bytes, bytes]:
    """(t attribute, <v> text) of a formula cell's cached value."""
    if isinstance(value, ExcelError):
        return b"e", escape(value.code).encode()
    if isinstance(value, bool):
        return b"b", b"1" if value else b"0"
    if isinstance(value, int | float):
        return b"n", _number(value)
    if value is None:
        return b"n", b"0"
    return b"str", escape(str(value)).encode()


def _sheet_parts(archive: zipfile.ZipFile) -> dict[str, str]:
    """Sheet name -> part name inside the package."""
    book = DET.fromstring(archive.read("xl/workbook.xml"))
    rels = DET.fromstring(archive.read("xl/_rels/workbook.xml.rels"))
    targets = {r.get("Id"): r.get("Target", "") for r in rels.iter(f"{_NS_PKG}Relationship")}
    parts: dict[str, str] = {}
    for sheet in book.iter(f"{_NS_MAIN}sheet"):
        target = targets[sheet.get(f"{_NS_REL}id")]
        parts[sheet.get("name", "")] = (
            target.lstrip("/") if target.startswith("/") else f"xl/{target}"
        )
    return parts


def _patch_sheet(xml: bytes, cells: Mapping[str, tuple[bytes, bytes, bool]]) -> bytes:
    """Rewrite the cells named in `cells` (coordinate -> (t, content, is formula))."""

    def sub(m: re.Match[bytes]) -> bytes:
        attrs = m.group(1)
        r = _ATTR_R.search(attrs)
        if r is None or r.group(1).decode() not in cells:
            return m.group(0)
        t, content, is_formula = cells[r.group(1).decode()]
        attrs = _ATTR_T.sub(b"", attrs)
        if is_formula:
            f = _FORMULA.search(m.group(3) or b"")
            if f is None:
                return m.group(0)
            return b'<c%s t="%s">%s<v>%s</v></c>' % (attrs, t, f.group(0), content)
        if t == b"inlineStr":
            return b'<c%s t="inlineStr"><is><t>%s</t></is></c>' % (attrs, content)
        return b'<c%s t="%s"><v>%s</v></c>' % (attrs, t, content)

    return _CELL.sub(sub, xml)


def export_workbook(reference: Reference, values: Mapping[str, Any] | None = None) -> bytes:
    """The reference .xlsx with the scenario's inputs and every formula's cached value."""
    model = reference.model
    scenario = validate_scenario(model, values or {})
    inputs = reference.input_cells(scenario)
    computed = reference.compute(inputs)
    by_sheet: dict[str, dict[str, tuple[bytes, bytes, bool]]] = {}
    for key, v in inputs.items():
        sheet, coord = split_key(key)
        if isinstance(v, str):  # yesno: only the constants 'ja' / 'nee' reach here
            if v not in input_values.YESNO_TEXTS:
                raise InvalidScenario(f"{key}: a yes/no input is 'ja' or 'nee'")
            cell = (b"inlineStr", v.encode(), False)
        else:
            cell = (b"n", _number(v), False)
        by_sheet.setdefault(sheet, {})[coord] = cell
    for key, v in computed.items():
        sheet, coord = split_key(key)
        t, content = _cached(v)
        by_sheet.setdefault(sheet, {})[coord] = (t, content, True)
    src = zipfile.ZipFile(BytesIO(reference.path.read_bytes()))
    parts = {part: by_sheet.get(name, {}) for name, part in _sheet_parts(src).items()}
    out = BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            data = src.read(info)
            if info.filename in parts and parts[info.filename]:
                data = _patch_sheet(data, parts[info.filename])
            dst.writestr(info, data, compress_type=zipfile.ZIP_DEFLATED)
    return out.getvalue()
