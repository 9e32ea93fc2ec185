"""Who pays, who profits: the per-actor ledger (costs, benefits, saldo) the model declares.

The actors, their outputs and the model totals are Interface roles (actor rows; output
roles actorCosts/actorBenefits/actorSaldo, totalCosts/totalBenefits/saldo). A model that
declares no actors has no ledger: `ledger` raises MissingRole.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from service.analysis.checks import Problems, check_values
from service.analysis.outputs import json_value
from service.engine import CompiledModel, MissingRole

KINDS = ("kosten", "baten", "saldo")


def actors(model: CompiledModel) -> list[dict[str, Any]]:
    """The declared actors in Interface order: key, labels and their outputs per kind."""
    out = []
    for a in model.roles.actors:
        outputs = {"kosten": a.costs, "baten": a.benefits, "saldo": a.saldo}
        out.append(
            {
                "actor": a.name,
                "labelNl": a.label_nl,
                "labelEn": a.label_en,
                "outputs": {k: v for k, v in outputs.items() if v is not None},
            }
        )
    return out


def totals(model: CompiledModel) -> dict[str, str]:
    """The model totals the actors add up to: kind -> output (roles that are declared)."""
    r = model.roles
    named = {"kosten": r.total_costs, "baten": r.total_benefits, "saldo": r.saldo}
    return {k: v for k, v in named.items() if v is not None}


def ledger_from_outputs(model: CompiledModel, results: Mapping[str, Any]) -> dict[str, Any]:
    """The ledger of one calculation's outputs (as `CompiledModel.calculate` returns them)."""
    rows = []
    sums: dict[str, float | None] = dict.fromkeys(KINDS, 0.0)
    for a in actors(model):
        row: dict[str, Any] = {"actor": a["actor"], "labelNl": a["labelNl"]}
        row["labelEn"] = a["labelEn"]
        for kind in KINDS:
            name = a["outputs"].get(kind)
            v = json_value(results[name]) if name is not None else None
            row[kind] = v
            total = sums[kind]
            sums[kind] = total + v if isinstance(v, float) and total is not None else None
        rows.append(row)
    named = {k: json_value(results[n]) for k, n in totals(model).items()}
    return {"actors": rows, "sum": sums, "totals": named}


def ledger(model: CompiledModel, values: Mapping[str, Any] | None = None) -> dict[str, Any]:
    """Calculate one scenario and return its ledger on its own."""
    if not model.roles.actors:
        raise MissingRole("actor", model.id)
    problems = Problems()
    check_values(model, values, "values", problems)
    problems.raise_if_any()
    out = ledger_from_outputs(model, model.calculate(values or {}))
    out["model"] = model.id
    return out
