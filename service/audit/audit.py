"""Audit a municipality's copy of a reference workbook against the compiled model.

The service reads the copy's inputs, recomputes every formula cell of the reference from
them, and compares. Categories (docs/audit.md):

- changed input: an input cell whose value differs from the reference's default;
- input out of bounds / invalid input: outside [min, max] / not a number or not ja/nee;
- edited formula: a formula cell of the reference whose formula differs (changed), is
  gone (replaced by a typed value or emptied), or a formula where the reference has none
  (added); compared without whitespace and case outside string literals;
- changed constant: a typed, non-input cell that the reference's formulas read, with
  another value;
- affected cell: a formula cell that depends on an edited formula or changed constant;
- stale cell: a formula cell, neither edited nor affected, whose cached value differs from
  what the reference computes from the copy's own inputs (or has no cached value).

Every output gets a verdict: `match` (cached value equals the service's value), `edited`
(it differs and the output is edited or affected: the copy's model departs), or `stale`
(it differs although formula and precedents are the reference's).
"""

from __future__ import annotations

import hashlib
import math
from importlib import resources
from typing import Any

from service.audit.cells import Reference, normalize_formula
from service.audit.errors import RejectedWorkbook
from service.audit.safety import DEFAULT_LIMITS, Limits, ParsedWorkbook, parse_upload
from service.engine import input_values
from service.engine.runtime import ExcelError

REL_TOL = 1e-9
ABS_TOL = 1e-9


def same(a: Any, b: Any) -> bool:
    """Whether two cell values agree (numbers to a relative 1e-9; '' equals empty)."""
    if a is None or a == "":
        return b is None or b == ""
    if isinstance(a, bool) or isinstance(b, bool):
        return a is b or (isinstance(a, bool) and isinstance(b, bool) and a == b)
    if isinstance(a, int | float) and isinstance(b, int | float):
        return math.isclose(a, b, rel_tol=REL_TOL, abs_tol=ABS_TOL)
    if isinstance(a, ExcelError) or isinstance(b, ExcelError):
        return str(a) == str(b)
    return a == b


def jsonable(v: Any) -> Any:
    """A cell value for JSON: errors as their code ('#DIV/0!'), ints as float."""
    if isinstance(v, ExcelError):
        return v.code
    if isinstance(v, int) and not isinstance(v, bool):
        return float(v)
    if isinstance(v, float) and not math.isfinite(v):
        return None
    return v


def _api_value(spec_type: str, v: Any) -> Any:
    flag = input_values.yesno_value(v) if spec_type == "yesno" else None
    return jsonable(v) if flag is None else flag


def _inputs(reference: Reference, parsed: ParsedWorkbook) -> tuple[dict[str, Any], list[dict]]:
    cells: dict[str, Any] = {}
    rows: list[dict[str, Any]] = []
    for spec in reference.model.inputs:
        raw = parsed.values.get(spec.cell)
        value, problem = input_values.read_cell(spec, raw)
        cells[spec.cell] = value
        default = spec.default
        in_bounds = True
        if problem is None and spec.type != "yesno":
            in_bounds = (spec.min is None or value >= spec.min) and (
                spec.max is None or value <= spec.max
            )
        changed = not same(value.strip().lower() if isinstance(value, str) else value, default)
        rows.append(
            {
                "name": spec.name,
                "label": spec.label_nl,
                "unit": spec.unit,
                "cell": spec.cell,
                "workbookValue": _api_value(spec.type, raw),
                "referenceValue": _api_value(spec.type, default),
                "min": spec.min,
                "max": spec.max,
                "changed": changed,
                "inBounds": in_bounds,
                "problem": problem,
                "formula": parsed.formulas.get(spec.cell),
            }
        )
    bad = [r for r in rows if isinstance(cells[r["cell"]], ExcelError)]
    if bad:
        names = ", ".join(f"{r['name']} ({r['cell']})" for r in bad)
        raise RejectedWorkbook(f"inputs the model cannot compute with: {names}")
    return cells, rows


def _edited(reference: Reference, parsed: ParsedWorkbook) -> list[dict[str, Any]]:
    sheets = set(reference.sheets)
    keys = set(reference.formulas) | {k for k in parsed.formulas if k.rpartition("!")[0] in sheets}
    out: list[dict[str, Any]] = []
    for key in keys:
        ref_f = reference.formulas.get(key)
        wb_f = parsed.formulas.get(key)
        if ref_f is not None and wb_f is not None:
            if normalize_formula(ref_f) == normalize_formula(wb_f):
                continue
            kind = "changed"
        elif ref_f is not None:
            kind = "removed" if parsed.values.get(key) is None else "replacedByValue"
        else:
            kind = "added"
        out.append(
            {
                "cell": key,
                "kind": kind,
                "referenceFormula": ref_f,
                "workbookFormula": wb_f,
                "workbookValue": jsonable(parsed.values.get(key)) if wb_f is None else None,
            }
        )
    return _sorted(out)


def _sorted(rows: list[dict[str, Any]], key: str = "cell") -> list[dict[str, Any]]:
    def order(row: dict[str, Any]) -> tuple[str, int, int]:
        sheet, _, coord = row[key].rpartition("!")
        letters = coord.rstrip("0123456789")
        num = int(coord[len(letters) :] or 0)
        return sheet, num, len(letters) * 1000 + sum(ord(c) for c in letters)

    return sorted(rows, key=order)


def audit_parsed(reference: Reference, parsed: ParsedWorkbook) -> dict[str, Any]:
    """The audit report (JSON-friendly dict) of a parsed workbook against the reference."""
    model = reference.model
    missing = [s for s in reference.sheets if s not in parsed.sheets]
    if missing:
        raise RejectedWorkbook(
            f"not a copy of the {model.id} reference workbook: missing sheets {', '.join(missing)}"
        )
    extra_sheets = [s for s in parsed.sheets if s not in reference.sheets]
    input_cells, input_rows = _inputs(reference, parsed)
    expected = reference.compute(input_cells)
    edited = _edited(reference, parsed)
    edited_cells = {e["cell"] for e in edited if e["cell"] not in reference.inputs_by_cell}
    constants = []
    for key, ref_v in reference.constants.items():
        if key in parsed.formulas:
            continue  # reported as an added formula
        wb_v = parsed.values.get(key)
        if not same(ref_v, wb_v):
            constants.append(
                {"cell": key, "referenceValue": jsonable(ref_v), "workbookValue": jsonable(wb_v)}
            )
    constants = _sorted(constants)
    departed = edited_cells | {c["cell"] for c in constants}
    affected = departed | reference.dependents(departed)
    stale = []
    for key in reference.formulas:
        if key in affected:
            continue
        cached = parsed.values.get(key)
        if not same(cached, expected[key]):
            stale.append(
                {
                    "cell": key,
                    "workbookValue": jsonable(cached),
                    "referenceValue": jsonable(expected[key]),
                }
            )
    stale = _sorted(stale)
    outputs = []
    for spec in model.outputs:
        cached = parsed.values.get(spec.cell)
        service = expected[spec.cell]
        diff = None
        if isinstance(service, int | float) and not isinstance(service, bool):
            if isinstance(cached, int | float) and not isinstance(cached, bool):
                diff = float(service) - float(cached)
        if same(cached, service):
            verdict, causes = "match", []
        elif spec.cell in affected:
            verdict = "edited"
            causes = sorted(departed & (reference.precedents(spec.cell) | {spec.cell}))
        else:
            verdict, causes = "stale", []
        outputs.append(
            {
                "name": spec.name,
                "label": spec.label_nl,
                "unit": spec.unit,
                "cell": spec.cell,
                "workbookValue": _api_value(spec.type, cached),
                "serviceValue": _api_value(spec.type, service),
                "difference": jsonable(diff),
                "verdict": verdict,
                "causes": causes,
            }
        )
    changed_inputs = [r for r in input_rows if r["changed"]]
    out_of_bounds = [r for r in input_rows if not r["inBounds"]]
    invalid = [r for r in input_rows if r["problem"]]
    summary = {
        "outputs": len(outputs),
        "outputsMatching": sum(o["verdict"] == "match" for o in outputs),
        "outputsEdited": sum(o["verdict"] == "edited" for o in outputs),
        "outputsStale": sum(o["verdict"] == "stale" for o in outputs),
        "changedInputs": len(changed_inputs),
        "inputsOutOfBounds": len(out_of_bounds),
        "invalidInputs": len(invalid),
        "editedFormulas": len(edited),
        "changedConstants": len(constants),
        "affectedCells": len(affected - departed),
        "staleCells": len(stale),
        "extraSheets": len(extra_sheets),
    }
    intact = not edited and not constants
    consistent = intact and not stale and not out_of_bounds and not invalid
    return {
        "model": {
            "id": model.id,
            "title": model.title,
            "version": model.version,
            "workbookSha256": model.workbook_sha256,
        },
        "verdict": "consistent" if consistent else "departs",
        "modelIntact": intact,
        "valuesCurrent": not stale,
        "summary": summary,
        "outputs": outputs,
        "inputs": input_rows,
        "changedInputs": [r["name"] for r in changed_inputs],
        "inputsOutOfBounds": [r["name"] for r in out_of_bounds],
        "invalidInputs": [r["name"] for r in invalid],
        "editedFormulas": edited,
        "changedConstants": constants,
        "staleCells": stale,
        "extraSheets": extra_sheets,
    }


def audit_workbook(
    reference: Reference,
    data: bytes,
    filename: str | None = None,
    limits: Limits = DEFAULT_LIMITS,
) -> dict[str, Any]:
    """Check, parse (in a limited child) and audit an uploaded .xlsx; raise an AuditError."""
    parsed = parse_upload(data, filename, limits)
    report = audit_parsed(reference, parsed)
    report["workbook"] = {
        "filename": filename,
        "bytes": len(data),
        "sha256": hashlib.sha256(data).hexdigest(),
        "sheets": parsed.sheets,
    }
    return report


def render_html(report: dict[str, Any]) -> str:
    """The audit report as a readable HTML page (Jinja2, autoescaped)."""
    import jinja2

    source = resources.files("service.audit").joinpath("templates/report.html").read_text("utf-8")
    env = jinja2.Environment(autoescape=True, undefined=jinja2.StrictUndefined)
    env.filters["num"] = _fmt
    return env.from_string(source).render(r=report)


def _fmt(v: Any) -> str:
    """A value as a Dutch reader expects it: 1.234.567,89; 0,342964; ja/nee; '-' for none."""
    if isinstance(v, bool):
        return input_values.yesno_text(v)
    if isinstance(v, int | float):
        if float(v).is_integer() and abs(v) < 1e15:
            text = f"{int(v):,}"
        elif abs(v) >= 1:
            text = f"{v:,.2f}"
        else:
            text = f"{v:.6g}"
        return text.replace(",", "_").replace(".", ",").replace("_", ".")
    if v is None:
        return "-"
    return str(v)
