"""Impact deflators (deadweight, attribution, drop-off per year) declared per effect input
in the Interface sheet, applied by the optimism correction (issue 15, part 3), held to a
hand calculation after the SROI Guide; and each mistake in declaring them refused.

The workbook: 4 years; 100 participants, a success rate of 40% (the effect) and EUR 1,000
per success per year in every year; a cost of EUR 20,000 in year 1; discount factors
1/(1+r)^(t-1) at r = 3.5%; saldo = SUMPRODUCT(benefits, factors) - SUMPRODUCT(costs,
factors). The Interface declares on the success rate deadweight 25%, attribution 20% and a
drop-off of 10% a year.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import openpyxl
import pytest

from service.analysis import AnalysisError
from service.analysis.optimism import correct
from service.compiler import CompileError, compile_workbook
from service.compiler.interface import DEFLATOR_COLUMNS, SERIES_COLUMNS
from service.engine import CompiledModel, load_model
from tests.compiler.make_workbooks import HEADER, group_row

Rows = list[list[Any]]
YEARS = "Reken!B1:E1"
# The SROI Guide (The SROI Network, 2012), stage 4 and stage 5: the outcome (100 x 0.4 x
# 1000 = 40,000 a year) less deadweight and attribution is the impact, 40,000 x (1 - 0.25)
# x (1 - 0.2) = 24,000 in year 1; drop-off takes 10% of what remains each later year:
# 24,000, 21,600, 19,440, 17,496. Discounted at 3.5% and less the year-1 cost of 20,000:
IMPACT = [24_000.0, 21_600.0, 19_440.0, 17_496.0]
DF = [1.0, 1 / 1.035, 1 / 1.035**2, 1 / 1.035**3]
DEFLATED_SALDO = sum(i * f for i, f in zip(IMPACT, DF, strict=True)) - 20_000.0
UNCORRECTED_SALDO = 40_000.0 * sum(DF) - 20_000.0
# deadweight alone: 30,000 a year; then attribution: 24,000 a year (no drop-off yet)
AFTER_DEADWEIGHT = 30_000.0 * sum(DF) - 20_000.0
AFTER_ATTRIBUTION = 24_000.0 * sum(DF) - 20_000.0


def _input(name: str, typ: str, lo: float, hi: float, cell: str, role: str = "") -> list[Any]:
    return ["input", name, name, name, "", typ, lo, hi, "g", cell, role or None]


def _series(name: str, cell: str, role: str) -> list[Any]:
    row: list[Any] = ["series", name, name, name, "EUR", "euro", None, None, None, cell, role]
    return row + [None] * 4 + [YEARS]


def _rows(deflators: tuple[Any, Any, Any] = (0.25, 0.2, 0.1), series: bool = True) -> Rows:
    succes = _input("succes", "fraction", 0, 1, "Invoer!B2", "effect")
    succes += [None] * 5 + list(deflators)  # L..O empty, P (years) empty, Q..S
    rows = [
        ["model", "title", "Deflatoren"],
        group_row("g"),
        _input("rente", "fraction", 0, 1, "Invoer!B1"),
        succes,
        _input("deelnemers", "count", 0, 10_000, "Invoer!B3"),
        _input("waarde", "euro", 0, 100_000, "Invoer!B4"),
        _input("kosten", "euro", 0, 1_000_000, "Invoer!B5", "cost"),
        ["output", "saldo", "Saldo", "Balance", "", "euro", None, None, "g", "Reken!A9", "saldo"],
    ]
    if series:
        rows += [
            _series("factor", "Reken!B2:E2", "discountFactor"),
            _series("kostenPost", "Reken!B3:E3", "costSeries"),
            _series("batenPost", "Reken!B4:E4", "benefitSeries"),
        ]
    return rows


def _write(tmp: Path, rows: Rows, benefit: str = "=Invoer!$B$3*Invoer!$B$2*Invoer!$B$4") -> Path:
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "Invoer"
    for cell, v in (("B1", 0.035), ("B2", 0.4), ("B3", 100), ("B4", 1000), ("B5", 20_000)):
        ws[cell] = v
    calc = wb.create_sheet("Reken")
    for col, t in zip("BCDE", (1, 2, 3, 4), strict=True):
        calc[f"{col}1"] = t
        calc[f"{col}2"] = f"=1/(1+Invoer!$B$1)^({col}1-1)"
        calc[f"{col}3"] = f"=IF({col}1=1,Invoer!$B$5,0)"
        calc[f"{col}4"] = benefit
    calc["A9"] = "=SUMPRODUCT(B4:E4,B2:E2)-SUMPRODUCT(B3:E3,B2:E2)"
    itf = wb.create_sheet("Interface")
    itf.append([*HEADER, *SERIES_COLUMNS, *DEFLATOR_COLUMNS])
    for row in rows:
        itf.append(row)
    path = tmp / "deflatoren.xlsx"
    wb.save(path)
    return path


def _model(tmp: Path, rows: Rows) -> CompiledModel:
    art = tmp / "deflatoren.py"
    compile_workbook(_write(tmp, rows)).write(art)
    return load_model(art)


def test_declared_deflators_give_the_sroi_guide_impact(tmp_path: Path) -> None:
    model = _model(tmp_path, _rows())
    (succes,) = [e for e in model.roles.evidence if e.input == "succes"]
    assert succes.deflators == {"deadweight": 0.25, "attribution": 0.2, "dropOff": 0.1}
    result = correct(model)
    assert result["saldo"]["uncorrected"] == pytest.approx(UNCORRECTED_SALDO, rel=1e-12)
    assert result["saldo"]["corrected"] == pytest.approx(DEFLATED_SALDO, rel=1e-12)
    assert result["deflatedSaldo"] == pytest.approx(DEFLATED_SALDO, rel=1e-12)
    steps = [(d["deflator"], d["rate"], d["from"], d["fromYear"]) for d in result["deflators"]]
    assert steps == [
        ("deadweight", 0.25, "workbook", None),
        ("attribution", 0.2, "workbook", None),
        ("dropOff", 0.1, "workbook", 1),
    ]
    saldos = [d["saldo"] for d in result["deflators"]]
    assert saldos == pytest.approx([AFTER_DEADWEIGHT, AFTER_ATTRIBUTION, DEFLATED_SALDO])
    assert result["notes"] == []  # the saldo is linear in the success rate
    assert any("Social Return on Investment" in s["title"] for s in result["sources"])


def test_request_deflators_override_the_workbook(tmp_path: Path) -> None:
    model = _model(tmp_path, _rows())
    result = correct(model, deflators={"succes": {"deadweight": 0.0, "dropOff": 0.0}})
    # attribution 20% stays from the workbook: 32,000 a year, no drop-off
    assert result["saldo"]["corrected"] == pytest.approx(32_000.0 * sum(DF) - 20_000.0)
    assert result["correctedValues"] == {"succes": pytest.approx(0.4 * 0.8)}


def test_deflators_and_an_evidence_grade_combine(tmp_path: Path) -> None:
    model = _model(tmp_path, _rows((0.25, None, None)))
    result = correct(model, grades={"succes": "literatuur"}, benefit_reductions={"literatuur": 0.2})
    # 40,000 x 0.75 (deadweight) x 0.8 (the grade's reduction) = 24,000 a year
    assert result["saldo"]["corrected"] == pytest.approx(AFTER_ATTRIBUTION, rel=1e-12)
    assert result["deflatedSaldo"] == pytest.approx(AFTER_DEADWEIGHT, rel=1e-12)


def test_wrong_request_deflators_are_refused_at_once(tmp_path: Path) -> None:
    model = _model(tmp_path, _rows())
    with pytest.raises(AnalysisError) as exc:
        correct(
            model,
            deflators={"kosten": {"deadweight": 0.1}, "succes": {"deadweight": 1.0, "x": 0.1}},
        )
    fields = sorted(e["field"] for e in exc.value.errors)
    assert fields == ["deflators.kosten", "deflators.succes.deadweight", "deflators.succes.x"]


def _change(rows: Rows, name: str, column: int, value: Any) -> Rows:
    row = next(r for r in rows if r[1] == name)
    row += [None] * (column + 1 - len(row))
    row[column] = value
    return rows


CASES = [
    ("one or more", lambda r: _change(r, "succes", 16, 1.0), "Q", "from 0 to below 1"),
    ("negative", lambda r: _change(r, "succes", 17, -0.1), "R", "from 0 to below 1"),
    ("text", lambda r: _change(r, "succes", 18, "tien"), "S", "from 0 to below 1"),
    ("on a cost", lambda r: _change(r, "kosten", 16, 0.1), "Q", "needs the input role effect"),
    ("no role", lambda r: _change(r, "waarde", 17, 0.1), "R", "needs the input role effect"),
    ("on an output", lambda r: _change(r, "saldo", 16, 0.1), "Q", "only an effect input row"),
    (
        "drop-off without series",
        lambda r: [x for x in r if x[0] != "series"],
        "S",
        "needs the model's yearly series",
    ),
]


@pytest.mark.parametrize(("why", "change", "column", "reason"), CASES, ids=[c[0] for c in CASES])
def test_deflator_mistakes_are_refused(
    tmp_path: Path, why: str, change: Any, column: str, reason: str
) -> None:
    with pytest.raises(CompileError) as exc:
        compile_workbook(_write(tmp_path, change(_rows())))
    assert exc.value.cell.startswith(f"Interface!{column}"), (why, exc.value)
    assert reason in exc.value.reason, (why, exc.value)


def test_a_model_without_deflators_keeps_its_roles(tmp_path: Path) -> None:
    model = _model(tmp_path, _rows((None, None, None), series=False))
    assert all(not e.deflators for e in model.roles.evidence)
    result = correct(model)
    assert result["deflators"] == [] and result["deflatedSaldo"] is None


def test_a_saldo_not_linear_in_the_effect_is_named(tmp_path: Path) -> None:
    """Benefits of participants x rate^2 x value: scaling the rate by 0.75 (deadweight)
    scales its impact by 0.5625, so the answer says the figures are an approximation."""
    rows = _rows((0.25, None, None))
    path = _write(tmp_path, rows, benefit="=Invoer!$B$3*Invoer!$B$2^2*Invoer!$B$4")
    art = tmp_path / "deflatoren.py"
    compile_workbook(path).write(art)
    result = correct(load_model(art))
    (note,) = result["notes"]
    assert "not linear in succes" in note
