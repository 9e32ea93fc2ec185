"""Costs and benefits over time, per line and per actor, from a model's yearly series.

A model declares its series in the Interface sheet (kind `series`): each line's and each
actor's costs or benefits per year, undiscounted, and one row of discount factors. From
one scenario's series this gives per year the undiscounted and discounted amounts, the
cumulative saldo, the payback year (the first year from which the cumulative discounted
saldo is positive to the end of the horizon) and the budget after N years (the
undiscounted costs, benefits and saldo of years 1 to N, as LPBL's "begroting na 2 jaar").
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from itertools import accumulate
from typing import Any

from service.analysis._common import AnalysisError, Problems, check_values, is_number
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


def _stream(
    undiscounted: Sequence[float], factors: Sequence[float]
) -> dict[str, list[float] | float]:
    discounted = [u * f for u, f in zip(undiscounted, factors, strict=True)]
    return {
        "undiscounted": list(undiscounted),
        "discounted": discounted,
        "ncw": sum(discounted),
    }


def _flow(
    years: Sequence[int],
    costs: Sequence[float],
    benefits: Sequence[float],
    factors: Sequence[float],
    budget_years: int,
) -> dict[str, Any]:
    """Costs, benefits and saldo per year, the cumulative saldo, payback and budget."""
    saldo = [b - c for b, c in zip(benefits, costs, strict=True)]
    out: dict[str, Any] = {
        "costs": _stream(costs, factors),
        "benefits": _stream(benefits, factors),
        "saldo": _stream(saldo, factors),
    }
    cumulative = list(accumulate(out["saldo"]["discounted"]))
    out["cumulative"] = {"undiscounted": list(accumulate(saldo)), "discounted": cumulative}
    out["paybackYear"] = payback_year(years, cumulative)
    n = budget_years
    out["budget"] = {
        "years": n,
        "costs": sum(costs[:n]),
        "benefits": sum(benefits[:n]),
        "saldo": sum(saldo[:n]),
        "saldoInLastYear": saldo[n - 1],
    }
    return out


def _numbers(
    results: Mapping[str, Any], cells: Sequence[str], what: str, years: Sequence[int]
) -> list[float]:
    """The series' values; AnalysisError when the scenario gives a cell no number."""
    fast = [results[c] for c in cells]
    if all(v.__class__ is float and v - v == 0 for v in fast):  # finite floats: the rule
        return fast
    out = []
    for year, cell in zip(years, cells, strict=True):
        v = results[cell]
        if not is_number(v):
            raise AnalysisError(
                [
                    {
                        "field": "values",
                        "message": f"this scenario gives {what} in year {year} ({cell}) "
                        f"no number but {v}",
                    }
                ]
            )
        out.append(float(v))
    return out


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
    results = model.calculate_series(values or {})
    factors = _numbers(results, series.discount_factors, "the discount factor", years)
    zero = [0.0] * len(years)
    lines = []
    total_costs, total_benefits = list(zero), list(zero)
    for line in series.lines:
        amounts = _numbers(results, line.cells, line.name, years)
        total = total_costs if line.kind == "costs" else total_benefits
        total[:] = [t + a for t, a in zip(total, amounts, strict=True)]
        lines.append(
            {
                "name": line.name,
                "labelNl": line.label_nl,
                "labelEn": line.label_en or line.label_nl,
                "kind": line.kind,
                **_stream(amounts, factors),
            }
        )
    labels = {a.name: a for a in model.roles.actors}
    actors = []
    actor_costs, actor_benefits = list(zero), list(zero)
    for a in series.actors:
        costs = _numbers(results, a.costs, f"{a.actor}'s costs", years) if a.costs else zero
        benefits = (
            _numbers(results, a.benefits, f"{a.actor}'s benefits", years) if a.benefits else zero
        )
        actor_costs = [t + x for t, x in zip(actor_costs, costs, strict=True)]
        actor_benefits = [t + x for t, x in zip(actor_benefits, benefits, strict=True)]
        label = labels[a.actor]
        actors.append(
            {
                "actor": a.actor,
                "labelNl": label.label_nl,
                "labelEn": label.label_en or label.label_nl,
                **_flow(years, costs, benefits, factors, budget_years),
            }
        )
    if not lines:
        total_costs, total_benefits = actor_costs, actor_benefits
    return {
        "years": years,
        "discountFactors": factors,
        "total": _flow(years, total_costs, total_benefits, factors, budget_years),
        "lines": lines,
        "actors": actors,
    }


def payback_text(year: int | None, years: Sequence[int]) -> str:
    """The payback year in words (Dutch), for a chart or a memo."""
    if year is None:
        return f"niet terugverdiend binnen de horizon ({years[-1]} jaar)"
    return f"terugverdiend in jaar {year}"


__all__ = ["DEFAULT_BUDGET_YEARS", "payback_text", "payback_year", "series_roles", "timeline"]
