"""The API's view of one compiled model: its documents, schemas and result shapes.

Everything here is built once when the app starts (`ModelAPI(model)`) and only
read afterwards, so a request carries no state beyond its own body.
"""

from __future__ import annotations

import hashlib
import json
import math
from collections.abc import Mapping
from typing import Any

import numpy as np
from marshmallow import ValidationError

from service.api.schemas import calculation_schema, input_schema
from service.errors import invalid_params


def api_value(spec: Any, value: Any) -> bool | float:
    """An input value as the API shows it: yesno as a JSON boolean, the rest as a float."""
    if spec.type == "yesno":
        if isinstance(value, str):
            return value.strip().lower() == "ja"
        return bool(value)
    return float(value)


def inputs_hash(resolved: Mapping[str, Any]) -> str:
    """`sha256:` + SHA-256 of the resolved inputs as canonical JSON (sorted keys, no spaces)."""
    canonical = json.dumps(resolved, sort_keys=True, separators=(",", ":"), allow_nan=False)
    return "sha256:" + hashlib.sha256(canonical.encode()).hexdigest()


def excel_code(value: Any) -> str | None:
    """The Excel error code of an output value (`#DIV/0!`, ...), or None for a clean value."""
    if value is None or isinstance(value, bool | str | int):
        return None
    if isinstance(value, float | np.floating):
        return None if math.isfinite(value) else "#NUM!"
    code = getattr(value, "code", None)
    return str(code if code is not None else value)


class ModelAPI:
    def __init__(self, model: Any) -> None:
        self.model = model
        self.id: str = model.id
        self.input_schema = input_schema(model)()
        self.calculation_schema = calculation_schema(model)
        self.input_specs = {spec.name: spec for spec in model.inputs}
        self.defaults = {spec.name: api_value(spec, spec.default) for spec in model.inputs}
        # Output groups in the order the interface first names them.
        self.groups: dict[str, list[str]] = {}
        for spec in model.outputs:
            self.groups.setdefault(spec.group, []).append(spec.name)
        self.summary = {
            "id": model.id,
            "titel": model.title,
            "versie": model.version,
            "werkboekSha256": model.workbook_sha256,
            "rekenkernVersie": model.engine_version,
        }
        self.interface = {
            **self.summary,
            "invoer": [
                {
                    "naam": s.name,
                    "labelNl": s.label_nl,
                    "labelEn": s.label_en,
                    "eenheid": s.unit,
                    "type": s.type,
                    "standaardwaarde": self.defaults[s.name],
                    "minimum": None if s.min is None else float(s.min),
                    "maximum": None if s.max is None else float(s.max),
                    "groep": s.group,
                    "cel": s.cell,
                }
                for s in model.inputs
            ],
            "uitvoer": [
                {
                    "naam": s.name,
                    "labelNl": s.label_nl,
                    "labelEn": s.label_en,
                    "eenheid": s.unit,
                    "type": s.type,
                    "groep": s.group,
                    "cel": s.cell,
                }
                for s in model.outputs
            ],
        }
        self.header = {
            "modelId": model.id,
            "modelVersie": model.version,
            "werkboekSha256": model.workbook_sha256,
            "rekenkernVersie": model.engine_version,
        }

    # -- validation ---------------------------------------------------------------------

    def load_inputs(self, invoer: Any, prefix: str = "invoer") -> dict[str, Any]:
        """Validated inputs of one scenario, or ValidationError with `prefix.field` names."""
        try:
            return dict(self.input_schema.load(invoer))
        except ValidationError as exc:
            raise ValidationError(invalid_params(exc.messages, prefix)) from None

    def resolve(self, values: Mapping[str, Any]) -> dict[str, Any]:
        return {**self.defaults, **values}

    # -- results ------------------------------------------------------------------------

    def _shape(self, outputs: Mapping[str, Any]) -> tuple[dict[str, Any], list[dict[str, str]]]:
        grouped: dict[str, dict[str, Any]] = {}
        errors: list[dict[str, str]] = []
        for group, names in self.groups.items():
            values: dict[str, Any] = {}
            for name in names:
                value = outputs[name]
                code = excel_code(value)
                if code is not None:
                    errors.append({"uitvoer": name, "code": code})
                    value = None
                elif isinstance(value, np.generic):
                    value = value.item()
                values[name] = value
            grouped[group] = values
        return grouped, errors

    def result(self, resolved: dict[str, Any], outputs: Mapping[str, Any]) -> dict[str, Any]:
        uitvoer, rekenfouten = self._shape(outputs)
        return {
            "invoerHash": inputs_hash(resolved),
            "invoer": resolved,
            "uitvoer": uitvoer,
            "rekenfouten": rekenfouten,
        }

    def calculate(self, values: Mapping[str, Any]) -> dict[str, Any]:
        """One scenario on the scalar backend: the body of a single calculation answer."""
        resolved = self.resolve(values)
        outputs = self.model.calculate(dict(values))
        return {**self.header, **self.result(resolved, outputs)}

    def calculate_many(self, scenarios: list[dict[str, Any]]) -> list[dict[str, Any]]:
        """Many resolved scenarios on the vectorised backend: one result each, in order."""
        if not scenarios:
            return []
        columns: dict[str, np.ndarray] = {
            name: np.array([s[name] for s in scenarios], dtype=_dtype(spec))
            for name, spec in self.input_specs.items()
        }
        arrays = self.model.calculate_columns(columns)
        names = [spec.name for spec in self.model.outputs]
        n = len(scenarios)
        rows = zip(*(_column_values(arrays[name], n) for name in names), strict=True)
        return [
            self.result(resolved, dict(zip(names, row, strict=True)))
            for resolved, row in zip(scenarios, rows, strict=True)
        ]


def _dtype(spec: Any) -> type:
    return bool if spec.type == "yesno" else float


def _column_values(array: Any, n: int) -> list[Any]:
    """An output column (or a constant) as n plain Python values, Excel errors as objects."""
    arr = np.asarray(array)
    if arr.ndim == 0:
        arr = np.full(n, arr.item() if arr.dtype != object else arr[()], dtype=arr.dtype)
    return arr.tolist() if arr.dtype != object else list(arr)
