"""Checks of an analysis request (every problem at once) and the model lookups they need."""

from __future__ import annotations

import math
from collections.abc import Callable, Iterable, Mapping, Sequence
from typing import Any

from service.engine import CompiledModel, InputSpec, MissingRole, input_values

NON_NUMERIC_TYPES = ("yesno", "text")  # output types that no analysis can move to a target


class AnalysisError(ValueError):
    """Invalid analysis request; `errors` lists every problem as {field, message}."""

    def __init__(self, errors: Iterable[Mapping[str, str]]) -> None:
        self.errors = [{"field": e["field"], "message": e["message"]} for e in errors]
        super().__init__("; ".join(f"{e['field']}: {e['message']}" for e in self.errors))


class Problems:
    """Collects validation problems and raises them all at once."""

    def __init__(self) -> None:
        self.items: list[dict[str, str]] = []

    def add(self, field: str, message: str) -> None:
        """Record one problem."""
        self.items.append({"field": field, "message": message})

    def raise_if_any(self) -> None:
        """Raise AnalysisError when anything was recorded."""
        if self.items:
            raise AnalysisError(self.items)


def is_number(x: Any) -> bool:
    """A finite int or float, not a bool."""
    return isinstance(x, int | float) and not isinstance(x, bool) and math.isfinite(x)


def check_map(
    given: Any,
    field: str,
    problems: Problems,
    what: str,
    key_problem: Callable[[Any], str | None],
    value_problem: Callable[[Any], str | None],
) -> dict[Any, Any]:
    """A request object (None: empty) of which every key and value is checked, each problem
    recorded under `field.key`; the pairs that pass."""
    if given is None:
        return {}
    if not isinstance(given, Mapping):
        problems.add(field, f"must be an object of {what}")
        return {}
    out = {}
    for key, value in given.items():
        why = key_problem(key) or value_problem(value)
        if why:
            problems.add(f"{field}.{key}", why)
        else:
            out[key] = value
    return out


def input_specs(model: CompiledModel) -> dict[str, InputSpec]:
    """Input specs by name."""
    return {s.name: s for s in model.inputs}


def cockpit_inputs(model: CompiledModel) -> list[InputSpec]:
    """The cockpit knobs: inputs of the groups the model marks `knobs`; every input for a
    model that marks none."""
    groups = set(model.roles.knob_groups)
    knobs = [s for s in model.inputs if s.group in groups]
    return knobs or list(model.inputs)


def saldo_output(model: CompiledModel, hint: str = "") -> str:
    """The output with role `saldo`; MissingRole (naming `hint`, the request field that
    would do without it) when the model declares none."""
    if model.roles.saldo is None:
        raise MissingRole("saldo", model.id, hint)
    return model.roles.saldo


def check_outputs(
    model: CompiledModel, outputs: Sequence[str] | None, field: str, problems: Problems
) -> list[str]:
    """Validate a list of output names; None -> [saldo]."""
    if outputs is None:
        return [saldo_output(model, field)]
    if isinstance(outputs, str) or not isinstance(outputs, Sequence):
        problems.add(field, "must be a list of output names")
        return []
    known = {o.name for o in model.outputs}
    if not outputs:
        problems.add(field, "must name at least one output")
    for i, name in enumerate(outputs):
        if not isinstance(name, str) or name not in known:  # a non-str may be unhashable
            problems.add(f"{field}[{i}]", f"unknown output {name!r}")
    names = [name for name in outputs if isinstance(name, str)]
    if len(set(names)) != len(names):
        problems.add(field, "names an output twice")
    return list(outputs)


def check_output(
    model: CompiledModel, name: Any, field: str, problems: Problems, *, numeric: bool = False
) -> None:
    """Validate one output name (with `numeric`, one whose type is a number)."""
    specs = {o.name: o for o in model.outputs}
    if not isinstance(name, str) or name not in specs:
        problems.add(field, f"unknown output {name!r}")
    elif numeric and specs[name].type in NON_NUMERIC_TYPES:
        problems.add(field, f"output {name!r} is a {specs[name].type}, not a number")


def check_value(spec: InputSpec, value: Any, field: str, problems: Problems) -> None:
    """Validate one input value against its type and bounds (`input_values.parse`)."""
    try:
        input_values.parse(spec, value)
    except input_values.InvalidValue as exc:
        problems.add(field, input_values.analysis_reason(exc))


def check_values(
    model: CompiledModel, values: Mapping[str, Any] | None, field: str, problems: Problems
) -> dict[str, Any]:
    """Validate a scenario (input name -> value); returns it resolved over the defaults."""
    values = {} if values is None else values  # not `or`: [], 0 and "" are errors
    if not isinstance(values, Mapping):
        problems.add(field, "must be an object of input values")
        return model.resolve({})
    specs = input_specs(model)
    for name, v in values.items():
        spec = specs.get(name)
        if spec is None:
            problems.add(f"{field}.{name}", "unknown input")
        else:
            check_value(spec, v, f"{field}.{name}", problems)
    return model.resolve(values)
