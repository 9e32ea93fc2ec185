"""The analyses' answer schemas write every key the analyses return: an analysis that
gains a key no schema declares would otherwise lose it from the API without a word."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from marshmallow import Schema, fields

from service import analysis
from service.analysis import optimism
from service.api import answers
from service.engine import CompiledModel, load_models

SPEC_DIR = Path(__file__).resolve().parents[2] / "formulas_spec"
MODELS = load_models(SPEC_DIR)


def undeclared(schema: Schema, obj: Any, path: str = "") -> list[str]:
    """The keys of `obj` (and of its nested objects) that `schema` does not write."""
    if isinstance(obj, list):
        return [u for i, item in enumerate(obj) for u in undeclared(schema, item, f"{path}[{i}]")]
    if not isinstance(obj, dict):
        return []
    declared = {f.attribute or name: f for name, f in schema.fields.items()}
    out: list[str] = []
    for key, value in obj.items():
        field = declared.get(key)
        if field is None:
            out.append(f"{path}.{key}")
        elif isinstance(field, fields.Nested):
            out += undeclared(field.schema, value, f"{path}.{key}")
        elif isinstance(field, fields.Dict) and isinstance(field.value_field, fields.Nested):
            for name, item in (value or {}).items():
                out += undeclared(field.value_field.schema, item, f"{path}.{key}.{name}")
    return out


def answers_of(model: CompiledModel) -> list[tuple[Schema, dict[str, Any]]]:
    """Each analysis of `model`, called so that its optional keys appear too."""
    bounded = next(s.name for s in model.inputs if s.type != "yesno" and None not in (s.min, s.max))
    out = [
        (answers.TORNADO, analysis.tornado(model)),
        (answers.SWITCHING, analysis.switching_value(model, input=bounded)),
        (answers.LEDGER, analysis.ledger(model)),
        (
            answers.MONTE_CARLO,
            analysis.monte_carlo(model, distributions=[], draws=20, graded_spreads=True),
        ),
    ]
    for mode, depth in (("named", 100), ("cells", 2)):
        for spec in model.outputs[:: max(1, len(model.outputs) // 5)]:
            out.append(
                (
                    answers.EXPLAIN,
                    analysis.explain(model, output=spec.name, mode=mode, depth=depth),
                )
            )
    effects = [e.input for e in model.roles.evidence if e.kind == "effect"]
    out.append(
        (
            answers.OPTIMISM_CORRECTION,
            optimism.correct(
                model,
                grades={e.input: "literatuur" for e in model.roles.evidence},
                benefit_reductions={"literatuur": 0.1},
                deflators={name: {"deadweight": 0.1} for name in effects[:1]},
            ),
        )
    )
    out.append((answers.GRADES, optimism.overview()))
    for name, domain in analysis.domains(model).items():
        out.append((answers.DOMAIN, domain))
        groups = {"treatment": {"households": 40, "successes": 3}}
        groups["control"] = {"households": 40, "successes": 2}
        out.append((answers.EFFECT, analysis.measure_effect(model, domain=name, **groups)))
    return out


@pytest.mark.parametrize("model_id", sorted(MODELS))
def test_every_key_of_every_answer_is_written(model_id: str) -> None:
    found = [
        (type(schema).__name__, key)
        for schema, answer in answers_of(MODELS[model_id])
        for key in undeclared(schema, answer)
        if key != ".model"  # the model id is the header's
    ]
    assert found == []


def test_a_key_the_schemas_do_not_know_is_found() -> None:
    assert undeclared(answers.SWITCHING, {"current": {"input": 1, "new": 2}}) == [".current.new"]
