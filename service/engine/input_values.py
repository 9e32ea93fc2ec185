"""An input's life, in one place: its value parsed from JSON and checked against its
`InputSpec`, converted to the cell value the compiled model computes with and back,
read from an uploaded workbook's cell, and described in the API's documents.

Every other module calls these: the API's schemas (`InputField`, `InputColumn`), the
analyses and the export (`parse` with their own wording of the same problems), the
engine (`to_cell`, `cell_column`, `api_default`), the audit (`read_cell`) and the
charts and report (`yesno_text`).

A `yesno` input is a JSON boolean in the API and the text `ja` or `nee` in its cell
(or TRUE/FALSE when the workbook's formulas test a logical: `spec.cell_bool`); every
other type is a finite float within the input's bounds.
"""

from __future__ import annotations

import math
from typing import TYPE_CHECKING, Any

import numpy as np
from marshmallow import fields, validate

from service.engine import runtime as rt
from service.engine.runtime import ExcelError

if TYPE_CHECKING:
    from service.engine.model import InputSpec

YES, NO = "ja", "nee"
YESNO_TEXTS = (YES, NO)

# What can be wrong with a JSON value: not a boolean (yesno), not a number, a number
# that is not finite (NaN, infinity, an int beyond float range), below min, above max.
PROBLEMS = ("boolean", "number", "finite", "min", "max")


class InvalidValue(ValueError):
    """A JSON value an input does not take; `problem` is one of PROBLEMS."""

    def __init__(self, spec: InputSpec, problem: str) -> None:
        super().__init__(f"{spec.name}: {problem}")
        self.spec = spec
        self.problem = problem


# -- from JSON ----------------------------------------------------------------------------


def parse(spec: InputSpec, value: Any) -> bool | float:
    """A JSON value of this input as the engine takes it (bool for yesno, else a finite
    float within the bounds); InvalidValue saying what is wrong."""
    if spec.type == "yesno":
        if not isinstance(value, bool):
            raise InvalidValue(spec, "boolean")
        return value
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise InvalidValue(spec, "number")
    try:
        number = float(value)
    except OverflowError:  # an int beyond float range (Python's json reads them)
        raise InvalidValue(spec, "finite") from None
    if not math.isfinite(number):
        raise InvalidValue(spec, "finite")
    if spec.min is not None and number < spec.min:
        raise InvalidValue(spec, "min")
    if spec.max is not None and number > spec.max:
        raise InvalidValue(spec, "max")
    return number


def analysis_reason(exc: InvalidValue) -> str:
    """An invalid value as the analyses word it (service.analysis, lower case)."""
    spec = exc.spec
    if exc.problem == "boolean":
        return "must be true or false"
    if exc.problem == "min":
        return f"must be at least {spec.min:g}"
    if exc.problem == "max":
        return f"must be at most {spec.max:g}"
    return "must be a finite number"


def export_reason(exc: InvalidValue) -> str:
    """An invalid value as the export and the command line word it."""
    spec = exc.spec
    if exc.problem == "boolean":
        return "not a boolean; use true or false"
    if exc.problem in ("min", "max"):
        return f"outside [{spec.min}, {spec.max}]"
    return "not a finite number"


class InputField(fields.Field):
    """The marshmallow field of one input: `parse`, worded as the API's schemas word it
    (the bounds as marshmallow's Range says them)."""

    default_error_messages = {
        "boolean": "Not a valid boolean; use true or false.",
        "number": "Not a valid number.",
        "finite": "Must be a finite number.",
    }

    def __init__(self, spec: InputSpec, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.spec = spec
        lo = None if spec.min is None else float(spec.min)
        hi = None if spec.max is None else float(spec.max)
        self.range = None if lo is None and hi is None else validate.Range(min=lo, max=hi)

    def _deserialize(self, value: Any, attr: str | None, data: Any, **kwargs: Any) -> Any:
        try:
            return parse(self.spec, value)
        except InvalidValue as exc:
            if exc.problem in ("min", "max") and self.range is not None:
                self.range(float(value))  # raises with marshmallow's words for the bounds
            raise self.make_error(exc.problem) from None


class InputColumn:
    """One input's values over many scenarios (a batch, the variants of a comparison),
    checked at once.

    `field` (a list of `InputField`) is the definition and names every error; a column
    that is all valid (nearly every batch) is recognised first by its type, sum, minimum
    and maximum, so that 1000 valid values cost microseconds rather than 1000 field
    calls. A single request's inputs take the same shortcut, one value each.
    """

    def __init__(self, spec: InputSpec) -> None:
        self.field = fields.List(InputField(spec))
        self.yesno = spec.type == "yesno"
        self.min = -math.inf if spec.min is None else float(spec.min)
        self.max = math.inf if spec.max is None else float(spec.max)

    def all_valid(self, values: list[Any]) -> list[Any] | None:
        """The parsed values when every one is valid, else None (for `field` to word
        the errors)."""
        if self.yesno:
            return values if all(v.__class__ is bool for v in values) else None
        if not all(v.__class__ is float or v.__class__ is int for v in values):
            return None  # bools, strings, None, objects: the field words the errors
        try:
            loaded = list(map(float, values))
        except OverflowError:  # an int beyond float range
            return None
        total = sum(loaded)
        if total - total != 0:  # NaN or infinity among them (or a sum past float range)
            return None
        if loaded and not (self.min <= min(loaded) and max(loaded) <= self.max):
            return None
        return loaded

    def deserialize(self, values: list[Any]) -> list[Any]:
        """The parsed values, or marshmallow's ValidationError keyed by position."""
        loaded = self.all_valid(values)
        return self.field.deserialize(values) if loaded is None else loaded


# -- to and from the cell ---------------------------------------------------------------


def yesno_text(value: Any) -> str:
    """A yes/no value as its cell's text: a bool as ja/nee, a text as written (trimmed,
    lower case)."""
    if isinstance(value, bool | np.bool_):
        return YES if value else NO
    return str(value).strip().lower()


def yesno_value(value: Any) -> bool | None:
    """A cell's text ja/nee (any case, trimmed) as a bool; None for anything else."""
    if isinstance(value, str):
        text = value.strip().lower()
        if text in YESNO_TEXTS:
            return text == YES
    return None


def to_cell(spec: InputSpec, value: Any) -> Any:
    """An API value (or a cell's text) as the cell value the compiled model computes
    with: yesno as ja/nee (TRUE/FALSE for `cell_bool`), numbers as float."""
    if spec.type == "yesno":
        if isinstance(value, str):
            text = value.strip().lower()
            return text == YES if spec.cell_bool else text
        return bool(value) if spec.cell_bool else (YES if value else NO)
    if isinstance(value, bool | int | np.integer) or (
        isinstance(value, float) and type(value) is not float
    ):
        return float(value)  # numpy's float64 too: both engines compute with Python floats
    return value


def cell_column(spec: InputSpec, column: Any) -> Any:
    """A column of API values (bool, numbers or texts) of a yes/no input as the model's
    cells: an array of ja/nee, or of bools for `cell_bool`."""
    arr = np.asarray(column)
    if arr.dtype.kind == "b":
        texts = np.where(arr, YES, NO)
    elif arr.dtype.kind in "fiu":
        texts = np.where(arr != 0, YES, NO)
    else:
        texts = np.array([yesno_text(x) for x in arr.tolist()], dtype=str)
    return texts == YES if spec.cell_bool else texts


def cell_default(spec: InputSpec) -> Any:
    """The input's default as a cell value (a column's default in the numpy backend)."""
    default = spec.default
    if spec.type != "yesno" and isinstance(default, int | bool):
        return float(default)
    if spec.cell_bool:
        return default == YES
    return default


def api_value(spec: InputSpec, value: Any) -> bool | float:
    """An input value as the API shows it: yesno as a JSON boolean, the rest as a float."""
    if spec.type == "yesno":
        flag = yesno_value(value)
        return flag if flag is not None else (False if isinstance(value, str) else bool(value))
    return float(value)


def api_default(spec: InputSpec) -> Any:
    """The input's default as `CompiledModel.resolve` gives it: a bool for yesno, the
    typed number otherwise."""
    return spec.default == YES if spec.type == "yesno" else spec.default


def read_cell(spec: InputSpec, raw: Any) -> tuple[Any, str | None]:
    """(cell value the model computes with, problem or None) of what an uploaded
    workbook holds in this input's cell."""
    if spec.type == "yesno":
        if yesno_value(raw) is not None:
            return raw, None
        return ("" if raw is None else raw), "a yes/no input holds the text 'ja' or 'nee'"
    if isinstance(raw, bool):
        return (1.0 if raw else 0.0), "a logical value where a number belongs"
    if isinstance(raw, int | float):
        return float(raw), None
    if raw is None:
        return 0.0, "empty"
    v = rt.num(raw)
    if isinstance(v, ExcelError):
        return v, f"not a number ({str(raw)[:40]!r})"
    return float(v), "a number typed as text"


# -- described --------------------------------------------------------------------------


def describe(spec: InputSpec) -> dict[str, Any]:
    """The input as `GET /v1/modellen/{modelId}` lists it under `invoer`."""
    return {
        "naam": spec.name,
        "labelNl": spec.label_nl,
        "labelEn": spec.label_en,
        "eenheid": spec.unit,
        "type": spec.type,
        "standaardwaarde": api_value(spec, spec.default),
        "minimum": None if spec.min is None else float(spec.min),
        "maximum": None if spec.max is None else float(spec.max),
        "groep": spec.group,
        "cel": spec.cell,
    }


def json_schema(spec: InputSpec) -> dict[str, Any]:
    """The JSON Schema of the input's value in a request: type, bounds and default."""
    default = api_value(spec, spec.default)
    if spec.type == "yesno":
        return {"type": "boolean", "default": default}
    schema: dict[str, Any] = {"type": "number", "default": default}
    if spec.min is not None:
        schema["minimum"] = float(spec.min)
    if spec.max is not None:
        schema["maximum"] = float(spec.max)
    return schema
