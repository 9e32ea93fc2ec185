"""Sensitivity (tornado): each input at a low and a high value, the effect on chosen outputs."""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from typing import Any

import numpy as np

from service.analysis.checks import (
    Problems,
    check_output,
    check_outputs,
    check_value,
    check_values,
    cockpit_inputs,
    input_specs,
    is_number,
)
from service.analysis.outputs import json_value
from service.engine import CompiledModel, InputSpec

MAX_INPUTS = 200  # inputs per tornado
MAX_OUTPUTS = 20  # outputs per tornado
MAX_STEP = 1.0  # relative step: at most +-100% of the base value
DEFAULT_STEP = 0.1


def _low_high(spec: InputSpec, base: Any, step: float) -> tuple[Any, Any]:
    """Base -+ |base| x step, clipped to the input's bounds; false/true for yes/no."""
    if spec.type == "yesno":
        return False, True
    delta = abs(float(base)) * step
    low, high = float(base) - delta, float(base) + delta
    if spec.min is not None:
        low, high = max(low, spec.min), max(high, spec.min)
    if spec.max is not None:
        low, high = min(low, spec.max), min(high, spec.max)
    return low, high


def tornado(
    model: CompiledModel,
    *,
    values: Mapping[str, Any] | None = None,
    inputs: Sequence[str] | None = None,
    outputs: Sequence[str] | None = None,
    step: float = DEFAULT_STEP,
    ranges: Mapping[str, Mapping[str, Any]] | None = None,
    sort_by: str | None = None,
) -> dict[str, Any]:
    """Tornado: per input a low and a high scenario, rows sorted by the swing of `sort_by`."""
    problems = Problems()
    base = check_values(model, values, "values", problems)
    if outputs is None and sort_by in {o.name for o in model.outputs}:
        outputs = [sort_by]  # sorted by an output and none asked for: that one
    outs = check_outputs(model, outputs, "outputs", problems)
    if len(outs) > MAX_OUTPUTS:
        problems.add("outputs", f"at most {MAX_OUTPUTS} outputs")
    specs = input_specs(model)
    if inputs is None:
        names = [s.name for s in cockpit_inputs(model)]
    elif isinstance(inputs, str) or not isinstance(inputs, Sequence) or not inputs:
        problems.add("inputs", "must be a non-empty list of input names")
        names = []
    else:
        names = list(inputs)
        for i, name in enumerate(names):
            if not isinstance(name, str) or name not in specs:  # a non-str may be unhashable
                problems.add(f"inputs[{i}]", f"unknown input {name!r}")
        named = [name for name in names if isinstance(name, str)]
        if len(set(named)) != len(named):
            problems.add("inputs", "names an input twice")
    if len(names) > MAX_INPUTS:
        problems.add("inputs", f"at most {MAX_INPUTS} inputs")
    if not is_number(step) or not 0 < step <= MAX_STEP:
        problems.add("step", f"must be a number above 0 and at most {MAX_STEP:g}")
    if ranges is None:
        ranges = {}
    if not isinstance(ranges, Mapping):  # `false`, `0`, `""` are not an absent field
        problems.add("ranges", "must be an object: input name -> {low, high}")
        ranges = {}
    # an input given a range is varied, also when `inputs` leaves it out (added after them)
    added = [name for name in ranges if name in specs and name not in names]
    if added and len(names) <= MAX_INPUTS < len(names) + len(added):
        problems.add("ranges", f"at most {MAX_INPUTS} inputs with those of `inputs`")
    names += added
    for name, r in ranges.items():
        if name not in specs:
            if name not in names:  # an unknown name of `inputs` is reported above
                problems.add(f"ranges.{name}", "unknown input")
        elif not isinstance(r, Mapping) or set(r) != {"low", "high"}:
            problems.add(f"ranges.{name}", "must be an object with exactly low and high")
        else:
            for key in ("low", "high"):
                check_value(specs[name], r[key], f"ranges.{name}.{key}", problems)
    sort_by = outs[0] if sort_by is None and outs else sort_by
    if sort_by is not None and sort_by not in outs:
        # the output the rows are sorted by is reported too, after those asked for
        check_output(model, sort_by, "sortBy", problems)
        outs = [*outs, sort_by] if isinstance(sort_by, str) else outs
    problems.raise_if_any()

    # One vectorised call: row 0 the base, then a low and a high row per input.
    n = 1 + 2 * len(names)
    lows_highs: list[tuple[Any, Any]] = []
    columns: dict[str, Any] = dict(base)  # scalars, except the inputs that move
    for name in names:
        dtype = bool if specs[name].type == "yesno" else np.float64
        columns[name] = np.full(n, base[name], dtype=dtype)
    for i, name in enumerate(names):
        given = ranges.get(name)
        if given:
            low, high = given["low"], given["high"]
        else:
            low, high = _low_high(specs[name], base[name], step)
        lows_highs.append((low, high))
        columns[name][1 + 2 * i] = low
        columns[name][2 + 2 * i] = high
    res = model.calculate_columns(columns)

    def cell(out: str, row: int) -> Any:
        return json_value(np.asarray(res[out])[row] if np.ndim(res[out]) else res[out])

    rows: list[dict[str, Any]] = []
    for i, name in enumerate(names):
        spec = specs[name]
        low, high = lows_highs[i]
        effects: dict[str, dict[str, Any]] = {}
        for out in outs:
            lo, hi = cell(out, 1 + 2 * i), cell(out, 2 + 2 * i)
            swing = abs(hi - lo) if is_number(lo) and is_number(hi) else None
            effects[out] = {"low": lo, "high": hi, "swing": swing}
        rows.append(
            {
                "input": name,
                "label": spec.label_nl,
                "unit": spec.unit,
                "group": spec.group,
                "base": json_value(base[name]),
                "low": json_value(low),
                "high": json_value(high),
                "swing": effects[sort_by]["swing"] if sort_by else None,
                "effects": effects,
            }
        )
    rows.sort(key=lambda row: -row["swing"] if row["swing"] is not None else math.inf)
    return {
        "model": model.id,
        "outputs": outs,
        "sortedBy": sort_by,
        "step": step,
        "base": {out: cell(out, 0) for out in outs},
        "rows": rows,
    }
