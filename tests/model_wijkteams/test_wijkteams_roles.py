"""The wijkteams Interface sheet declares its roles in the format of ROLES.md (columns K..N)."""

from __future__ import annotations

import re
from collections import Counter
from pathlib import Path
from typing import Any

import pytest

from service.engine import CompiledModel
from tools.engines import open_workbook

HEADERS = ["kind", "name", "labelNl", "labelEn", "unit", "type", "min", "max", "group", "cell",
           "role", "actor", "input", "sign"]  # fmt: skip
OUTPUT_ROLES = {"saldo", "totalCosts", "totalBenefits", "benefitBar", "costBar", "headline",
                "actorCosts", "actorBenefits", "actorSaldo"}  # fmt: skip
ONCE = {"saldo", "totalCosts", "totalBenefits"}
ACTOR_ROLES = {"actorCosts", "actorBenefits", "actorSaldo"}
CAMEL = re.compile(r"^[a-z][a-zA-Z0-9]*$")


@pytest.fixture(scope="module")
def rows(workbook: Path) -> list[dict[str, Any]]:
    wb = open_workbook(workbook, data_only=False)
    ws = wb["Interface"]
    values = list(ws.iter_rows(values_only=True))
    wb.close()
    assert list(values[0][: len(HEADERS)]) == HEADERS
    return [dict(zip(HEADERS, r, strict=False)) for r in values[1:] if r[0]]


def _kind(rows: list[dict[str, Any]], kind: str) -> list[dict[str, Any]]:
    return [r for r in rows if r["kind"] == kind]


def _roles(row: dict[str, Any]) -> list[str]:
    return [s.strip() for s in (row["role"] or "").split(",") if s.strip()]


def test_names_are_unique_lower_camel_case(rows: list[dict[str, Any]]) -> None:
    for kind in ("input", "output", "group", "actor", "effectDomain"):
        names = [r["name"] for r in _kind(rows, kind)]
        assert all(CAMEL.match(n) for n in names), names
        assert len(names) == len(set(names)), kind
    io = [r["name"] for r in rows if r["kind"] in ("input", "output")]
    assert len(io) == len(set(io))


def test_every_group_in_use_has_exactly_one_group_row(rows: list[dict[str, Any]]) -> None:
    declared = Counter(r["name"] for r in _kind(rows, "group"))
    used = {r["group"] for r in rows if r["kind"] in ("input", "output")}
    assert used == set(declared)
    assert all(n == 1 for n in declared.values())
    for g in _kind(rows, "group"):
        assert g["labelNl"] and g["labelEn"], g["name"]
        assert g["role"] in (None, "knobs")
    assert {g["name"] for g in _kind(rows, "group") if g["role"] == "knobs"} == {"bereik", "effect"}


def test_output_roles(rows: list[dict[str, Any]]) -> None:
    outputs = _kind(rows, "output")
    counts = Counter(role for o in outputs for role in _roles(o))
    assert set(counts) <= OUTPUT_ROLES
    assert all(counts[r] == 1 for r in ONCE)
    assert counts["benefitBar"] >= 1 and counts["costBar"] >= 1
    for o in outputs:
        assert (o["actor"] is not None) == bool(ACTOR_ROLES & set(_roles(o))), o["name"]
    for o in rows:
        if o["kind"] == "input":  # the discount rate a norm sets; effects and costs graded
            assert o["role"] in (None, "discountRate", "effect", "cost"), o["name"]
            assert (o["role"] == "discountRate") == (o["name"] == "disconteringsvoet")
        elif o["kind"] not in ("output", "series"):
            assert not o["role"] or o["kind"] == "group", o["name"]


def test_every_actor_has_costs_benefits_and_saldo(rows: list[dict[str, Any]]) -> None:
    actors = {a["name"] for a in _kind(rows, "actor")}
    assert len(actors) >= 4
    seen = Counter((o["actor"], role) for o in _kind(rows, "output") for role in _roles(o)
                   if role in ACTOR_ROLES)  # fmt: skip
    assert set(seen) == {(a, r) for a in actors for r in ACTOR_ROLES}
    assert all(n == 1 for n in seen.values())


def test_bars_add_up_to_the_totals(rows: list[dict[str, Any]], model: CompiledModel) -> None:
    """The chart's bars split the totals exactly: no line is drawn twice or left out."""
    got = model.calculate({})
    outputs = _kind(rows, "output")
    by_role = {r: [o["name"] for o in outputs if r in _roles(o)] for r in OUTPUT_ROLES}
    (costs,), (benefits,) = by_role["totalCosts"], by_role["totalBenefits"]
    assert sum(got[n] for n in by_role["costBar"]) == pytest.approx(got[costs], rel=1e-12)
    assert sum(got[n] for n in by_role["benefitBar"]) == pytest.approx(got[benefits], rel=1e-12)


def test_effect_domains_map_onto_inputs_with_their_sign(
    rows: list[dict[str, Any]], model: CompiledModel
) -> None:
    """sign turns 'more successes' into the input: more successes must raise the saldo."""
    inputs = {i.name: i for i in model.inputs}
    (saldo,) = [o["name"] for o in _kind(rows, "output") if "saldo" in _roles(o)]
    domains = _kind(rows, "effectDomain")
    assert len(domains) >= 5
    base = model.calculate({})[saldo]
    for d in domains:
        assert d["input"] in inputs and d["sign"] in (1, -1) and d["unit"], d["name"]
        spec = inputs[d["input"]]
        more = model.calculate({d["input"]: spec.default + d["sign"] * 0.01})[saldo]
        assert more > base, d["name"]


def test_model_rows(rows: list[dict[str, Any]]) -> None:
    meta = {r["name"]: r["labelNl"] for r in _kind(rows, "model")}
    assert {"title", "version", "description"} <= set(meta)
    # the reference model stays the cockpit's default
    assert meta.get("cockpitDefault") in (None, "nee")
