"""Read and check the Interface sheet: inputs, outputs, groups, actors, effect domains, roles.

Every refusal is a CompileError naming the Interface cell (or the model cell it points
at) and a sentence a modeller understands. The format is described in
docs/adding-a-model.md; the roles give the service what it must know about a model
(its saldo, totals, chart bars, actors, knobs, effect domains) without naming it in code.
"""

from __future__ import annotations

import json
import re
from datetime import date
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

from service.compiler.formula_tree import CompileError, col_index, col_letters

if TYPE_CHECKING:
    from service.compiler.workbook import Workbook

SHEET = "Interface"
COLUMNS = ("kind", "name", "labelNl", "labelEn", "unit", "type", "min", "max", "group", "cell")
ROLE_COLUMNS = ("role", "actor", "input", "sign", "evidence")  # optional: K..O
# optional, after the role columns: the years row of a `series` row (docs/adding-a-model.md)
SERIES_COLUMNS = ("years",)
# optional, after the years: an effect input's impact deflators (SROI practice), fractions
# the correction applies to it (service/analysis/deflators.py; docs/adding-a-model.md)
DEFLATOR_COLUMNS = ("deadweight", "attribution", "dropOff")
ALL_COLUMNS = (*COLUMNS, *ROLE_COLUMNS, *SERIES_COLUMNS, *DEFLATOR_COLUMNS)
KINDS = ("model", "input", "output", "group", "actor", "effectDomain", "series")
TYPES = ("euro", "count", "fraction", "yesno", "years", "number")
OUTPUT_TYPES = (*TYPES, "text")  # an output may be a text (a category, a verdict)
SINGLE_ROLES = ("saldo", "totalCosts", "totalBenefits")
LIST_ROLES = ("benefitBar", "costBar", "headline")
ACTOR_ROLES = {"actorCosts": "costs", "actorBenefits": "benefits", "actorSaldo": "saldo"}
OUTPUT_ROLES = (*SINGLE_ROLES, *LIST_ROLES, *ACTOR_ROLES)
GROUP_ROLES = ("knobs",)
# Input roles (column K of an input row), each on at most one input: discountRate marks
# the model's discount rate, which a request may set by a norm (service/analysis/norms.py).
# effect and cost mark what an input is, for the optimism-bias correction
# (service/analysis/optimism.py): an effect is scaled down, a cost up; column O (evidence)
# gives the input's evidence grade, one of the grades of GRADES_DATA.
INPUT_ROLES = ("discountRate", "effect", "cost")
UNIQUE_INPUT_ROLES = ("discountRate",)
EVIDENCE_KINDS = ("effect", "cost")
GRADES_DATA = Path(__file__).resolve().parents[1] / "analysis" / "data" / "optimism_bias.json"
# Series roles (column K of a series row): a line's or an actor's costs or benefits per
# year, undiscounted, and the one row of discount factors that discounts them.
SERIES_ROLES = ("costSeries", "benefitSeries", "discountFactor")
_NAME = re.compile(r"^[a-z][A-Za-z0-9]*$")
_ADDRESS = re.compile(r"^([A-Z]{1,3})([1-9][0-9]{0,6})$")
_MAX_COL, _MAX_ROW = 16_384, 1_048_576


def _text(v: Any) -> str:
    if v is None:
        return ""
    if isinstance(v, float) and v.is_integer():
        return str(int(v))
    return str(v).strip()


@cache
def evidence_grades() -> tuple[str, ...]:
    """The evidence grades an input may declare (column O), strongest first."""
    with open(GRADES_DATA, encoding="utf-8") as f:
        grades = json.load(f)["grades"]
    return tuple(g["id"] for g in sorted(grades, key=lambda g: g["rank"]))


def yesno_value(v: Any) -> bool | None:
    """A yes/no cell's value: `ja`/`nee` (any case) or TRUE/FALSE; None for anything else."""
    if isinstance(v, bool):
        return v
    if isinstance(v, str):
        low = v.strip().lower()
        if low in ("ja", "nee"):
            return low == "ja"
    return None


class _Rows:
    """The Interface rows with their row numbers, and a refusal helper."""

    def __init__(self, ws: Any) -> None:
        rows = list(ws.iter_rows(values_only=True))
        header = [_text(h) for h in rows[0]] if rows else []
        missing = [c for c in COLUMNS if c not in header]
        if missing:
            raise CompileError(
                f"{SHEET}!A1",
                "",
                "the Interface sheet lacks the column(s) "
                + ", ".join(missing)
                + " in row 1 (kind, name, labelNl, labelEn, unit, type, min, max, group, cell)",
            )
        self.col = {h: i for i, h in enumerate(header) if h}
        self.rows = rows[1:]

    def letter(self, column: str) -> str:
        """The column letter of a header (where the format puts it, if the sheet lacks it)."""
        if column in self.col:
            return col_letters(self.col[column] + 1)
        return col_letters(ALL_COLUMNS.index(column) + 1)

    def items(self) -> list[tuple[int, dict[str, Any]]]:
        """(row number, {header: value}) of every row with a kind."""
        out = []
        for r, row in enumerate(self.rows, start=2):
            item = {
                c: (row[self.col[c]] if c in self.col and self.col[c] < len(row) else None)
                for c in ALL_COLUMNS
            }
            if _text(item["kind"]):
                out.append((r, item))
        return out


def _is_iso_date(text: str) -> bool:
    """True for a calendar date written YYYY-MM-DD."""
    try:
        return len(text) == 10 and date.fromisoformat(text).isoformat() == text
    except ValueError:
        return False


def read_interface(book: Workbook, ws: Any) -> None:
    """Fill book.meta, inputs, outputs and roles from the Interface sheet, or refuse."""
    sheet = _Rows(ws)

    def fail(r: int, column: str, value: Any, reason: str) -> CompileError:
        return CompileError(f"{SHEET}!{sheet.letter(column)}{r}", _text(value), reason)

    groups: dict[str, dict[str, Any]] = {}
    actors: dict[str, dict[str, Any]] = {}
    domains: list[tuple[int, dict[str, Any]]] = []
    output_roles: list[tuple[int, dict[str, Any], list[str]]] = []
    input_roles: dict[str, str] = {}
    series: list[tuple[int, dict[str, Any]]] = []
    evidence: dict[str, dict[str, Any]] = {}
    deflator_rows: list[tuple[int, dict[str, float]]] = []
    names: dict[str, int] = {}  # input and output names: one namespace in the API
    keys: dict[str, int] = {}  # model keys
    for r, item in sheet.items():
        kind = _text(item["kind"])
        name = _text(item["name"])
        if kind not in KINDS:
            raise fail(r, "kind", kind, f"kind must be one of {', '.join(KINDS)}")
        if kind != "input" and _text(item["evidence"]):
            raise fail(r, "evidence", item["evidence"], "only an input row takes an evidence grade")
        for column in DEFLATOR_COLUMNS:
            if kind != "input" and _text(item[column]):
                raise fail(r, column, item[column], f"only an effect input row takes a {column}")
        if kind == "model":
            if not name:
                raise fail(r, "name", "", "a model row needs its key in column name (e.g. title)")
            if name in keys:
                raise fail(r, "name", name, f"model key {name!r} is given twice")
            keys[name] = r
            book.meta[name] = _text(item["labelNl"])
            if _text(item["labelEn"]):
                book.meta.setdefault(name + "En", _text(item["labelEn"]))
            if name == "cockpitDefault" and yesno_value(item["labelNl"]) is None:
                raise fail(r, "labelNl", item["labelNl"], "cockpitDefault must be ja or nee")
            if name == "versionDate" and not _is_iso_date(book.meta[name]):
                raise fail(r, "labelNl", item["labelNl"], "versionDate must be a date: YYYY-MM-DD")
            continue
        if not _NAME.match(name):
            raise fail(
                r,
                "name",
                name,
                f"the name of an {kind} must be lowerCamelCase: a small letter first, "
                "then letters and digits only (e.g. kostenPerTraject)",
            )
        labels = {"labelNl": _text(item["labelNl"]), "labelEn": _text(item["labelEn"])}
        if kind in ("group", "actor", "effectDomain"):
            if not labels["labelNl"]:
                raise fail(r, "labelNl", "", f"the {kind} {name} needs a Dutch label")
        if kind == "group":
            if name in groups:
                raise fail(r, "name", name, f"group {name} has a second group row")
            role = _text(item["role"])
            if role not in ("", *GROUP_ROLES):
                raise fail(r, "role", role, "the role of a group row is knobs or empty")
            groups[name] = {"name": name, **labels, "knobs": role == "knobs", "row": r}
            continue
        if kind == "actor":
            if name in actors:
                raise fail(r, "name", name, f"actor {name} is declared twice")
            actors[name] = {"name": name, **labels, "row": r}
            continue
        if kind == "effectDomain":
            domains.append((r, {**item, "name": name, **labels, "success": _text(item["unit"])}))
            continue
        if name in names:
            raise fail(r, "name", name, f"the name {name} is already used in row {names[name]}")
        names[name] = r
        if kind == "series":
            series.append((r, {**item, "name": name, **labels}))
            continue
        typ = _text(item["type"]) or "number"
        allowed = OUTPUT_TYPES if kind == "output" else TYPES
        if typ not in allowed:
            raise fail(r, "type", typ, f"type must be one of {', '.join(allowed)}")
        group = _text(item["group"])
        if not group:
            raise fail(r, "group", "", f"{name} needs a group")
        key = _cell(book, _text(item["cell"]), lambda v, why, r=r: fail(r, "cell", v, why))
        spec: dict[str, Any] = {
            "name": name,
            "label_nl": labels["labelNl"],
            "label_en": labels["labelEn"],
            "unit": _text(item["unit"]),
            "type": typ,
            "group": group,
            "cell": key,
        }
        if kind == "input":
            role = _text(item["role"])
            if role and role not in INPUT_ROLES:
                raise fail(
                    r,
                    "role",
                    role,
                    f"the role of an input row is {', '.join(INPUT_ROLES)} or empty",
                )
            if role in UNIQUE_INPUT_ROLES and typ not in ("fraction", "number"):
                raise fail(r, "role", role, f"{role} needs an input of type fraction or number")
            if role in EVIDENCE_KINDS and typ == "yesno":
                raise fail(r, "role", role, f"{role} needs a numeric input, not a yes/no one")
            if role in input_roles:
                raise fail(r, "role", role, f"role {role} is already given to {input_roles[role]}")
            if role in UNIQUE_INPUT_ROLES:
                input_roles[role] = name
            grade = _text(item["evidence"])
            if grade and grade not in evidence_grades():
                raise fail(
                    r,
                    "evidence",
                    grade,
                    f"the evidence grade must be one of {', '.join(evidence_grades())}",
                )
            if grade and role not in EVIDENCE_KINDS:
                raise fail(
                    r,
                    "evidence",
                    grade,
                    f"an input with an evidence grade needs the role effect or cost (column "
                    f"{sheet.letter('role')}): it says whether the correction lowers or raises it",
                )
            if role in EVIDENCE_KINDS:
                evidence[name] = {"kind": role, "grade": grade or None}
            deflators = _deflators(item, role, lambda c, v, why, r=r: fail(r, c, v, why))
            if deflators:  # absent when the row declares none: the artifact stays as it was
                evidence[name]["deflators"] = deflators
                deflator_rows.append((r, deflators))
            _input(book, spec, item, lambda c, v, why, r=r: fail(r, c, v, why))
            book.inputs.append(spec)
        else:
            if key not in book.formulas and key not in book.values:
                raise fail(r, "cell", key, f"the output {name} points at the empty cell {key}")
            roles = [x.strip() for x in _text(item["role"]).split(",") if x.strip()]
            for role in roles:
                if role not in OUTPUT_ROLES:
                    raise fail(
                        r, "role", role, f"role {role!r} is not one of {', '.join(OUTPUT_ROLES)}"
                    )
            if len(set(roles)) != len(roles):
                raise fail(r, "role", item["role"], "a role is named twice")
            if typ == "yesno" and roles:
                raise fail(r, "role", item["role"], "a yes/no output cannot carry a role")
            if _text(item["actor"]) and not any(x in ACTOR_ROLES for x in roles):
                raise fail(r, "actor", item["actor"], "an actor needs an actor* role beside it")
            output_roles.append((r, item, roles))
            book.outputs.append(spec)
    book.roles = _roles(book, groups, actors, domains, output_roles, names, fail)
    if series:  # absent when the model declares none: its artifact stays as it was
        book.roles["series"] = _series(book, series, actors, fail)
    for r, deflators in deflator_rows:
        if deflators.get("dropOff") and not series:
            raise fail(
                r,
                "dropOff",
                deflators["dropOff"],
                "a drop-off per year needs the model's yearly series (rows of kind series): "
                "the correction reads from them in which years the effect yields",
            )
    if input_roles:  # absent when the model declares none: its artifact stays as it was
        book.roles["inputs"] = input_roles
    if evidence:  # likewise
        book.roles["evidence"] = evidence


def _deflators(item: dict[str, Any], role: str, fail: Any) -> dict[str, float]:
    """The impact deflators of an input row (fractions from 0 to 1, below 1), or a refusal."""
    out = {}
    for column in DEFLATOR_COLUMNS:
        v = item[column]
        if not _text(v):
            continue
        if role != "effect":
            raise fail(column, v, f"a {column} needs the input role effect (it deflates an effect)")
        if isinstance(v, bool) or not isinstance(v, (int, float)) or not 0 <= v < 1:
            raise fail(column, v, f"{column} must be a fraction from 0 to below 1 (10% = 0.1)")
        out[column] = float(v)
    return out


def _cell(book: Workbook, cell: str, fail: Any) -> str:
    """The canonical key of a sheet-qualified address, or a refusal."""
    cell = cell.replace("$", "")
    if "!" not in cell:
        raise fail(cell, "the cell must name its sheet, e.g. Invoer!B2")
    sheet_name, addr = cell.rsplit("!", 1)
    sheet_name = sheet_name.strip("'")
    canon = book.canonical_sheet(sheet_name)
    if canon is None:
        raise fail(cell, f"the workbook has no sheet {sheet_name!r}")
    m = _ADDRESS.match(addr.upper())
    if not m or col_index(m.group(1)) > _MAX_COL or int(m.group(2)) > _MAX_ROW:
        raise fail(cell, f"{addr!r} is not the address of one cell (e.g. D6)")
    return f"{canon}!{addr.upper()}"


def _row_range(book: Workbook, text: str, fail: Any) -> list[str]:
    """The cells of a one-row range `Sheet!C5:AF5`, left to right, or a refusal."""
    text = text.replace("$", "")
    if ":" not in text:
        raise fail(text, "a series needs a one-row range of cells, e.g. Berekening!H12:AK12")
    first, last = text.split(":", 1)
    start = _cell(book, first, fail)
    sheet = start.rsplit("!", 1)[0]
    end = _cell(book, f"{sheet}!{last}" if "!" not in last else last, fail)
    if end.rsplit("!", 1)[0] != sheet:
        raise fail(text, "a series range lies on one sheet")
    a = _ADDRESS.match(start.rsplit("!", 1)[1])
    b = _ADDRESS.match(end.rsplit("!", 1)[1])
    assert a is not None and b is not None  # _cell checked them
    if a.group(2) != b.group(2):
        raise fail(text, "a series range is one row: its first and last cell share a row")
    c0, c1 = col_index(a.group(1)), col_index(b.group(1))
    if c1 < c0:
        raise fail(text, "a series range runs from left to right")
    return [f"{sheet}!{col_letters(c)}{a.group(2)}" for c in range(c0, c1 + 1)]


def _series(
    book: Workbook,
    rows: list[tuple[int, dict[str, Any]]],
    actors: dict[str, dict[str, Any]],
    fail: Any,
) -> dict[str, Any]:
    """The yearly series: their years, discount factors, lines and actors, as plain data.

    The series' cells are no outputs: a calculation does not compute them (a Monte Carlo
    run of many scenarios would pay for every year of every line). The engine reads them
    from the artifact's `calculate_cells`, which computes every formula cell; a series
    cell that holds a typed number is kept here as `constants`."""
    years: list[int] | None = None
    factors: list[str] | None = None
    lines: list[dict[str, Any]] = []
    per_actor: dict[str, dict[str, Any]] = {}
    constants: dict[str, float] = {}
    for r, item in rows:
        name, role, actor = item["name"], _text(item["role"]), _text(item["actor"])

        def where(column: str, r: int = r) -> Any:
            return lambda value, why: fail(r, column, value, why)

        if role not in SERIES_ROLES:
            roles = ", ".join(SERIES_ROLES)
            raise fail(r, "role", role, f"the role of a series row is one of {roles}")
        cells = _row_range(book, _text(item["cell"]), where("cell"))
        year_cells = _row_range(book, _text(item["years"]), where("years"))
        if len(year_cells) != len(cells):
            raise fail(
                r,
                "years",
                item["years"],
                f"the years row has {len(year_cells)} cells, the series {len(cells)}",
            )
        these = []
        for key in year_cells:
            v = book.values.get(key)
            if key in book.formulas or isinstance(v, bool) or not isinstance(v, int | float):
                raise fail(r, "years", key, f"the year cell {key} must hold a typed number")
            if not float(v).is_integer():
                raise fail(r, "years", key, f"the year cell {key} must hold a whole year")
            these.append(int(v))
        if any(b <= a for a, b in zip(these, these[1:], strict=False)):
            raise fail(r, "years", item["years"], "the years must rise from left to right")
        if years is None:
            years = these
        elif these != years:
            raise fail(r, "years", item["years"], "every series must run over the same years")
        for key in cells:
            if key in book.formulas:
                continue
            v = book.values.get(key)
            if key not in book.values:
                raise fail(r, "cell", key, f"the series {name} points at the empty cell {key}")
            if isinstance(v, bool) or not isinstance(v, int | float):
                raise fail(r, "cell", key, f"the series cell {key} must hold a number or formula")
            constants[key] = float(v)
        if role == "discountFactor":
            if factors is not None:
                raise fail(r, "role", role, "role discountFactor is given to a second series")
            if actor:
                raise fail(r, "actor", actor, "the discount factors belong to no actor")
            factors = cells
        elif actor:
            if actor not in actors:
                raise fail(r, "actor", actor, f"no actor row declares {actor}")
            kind = "costs" if role == "costSeries" else "benefits"
            slot = per_actor.setdefault(actor, {"actor": actor, "costs": None, "benefits": None})
            if slot[kind] is not None:
                raise fail(r, "role", role, f"actor {actor} already has a {role}")
            slot[kind] = cells
        else:
            kind = "costs" if role == "costSeries" else "benefits"
            lines.append(
                {
                    "name": name,
                    "labelNl": item["labelNl"],
                    "labelEn": item["labelEn"],
                    "kind": kind,
                    "cells": cells,
                }
            )
    r0 = rows[0][0]
    if factors is None:
        raise fail(r0, "role", "", "a model with series declares one discountFactor series")
    if not lines and not per_actor:
        raise fail(r0, "role", "", "a model with series declares costSeries or benefitSeries")
    assert years is not None
    return {
        "years": years,
        "discountFactors": factors,
        "lines": lines,
        "actors": [per_actor[a] for a in actors if a in per_actor],
        "constants": constants,
    }


def _bound(v: Any, column: str, fail: Any) -> float | None:
    if v is None or (isinstance(v, str) and not v.strip()):
        return None
    if isinstance(v, bool) or not isinstance(v, int | float):
        raise fail(column, v, f"{column} must be a number or empty")
    return float(v)


def _input(book: Workbook, spec: dict[str, Any], item: dict[str, Any], fail: Any) -> None:
    """Bounds and default of an input row, checked against its cell."""
    key = spec["cell"]
    if key in book.formulas:
        raise CompileError(
            key,
            book.formulas[key],
            f"an input cell must hold a value, not a formula (input {spec['name']})",
        )
    if key not in book.values:
        raise fail(
            "cell", key, f"the input cell {key} of {spec['name']} is empty: type its default"
        )
    value = book.values[key]
    if spec["type"] == "yesno":
        flag = yesno_value(value)
        if flag is None:
            raise CompileError(
                key,
                _text(value),
                f"the yes/no input {spec['name']} must hold ja or nee (or TRUE or FALSE)",
            )
        spec["min"] = spec["max"] = None
        spec["default"] = "ja" if flag else "nee"
        if isinstance(value, bool):
            spec["cell_bool"] = True  # the workbook's formulas test TRUE/FALSE, not "ja"
        return
    lo, hi = _bound(item["min"], "min", fail), _bound(item["max"], "max", fail)
    if lo is not None and hi is not None and lo > hi:
        raise fail("min", item["min"], f"min of {spec['name']} is above its max {hi:g}")
    if isinstance(value, bool) or not isinstance(value, float):
        raise CompileError(
            key, _text(value), f"the input {spec['name']} of type {spec['type']} needs a number"
        )
    if (lo is not None and value < lo) or (hi is not None and value > hi):
        raise CompileError(
            key,
            _text(value),
            f"the default {value:g} of {spec['name']} lies outside its bounds "
            f"[{'' if lo is None else f'{lo:g}'}, {'' if hi is None else f'{hi:g}'}]",
        )
    spec["min"], spec["max"], spec["default"] = lo, hi, value


def _roles(
    book: Workbook,
    groups: dict[str, dict[str, Any]],
    actors: dict[str, dict[str, Any]],
    domains: list[tuple[int, dict[str, Any]]],
    output_roles: list[tuple[int, dict[str, Any], list[str]]],
    rows: dict[str, int],
    fail: Any,
) -> dict[str, Any]:
    """The roles as plain data for the artifact (ROLES), checked against each other."""
    for spec in [*book.inputs, *book.outputs]:
        if spec["group"] not in groups:
            raise fail(
                rows[spec["name"]],
                "group",
                spec["group"],
                f"group {spec['group']} (used by {spec['name']}) has no group row: add a row "
                "of kind group with this name and its labels",
            )
    single: dict[str, str | None] = dict.fromkeys(SINGLE_ROLES)
    lists: dict[str, list[str]] = {k: [] for k in LIST_ROLES}
    split: dict[str, dict[str, str]] = {a: {} for a in actors}
    for r, item, roles in output_roles:
        name = _text(item["name"])
        for role in roles:
            if role in single:
                if single[role] is not None:
                    raise fail(r, "role", role, f"role {role} is already given to {single[role]}")
                single[role] = name
            elif role in lists:
                lists[role].append(name)
            else:
                actor = _text(item["actor"])
                if not actor:
                    raise fail(
                        r, "actor", "", f"role {role} needs the actor's name in column actor"
                    )
                if actor not in actors:
                    raise fail(r, "actor", actor, f"no actor row declares {actor}")
                kind = ACTOR_ROLES[role]
                if kind in split[actor]:
                    raise fail(
                        r, "role", role, f"actor {actor} already has {role}: {split[actor][kind]}"
                    )
                split[actor][kind] = name
    for a in actors.values():
        if not split[a["name"]]:
            raise fail(
                a["row"], "name", a["name"], f"no output has an actor role for actor {a['name']}"
            )
    inputs = {s["name"]: s for s in book.inputs}
    effect: list[dict[str, Any]] = []
    for r, d in domains:
        target = _text(d["input"])
        if target not in inputs:
            raise fail(
                r, "input", target, f"effect domain {d['name']} names no input of this model"
            )
        if inputs[target]["type"] == "yesno":
            raise fail(r, "input", target, "an effect domain's input must be a number")
        sign = d["sign"]
        if isinstance(sign, bool) or sign not in (1, -1, 1.0, -1.0):
            raise fail(r, "sign", sign, "sign must be 1 or -1")
        if any(e["name"] == d["name"] for e in effect):
            raise fail(r, "name", d["name"], f"effect domain {d['name']} is declared twice")
        effect.append(
            {
                "name": d["name"],
                "labelNl": d["labelNl"],
                "labelEn": d["labelEn"],
                "success": d["success"],
                "input": target,
                "sign": int(sign),
            }
        )
    return {
        "outputs": {**single, **lists},
        "groups": [{k: v for k, v in g.items() if k != "row"} for g in groups.values()],
        "actors": [
            {
                "name": a["name"],
                "labelNl": a["labelNl"],
                "labelEn": a["labelEn"],
                **{k: split[a["name"]].get(k) for k in ACTOR_ROLES.values()},
            }
            for a in actors.values()
        ],
        "effectDomains": effect,
        "cockpitDefault": yesno_value(book.meta.get("cockpitDefault", "nee")) is True,
    }
