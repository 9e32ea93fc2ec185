"""Variants side by side: differences with a reference, ranking by saldo, per-actor split.

Works on the outputs of variants that are already calculated (in one batch call of the
engine, by the caller): per variant its output values in one order. The saldo and the actors are
Interface roles; a model without a saldo gets no ranking, one without actors no split,
and the answer says so in `notes` rather than leaving the field out silently.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from typing import Any

import numpy as np

from service.analysis.ledger import actors
from service.engine import CompiledModel

MIN_VARIANTS = 2
MAX_VARIANTS = 10
KINDS = ("kosten", "baten", "saldo")


def difference(value: Any, reference: Any) -> float | None:
    """value - reference for two numbers (not booleans); None otherwise (an error, a switch)."""
    if isinstance(value, bool) or isinstance(reference, bool):
        return None
    if isinstance(value, int | float) and isinstance(reference, int | float):
        d = float(value) - float(reference)
        return d if math.isfinite(d) else None
    return None


def differences(rows: Sequence[Sequence[Any]], reference: int) -> list[list[float | None]]:
    """Per variant, each output minus the reference's (rows: outputs in one order).

    Rows that are all float arrays (the batch engine's usual answer) are subtracted at
    once; otherwise value by value, None where either side is no number."""
    if rows and all(isinstance(r, np.ndarray) and r.dtype == np.float64 for r in rows):
        matrix = np.vstack(rows)
        diff = matrix - matrix[reference]
        diff[~np.isfinite(diff)] = np.nan
        return [[None if d != d else d for d in row] for row in diff.tolist()]
    ref = list(rows[reference])
    return [[difference(v, r) for v, r in zip(row, ref, strict=True)] for row in rows]


def compare_results(
    model: CompiledModel,
    names: Sequence[str],
    outputs: Sequence[str],
    rows: Sequence[Sequence[Any]],
    reference: int = 0,
) -> dict[str, Any]:
    """Differences, ranking and per-actor split of calculated variants (`rows`: each
    variant's output values in the order of `outputs`)."""
    position = {name: i for i, name in enumerate(outputs)}
    saldo = model.roles.saldo
    book = actors(model)
    notes = []
    if saldo is None:
        notes.append(f"model {model.id} declares no saldo role: no ranking")
    if not book:
        notes.append(f"model {model.id} declares no actor roles: no per-actor split")
    diffs = differences(rows, reference)
    variants = []
    for i, (name, row, diff) in enumerate(zip(names, rows, diffs, strict=True)):
        variants.append(
            {
                "name": name,
                "reference": i == reference,
                "differences": diff,
                "ledger": [_actor_row(a, row, diff, position) for a in book] if book else None,
            }
        )
    saldos = [row[position[saldo]] for row in rows] if saldo else []
    ranking = _ranking(names, saldos, reference) if saldo else None
    if ranking is not None:
        for r in ranking:
            variants[r["position"]]["rank"] = r["rank"]
    return {
        "reference": names[reference],
        "saldoOutput": saldo,
        "variants": variants,
        "ranking": ranking,
        "notes": notes,
    }


def _actor_row(
    actor: Mapping[str, Any],
    row: Sequence[Any],
    diff: Sequence[float | None],
    position: Mapping[str, int],
) -> dict[str, Any]:
    """One actor's costs, benefits and saldo in a variant, and their difference with the
    reference (None where the actor has no such output)."""
    out: dict[str, Any] = {
        "actor": actor["actor"],
        "labelNl": actor["labelNl"],
        "labelEn": actor["labelEn"],
    }
    diffs: dict[str, float | None] = {}
    for kind in KINDS:
        output = actor["outputs"].get(kind)
        out[kind] = None if output is None else _number(row[position[output]])
        diffs[kind] = None if output is None else diff[position[output]]
    out["differences"] = diffs
    return out


def _number(v: Any) -> float | None:
    if isinstance(v, bool | np.bool_) or not isinstance(v, int | float | np.floating):
        return None
    return float(v) if math.isfinite(v) else None


def _saldo_order(row: Mapping[str, Any]) -> tuple[bool, float]:
    saldo = row["saldo"]
    return saldo is None, -(saldo or 0.0)


def _ranking(names: Sequence[str], saldos: Sequence[Any], reference: int) -> list[dict[str, Any]]:
    """Variants by saldo, highest first (ties keep request order; an Excel error last)."""
    rows: list[dict[str, Any]] = [
        {
            "position": i,
            "name": n,
            "saldo": _number(v),
            "difference": difference(_number(v), _number(saldos[reference])),
        }
        for i, (n, v) in enumerate(zip(names, saldos, strict=True))
    ]
    rows.sort(key=_saldo_order)
    for rank, row in enumerate(rows, start=1):
        row["rank"] = rank
    return rows
