"""Costs and benefits over time, per line and per actor, from a model's yearly series.

A model declares its series in the Interface sheet (kind `series`): each line's and each
actor's costs or benefits per year, undiscounted, and one row of discount factors. From
one scenario's series this gives per year the undiscounted and discounted amounts, the
cumulative saldo, the payback year (the first year from which the cumulative discounted
saldo is positive to the end of the horizon) and the budget after N years (the
undiscounted costs, benefits and saldo of years 1 to N, as LPBL's "begroting na 2 jaar").
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from itertools import accumulate
from typing import Any

import numpy as np

from service.analysis.checks import AnalysisError, Problems, check_values, is_number
from service.engine import CompiledModel, MissingRole
from service.engine.roles import Series

DEFAULT_BUDGET_YEARS = 2  # LPBL's MKBA-tool sociale (wijk)teams: "begroting na 2 jaar"


def series_roles(model: CompiledModel) -> Series:
    """The model's yearly series; MissingRole (404: no such resource) when it has none."""
    if model.roles.series is None:
        raise MissingRole("costSeries", model.id)
    return model.roles.series


def payback_year(years: Sequence[int], cumulative: Sequence[float]) -> int | None:
    """The first year from which the cumulative saldo stays positive to the last year;
    None when it is not positive in the last year (not paid back within the horizon)."""
    found = None
    for year, value in zip(years, cumulative, strict=True):
        if value > 0:
            found = year if found is None else found
        else:
            found = None
    return found


def _streams(amounts: np.ndarray, factors: np.ndarray) -> list[dict[str, Any]]:
    """Per row of `amounts` (one row a year's amounts) undiscounted, discounted and NCW."""
    discounted = (amounts * factors).tolist()
    return [
        {"undiscounted": u, "discounted": d, "ncw": math.fsum(d)}
        for u, d in zip(amounts.tolist(), discounted, strict=True)
    ]


def _flows(
    years: Sequence[int],
    costs: np.ndarray,
    benefits: np.ndarray,
    factors: np.ndarray,
    budget_years: int,
) -> list[dict[str, Any]]:
    """Per row of `costs` and `benefits`: costs, benefits and saldo per year, the
    cumulative saldo, payback and budget."""
    n = budget_years
    out = []
    for c, b, s in zip(
        _streams(costs, factors),
        _streams(benefits, factors),
        _streams(benefits - costs, factors),
        strict=True,
    ):
        cumulative = list(accumulate(s["discounted"]))
        out.append(
            {
                "costs": c,
                "benefits": b,
                "saldo": s,
                "cumulative": {
                    "undiscounted": list(accumulate(s["undiscounted"])),
                    "discounted": cumulative,
                },
                "paybackYear": payback_year(years, cumulative),
                "budget": {
                    "years": n,
                    "costs": math.fsum(c["undiscounted"][:n]),
                    "benefits": math.fsum(b["undiscounted"][:n]),
                    "saldo": math.fsum(s["undiscounted"][:n]),
                    "saldoInLastYear": s["undiscounted"][n - 1],
                },
            }
        )
    return out


def _values(results: Mapping[str, Any]) -> np.ndarray:
    """Every series value in `series.cells()` order as floats; AnalysisError naming the
    first cell that holds no number in this scenario."""
    values = list(results.values())
    if set(map(type, values)) == {float}:  # the rule: every cell a number
        flat = np.array(values)
        if np.isfinite(flat).all():
            return flat
    for cell, v in results.items():
        if not is_number(v):
            raise AnalysisError(
                [
                    {
                        "field": "values",
                        "message": f"this scenario gives the series cell {cell} no number but {v}",
                    }
                ]
            )
    return np.array([float(v) for v in values])


def timeline(
    model: CompiledModel,
    values: Mapping[str, Any] | None = None,
    budget_years: int = DEFAULT_BUDGET_YEARS,
) -> dict[str, Any]:
    """One scenario over time: per line, per actor and in total (the lines' sum, or the
    actors' where the model declares no lines)."""
    series = series_roles(model)
    problems = Problems()
    check_values(model, values, "values", problems)
    years = list(series.years)
    if not 1 <= budget_years <= len(years):
        problems.add("budgetYears", f"must lie between 1 and {len(years)}, the series' years")
    problems.raise_if_any()
    n = len(years)
    factors, lines, actors, total = _amounts(model, series, values or {})
    labels = {a.name: a for a in model.roles.actors}
    costs = np.array([total["costs"], *(c for _a, c, _b in actors)])
    benefits = np.array([total["benefits"], *(b for _a, _c, b in actors)])
    flows = _flows(years, costs, benefits, factors, budget_years)
    streams = _streams(np.array([amounts for _line, amounts in lines]).reshape(-1, n), factors)
    return {
        "years": years,
        "discountFactors": factors.tolist(),
        "total": flows[0],
        "lines": [
            {
                "name": line.name,
                "labelNl": line.label_nl,
                "labelEn": line.label_en or line.label_nl,
                "kind": line.kind,
                **stream,
            }
            for (line, _amounts), stream in zip(lines, streams, strict=True)
        ],
        "actors": [
            {
                "actor": a.actor,
                "labelNl": labels[a.actor].label_nl,
                "labelEn": labels[a.actor].label_en or labels[a.actor].label_nl,
                **flow,
            }
            for (a, _c, _b), flow in zip(actors, flows[1:], strict=True)
        ],
    }


def _amounts(model: CompiledModel, series: Series, values: Mapping[str, Any]) -> tuple[Any, ...]:
    """One scenario's discount factors, (line, amounts) per line, (actor, costs, benefits)
    per actor, and the total costs and benefits (the lines' sum, else the actors')."""
    n = len(series.years)
    flat = _values(model.calculate_series(values))
    rows = iter(flat[k : k + n] for k in range(0, len(flat), n))  # series.cells() order
    factors = next(rows)
    zero = np.zeros(n)
    lines = []
    total = {"costs": zero, "benefits": zero}
    for line in series.lines:
        amounts = next(rows)
        total[line.kind] = total[line.kind] + amounts
        lines.append((line, amounts))
    actors = []
    by_actor = {"costs": zero, "benefits": zero}
    for a in series.actors:
        costs = next(rows) if a.costs else zero
        benefits = next(rows) if a.benefits else zero
        by_actor = {"costs": by_actor["costs"] + costs, "benefits": by_actor["benefits"] + benefits}
        actors.append((a, costs, benefits))
    return factors, lines, actors, total if lines else by_actor


def discounted_saldo(model: CompiledModel, values: Mapping[str, Any]) -> np.ndarray:
    """The total discounted saldo per year of one scenario, values as checked by the caller
    (the engine trusts them); MissingRole without series."""
    factors, _lines, _actors, total = _amounts(model, series_roles(model), values)
    return np.asarray((total["benefits"] - total["costs"]) * factors, dtype=float)


def payback_text(year: int | None, years: Sequence[int]) -> str:
    """The payback year in words (Dutch), for a chart or a memo."""
    if year is None:
        return f"niet terugverdiend binnen de horizon ({years[-1]} jaar)"
    return f"terugverdiend in jaar {year}"


__all__ = [
    "DEFAULT_BUDGET_YEARS",
    "discounted_saldo",
    "payback_text",
    "payback_year",
    "series_roles",
    "timeline",
]
