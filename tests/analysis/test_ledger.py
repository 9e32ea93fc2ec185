"""Who pays, who profits: the ledger against the workbook as LibreOffice calculates it.

The expected side never calls the service's ledger code or roles: it reads the
workbook's Interface sheet with openpyxl (the actor rows, and the cells of the outputs
with an actor or total role) and takes those cells' values from a copy of the workbook
that LibreOffice recalculated for the scenario.
"""

from __future__ import annotations

import random
from typing import Any

import pytest

from service.analysis import AnalysisError, actors, ledger
from service.audit import export_workbook, load_reference
from service.engine import CompiledModel
from tests.analysis.interface_sheet import WORKBOOK, interface_rows
from tools.engines import cached_values, engine_available, recalc_libreoffice

KIND = {"actorCosts": "kosten", "actorBenefits": "baten", "actorSaldo": "saldo"}
TOTAL = {"totalCosts": "kosten", "totalBenefits": "baten", "saldo": "saldo"}


def _scenarios(model: CompiledModel, n: int) -> list[dict]:
    rng = random.Random(7)
    out: list[dict] = [{}]
    for _ in range(n):
        out.append(
            {
                s.name: (rng.random() < 0.5) if s.type == "yesno" else rng.uniform(s.min, s.max)
                for s in model.inputs
            }
        )
    return out


def expected_ledger(rows: list[dict[str, Any]], values: dict[tuple[str, str], object]) -> dict:
    """Per actor (Interface order) and for the totals: kind -> the cell's value."""

    def value(cell: str) -> object:
        sheet, address = cell.split("!")
        return values[(sheet.strip("'"), address.replace("$", ""))]

    ledger_rows: dict[str, dict[str, object]] = {
        r["name"]: {"actor": r["name"], "labelNl": r["labelNl"]}
        for r in rows
        if r["kind"] == "actor"
    }
    totals: dict[str, object] = {}
    for r in rows:
        if r["kind"] != "output":
            continue
        for role in str(r.get("role") or "").replace(" ", "").split(","):
            if role in KIND:
                ledger_rows[r["actor"]][KIND[role]] = value(r["cell"])
            if role in TOTAL:
                totals[TOTAL[role]] = value(r["cell"])
    return {"actors": list(ledger_rows.values()), "totals": totals}


@pytest.fixture(scope="module")
def recalculated(model: CompiledModel, tmp_path_factory) -> list[tuple[dict, dict]]:
    """(scenario, cell values of the workbook LibreOffice recalculated for it)."""
    if not engine_available("libreoffice"):
        pytest.skip("LibreOffice (soffice) not installed")
    reference = load_reference(model, WORKBOOK)
    src = tmp_path_factory.mktemp("ledger-src")
    scenarios = _scenarios(model, 3)
    paths = []
    for i, scenario in enumerate(scenarios):
        path = src / f"scenario-{i}.xlsx"
        path.write_bytes(export_workbook(reference, scenario))
        paths.append(path)
    out = recalc_libreoffice(paths, tmp_path_factory.mktemp("ledger-lo"))
    return [(s, cached_values(p)) for s, p in zip(scenarios, out, strict=True)]


def test_ledger_is_the_workbooks_actor_cells_as_libreoffice_computes_them(
    model: CompiledModel, recalculated: list[tuple[dict, dict]]
):
    rows = interface_rows(WORKBOOK)
    for scenario, values in recalculated:
        expected = expected_ledger(rows, values)
        got = ledger(model, scenario)
        assert [r["actor"] for r in got["actors"]] == [r["actor"] for r in expected["actors"]]
        for mine, theirs in zip(got["actors"], expected["actors"], strict=True):
            assert mine["labelNl"] == theirs["labelNl"]
            for kind in ("kosten", "baten", "saldo"):
                assert mine[kind] == pytest.approx(theirs[kind], rel=1e-9, abs=1e-6), (
                    scenario,
                    mine["actor"],
                    kind,
                )
        for kind, total in expected["totals"].items():
            assert got["totals"][kind] == pytest.approx(total, rel=1e-9, abs=1e-6)


def test_ledger_of_the_default_scenario_is_the_saved_workbooks(model: CompiledModel):
    """The committed workbook's cached values (LibreOffice's, written when it was built)."""
    expected = expected_ledger(interface_rows(WORKBOOK), cached_values(WORKBOOK))
    got = ledger(model, {})
    assert len(got["actors"]) == len(expected["actors"]) == 10
    for mine, theirs in zip(got["actors"], expected["actors"], strict=True):
        assert mine["actor"] == theirs["actor"]
        for kind in ("kosten", "baten", "saldo"):
            assert mine[kind] == pytest.approx(theirs[kind], rel=1e-9, abs=1e-6)


def test_the_actors_add_up_to_the_model_totals(model: CompiledModel):
    """A property of the workbook (every euro is someone's), checked through the ledger."""
    for scenario in _scenarios(model, 10):
        result = ledger(model, scenario)
        for kind in ("kosten", "baten", "saldo"):
            total = sum(row[kind] for row in result["actors"])
            assert total == pytest.approx(result["totals"][kind], rel=1e-9, abs=1e-6)
            assert result["sum"][kind] == pytest.approx(total)
        for row in result["actors"]:
            assert row["saldo"] == pytest.approx(row["baten"] - row["kosten"], abs=1e-6)


def test_actors_with_labels(model: CompiledModel):
    found = actors(model)
    expected = [r for r in interface_rows(WORKBOOK) if r["kind"] == "actor"]
    assert [(a["actor"], a["labelNl"], a["labelEn"]) for a in found] == [
        (r["name"], r["labelNl"], r["labelEn"]) for r in expected
    ]
    assert all(set(a["outputs"]) == {"kosten", "baten", "saldo"} for a in found)


def test_invalid_scenario(model: CompiledModel):
    with pytest.raises(AnalysisError) as e:
        ledger(model, {"fteAanpak": -1, "nope": 1})
    assert {p["field"] for p in e.value.errors} == {"values.fteAanpak", "values.nope"}
