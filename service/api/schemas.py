"""marshmallow schemas built from a model's interface (never written per field).

One input field per `InputSpec` (`service.engine.inputs.InputField`: a JSON number
within [min, max] for the numeric types, a JSON boolean for `yesno`). Strings, booleans
posing as numbers, NaN and unknown fields are rejected; marshmallow gathers every
error of a body at once.
"""

from __future__ import annotations

import math
import re
from collections.abc import Collection
from typing import Any

from marshmallow import Schema, ValidationError, fields, missing, validate

from service.engine.input_values import InputColumn, InputField

# The most scenarios one batch may hold (also written in openapi.yaml).
MAX_BATCH_SIZE = 1000

# Characters allowed in a scenario id: safe in logs, URLs and file names. This is the
# pattern as openapi.yaml writes it (ECMA-262); Python's `$` also matches before a
# final newline, so the checks below end in `\Z` instead.
SCENARIO_ID = r"^[A-Za-z0-9][A-Za-z0-9._:-]{0,99}$"
_ID = SCENARIO_ID.removeprefix("^").removesuffix("$")
_SCENARIO_ID = re.compile(_ID + r"\Z")
_SCENARIO_IDS = re.compile(rf"(?:{_ID}\n)*\Z")  # ids joined by newlines, which no id holds
_SCENARIO_FIELDS = frozenset({"id", "invoer"})


class StrictNumber(fields.Field):
    """A JSON number (int or float, never bool or string), finite: a request's own numbers
    (an input's value goes through `input_values.InputField`)."""

    default_error_messages = {
        "invalid": "Not a valid number.",
        "special": "Must be a finite number.",
    }

    def _deserialize(self, value: Any, attr: str | None, data: Any, **kwargs: Any) -> float:
        if isinstance(value, bool) or not isinstance(value, int | float):
            raise self.make_error("invalid")
        try:
            number = float(value)
        except OverflowError:  # an int beyond float range (Python's json reads them)
            raise self.make_error("special") from None
        if not math.isfinite(number):
            raise self.make_error("special")
        return number


class StrictBoolean(fields.Field):
    """A JSON boolean: true or false, nothing that merely looks like one."""

    default_error_messages = {"invalid": "Not a valid boolean; use true or false."}

    def _deserialize(self, value: Any, attr: str | None, data: Any, **kwargs: Any) -> bool:
        if not isinstance(value, bool):
            raise self.make_error("invalid")
        return value


def input_schema(model: Any, names: Collection[str] | None = None) -> type[Schema]:
    """The schema of a scenario's `invoer` object: inputs optional, nothing else.

    With `names`, only those inputs are declared (the ones a request gives): the
    same fields and checks at a cost that grows with the request, not the model.
    """
    return Schema.from_dict(
        {
            spec.name: InputField(spec)
            for spec in model.inputs
            if names is None or spec.name in names
        },
        name=f"Invoer[{model.id}]",
    )


def calculation_schema(model: Any, names: Collection[str] | None = None) -> Schema:
    """POST .../berekeningen: {"invoer": {...}}, `invoer` optional (all defaults)."""
    cls = Schema.from_dict(
        {"invoer": fields.Nested(input_schema(model, names), load_default=dict)},
        name=f"Berekening[{model.id}]",
    )
    return cls()


# marshmallow's own words for a value that is no object, and for an unknown field
NOT_AN_OBJECT = Schema._default_error_messages["type"]
UNKNOWN_FIELD = Schema._default_error_messages["unknown"]


class Scenarios(fields.Field):
    """The scenarios of a batch: objects with a unique `id` and an `invoer` (checked
    later, per input, by the model). Checked a column at a time, so that 1000
    scenarios cost one list check of ids rather than 1000 schema loads; errors are
    keyed by position, as marshmallow's List keys them."""

    default_error_messages = {
        "invalid": "Not a valid list.",
        "duplicate": "Duplicate scenario id {id!r}.",
    }
    _ids = fields.List(fields.String(required=True, validate=validate.Regexp(_SCENARIO_ID)))

    def _deserialize(
        self, value: Any, attr: str | None, data: Any, **kwargs: Any
    ) -> list[dict[str, Any]]:
        if not isinstance(value, list):
            raise self.make_error("invalid")
        if all(item.__class__ is dict and item.keys() == _SCENARIO_FIELDS for item in value):
            if _ids_valid([item["id"] for item in value]):
                return value  # the usual batch: every scenario {"id": ..., "invoer": ...}
        errors: dict[int, dict[str, list[str]]] = {}
        objects = []  # (position, scenario) of the scenarios that are objects
        for i, item in enumerate(value):
            if not isinstance(item, dict):
                errors[i] = {"_schema": [NOT_AN_OBJECT]}
                continue
            objects.append((i, item))
            if not item.keys() <= _SCENARIO_FIELDS:
                for key in item.keys() - _SCENARIO_FIELDS:
                    errors.setdefault(i, {})[key] = [UNKNOWN_FIELD]
        ids = [item.get("id", missing) for _, item in objects]
        if not _ids_valid(ids):
            self._id_errors(ids, objects, errors)
        if errors:
            raise ValidationError(errors)  # type: ignore[arg-type]
        return [{"id": item["id"], "invoer": item.get("invoer", {})} for item in value]

    def _id_errors(
        self, ids: list[Any], objects: list[tuple[int, Any]], errors: dict[int, Any]
    ) -> None:
        """Add marshmallow's errors for the ids, and one for each repeated id."""
        try:
            self._ids.deserialize(ids)
        except ValidationError as exc:
            for position, messages in exc.messages.items():  # type: ignore[union-attr]
                errors.setdefault(objects[position][0], {})["id"] = messages
        seen: set[Any] = set()
        for (i, _), scenario_id in zip(objects, ids, strict=True):
            if not isinstance(scenario_id, str):
                continue  # already an error above; may be unhashable (found by tests/fuzz)
            if scenario_id in seen:
                message = str(self.error_messages["duplicate"]).format(id=scenario_id)
                errors.setdefault(i, {}).setdefault("id", []).append(message)
            seen.add(scenario_id)


def _ids_valid(ids: list[Any]) -> bool:
    """Every id a string of the pattern, none twice: one regex and one set for the batch."""
    return (
        all(i.__class__ is str for i in ids)
        and _SCENARIO_IDS.match("".join(i + "\n" for i in ids)) is not None
        and len(set(ids)) == len(ids)
    )


class BatchRequest(Schema):
    """POST .../batch-berekeningen: {"scenarios": [{"id": ..., "invoer": {...}}, ...]}."""

    scenarios = Scenarios(required=True, validate=validate.Length(min=1, max=MAX_BATCH_SIZE))


def input_columns(model: Any) -> dict[str, InputColumn]:
    """Per input, a column of its values over many scenarios: the same checks as
    `input_schema`, applied a column at a time (errors keyed by position)."""
    return {spec.name: InputColumn(spec) for spec in model.inputs}
