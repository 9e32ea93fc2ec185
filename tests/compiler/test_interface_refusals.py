"""The Interface sheet is checked at compile time: each mistake a modeller can make is
refused with the Interface (or model) cell and a sentence saying what is wrong.

Each case starts from a valid workbook with every kind of row and role, changes one
thing, and expects CompileError naming the cell and the reason.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import openpyxl
import pytest

from service.compiler import CompileError, compile_workbook
from service.engine import load_model
from tests.compiler.make_workbooks import HEADER, group_row

Rows = list[list[Any]]


def _rows() -> Rows:
    """A valid Interface: rows 2.. of the sheet, one list per row (columns A..N)."""
    return [
        ["model", "title", "Proef", "Trial"],
        ["model", "cockpitDefault", "nee"],
        group_row("knoppen", knobs=True),
        group_row("uit"),
        ["actor", "gemeente", "Gemeente", "Municipality"],
        ["input", "aantal", "Aantal", "Count", "", "count", 0, 100, "knoppen", "Invoer!B1"],
        ["input", "aan", "Aan", "On", "", "yesno", None, None, "knoppen", "Invoer!B2"],
        ["input", "effect", "Effect", "Effect", "", "fraction", -1, 1, "knoppen", "Invoer!B3"],
        ["output", "kosten", "Kosten", "Costs", "", "euro", None, None, "uit", "Reken!A1",
         "totalCosts,costBar", None],
        ["output", "baten", "Baten", "Benefits", "", "euro", None, None, "uit", "Reken!A2",
         "totalBenefits,benefitBar", None],
        ["output", "saldo", "Saldo", "Balance", "", "euro", None, None, "uit", "Reken!A3",
         "saldo,headline,actorSaldo", "gemeente"],
        ["effectDomain", "werk", "Werk", "Work", "persoon aan het werk", *[None] * 7, "effect", 1],
    ]  # fmt: skip


def _write(tmp: Path, rows: Rows, values: dict[str, Any] | None = None) -> Path:
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "Invoer"
    ws["B1"], ws["B2"], ws["B3"] = 10, "ja", 0.1
    for key, v in (values or {}).items():
        ws[key] = v
    calc = wb.create_sheet("Reken")
    calc["A1"] = "=Invoer!B1*100"
    calc["A2"] = '=IF(Invoer!B2="ja",Invoer!B1*150*(1+Invoer!B3),0)'
    calc["A3"] = "=A2-A1"
    itf = wb.create_sheet("Interface")
    itf.append(HEADER)
    for row in rows:
        itf.append(row)
    path = tmp / "proef.xlsx"
    wb.save(path)
    return path


def _row(rows: Rows, kind: str, name: str) -> list[Any]:
    row = next(r for r in rows if r[0] == kind and r[1] == name)
    row.extend([None] * (len(HEADER) - len(row)))
    return row


def test_the_valid_interface_compiles_with_its_roles(tmp_path: Path) -> None:
    compiled = compile_workbook(_write(tmp_path, _rows()))
    art = tmp_path / "proef.py"
    compiled.write(art)
    model = load_model(art)
    r = model.roles
    assert (r.saldo, r.total_costs, r.total_benefits) == ("saldo", "kosten", "baten")
    assert (r.benefit_bars, r.cost_bars, r.headline) == (("baten",), ("kosten",), ("saldo",))
    assert [(g.name, g.knobs) for g in r.groups] == [("knoppen", True), ("uit", False)]
    assert [(a.name, a.costs, a.saldo) for a in r.actors] == [("gemeente", None, "saldo")]
    (d,) = r.effect_domains
    assert (d.name, d.input, d.sign, d.success) == ("werk", "effect", 1, "persoon aan het werk")
    assert r.cockpit_default is False and model.meta["titleEn"] == "Trial"


def _set(kind: str, name: str, column: str, value: Any) -> Callable[[Rows], None]:
    def change(rows: Rows) -> None:
        _row(rows, kind, name)[HEADER.index(column)] = value

    return change


def _both(*changes: Callable[[Rows], None]) -> Callable[[Rows], None]:
    def change(rows: Rows) -> None:
        for c in changes:
            c(rows)

    return change


def _drop(kind: str, name: str) -> Callable[[Rows], None]:
    def change(rows: Rows) -> None:
        rows.remove(_row(rows, kind, name))

    return change


def _add(row: list[Any]) -> Callable[[Rows], None]:
    return lambda rows: rows.append(row)


# (what is wrong, change to the rows, cell named, words of the reason)
CASES: list[tuple[str, Callable[[Rows], None], str, str]] = [
    (
        "unknown type",
        _set("input", "aantal", "type", "percentage"),
        "Interface!F7",
        "type must be one of euro, count, fraction, yesno, years, number",
    ),
    ("unknown kind", _add(["knop", "x"]), "Interface!A14", "kind must be one of"),
    (
        "name not lowerCamelCase",
        _set("input", "aantal", "name", "Aantal_huishoudens"),
        "Interface!B7",
        "must be lowerCamelCase",
    ),
    (
        "duplicate name",
        _set("output", "baten", "name", "aantal"),
        "Interface!B11",
        "the name aantal is already used in row 7",
    ),
    (
        "default above max",
        _set("input", "aantal", "max", 5),
        "Invoer!B1",
        "the default 10 of aantal lies outside its bounds [0, 5]",
    ),
    ("min above max", _set("input", "aantal", "min", 500), "Interface!G7", "is above its max"),
    (
        "bound not a number",
        _set("input", "aantal", "max", "veel"),
        "Interface!H7",
        "max must be a number or empty",
    ),
    (
        "cell on a sheet that does not exist",
        _set("input", "aantal", "cell", "Onbekend!B1"),
        "Interface!J7",
        "the workbook has no sheet 'Onbekend'",
    ),
    (
        "cell that is no address",
        _set("input", "aantal", "cell", "Invoer!B1:B3"),
        "Interface!J7",
        "is not the address of one cell",
    ),
    (
        "cell without a sheet",
        _set("input", "aantal", "cell", "B1"),
        "Interface!J7",
        "must name its sheet",
    ),
    (
        "empty input cell",
        _set("input", "aantal", "cell", "Invoer!C9"),
        "Interface!J7",
        "is empty: type its default",
    ),
    (
        "output on an empty cell",
        _set("output", "saldo", "cell", "Reken!Z99"),
        "Interface!J12",
        "points at the empty cell Reken!Z99",
    ),
    (
        "group without a group row",
        _drop("group", "uit"),
        "Interface!I9",
        "group uit (used by kosten) has no group row",
    ),
    ("group row twice", _add(group_row("uit")), "Interface!B14", "has a second group row"),
    (
        "unknown output role",
        _set("output", "kosten", "role", "totalCosts,kostenStaaf"),
        "Interface!K10",
        "role 'kostenStaaf' is not one of",
    ),
    (
        "saldo role twice",
        _set("output", "baten", "role", "saldo"),
        "Interface!K12",
        "role saldo is already given to baten",
    ),
    (
        "actor role without an actor",
        _set("output", "saldo", "actor", None),
        "Interface!L12",
        "needs the actor's name in column actor",
    ),
    (
        "actor role for an undeclared actor",
        _set("output", "saldo", "actor", "provincie"),
        "Interface!L12",
        "no actor row declares provincie",
    ),
    (
        "actor without outputs",
        _add(["actor", "school", "School", "School"]),
        "Interface!B14",
        "no output has an actor role for actor school",
    ),
    (
        "role on an input row",
        _set("input", "aantal", "role", "saldo"),
        "Interface!K7",
        "the role of an input row is discountRate, effect, cost or empty",
    ),
    (
        "group role other than knobs",
        _set("group", "uit", "role", "knop"),
        "Interface!K5",
        "knobs or empty",
    ),
    (
        "effect domain on a missing input",
        _set("effectDomain", "werk", "input", "succes"),
        "Interface!M13",
        "effect domain werk names no input of this model",
    ),
    (
        "effect domain sign",
        _set("effectDomain", "werk", "sign", 2),
        "Interface!N13",
        "sign must be 1 or -1",
    ),
    (
        "role on a yes/no output",
        _set("output", "saldo", "type", "yesno"),
        "Interface!K12",
        "a yes/no output cannot carry a role",
    ),
    ("model row without a key", _add(["model", None, "x"]), "Interface!B14", "needs its key"),
    (
        "evidence grade on an output row",
        _set("output", "kosten", "evidence", "literatuur"),
        "Interface!O10",
        "only an input row takes an evidence grade",
    ),
    (
        "evidence grade without the role effect or cost",
        _set("input", "effect", "evidence", "literatuur"),
        "Interface!O9",
        "needs the role effect or cost (column K)",
    ),
    (
        "unknown evidence grade",
        _both(
            _set("input", "effect", "role", "effect"), _set("input", "effect", "evidence", "gok")
        ),
        "Interface!O9",
        "the evidence grade must be one of gemetenMetControlegroep, gemetenZonderControlegroep, "
        "literatuur, expertschatting",
    ),
    (
        "effect role on a yes/no input",
        _set("input", "aan", "role", "effect"),
        "Interface!K8",
        "effect needs a numeric input, not a yes/no one",
    ),
    (
        "cockpitDefault neither ja nor nee",
        _set("model", "cockpitDefault", "labelNl", "misschien"),
        "Interface!C3",
        "cockpitDefault must be ja or nee",
    ),
]


@pytest.mark.parametrize(("what", "change", "cell", "reason"), CASES, ids=[c[0] for c in CASES])
def test_refused_with_cell_and_reason(
    tmp_path: Path, what: str, change: Callable[[Rows], None], cell: str, reason: str
) -> None:
    rows = _rows()
    change(rows)
    with pytest.raises(CompileError) as info:
        compile_workbook(_write(tmp_path, rows))
    assert info.value.cell == cell, str(info.value)
    assert reason in info.value.reason, str(info.value)


@pytest.mark.parametrize("value", ["misschien", 1, 0.5])
def test_a_yes_no_cell_must_hold_ja_nee_true_or_false(tmp_path: Path, value: Any) -> None:
    with pytest.raises(CompileError) as info:
        compile_workbook(_write(tmp_path, _rows(), {"B2": value}))
    assert info.value.cell == "Invoer!B2"
    assert "must hold ja or nee (or TRUE or FALSE)" in info.value.reason


@pytest.mark.parametrize("value", ["ja", "NEE", " Ja "])
def test_ja_and_nee_in_any_case_are_accepted(tmp_path: Path, value: str) -> None:
    compile_workbook(_write(tmp_path, _rows(), {"B2": value}))


def test_a_true_false_yes_no_cell_is_computed_as_a_boolean(tmp_path: Path) -> None:
    """A workbook whose formulas test the switch itself (=IF(B2,...)) rather than "ja"."""
    path = _write(tmp_path, _rows(), {"B2": True})
    wb = openpyxl.load_workbook(path)
    wb["Reken"]["A2"] = "=IF(Invoer!B2,Invoer!B1*150*(1+Invoer!B3),0)"
    wb.save(path)
    art = tmp_path / "proef.py"
    compile_workbook(path).write(art)
    model = load_model(art)
    assert model.inputs[1].cell_bool and model.resolve({})["aan"] is True
    assert model.calculate({})["baten"] == pytest.approx(10 * 150 * 1.1)
    assert model.calculate({"aan": False})["baten"] == 0.0
    columns = model.calculate_columns({"aan": [True, False]})
    assert list(columns["baten"]) == pytest.approx([10 * 150 * 1.1, 0.0])


def test_a_workbook_without_role_columns_compiles_without_roles(tmp_path: Path) -> None:
    rows = [r[:10] for r in _rows() if r[0] not in ("actor", "effectDomain") and r[1] != "aan"]
    path = _write(tmp_path, rows)
    wb = openpyxl.load_workbook(path)
    ws = wb["Interface"]
    for col in "KLMN":
        ws[f"{col}1"] = None
    wb["Reken"]["A2"] = "=Invoer!B1*150"
    wb.save(path)
    art = tmp_path / "proef.py"
    compile_workbook(path).write(art)
    roles = load_model(art).roles
    assert roles.saldo is None and roles.actors == () and len(roles.groups) == 2


def test_graded_inputs_reach_the_roles(tmp_path: Path) -> None:
    """Column O and the input roles effect/cost land in the artifact's roles; an input with
    a role but no grade is declared ungraded (a request may grade it)."""
    rows = _rows()
    _set("input", "effect", "role", "effect")(rows)
    _set("input", "effect", "evidence", "gemetenZonderControlegroep")(rows)
    _set("input", "aantal", "role", "cost")(rows)
    art = tmp_path / "proef.py"
    compile_workbook(_write(tmp_path, rows)).write(art)
    evidence = load_model(art).roles.evidence
    assert [(e.input, e.kind, e.grade) for e in evidence] == [
        ("aantal", "cost", None),
        ("effect", "effect", "gemetenZonderControlegroep"),
    ]
