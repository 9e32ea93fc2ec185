"""Variants side by side: differences with a reference, ranking by saldo, per-actor split.

Works on the outputs of variants that are already calculated (in one batch call of the
engine, by the caller): output name -> value per variant. The saldo and the actors are
Interface roles; a model without a saldo gets no ranking, one without actors no split,
and the answer says so in `notes` rather than leaving the field out silently.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

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
        return float(value) - float(reference)
    return None


def compare_results(
    model: CompiledModel,
    names: Sequence[str],
    results: Sequence[Mapping[str, Any]],
    reference: int = 0,
) -> dict[str, Any]:
    """Differences, ranking and per-actor split of calculated variants (outputs by name)."""
    ref = results[reference]
    saldo = model.roles.saldo
    book = actors(model)
    notes = []
    if saldo is None:
        notes.append(f"model {model.id} declares no saldo role: no ranking")
    if not book:
        notes.append(f"model {model.id} declares no actor roles: no per-actor split")
    variants = []
    for i, (name, res) in enumerate(zip(names, results, strict=True)):
        variants.append(
            {
                "name": name,
                "reference": i == reference,
                "differences": {o: difference(v, ref[o]) for o, v in res.items()},
                "ledger": [_actor_row(a, res, ref) for a in book] if book else None,
            }
        )
    ranking = _ranking(names, results, saldo, reference) if saldo else None
    if ranking is not None:
        for row in ranking:
            variants[row["position"]]["rank"] = row["rank"]
    return {
        "reference": names[reference],
        "saldoOutput": saldo,
        "variants": variants,
        "ranking": ranking,
        "notes": notes,
    }


def _actor_row(actor: Mapping[str, Any], res: Mapping[str, Any], ref: Mapping[str, Any]) -> dict:
    """One actor's costs, benefits and saldo in a variant, and their difference with the
    reference (None where the actor has no such output)."""
    row: dict[str, Any] = {
        "actor": actor["actor"],
        "labelNl": actor["labelNl"],
        "labelEn": actor["labelEn"],
    }
    diffs: dict[str, float | None] = {}
    for kind in KINDS:
        output = actor["outputs"].get(kind)
        row[kind] = None if output is None else _number(res[output])
        diffs[kind] = None if output is None else difference(res[output], ref[output])
    row["differences"] = diffs
    return row


def _number(v: Any) -> float | None:
    return float(v) if isinstance(v, int | float) and not isinstance(v, bool) else None


def _saldo_order(row: Mapping[str, Any]) -> tuple[bool, float]:
    saldo = row["saldo"]
    return saldo is None, -(saldo or 0.0)


def _ranking(
    names: Sequence[str], results: Sequence[Mapping[str, Any]], saldo: str, reference: int
) -> list[dict[str, Any]]:
    """Variants by saldo, highest first (ties keep request order; an Excel error last)."""
    ref = results[reference][saldo]
    rows: list[dict[str, Any]] = [
        {
            "position": i,
            "name": n,
            "saldo": _number(r[saldo]),
            "difference": difference(r[saldo], ref),
        }
        for i, (n, r) in enumerate(zip(names, results, strict=True))
    ]
    rows.sort(key=_saldo_order)
    for rank, row in enumerate(rows, start=1):
        row["rank"] = rank
    return rows
