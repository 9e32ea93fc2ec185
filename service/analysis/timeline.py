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
from dataclasses import dataclass
from typing import Any

import numpy as np

from service.analysis.checks import AnalysisError, Problems, check_values, is_number
from service.engine import CompiledModel, MissingRole
from service.engine.roles import Actor, Roles, Series

KINDS = ("costs", "benefits")  # a line's kind; the total's order
DEFAULT_BUDGET_YEARS = 2  # LPBL's MKBA-tool sociale (wijk)teams: "begroting na 2 jaar"


def series_roles(model: CompiledModel) -> Series:
    """The model's yearly series; MissingRole (404: no such resource) when it has none."""
    if model.roles.series is None:
        raise MissingRole("costSeries", model.id)
    return model.roles.series


def payback_year(years: Sequence[int], cumulative: Sequence[float]) -> int | None:
    """The first year from which the cumulative saldo stays positive to the last year;
    None when it is not positive in the last year (not paid back within the horizon)."""
    if len(years) != len(cumulative):
        raise ValueError("one cumulative saldo per year")
    return _payback_years(years, np.array([cumulative], dtype=float))[0]


def _payback_years(years: Sequence[int], cumulative: np.ndarray) -> list[int | None]:
    """`payback_year` of each row of `cumulative` (a column per year), in one pass."""
    positive = cumulative > 0
    n = positive.shape[1]
    # per row, how many of the last years are positive: back to the last that is not
    tail = np.where(positive.all(axis=1), n, positive[:, ::-1].argmin(axis=1)).tolist()
    return [years[n - t] if t else None for t in tail]


def _flows(
    years: Sequence[int],
    factors: np.ndarray,
    lines: np.ndarray,
    flows: np.ndarray,
    budget_years: int,
    heads: tuple[Sequence[dict[str, Any]], Sequence[dict[str, Any]]],
) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    """Per line (`lines`, a row each) its head with the amounts undiscounted, discounted
    and their NCW; per flow (`flows`: costs and benefits, a row per flow each) its head
    with its costs, benefits and saldo, the cumulative saldo, payback and budget.
    `heads`: the lines' and the flows' heads (names and labels)."""
    f = flows.shape[1]
    k = 3 * f + len(lines)
    # rows: the amounts (costs, benefits, saldo per flow; the lines), the same discounted,
    # the cumulative saldo per flow undiscounted and discounted
    out = np.empty((2 * k + 2 * f, len(factors)))
    out[: 2 * f] = flows.reshape(2 * f, -1)
    np.subtract(out[f : 2 * f], out[:f], out=out[2 * f : 3 * f])
    out[3 * f : k] = lines
    np.multiply(out[:k], factors, out=out[k : 2 * k])
    # a cumulative sum runs left to right (numpy's accumulate is not pairwise)
    np.cumsum(out[2 * f : 3 * f], axis=1, out=out[2 * k : 2 * k + f])
    np.cumsum(out[k + 2 * f : k + 3 * f], axis=1, out=out[2 * k + f :])
    rows = out.tolist()  # one conversion to Python floats for the whole answer
    paybacks = _payback_years(years, out[2 * k + f :])
    fsum = math.fsum
    streams = [
        {"undiscounted": u, "discounted": d, "ncw": fsum(d)}
        for u, d in zip(rows[: 3 * f], rows[k : k + 3 * f], strict=True)
    ]
    line_heads, flow_heads = heads
    out_lines = [
        {**head, "undiscounted": u, "discounted": d, "ncw": fsum(d)}
        for head, u, d in zip(line_heads, rows[3 * f : k], rows[k + 3 * f : 2 * k], strict=True)
    ]
    n = budget_years
    out_flows = [
        {
            **head,
            "costs": c,
            "benefits": b,
            "saldo": s,
            "cumulative": {"undiscounted": u, "discounted": d},
            "paybackYear": p,
            "budget": {
                "years": n,
                "costs": fsum(c["undiscounted"][:n]),
                "benefits": fsum(b["undiscounted"][:n]),
                "saldo": fsum(s["undiscounted"][:n]),
                "saldoInLastYear": s["undiscounted"][n - 1],
            },
        }
        for head, c, b, s, u, d, p in zip(
            flow_heads,
            streams[:f],
            streams[f : 2 * f],
            streams[2 * f :],
            rows[2 * k : 2 * k + f],
            rows[2 * k + f :],
            paybacks,
            strict=True,
        )
    ]
    return out_lines, out_flows


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
    factors, lines, flows = _amounts(model, series, values or {})
    heads = _layout(model).heads
    lines, flows = _flows(years, factors, lines, flows, budget_years, heads)
    return {
        "years": years,
        "discountFactors": factors.tolist(),
        "total": flows[0],
        "lines": lines,
        "actors": flows[1:],
    }


@dataclass(frozen=True)
class _Layout:
    """Which rows of a model's series (in `Series.cells()` order, a zero row after them,
    then the total costs and benefits) are what."""

    heads: tuple[list[dict[str, Any]], list[dict[str, Any]]]  # the lines' and the flows'
    lines: slice
    # (steps, 2): the rows the total costs and benefits add up, one after another
    total: np.ndarray
    # (2, 1 + actors): the rows of the costs and of the benefits, the total's first
    flows: np.ndarray


_LAYOUTS: dict[int, tuple[Roles, _Layout]] = {}  # by id(roles); the roles kept alive


def _layout(model: CompiledModel) -> _Layout:
    """The layout of a model's series, worked out once per model."""
    roles = model.roles
    known = _LAYOUTS.get(id(roles))
    if known is None or known[0] is not roles:
        known = _LAYOUTS[id(roles)] = (roles, _new_layout(series_roles(model), roles.actors))
    return known[1]


def _new_layout(series: Series, labels: Sequence[Actor]) -> _Layout:
    """The layout of these series; `labels`: the model's actors."""
    kinds = [line.kind for line in series.lines]
    actors = [(bool(a.costs), bool(a.benefits)) for a in series.actors]
    k = 1 + len(kinds)  # the discount factors, then the lines
    costs_at, benefits_at = [], []
    for has_costs, has_benefits in actors:
        costs_at.append(k if has_costs else -1)
        k += has_costs
        benefits_at.append(k if has_benefits else -1)
        k += has_benefits
    zero = k
    costs_at = [zero if i < 0 else i for i in costs_at]
    benefits_at = [zero if i < 0 else i for i in benefits_at]
    if kinds:
        parts = [[1 + i for i, x in enumerate(kinds) if x == kind] for kind in KINDS]
    else:
        parts = [costs_at, benefits_at]
    # from zero; zeros after the shorter part (adding 0.0 leaves a running total as it is)
    steps = 1 + max(map(len, parts))
    total = [[zero, zero]] + [
        [p[j] if j < len(p) else zero for p in parts] for j in range(steps - 1)
    ]
    line_heads = [
        {
            "name": line.name,
            "labelNl": line.label_nl,
            "labelEn": line.label_en or line.label_nl,
            "kind": line.kind,
        }
        for line in series.lines
    ]
    named = {a.name: a for a in labels}
    flow_heads: list[dict[str, Any]] = [{}]  # the total's
    for a in series.actors:
        label = named[a.actor]
        flow_heads.append(
            {
                "actor": a.actor,
                "labelNl": label.label_nl,
                "labelEn": label.label_en or label.label_nl,
            }
        )
    return _Layout(
        heads=(line_heads, flow_heads),
        lines=slice(1, 1 + len(kinds)),
        total=np.array(total),
        flows=np.array([[zero + 1, *costs_at], [zero + 2, *benefits_at]]),
    )


def _amounts(model: CompiledModel, series: Series, values: Mapping[str, Any]) -> tuple[Any, ...]:
    """One scenario's discount factors, the amounts per line (a row each), and the costs
    and the benefits (2 x (1 + actors) rows): first the total (the lines' sum, else the
    actors'), then per actor (zeros where the actor has none)."""
    n = len(series.years)
    flat = model.series_array(values)  # every value a finite number, or None
    if flat is None:
        flat = _values(model.calculate_series(values))  # which cell holds what
    layout = _layout(model)
    rows = np.concatenate((flat, np.zeros(n))).reshape(-1, n)  # series.cells() order, 0s
    total = rows[layout.total].cumsum(axis=0)[-1]
    rows = np.concatenate((rows, total))
    return rows[0], rows[layout.lines], rows[layout.flows]


def discounted_saldo(model: CompiledModel, values: Mapping[str, Any]) -> np.ndarray:
    """The total discounted saldo per year of one scenario, values as checked by the caller
    (the engine trusts them); MissingRole without series."""
    factors, _lines, flows = _amounts(model, series_roles(model), values)
    return np.asarray((flows[1][0] - flows[0][0]) * factors, dtype=float)


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
