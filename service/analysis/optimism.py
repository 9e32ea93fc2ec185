"""How sure are we: the optimism-bias correction of a scenario by the evidence grade of its
inputs, and Monte Carlo distributions whose spread follows the grade.

The grades and the published percentages are data with their sources
(data/optimism_bias.json). What a grade does to a model comes from its Interface sheet:
an input with role `effect` is scaled down by the benefit reduction of its grade, one with
role `cost` is scaled up by the cost uplift of its grade, and the compiled model
recalculates the corrected scenario. Nothing here names a model, an input or an output.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from service.analysis import deflators as impact
from service.analysis import tables
from service.analysis.checks import Problems, check_map, check_values, input_specs, is_number
from service.analysis.ledger import ledger_from_outputs
from service.analysis.outputs import json_value
from service.engine import CompiledModel, input_values

MAX_UPLIFT = 10.0  # a cost uplift of at most +1.000% (the table's largest is +200%)


def table() -> dict[str, Any]:
    """The whole table: grades, reference classes and their sources."""
    return tables.table("optimism_bias")


def grade_ids() -> tuple[str, ...]:
    """The evidence grades, strongest first."""
    return tuple(g["id"] for g in sorted(table()["grades"], key=lambda g: g["rank"]))


def reference_class_ids() -> tuple[str, ...]:
    """The reference classes of the cost table."""
    return tuple(c["id"] for c in table()["referenceClasses"])


def _grade(grade_id: str) -> dict[str, Any]:
    return next(g for g in table()["grades"] if g["id"] == grade_id)


def _reference_class(class_id: str) -> dict[str, Any]:
    return next(c for c in table()["referenceClasses"] if c["id"] == class_id)


def cost_uplift(grade_id: str, class_id: str) -> float:
    """The cost uplift of a grade in a reference class: lower bound + position x (upper -
    lower); the strongest grade takes the lower bound, the weakest the upper bound."""
    c = _reference_class(class_id)
    return float(c["lower"] + _grade(grade_id)["boundPosition"] * (c["upper"] - c["lower"]))


def _check_grade_map(
    given: Any, field: str, problems: Problems, lo: float, hi: float
) -> dict[str, float]:
    """A {grade: fraction} object of the request, each fraction within [lo, hi]."""
    checked = check_map(
        given,
        field,
        problems,
        "evidence grade -> fraction",
        lambda grade: (
            None
            if grade in grade_ids()
            else f"unknown evidence grade; one of {', '.join(grade_ids())}"
        ),
        lambda v: (
            None if is_number(v) and lo <= v <= hi else f"must be a number from {lo:g} to {hi:g}"
        ),
    )
    return {grade: float(v) for grade, v in checked.items()}


def _graded_inputs(
    model: CompiledModel, grades: Any, field: str, problems: Problems
) -> dict[str, tuple[str, str | None, str]]:
    """input -> (kind, grade, where the grade comes from) for every input the model
    declares an effect or a cost, with the request's grades over the workbook's."""
    declared = {e.input: e for e in model.roles.evidence}
    out = {name: (e.kind, e.grade, "workbook" if e.grade else "") for name, e in declared.items()}
    specs = input_specs(model)

    def not_graded(name: str) -> str | None:
        if name in declared:
            return None
        if name not in specs:
            return "unknown input"
        return (
            "this input has no role effect or cost in the model's Interface sheet, "
            "so the correction does not know whether to lower or raise it"
        )

    requested = check_map(
        grades,
        field,
        problems,
        "input name -> evidence grade",
        not_graded,
        lambda grade: (
            None
            if isinstance(grade, str) and grade in grade_ids()
            else f"must be one of {', '.join(grade_ids())}"
        ),
    )
    out.update((name, (declared[name].kind, grade, "request")) for name, grade in requested.items())
    return out


def _scenario(
    model: CompiledModel,
    values: Mapping[str, Any] | None,
    grades: Mapping[str, str] | None,
    reference_class: str | None,
    problems: Problems,
) -> tuple[dict[str, Any], dict[str, tuple[str, str | None, str]], str]:
    """The checked scenario, its graded inputs and the reference class of a request."""
    base = check_values(model, values, "values", problems)
    graded = _graded_inputs(model, grades, "grades", problems)
    class_id = table()["defaultReferenceClass"] if reference_class is None else reference_class
    if class_id not in reference_class_ids():
        problems.add("reference_class", f"must be one of {', '.join(reference_class_ids())}")
    return base, graded, class_id


def correct(
    model: CompiledModel,
    *,
    values: Mapping[str, Any] | None = None,
    grades: Mapping[str, str] | None = None,
    reference_class: str | None = None,
    benefit_reductions: Mapping[str, float] | None = None,
    cost_uplifts: Mapping[str, float] | None = None,
    spreads: Mapping[str, float] | None = None,
    deflators: Mapping[str, Mapping[str, float]] | None = None,
) -> dict[str, Any]:
    """The scenario and its optimism-bias corrected twin, side by side, and the graded
    distributions around the scenario (`graded_distributions`).

    `grades` overrides the workbook's grade per input; `benefit_reductions` gives the
    reduction of an effect per grade (no generic published figure exists, so without it
    effects stay as they are); `cost_uplifts` overrides the table's cost uplift per grade;
    `spreads` the spread of the distributions per grade; `deflators` the workbook's impact
    deflators per effect input (deflators.py), which act first: the answer shows the saldo
    after each of them, then after the grades.
    """
    problems = Problems()
    _, graded, class_id = _scenario(model, values, grades, reference_class, problems)
    reductions = _check_grade_map(benefit_reductions, "benefit_reductions", problems, 0.0, 1.0)
    uplifts = _check_grade_map(cost_uplifts, "cost_uplifts", problems, 0.0, MAX_UPLIFT)
    given_spreads = _check_grade_map(spreads, "spreads", problems, 0.0, MAX_UPLIFT)
    deflating = impact.check(model, deflators, "deflators", problems)
    saldo = model.roles.saldo
    problems.raise_if_any()
    specs = input_specs(model)
    # the scenario as the engine takes it (numbers as floats), as the answer echoes it
    given = {name: input_values.parse(specs[name], v) for name, v in (values or {}).items()}
    base = model.resolve(given)

    corrected = dict(base)
    rows, notes = [], []
    deflator_rows = impact.steps(model, base, deflating)
    for row in deflator_rows:
        name = row["input"]
        corrected[name] = corrected[name] * row["factor"]
        row["saldo"] = None if saldo is None else json_value(model.calculate(corrected)[saldo])
    deflated = dict(corrected)
    if saldo is not None:
        for name in dict.fromkeys(r["input"] for r in deflator_rows):
            if base[name]:
                note = impact.linear_check(model, base, name, deflated[name] / base[name], saldo)
                notes += [note] if note else []
    reduced_without_figure = False
    for name, (kind, grade, origin) in graded.items():
        if grade is None:
            continue
        if kind == "cost":
            if grade in uplifts:
                pct, basis = uplifts[grade], "request (costUplifts)"
            else:
                pct = cost_uplift(grade, class_id)
                basis = f"{_grade(grade)['basis']}; reference class {class_id}"
            factor = 1.0 + pct
        elif grade in reductions:
            pct, basis, factor = (
                reductions[grade],
                "request (benefitReductions)",
                1.0 - reductions[grade],
            )
        else:
            pct, basis, factor = None, "no published generic figure for benefits", 1.0
            reduced_without_figure = True
        corrected[name] = deflated[name] * factor
        rows.append(
            {
                "input": name,
                "kind": kind,
                "grade": grade,
                "gradeFrom": origin,
                "percentage": pct,
                "factor": factor,
                "basis": basis,
                "value": deflated[name],
                "corrected": corrected[name],
            }
        )
    if reduced_without_figure:
        notes.append(table()["benefits"]["note"])
    if not rows and not deflator_rows:
        notes.append(
            "No input of this scenario carries an evidence grade: corrected and uncorrected "
            "are the same. Grade inputs with role effect or cost in `grades`."
        )
    before, after = model.calculate(base), model.calculate(corrected)
    outputs = {
        o.name: {
            "uncorrected": json_value(before[o.name]),
            "corrected": json_value(after[o.name]),
        }
        for o in model.outputs
    }
    return {
        "model": model.id,
        "referenceClass": _with_source(_reference_class(class_id)),
        "values": given,
        "inputs": rows,
        "saldoOutput": saldo,
        "saldo": None if saldo is None else _pair(outputs[saldo]),
        "outputs": outputs,
        "ledger": _ledgers(model, before, after),
        "deflators": deflator_rows,
        "deflatedSaldo": None
        if saldo is None or not deflator_rows
        else json_value(model.calculate(deflated)[saldo]),
        "correctedValues": {
            name: corrected[name]
            for name in dict.fromkeys([r["input"] for r in deflator_rows + rows])
        },
        "distributions": _distributions(model, base, graded, class_id, given_spreads),
        "notes": notes,
        "sources": table()["sources"] + ([impact.SOURCE] if deflator_rows else []),
    }


def _with_source(reference_class: Mapping[str, Any]) -> dict[str, Any]:
    """A reference class's cost uplift bounds with the table they come from."""
    keys = ("id", "labelEn", "costs", "upper", "lower")
    return {**{k: reference_class[k] for k in keys}, "source": table()["referenceClassSource"]}


def overview() -> dict[str, Any]:
    """The table as a reader takes it: grades strongest first, each reference class with
    its source."""
    data = table()
    return {
        "version": data["version"],
        "unit": data["unit"],
        "grades": sorted(data["grades"], key=lambda g: g["rank"]),
        "defaultReferenceClass": data["defaultReferenceClass"],
        "referenceClasses": [_with_source(c) for c in data["referenceClasses"]],
        "benefits": data["benefits"],
        "sources": data["sources"],
    }


def _pair(pair: Mapping[str, Any]) -> dict[str, Any]:
    a, b = pair["uncorrected"], pair["corrected"]
    diff = b - a if is_number(a) and is_number(b) else None
    return {"uncorrected": a, "corrected": b, "difference": diff}


def _ledgers(
    model: CompiledModel, before: Mapping[str, Any], after: Mapping[str, Any]
) -> list[dict[str, Any]] | None:
    """Per actor kosten, baten and saldo, uncorrected and corrected (None without actors)."""
    if not model.roles.actors:
        return None
    a, b = ledger_from_outputs(model, before), ledger_from_outputs(model, after)
    return [
        {
            "actor": x["actor"],
            "labelNl": x["labelNl"],
            **{
                k: _pair({"uncorrected": x[k], "corrected": y[k]})
                for k in ("kosten", "baten", "saldo")
            },
        }
        for x, y in zip(a["actors"], b["actors"], strict=True)
    ]


def graded_distributions(
    model: CompiledModel,
    *,
    values: Mapping[str, Any] | None = None,
    grades: Mapping[str, str] | None = None,
    reference_class: str | None = None,
    spreads: Mapping[str, float] | None = None,
) -> list[dict[str, Any]]:
    """A PERT per graded input around its value, from value x (1 - s) to value x (1 + s)
    clipped to the input's bounds, s the spread of its grade: `spreads` when given, else
    the grade's cost uplift in the reference class (the Green Book's range between a well
    evidenced and an unevidenced estimate). Usable as `monte_carlo(distributions=...)`."""
    problems = Problems()
    base, graded, class_id = _scenario(model, values, grades, reference_class, problems)
    given = _check_grade_map(spreads, "spreads", problems, 0.0, MAX_UPLIFT)
    problems.raise_if_any()
    return _distributions(model, base, graded, class_id, given)


def _distributions(
    model: CompiledModel,
    base: Mapping[str, Any],
    graded: Mapping[str, tuple[str, str | None, str]],
    class_id: str,
    given: Mapping[str, float],
) -> list[dict[str, Any]]:
    specs = input_specs(model)
    out = []
    for name, (_kind, grade, _origin) in graded.items():
        if grade is None:
            continue
        spec = specs[name]
        if spec.min is None or spec.max is None:
            continue  # the Monte Carlo draws bounded inputs only
        s = given.get(grade, cost_uplift(grade, class_id))
        v = float(base[name])
        lo, hi = sorted((v * (1 - s), v * (1 + s)))
        lo, hi = max(lo, spec.min), min(hi, spec.max)
        out.append({"input": name, "type": "pert", "min": lo, "mode": v, "max": hi})
    return out
