"""The analyses of `service.analysis` in the API's Dutch: request bodies loaded by
marshmallow schemas (Dutch names as `data_key`, the analysis' keyword arguments as the
field names), library errors to invalidParams. The answers are written by the schemas
of `service.api.answers`, which reuse these where a request and an answer share a shape.

The schemas check the shape (unknown fields, nulls, required fields: every problem at
once); the library checks every value itself (all problems at once) and this module
names its fields as the request does.
"""

from __future__ import annotations

import math
import re
from collections.abc import Mapping
from typing import Any

from marshmallow import Schema, ValidationError, fields

from service.analysis import AnalysisError
from service.engine import MissingRole
from service.errors import invalid_input, invalid_params

UNKNOWN_FIELD = "Unknown field."


class Value(fields.Field):
    """Any JSON value but null, handed to the analysis as it is (the analysis checks it)."""

    def _deserialize(self, value: Any, attr: str | None, data: Any, **kwargs: Any) -> Any:
        return value


def _load(schema: Schema, value: Any) -> Any:
    """An object loaded by `schema`; a value of another type is handed on as it is (the
    analysis reports it). Errors keep the fields that did load, as `valid_data`."""
    if not isinstance(value, dict):
        return value
    return schema.load(value)


class Object(Value):
    """An object of `schema`'s fields."""

    def __init__(self, schema: type[Schema], **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.schema = schema()

    def _deserialize(self, value: Any, attr: str | None, data: Any, **kwargs: Any) -> Any:
        return _load(self.schema, value)


class ListOf(Object):
    """A list of objects of `schema`'s fields."""

    def _deserialize(self, value: Any, attr: str | None, data: Any, **kwargs: Any) -> Any:
        if not isinstance(value, list):
            return value
        return _each(self.schema, dict(enumerate(value)), list)


class MapOf(Object):
    """An object of name -> object of `schema`'s fields."""

    def _deserialize(self, value: Any, attr: str | None, data: Any, **kwargs: Any) -> Any:
        if not isinstance(value, dict):
            return value
        return _each(self.schema, value, dict)


def _each(schema: Schema, items: Mapping[Any, Any], kind: type) -> Any:
    out: dict[Any, Any] = {}
    errors: dict[Any, Any] = {}
    for key, item in items.items():
        try:
            out[key] = _load(schema, item)
        except ValidationError as exc:
            errors[key], out[key] = exc.messages, exc.valid_data
    result = list(out.values()) if kind is list else out
    if errors:
        raise ValidationError(errors, valid_data=result)
    return result


class Request(Schema):
    """An analysis request: its fields as the analysis' keyword arguments."""

    error_messages = {"type": "Not a valid object."}


class Scenario(Request):
    values = Value(data_key="invoer")


class Range(Request):
    low = Value(data_key="laag")
    high = Value(data_key="hoog")


class Group(Request):
    households = Value(data_key="huishoudens")
    successes = Value(data_key="successen")


class Distribution(Request):
    """A distribution over an input; it also writes the answers' distributions, so its
    fields are in the order the analysis fills them in (a normal's mean and sd first)."""

    input = Value(data_key="invoerNaam")
    type = Value()
    mean = Value(data_key="gemiddelde")
    sd = Value(data_key="standaardafwijking")
    min = Value()
    mode = Value(data_key="modus")
    max = Value()
    lambda_ = Value(data_key="lambda", attribute="lambda")


class Tornado(Scenario):
    inputs = Value(data_key="invoerNamen")
    outputs = Value(data_key="uitvoerNamen")
    step = Value(data_key="stap")
    ranges = MapOf(Range, data_key="bereiken")
    sort_by = Value(data_key="sorteerOp")


class Switching(Scenario):
    input = Value(data_key="invoerNaam", required=True)
    output = Value(data_key="uitvoerNaam")
    target = Value(data_key="doelwaarde")


class MonteCarlo(Scenario):
    distributions = ListOf(Distribution, data_key="kansverdelingen", required=True)
    draws = Value(data_key="trekkingen")
    seed = Value()
    outputs = Value(data_key="uitvoerNamen")
    bins = Value(data_key="klassen")
    graded_spreads = Value(data_key="bewijsSpreiding")


class Effect(Request):
    domain = Value(data_key="domein", required=True)
    treatment = Object(Group, data_key="interventiegroep", required=True)
    control = Object(Group, data_key="controlegroep", required=True)
    confidence = Value(data_key="betrouwbaarheid")


class Explain(Scenario):
    output = Value(data_key="uitvoerNaam", required=True)
    mode = Value(data_key="modus")
    depth = Value(data_key="diepte")


class Deflators(Request):
    deadweight = Value()
    attribution = Value(data_key="attributie")
    dropOff = Value(data_key="afnamePerJaar")


class OptimismCorrection(Scenario):
    grades = Value(data_key="bewijsniveaus")
    reference_class = Value(data_key="referentieklasse")
    benefit_reductions = Value(data_key="batenCorrecties")
    cost_uplifts = Value(data_key="kostenOpslagen")
    spreads = Value(data_key="spreidingen")
    deflators = MapOf(Deflators, data_key="deflatoren")


_SEGMENT = re.compile(r"[^.\[\]]+")


def _field(schema: Schema, argument: str) -> fields.Field | None:
    """The field of `schema` that loads keyword argument `argument`."""
    return next((f for n, f in schema.fields.items() if (f.attribute or n) == argument), None)


def field_name(path: str, schema: Schema) -> str:
    """A library error field (`distributions[0].mode`) as the request names it
    (`kansverdelingen.0.modus`)."""
    out: list[str] = []
    shape: Any = schema
    for segment in _SEGMENT.findall(path):
        if isinstance(shape, ListOf | MapOf):
            out.append(segment)  # a position in a list, or a name in a map
            shape = shape.schema
            continue
        if isinstance(shape, Object):
            shape = shape.schema
        if isinstance(shape, Schema):
            shape = _field(shape, segment)
            out.append(segment if shape is None else shape.data_key or segment)
        else:
            out.append(segment)  # an input name in `invoer`
    return ".".join(out)


def _position(body: Any, name: str) -> tuple[float, ...]:
    """Where a field sits in the body, key by key: the order the fields were written in
    (a field the body lacks, such as a missing required one, comes last)."""
    out: list[float] = []
    node = body
    for segment in name.split("."):
        if isinstance(node, dict) and segment in node:
            out.append(list(node).index(segment))
            node = node[segment]
        elif isinstance(node, list) and segment.isdigit() and int(segment) < len(node):
            out.append(int(segment))
            node = node[int(segment)]
        else:
            out.append(math.inf)
            break
    return tuple(out)


def run(function: Any, model: Any, body: Any, schema: Schema) -> Any:
    """Call an analysis with a request body: its answer, or 400 with every field error
    (the body's own in the order it names the fields, then the analysis')."""
    try:
        kwargs = schema.load(body)
        problems: list[dict[str, str]] = []
    except ValidationError as exc:
        problems = sorted(invalid_params(exc.messages), key=lambda p: _position(body, p["name"]))
        if any(p["reason"] != UNKNOWN_FIELD for p in problems):
            raise invalid_input(problems) from None  # no object, a null, a required field missing
        kwargs = exc.valid_data or {}
    try:
        result = function(model, **kwargs)
    except MissingRole as exc:
        if exc.hint:
            exc.hint = field_name(exc.hint, schema)  # the request's word for it
        raise
    except AnalysisError as exc:
        problems += [
            {"name": field_name(e["field"], schema), "reason": sentence(e["message"])}
            for e in exc.errors
        ]
    if problems:
        raise invalid_input(problems)
    return result


def sentence(message: str) -> str:
    """A message as a sentence: capital first letter, full stop."""
    return message[:1].upper() + message[1:] + ("" if message.endswith(".") else ".")
