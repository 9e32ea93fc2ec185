"""The variants of a comparison (POST /v1/modellen/{modelId}/vergelijkingen): their
request schema and checks, and the answer. The variants are validated by marshmallow
(every field error at once), calculated in one engine call (the batch path) and
compared by `service.analysis.compare`.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from functools import lru_cache
from typing import Any

import numpy as np
from marshmallow import Schema, ValidationError, fields, validate

from service import observability
from service.analysis import norms
from service.analysis.compare import MAX_VARIANTS, MIN_VARIANTS, compare_results
from service.api.model_api import ModelAPI
from service.api.scenario import norm_document, norm_problems
from service.api.schemas import (
    SCENARIO_ID,
    StrictBoolean,
    input_columns,
    input_schema,
)
from service.engine.input_values import InputColumn
from service.engine.model import row_getter
from service.errors import invalid_input, invalid_params

DUPLICATE = "Duplicate variant name {name!r}."
TWO_REFERENCES = "At most one variant can be the reference."


@lru_cache(maxsize=256)
def comparison_schema(api: ModelAPI, names: frozenset[str]) -> Schema:
    """The request schema, declaring only the model inputs the request names."""
    variant = Schema.from_dict(
        {
            "naam": fields.String(required=True, validate=validate.Regexp(SCENARIO_ID)),
            "invoer": fields.Nested(input_schema(api.model, names), load_default=dict),
            "referentie": StrictBoolean(load_default=False),
            "norm": fields.String(validate=validate.OneOf(norms.norm_ids())),
        },
        name=f"Variant[{api.id}]",
    )
    return Schema.from_dict(
        {
            "varianten": fields.List(
                fields.Nested(variant),
                required=True,
                validate=validate.Length(min=MIN_VARIANTS, max=MAX_VARIANTS),
            )
        },
        name=f"Vergelijking[{api.id}]",
    )()


def _given_names(api: ModelAPI, body: Any) -> frozenset[str]:
    """The known input names any variant gives (unknown ones stay undeclared: rejected)."""
    variants = body.get("varianten") if isinstance(body, dict) else None
    if not isinstance(variants, list):
        return frozenset()
    return frozenset(
        name
        for v in variants
        if isinstance(v, dict) and isinstance(v.get("invoer"), dict)
        for name in v["invoer"]
        if name in api.input_specs
    )


def _cross_checks(api: ModelAPI, body: Any) -> list[dict[str, str]]:
    """What one field cannot say alone: names are unique, at most one reference, a
    norm only for a model that declares its discount rate, and not beside that input."""
    variants = body.get("varianten") if isinstance(body, dict) else None
    if not isinstance(variants, list):
        return []
    problems, seen, references = [], set(), []
    for i, v in enumerate(variants):
        if not isinstance(v, dict):
            continue
        name = v.get("naam")
        if isinstance(name, str):
            if name in seen:
                reason = DUPLICATE.format(name=name)
                problems.append({"name": f"varianten.{i}.naam", "reason": reason})
            seen.add(name)
        if v.get("referentie") is True:
            references.append(i)
        if "norm" in v:
            norm = v["norm"]
            if isinstance(norm, str) and norm in norms.norm_ids():  # else marshmallow says so
                problems += norm_problems(api, norm, v.get("invoer"), f"varianten.{i}.norm")
    problems += [
        {"name": f"varianten.{i}.referentie", "reason": TWO_REFERENCES} for i in references[1:]
    ]
    return problems


@lru_cache(maxsize=16)
def _columns(api: ModelAPI) -> dict[str, InputColumn]:
    return input_columns(api.model)


_VARIANT_FIELDS = frozenset({"naam", "invoer", "referentie", "norm"})
_NAME = re.compile(SCENARIO_ID.removeprefix("^").removesuffix("$") + r"\Z")


def _valid_variants(api: ModelAPI, body: Any) -> list[dict[str, Any]] | None:
    """The variants of a valid request as the schema loads them, recognised with the
    input columns' shortcut (the schema's own checks, a value at a time); None when
    marshmallow must decide and word the errors."""
    if body.__class__ is not dict or body.keys() != {"varianten"}:
        return None
    variants = body["varianten"]
    if variants.__class__ is not list or not MIN_VARIANTS <= len(variants) <= MAX_VARIANTS:
        return None
    columns = _columns(api)
    out = []
    for v in variants:
        if v.__class__ is not dict or not v.keys() <= _VARIANT_FIELDS:
            return None
        name, invoer, ref = v.get("naam"), v.get("invoer", {}), v.get("referentie", False)
        if name.__class__ is not str or not _NAME.match(name) or ref.__class__ is not bool:
            return None
        if invoer.__class__ is not dict:
            return None
        norm = v.get("norm")
        if norm is not None and (norm.__class__ is not str or norm not in norms.norm_ids()):
            return None
        loaded = {}
        for key, value in invoer.items():
            column = columns.get(key)
            checked = None if column is None else column.all_valid([value])
            if checked is None:
                return None
            loaded[key] = checked[0]
        out.append({"naam": name, "invoer": loaded, "referentie": ref})
        if norm is not None:
            out[-1]["norm"] = norm
    return out


def load_comparison(api: ModelAPI, body: Any) -> list[dict[str, Any]]:
    """The validated variants, or 400 with every field error of the body."""
    problems = _cross_checks(api, body)
    fast = None if problems else _valid_variants(api, body)
    if fast is not None:
        return fast
    try:
        variants = comparison_schema(api, _given_names(api, body)).load(body)["varianten"]
    except ValidationError as exc:
        problems = invalid_params(exc.messages) + problems
        variants = []
    if problems:
        raise invalid_input(problems)
    return list(variants)


def _row(values: Any) -> list[Any]:
    return values.tolist() if isinstance(values, np.ndarray) else list(values)


@lru_cache(maxsize=16)
def _group_getters(api: ModelAPI) -> list[tuple[str, list[str], Any]]:
    """Per output group its names and a getter of their values from a row of outputs."""
    groups: dict[str, list[int]] = {}
    for i, column in enumerate(api.columns):
        groups.setdefault(column["groep"], []).append(i)
    return [
        (group, [api.output_names[i] for i in items], row_getter(items))
        for group, items in groups.items()
    ]


def _grouped(api: ModelAPI, row: Sequence[Any]) -> dict[str, dict[str, Any]]:
    """A row of outputs (interface order) grouped as the calculation answer groups them."""
    return {
        group: dict(zip(names, getter(row), strict=True))
        for group, names, getter in _group_getters(api)
    }


def compare(api: ModelAPI, variants: Sequence[Mapping[str, Any]]) -> dict[str, Any]:
    """The comparison answer of validated variants (the first is the reference unless one
    is marked)."""
    reference = next((i for i, v in enumerate(variants) if v["referentie"]), 0)
    names = [v["naam"] for v in variants]
    # a norm sets the model's discount-rate input; the answer shows it among the inputs
    values = [
        norms.apply_norm(api.model, v["invoer"], v["norm"]) if "norm" in v else dict(v["invoer"])
        for v in variants
    ]
    with observability.calculation(api.id, "batch", len(values)):
        calculated = api.calculate_many(values)  # one engine call for every variant
    rows = [c["waarden"] for c in calculated]
    compared = compare_results(api.model, names, api.output_names, rows, reference)
    resolved = [api.resolve(v) for v in values]
    base = resolved[reference]
    answer = []
    for variant, v, row, inputs, calc, cmp in zip(
        variants, values, rows, resolved, calculated, compared["variants"], strict=True
    ):
        answer.append(
            {
                "naam": cmp["name"],
                "referentie": cmp["reference"],
                "invoer": v,
                "norm": norm_document(norms.get_norm(variant["norm"]))
                if "norm" in variant
                else None,
                "afwijkendeInvoer": {k: x for k, x in inputs.items() if x != base[k]},
                "invoerHash": calc["invoerHash"],
                "uitvoer": _grouped(api, _row(row)),
                "verschillen": _grouped(api, cmp["differences"]),
                "rekenfouten": calc["rekenfouten"],
                "verdeling": _ledger(cmp["ledger"]),
                "rang": cmp.get("rank"),
            }
        )
    ranking = compared["ranking"]
    return {
        **api.header,
        "referentie": compared["reference"],
        "saldoUitvoer": compared["saldoOutput"],
        "rangorde": None
        if ranking is None
        else [
            {"rang": r["rank"], "naam": r["name"], "saldo": r["saldo"], "verschil": r["difference"]}
            for r in ranking
        ],
        "varianten": answer,
        "meldingen": compared["notes"],
    }


def _ledger(rows: list[dict[str, Any]] | None) -> list[dict[str, Any]] | None:
    if rows is None:
        return None
    return [
        {**{k: v for k, v in r.items() if k != "differences"}, "verschillen": r["differences"]}
        for r in rows
    ]
