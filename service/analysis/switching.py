"""Switching value: the value of one input at which one output reaches a target."""

from __future__ import annotations

import math
from collections.abc import Mapping
from typing import Any

import numpy as np

from service.analysis.checks import (
    Problems,
    check_output,
    check_values,
    input_specs,
    is_number,
    saldo_output,
)
from service.analysis.outputs import float_column, json_value
from service.engine import CompiledModel

GRID_POINTS = 1001  # points of the linear and of the geometric scan of the bounds
MAX_ROOTS = 20  # switching values reported when the output crosses the target often
XTOL = 1e-12  # absolute tolerance of the root finder, relative to the width of the bounds


def switching_value(
    model: CompiledModel,
    *,
    input: str,
    output: str | None = None,
    target: float = 0.0,
    values: Mapping[str, Any] | None = None,
) -> dict[str, Any]:
    """Where within the input's bounds `output` equals `target`; `found` False if nowhere."""
    problems = Problems()
    scenario = check_values(model, values, "values", problems)
    out = output if output is not None else saldo_output(model, "output")
    check_output(model, out, "output", problems, numeric=True)
    spec = input_specs(model).get(input) if isinstance(input, str) else None  # may be unhashable
    if spec is None:
        problems.add("input", f"unknown input {input!r}")
    elif spec.type == "yesno" or spec.min is None or spec.max is None:
        problems.add("input", "must be a numeric input with bounds")
    if not is_number(target):
        problems.add("target", "must be a finite number")
    problems.raise_if_any()
    assert spec is not None and spec.min is not None and spec.max is not None
    lo, hi = float(spec.min), float(spec.max)
    current = float(scenario[input])

    def f(x: float) -> float:
        v = model.calculate({**scenario, input: x})[out]
        return float(v) - target if is_number(v) else math.nan

    # Scan: linear grid, a geometric grid that resolves the low end, and the current value.
    width = hi - lo
    grid = np.unique(
        np.concatenate(
            [
                np.linspace(lo, hi, GRID_POINTS),
                lo + width * np.geomspace(1e-12, 1.0, GRID_POINTS) if width > 0 else [lo],
                [current],
            ]
        )
    )
    cols: dict[str, Any] = dict(scenario)
    cols[input] = grid
    y = float_column(np.asarray(model.calculate_columns(cols)[out])) - target
    finite = np.isfinite(y)

    roots: list[float] = [float(x) for x in grid[finite & (y == 0.0)]]
    sign = np.sign(y)
    brackets = np.nonzero(finite[:-1] & finite[1:] & (sign[:-1] * sign[1:] < 0))[0]
    if len(brackets):
        from scipy.optimize import brentq  # lazy: only a crossing needs it

        for i in brackets:
            a, b = float(grid[i]), float(grid[i + 1])
            try:
                x = brentq(f, a, b, xtol=XTOL * max(1.0, width), maxiter=200)
            except (ValueError, RuntimeError):
                continue
            roots.append(float(x))
    roots = sorted(set(roots))
    answer: dict[str, Any] = {
        "model": model.id,
        "input": input,
        "output": out,
        "target": target,
        "bounds": [lo, hi],
        "current": {"input": current, "output": json_value(model.calculate(scenario)[out])},
        "range": {
            "min": float(np.min(y[finite]) + target) if finite.any() else None,
            "max": float(np.max(y[finite]) + target) if finite.any() else None,
        },
    }
    if not roots:
        answer.update(
            found=False,
            value=None,
            outputAtValue=None,
            switchingValues=[],
            message=(f"{out} does not reach {target:g} for {input} within [{lo:g}, {hi:g}]"),
        )
        return answer
    best = min(roots, key=lambda x: (abs(x - current), x))
    answer.update(
        found=True,
        value=best,
        outputAtValue=json_value(model.calculate({**scenario, input: best})[out]),
        switchingValues=roots[:MAX_ROOTS],
        message=f"{out} = {target:g} at {input} = {best:.6g}",
    )
    return answer
