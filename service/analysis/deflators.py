"""Impact deflators of an effect (SROI practice): deadweight, attribution and drop-off.

SROI Guide (Social Value UK, 2012), section 4: impact = outcome x (1 - deadweight) x
(1 - attribution), and an outcome that lasts more than a year falls by the drop-off rate
each year after the first: year n yields (1 - drop-off)^(n - 1) of year 1's.

A model declares them per effect input in its Interface sheet (columns deadweight,
attribution, dropOff; docs/adding-a-model.md), a request may set them. They act as the
optimism-bias correction does (service/analysis/optimism.py): the effect input is scaled
and the compiled model recalculates. Drop-off is no single scale: its factor is the share
of the effect's discounted yield that is left when each year's yield falls by the rate,
with the yield per year read from the model's yearly series (the scenario's discounted
saldo per year minus that saldo with the effect at zero), counted from the first year in
which the effect yields. For a model whose outputs are linear in the effect (quantity x
value x profile) the scaled input gives the deflated impact exactly; `linear_check` says
where they are not.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from typing import Any

from service.analysis.checks import Problems, check_map, is_number
from service.analysis.timeline import discounted_saldo
from service.engine import CompiledModel

KEYS = ("deadweight", "attribution", "dropOff")
SOURCE = {
    "title": "A guide to Social Return on Investment (The SROI Network, now Social Value UK; "
    "update of the Cabinet Office's 2009 guide)",
    "date": "2012-01",
    "url": "https://www.socialvalueuk.org/",
    "table": "Stage 4, Establishing impact (deadweight, attribution, drop-off); Stage 5, "
    "Calculating the SROI (projecting into the future: drop-off per year)",
}
LINEAR_TOLERANCE = 1e-9  # relative: a difference beyond rounding means not linear


def declared(model: CompiledModel) -> dict[str, dict[str, float]]:
    """input -> its deflators, as the Interface sheet declares them (effect inputs only)."""
    return {e.input: dict(e.deflators) for e in model.roles.evidence if e.deflators}


def effect_inputs(model: CompiledModel) -> tuple[str, ...]:
    """The inputs a deflator may act on: those with the input role effect."""
    return tuple(e.input for e in model.roles.evidence if e.kind == "effect")


def check(
    model: CompiledModel, given: Any, field: str, problems: Problems
) -> dict[str, dict[str, tuple[float, str]]]:
    """input -> key -> (fraction, where from): the request's deflators over the workbook's."""
    out = {name: {k: (v, "workbook") for k, v in d.items()} for name, d in declared(model).items()}
    effects = effect_inputs(model)
    requested = check_map(
        given,
        field,
        problems,
        "effect input -> deflators",
        lambda name: (
            None
            if name in effects
            else "not an input with role effect in the Interface sheet; one of "
            + ", ".join(effects)
        ),
        lambda d: None if isinstance(d, Mapping) else f"must be an object with {', '.join(KEYS)}",
    )
    for name, d in requested.items():
        rates = check_map(
            d,
            f"{field}.{name}",
            problems,
            "deflators",
            lambda k: None if k in KEYS else f"unknown deflator; one of {', '.join(KEYS)}",
            lambda v: (
                None if is_number(v) and 0 <= v < 1 else "must be a fraction from 0 to below 1"
            ),
        )
        for k, v in rates.items():
            out.setdefault(name, {})[k] = (float(v), "request")
    if any(d.get("dropOff", (0.0,))[0] > 0 for d in out.values()) and model.roles.series is None:
        problems.add(
            field,
            "a drop-off needs the model's yearly series (rows of kind series in its "
            "Interface sheet); this model declares none",
        )
    return out


def drop_off_factor(
    model: CompiledModel, values: Mapping[str, Any], name: str, rate: float
) -> tuple[float, int | None]:
    """The share of the effect's discounted yield left under a drop-off `rate` per year,
    and the year the drop-off counts from (None: the effect yields in no year)."""
    years = model.roles.series.years if model.roles.series else ()
    yield_per_year = discounted_saldo(model, values) - discounted_saldo(
        model, {**values, name: 0.0}
    )
    first = next((k for k, v in enumerate(yield_per_year.tolist()) if v != 0), None)
    whole = math.fsum(yield_per_year.tolist())
    if first is None or whole == 0:
        return 1.0, None
    left = math.fsum(
        v * (1.0 - rate) ** (k - first) for k, v in enumerate(yield_per_year.tolist()) if k >= first
    )
    return left / whole, years[first]


def steps(
    model: CompiledModel,
    values: Mapping[str, Any],
    deflators: Mapping[str, Mapping[str, tuple[float, str]]],
) -> list[dict[str, Any]]:
    """Per effect input and deflator the factor it scales the effect by, in SROI order
    (deadweight, attribution, drop-off); values: the checked scenario."""
    out = []
    for name, d in deflators.items():
        for key in KEYS:
            if key not in d:
                continue
            rate, origin = d[key]
            year = None
            if key == "dropOff":
                factor, year = drop_off_factor(model, values, name, rate) if rate else (1.0, None)
            else:
                factor = 1.0 - rate
            out.append(
                {
                    "input": name,
                    "deflator": key,
                    "rate": rate,
                    "from": origin,
                    "factor": factor,
                    "fromYear": year,
                }
            )
    return out


def linear_check(
    model: CompiledModel, values: Mapping[str, Any], name: str, factor: float, saldo: str
) -> str | None:
    """A note when scaling `name` by `factor` does not scale its contribution to the saldo
    by `factor` (the model is not linear in it), else None."""
    at = model.calculate(values)[saldo]
    zero = model.calculate({**values, name: 0.0})[saldo]
    scaled = model.calculate({**values, name: values[name] * factor})[saldo]
    if not all(is_number(x) for x in (at, zero, scaled)):
        return None
    expected = zero + factor * (at - zero)
    if abs(scaled - expected) <= LINEAR_TOLERANCE * max(abs(at), abs(zero), 1.0):
        return None
    return (
        f"The saldo is not linear in {name}: scaling it by {factor:.6g} moves the saldo to "
        f"{scaled:.6g}, not to {expected:.6g} (its impact times {factor:.6g}); the deflated "
        "figures are an approximation for this input."
    )


__all__ = ["KEYS", "SOURCE", "check", "declared", "drop_off_factor", "effect_inputs", "steps"]
