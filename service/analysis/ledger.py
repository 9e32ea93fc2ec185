"""Who pays, who profits: the per-actor ledger (costs, benefits, saldo) of the Verdeling sheet."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from service.analysis._common import Problems, check_values, json_value
from service.engine import CompiledModel

LEDGER_GROUP = "verdeling"
KINDS = {"Kosten": "kosten", "Baten": "baten", "Saldo": "saldo"}
# The model totals the actors must add up to (reference-model names; skipped when absent).
TOTALS = {"kosten": "totaleKosten", "baten": "totaleBaten", "saldo": "mkbaSaldo"}


def actors(model: CompiledModel) -> list[dict[str, Any]]:
    """Actors with a Kosten, Baten and Saldo output in group 'verdeling', in interface order."""
    found: dict[str, dict[str, Any]] = {}
    for o in model.outputs:
        if o.group != LEDGER_GROUP:
            continue
        for suffix, kind in KINDS.items():
            if o.name.endswith(suffix) and len(o.name) > len(suffix):
                key = o.name[: -len(suffix)]
                label = o.label_nl.split(":")[0].strip()
                entry = found.setdefault(key, {"actor": key, "labelNl": label, "outputs": {}})
                entry["outputs"][kind] = o.name
    return [a for a in found.values() if len(a["outputs"]) == len(KINDS)]


def ledger_from_outputs(model: CompiledModel, results: Mapping[str, Any]) -> dict[str, Any]:
    """The ledger of one calculation's outputs (as `CompiledModel.calculate` returns them)."""
    rows = []
    sums: dict[str, float | None] = dict.fromkeys(KINDS.values(), 0.0)
    for a in actors(model):
        row: dict[str, Any] = {"actor": a["actor"], "labelNl": a["labelNl"]}
        for kind, name in a["outputs"].items():
            v = json_value(results[name])
            row[kind] = v
            total = sums[kind]
            sums[kind] = total + v if isinstance(v, float) and total is not None else None
        rows.append(row)
    totals = {k: json_value(results[n]) for k, n in TOTALS.items() if n in results}
    return {"actors": rows, "sum": sums, "totals": totals}


def ledger(model: CompiledModel, values: Mapping[str, Any] | None = None) -> dict[str, Any]:
    """Calculate one scenario and return its ledger on its own."""
    problems = Problems()
    check_values(model, values, "values", problems)
    problems.raise_if_any()
    out = ledger_from_outputs(model, model.calculate(values or {}))
    out["model"] = model.id
    return out
