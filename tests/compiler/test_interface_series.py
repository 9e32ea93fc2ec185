"""Yearly series in the Interface sheet (rows of kind `series`): read, expanded into the
artifact's outputs, kept out of the model's outputs, and each mistake refused with the
Interface cell and the reason.

The workbook: 3 years; costs 100 in year 1 only, benefits 60 a year; the municipality
pays all costs and gets half the benefits; discount factors 1/(1+r)^(t-1) at r = 10%.
By hand: discounted benefits 60 + 60/1.1 + 60/1.21 = 164.1322314...; NCW saldo 64.13...
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import openpyxl
import pytest

from service.analysis.timeline import timeline
from service.compiler import CompileError, compile_workbook
from service.compiler.interface import SERIES_COLUMNS
from service.engine import load_model
from tests.compiler.make_workbooks import HEADER, group_row

Rows = list[list[Any]]
YEARS = "Reken!B1:D1"


def _series(name: str, cell: str, role: str, actor: str = "", years: str = YEARS) -> list[Any]:
    return [
        "series",
        name,
        name,
        name,
        "EUR",
        "euro",
        None,
        None,
        None,
        cell,
        role,
        actor or None,
        None,
        None,
        None,
        years,
    ]  # fmt: skip (no input, sign, evidence)


def _rows() -> Rows:
    return [
        ["model", "title", "Reeks"],
        group_row("g"),
        ["actor", "gemeente", "Gemeente", "Municipality"],
        ["input", "rente", "Rente", "Rate", "", "fraction", 0, 1, "g", "Invoer!B1"],
        ["output", "saldo", "Saldo", "Balance", "", "euro", None, None, "g", "Reken!A9",
         "saldo,actorSaldo", "gemeente"],
        _series("factor", "Reken!B2:D2", "discountFactor"),
        _series("kostenPost", "Reken!B3:D3", "costSeries"),
        _series("batenPost", "Reken!B4:D4", "benefitSeries"),
        _series("gemeenteKosten", "Reken!B5:D5", "costSeries", "gemeente"),
        _series("gemeenteBaten", "Reken!B6:D6", "benefitSeries", "gemeente"),
    ]  # fmt: skip


def _write(tmp: Path, rows: Rows, cells: dict[str, Any] | None = None) -> Path:
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "Invoer"
    ws["B1"] = 0.1
    calc = wb.create_sheet("Reken")
    for col, t in zip("BCD", (1, 2, 3), strict=True):
        calc[f"{col}1"] = t
        calc[f"{col}2"] = f"=1/(1+Invoer!$B$1)^({col}1-1)"
        calc[f"{col}3"] = f"=IF({col}1=1,100,0)"
        calc[f"{col}4"] = 60
        calc[f"{col}5"] = f"={col}3"
        calc[f"{col}6"] = f"={col}4*0.5"
    calc["A9"] = "=SUMPRODUCT(B6:D6,B2:D2)-SUMPRODUCT(B5:D5,B2:D2)"
    for key, v in (cells or {}).items():
        calc[key] = v
    itf = wb.create_sheet("Interface")
    itf.append([*HEADER, *SERIES_COLUMNS])
    for row in rows:
        itf.append(row)
    path = tmp / "reeks.xlsx"
    wb.save(path)
    return path


def test_series_are_read_computed_and_kept_apart(tmp_path: Path) -> None:
    compiled = compile_workbook(_write(tmp_path, _rows()))
    art = tmp_path / "reeks.py"
    compiled.write(art)
    model = load_model(art)
    series = model.roles.series
    assert series is not None and series.years == (1, 2, 3)
    assert [(x.name, x.kind) for x in series.lines] == [
        ("kostenPost", "costs"),
        ("batenPost", "benefits"),
    ]
    assert [x.name for x in model.outputs] == ["saldo"]  # the years are no outputs
    result = timeline(model, {}, budget_years=2)
    benefits = 60 + 60 / 1.1 + 60 / 1.21
    assert result["total"]["benefits"]["ncw"] == pytest.approx(benefits, rel=1e-12)
    assert result["total"]["saldo"]["ncw"] == pytest.approx(benefits - 100, rel=1e-12)
    assert result["total"]["cumulative"]["discounted"][0] == pytest.approx(-40)
    assert result["total"]["paybackYear"] == 2  # -40, -40 + 54.55 > 0, and on
    (gemeente,) = result["actors"]
    # half the benefits, all the costs: -70, -70 + 27.27 = -42.7, + 24.79 = -17.9
    assert gemeente["paybackYear"] is None
    assert gemeente["saldo"]["ncw"] == pytest.approx(model.calculate({})["saldo"], rel=1e-12)
    assert gemeente["budget"] == {
        "years": 2,
        "costs": 100.0,
        "benefits": 60.0,
        "saldo": -40.0,
        "saldoInLastYear": 30.0,
    }


def _change(rows: Rows, name: str, column: int, value: Any) -> Rows:
    row = next(r for r in rows if r[1] == name)
    row[column] = value
    return rows


CASES = [
    ("role", lambda r: _change(r, "batenPost", 10, "gain"), "K", "the role of a series row"),
    ("two rows", lambda r: _change(r, "batenPost", 9, "Reken!B4:D5"), "J", "is one row"),
    ("one cell", lambda r: _change(r, "batenPost", 9, "Reken!B4"), "J", "one-row range"),
    ("years length", lambda r: _change(r, "batenPost", 15, "Reken!B1:C1"), "P", "the years row"),
    ("years formula", lambda r: _change(r, "batenPost", 15, "Reken!B2:D2"), "P", "typed number"),
    (
        "other years",
        lambda r: _change(r, "batenPost", 15, "Reken!B4:D4"),
        "P",
        "the years must rise",
    ),
    ("empty", lambda r: _change(r, "batenPost", 9, "Reken!F4:H4"), "J", "empty cell"),
    ("unknown actor", lambda r: _change(r, "gemeenteBaten", 11, "rijk"), "L", "no actor row"),
    (
        "second cost series",
        lambda r: _change(r, "gemeenteBaten", 10, "costSeries"),
        "K",
        "already has a costSeries",
    ),
    (
        "second factor",
        lambda r: _change(r, "batenPost", 10, "discountFactor"),
        "K",
        "second series",
    ),
    (
        "no factor",
        lambda r: [x for x in r if x[1] != "factor"],
        "K",
        "one discountFactor series",
    ),
    ("name", lambda r: _change(r, "batenPost", 1, "saldo"), "B", "already used"),
]


@pytest.mark.parametrize(("why", "change", "column", "reason"), CASES, ids=[c[0] for c in CASES])
def test_series_mistakes_are_refused(
    tmp_path: Path, why: str, change: Any, column: str, reason: str
) -> None:
    with pytest.raises(CompileError) as exc:
        compile_workbook(_write(tmp_path, change(_rows())))
    assert exc.value.cell.startswith(f"Interface!{column}"), (why, exc.value)
    assert reason in exc.value.reason, (why, exc.value)
