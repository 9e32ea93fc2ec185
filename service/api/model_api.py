"""The API's view of one compiled model: its documents, schemas and result shapes.

Everything here is built once when the app starts (`ModelAPI(model)`) and only
read afterwards (the schema caches fill up, bounded, as requests come in), so a
request carries no state beyond its own body.
"""

from __future__ import annotations

import hashlib
import json
import math
from collections.abc import Mapping, Sequence
from functools import lru_cache
from itertools import repeat
from typing import Any, NamedTuple

import numpy as np
import orjson
from marshmallow import Schema, ValidationError

from service.api.schemas import (
    NOT_AN_OBJECT,
    UNKNOWN_FIELD,
    BatchRequest,
    calculation_schema,
    input_columns,
)
from service.engine import input_values
from service.engine.model import row_getter
from service.engine.roles import Roles
from service.errors import invalid_params

_batch_request = BatchRequest()


class Batch(NamedTuple):
    """A checked batch request (`ModelAPI.load_batch`): either `columns`, when every
    scenario gives the same inputs and all are valid (the usual batch), or `scenarios`,
    per scenario its `id` and either `values` or `errors`."""

    ids: list[str]
    columns: dict[str, list[Any]] | None  # per given input, its value in each scenario
    scenarios: list[dict[str, Any]] | None

    @property
    def valid(self) -> int:
        """How many scenarios are calculated."""
        if self.scenarios is None:
            return len(self.ids)
        return sum("values" in s for s in self.scenarios)


# How many differently shaped request schemas (sets of given inputs) a model keeps.
SCHEMA_CACHE_SIZE = 512


def inputs_hash(resolved: Mapping[str, Any]) -> str:
    """`sha256:` + SHA-256 of the resolved inputs as canonical JSON (sorted keys, no spaces).

    This is the definition written in openapi.yaml; `ModelAPI.inputs_hash` computes
    the same string faster.
    """
    canonical = json.dumps(resolved, sort_keys=True, separators=(",", ":"), allow_nan=False)
    return "sha256:" + hashlib.sha256(canonical.encode()).hexdigest()


def _json_scalar(value: bool | float) -> str:
    # What json.dumps writes for a bool or a finite float.
    if value is True:
        return "true"
    if value is False:
        return "false"
    return float.__repr__(value)


# orjson writes a float as json.dumps (repr) does, except below this magnitude, where it
# writes 1e-5 for repr's 1e-05 (tests/properties/test_batch_fast_paths.py holds it to that).
_ORJSON_REPR_FROM = 1e-4
# Shorter columns are written value by value: the check's numpy calls cost more.
_ORJSON_FROM = 64
# A canonical text whose part before the first given value is at least this long is
# hashed from a copy of that part's SHA-256 state (a copy costs about 500 bytes' hashing).
_MIDSTATE_FROM = 512


def _json_texts(column: list[Any]) -> list[bytes]:
    """`_json_scalar` of each value of a column of bools or finite floats, as bytes:
    one orjson call for a long column when orjson writes its values as json.dumps does."""
    if len(column) >= _ORJSON_FROM and (
        all(v.__class__ is bool for v in column)
        or (all(v.__class__ is float for v in column) and _orjson_writes_repr(column))
    ):
        return orjson.dumps(column)[1:-1].split(b",")
    return [_json_scalar(v).encode() for v in column]


def _orjson_writes_repr(floats: list[float]) -> bool:
    magnitude = np.abs(np.array(floats, dtype=float))
    return bool(
        np.isfinite(magnitude).all()
        and not ((magnitude < _ORJSON_REPR_FROM) & (magnitude != 0)).any()
    )


def excel_code(value: Any) -> str | None:
    """The Excel error code of an output value (`#DIV/0!`, ...), or None for a clean value."""
    if value is None or isinstance(value, bool | str | int):
        return None
    if isinstance(value, float | np.floating):
        return None if math.isfinite(value) else "#NUM!"
    code = getattr(value, "code", None)
    return str(code if code is not None else value)


def roles_document(roles: Roles) -> dict[str, Any]:
    """The model's Interface roles as `GET /modellen/{modelId}` publishes them."""
    return {
        "rollen": {
            "saldo": roles.saldo,
            "totaalKosten": roles.total_costs,
            "totaalBaten": roles.total_benefits,
            "batenStaven": list(roles.benefit_bars),
            "kostenStaven": list(roles.cost_bars),
            "kerncijfers": list(roles.headline),
            "disconteringsvoet": roles.discount_rate,
            "tijdreeksen": None if roles.series is None else list(roles.series.years),
        },
        "groepen": [
            {"naam": g.name, "labelNl": g.label_nl, "labelEn": g.label_en, "knoppen": g.knobs}
            for g in roles.groups
        ],
        "actoren": [
            {
                "naam": a.name,
                "labelNl": a.label_nl,
                "labelEn": a.label_en,
                "kosten": a.costs,
                "baten": a.benefits,
                "saldo": a.saldo,
            }
            for a in roles.actors
        ],
        "effectdomeinen": [
            {
                "domein": d.name,
                "labelNl": d.label_nl,
                "labelEn": d.label_en,
                "succes": d.success,
                "invoerNaam": d.input,
                "teken": d.sign,
            }
            for d in roles.effect_domains
        ],
        "bewijs": [
            {
                "invoerNaam": e.input,
                "soort": "kosten" if e.kind == "cost" else "effect",
                "bewijsniveau": e.grade,
            }
            for e in roles.evidence
        ],
    }


class ModelAPI:
    def __init__(self, model: Any) -> None:
        self.model = model
        self.id: str = model.id
        self.input_specs = {spec.name: spec for spec in model.inputs}
        self.defaults = {
            spec.name: input_values.api_value(spec, spec.default) for spec in model.inputs
        }
        self.output_names = [spec.name for spec in model.outputs]
        # The batch answer's column header: what each position of `waarden` holds.
        self.columns = [{"naam": spec.name, "groep": spec.group} for spec in model.outputs]
        # Output groups in the order the interface first names them, with output positions.
        groups: dict[str, list[tuple[str, int]]] = {}
        for i, spec in enumerate(model.outputs):
            groups.setdefault(spec.group, []).append((spec.name, i))
        self._group_getters = [
            (group, [name for name, _ in items], row_getter([i for _, i in items]))
            for group, items in groups.items()
        ]
        # Canonical JSON of the resolved inputs, per set of given inputs: the defaults'
        # text cut open where the given values go (joining is faster than formatting).
        self._hash_names = sorted(self.defaults)
        self._hash_template = lru_cache(maxsize=SCHEMA_CACHE_SIZE)(self._hash_segments)

        # Schemas: marshmallow's cost grows with the declared fields, so each request is
        # checked by a schema of only the model inputs it names (unknown names are left
        # out, so that marshmallow rejects them). Cached per set of names.
        @lru_cache(maxsize=SCHEMA_CACHE_SIZE)
        def request_schema(names: frozenset[str]) -> Schema:
            return calculation_schema(model, names)

        self._request_schema = request_schema
        self._input_columns = input_columns(model)

        self.summary = {
            "id": model.id,
            "titel": model.title,
            "titelEn": model.meta.get("titleEn", model.title),
            "versie": model.version,
            "werkboekSha256": model.workbook_sha256,
            "rekenkernVersie": model.engine_version,
            "cockpitStandaard": model.roles.cockpit_default,
        }
        self.interface = {
            **self.summary,
            **roles_document(model.roles),
            "invoer": [input_values.describe(s) for s in model.inputs],
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
        # The served versions of this model whose inputs and outputs are this one's, so
        # that its contract describes them too (set by the registry; docs/versions.md).
        self.contract_versions: list[str] = [model.version]
        # the years of each such version's series (None: it declares none)
        self.contract_series_years: list[tuple[int, ...] | None] = [
            None if model.roles.series is None else tuple(model.roles.series.years)
        ]
        self.header = {
            "modelId": model.id,
            "modelVersie": model.version,
            "werkboekSha256": model.workbook_sha256,
            "rekenkernVersie": model.engine_version,
        }

    # -- validation ---------------------------------------------------------------------

    def _known(self, invoer: Any) -> frozenset[str]:
        if not isinstance(invoer, dict):
            return frozenset()
        return frozenset(name for name in invoer if name in self.input_specs)

    def load_request(self, body: Any) -> dict[str, Any]:
        """A calculation request {"invoer": {...}}: its validated inputs, or ValidationError
        with every error of the body, flattened to [{name, reason}]."""
        values = self._valid_request(body)
        if values is not None:
            return values
        invoer = body.get("invoer") if isinstance(body, dict) else None
        try:
            return dict(self._request_schema(self._known(invoer)).load(body)["invoer"])
        except ValidationError as exc:
            raise ValidationError(invalid_params(exc.messages)) from None

    def _valid_request(self, body: Any) -> dict[str, Any] | None:
        """The inputs of a valid request as the schema loads them, recognised with the
        input columns' shortcut; None when marshmallow must decide (and word the errors)."""
        if body.__class__ is not dict or not body.keys() <= {"invoer"}:
            return None
        invoer = body.get("invoer", {})
        if invoer.__class__ is not dict:
            return None
        values = {}
        for name, value in invoer.items():
            column = self._input_columns.get(name)
            loaded = None if column is None else column.all_valid([value])
            if loaded is None:
                return None
            values[name] = loaded[0]
        return values

    def load_batch(self, body: Any) -> Batch:
        """A batch request: its scenarios' ids, and their inputs a column each or per
        scenario either `values` (validated inputs) or `errors` ([{name, reason}] named
        `scenarios.<i>.invoer.<input>`).

        The batch itself (the list, ids, unknown fields) is checked by `BatchRequest`;
        an error there is a ValidationError for the whole batch. The inputs are checked
        a column at a time with the interface's marshmallow fields (`input_columns`),
        so that errors stay with their scenario and 1000 scenarios cost 1000 field
        checks per given input rather than 1000 schema loads."""
        try:
            scenarios = _batch_request.load(body)["scenarios"]
        except ValidationError as exc:
            raise ValidationError(invalid_params(exc.messages)) from None
        ids = [s["id"] for s in scenarios]
        uniform = self._uniform_columns(scenarios)
        if uniform is not None:
            return Batch(ids, uniform, None)
        values: list[dict[str, Any]] = [{} for _ in scenarios]
        errors: list[list[dict[str, str]]] = [[] for _ in scenarios]
        columns: dict[str, list[tuple[int, Any]]] = {}
        for i, scenario in enumerate(scenarios):
            invoer = scenario["invoer"]
            if not isinstance(invoer, dict):
                errors[i].append({"name": f"scenarios.{i}.invoer", "reason": NOT_AN_OBJECT})
                continue
            for name, value in invoer.items():
                if name in self._input_columns:
                    columns.setdefault(name, []).append((i, value))
                else:
                    errors[i].append(
                        {"name": f"scenarios.{i}.invoer.{name}", "reason": UNKNOWN_FIELD}
                    )
        for name, pairs in columns.items():
            loaded: Any
            bad: Any = {}
            try:
                loaded = self._input_columns[name].deserialize([v for _, v in pairs])
            except ValidationError as exc:
                bad, loaded = exc.messages, exc.valid_data
            good = iter(loaded)
            for position, (i, _) in enumerate(pairs):
                if position in bad:
                    errors[i].extend(invalid_params(bad[position], f"scenarios.{i}.invoer.{name}"))
                else:
                    values[i][name] = next(good)
        loaded = [
            {"id": s["id"], "errors": e} if e else {"id": s["id"], "values": v}
            for s, v, e in zip(scenarios, values, errors, strict=True)
        ]
        return Batch(ids, None, loaded)

    def _uniform_columns(self, scenarios: list[dict[str, Any]]) -> dict[str, list[Any]] | None:
        """The inputs of a batch whose scenarios all give the same inputs, all valid,
        a column each (the usual batch); else None."""
        invoers = [s["invoer"] for s in scenarios]
        first = invoers[0] if invoers else None
        if first.__class__ is not dict:
            return None
        names = first.keys()
        if not all(i.__class__ is dict and i.keys() == names for i in invoers):
            return None
        columns = {}
        for name in names:
            column = self._input_columns.get(name)
            loaded = None if column is None else column.all_valid([i[name] for i in invoers])
            if loaded is None:
                return None
            columns[name] = loaded
        return columns

    def calculate_batch(self, batch: Batch) -> list[dict[str, Any]]:
        """The results of a loaded batch, in order: `calculate_many`'s answer of each
        valid scenario, {id, invalidParams} of the others."""
        if batch.columns is not None:
            n = len(batch.ids)
            hashes = self._column_hashes(batch.columns, n)
            return self._answers(batch.columns, n, hashes, batch.ids)
        scenarios = batch.scenarios or []
        valid = [s for s in scenarios if "values" in s]
        answers = iter(self.calculate_many([s["values"] for s in valid], [s["id"] for s in valid]))
        return [
            next(answers) if "values" in s else {"id": s["id"], "invalidParams": s["errors"]}
            for s in scenarios
        ]

    def resolve(self, values: Mapping[str, Any]) -> dict[str, Any]:
        return {**self.defaults, **values}

    def inputs_hash(self, values: Mapping[str, Any]) -> str:
        """`inputs_hash(self.resolve(values))`, from the defaults' text cut open where
        the given inputs' values go."""
        head, names, tails = self._hash_template(frozenset(values))
        parts = [head]
        for name, tail in zip(names, tails, strict=True):
            parts += (_json_scalar(values[name]).encode(), tail)
        return "sha256:" + hashlib.sha256(b"".join(parts)).hexdigest()

    def inputs_hashes(self, scenarios: Sequence[Mapping[str, Any]]) -> list[str]:
        """`inputs_hash` of each scenario. Scenarios that give the same inputs (nearly
        all, in a batch) are written a column at a time between the same segments."""
        groups: dict[tuple[str, ...], list[int]] = {}
        for i, values in enumerate(scenarios):
            groups.setdefault(tuple(values), []).append(i)
        hashes = [""] * len(scenarios)
        for given, rows in groups.items():
            columns = {name: [scenarios[i][name] for i in rows] for name in given}
            for i, digest in zip(rows, self._column_hashes(columns, len(rows)), strict=True):
                hashes[i] = digest
        return hashes

    def _column_hashes(self, columns: Mapping[str, list[Any]], n: int) -> list[str]:
        """The hashes of `n` scenarios that give the inputs of `columns`, a column each."""
        head, names, tails = self._hash_template(frozenset(columns))
        if not names:  # every input at its default
            return ["sha256:" + hashlib.sha256(head).hexdigest()] * n
        # the text between the head and each value, then the value's text, ...
        parts: list[Any] = []
        for name, tail in zip(names, tails, strict=True):
            parts += [_json_texts(columns[name]), repeat(tail)]
        if len(head) < _MIDSTATE_FROM:
            texts = map(b"".join, zip(repeat(head), *parts))
            return ["sha256:" + h.hexdigest() for h in map(hashlib.sha256, texts)]
        start = hashlib.sha256(head)
        hashes = []
        for text in map(b"".join, zip(*parts, strict=False)):  # the tails repeat endlessly
            h = start.copy()
            h.update(text)
            hashes.append("sha256:" + h.hexdigest())
        return hashes

    def _hash_segments(self, given: frozenset[str]) -> tuple[bytes, list[str], list[bytes]]:
        """The canonical JSON of the defaults cut open at the values of `given`: the text
        before the first, the names in text order, and the text after each (ASCII, as
        json.dumps escapes every other character)."""
        head, names, tails = "", list[str](), list[str]()
        current = "{"
        for i, name in enumerate(self._hash_names):
            current += ("," if i else "") + json.dumps(name) + ":"
            if name in given:
                if names:
                    tails.append(current)
                else:
                    head = current
                names.append(name)
                current = ""
            else:
                current += _json_scalar(self.defaults[name])
        current += "}"
        if names:
            tails.append(current)
        else:
            head = current
        return head.encode(), names, [tail.encode() for tail in tails]

    # -- results ------------------------------------------------------------------------

    def _shape(self, row: Sequence[Any], suspect: Sequence[int]) -> dict[str, Any]:
        """One scenario's outputs (in interface order) as uitvoer + rekenfouten.

        `suspect` lists the positions that may hold an Excel error or a non-finite
        number; every other value is a clean float, bool or str.
        """
        fouten: list[dict[str, str]] = []
        if suspect:
            row = list(row)
            for i in suspect:
                code = excel_code(row[i])
                if code is not None:
                    fouten.append({"uitvoer": self.output_names[i], "code": code})
                    row[i] = None
        uitvoer = {
            group: dict(zip(names, getter(row), strict=True))
            for group, names, getter in self._group_getters
        }
        return {"uitvoer": uitvoer, "rekenfouten": fouten}

    def calculate(self, values: Mapping[str, Any]) -> dict[str, Any]:
        """One scenario (native engine, else scalar backend): the body of a single answer."""
        row = self.model.calculate_row(values)
        # finite floats are clean (the model turned inf/NaN into #NUM!); the rest may not be
        clean = set(map(type, row)) <= {float}
        suspect = () if clean else [i for i, v in enumerate(row) if v.__class__ is not float]
        return {
            **self.header,
            "invoerHash": self.inputs_hash(values),
            "invoer": self.resolve(values),
            **self._shape(row, suspect),
        }

    def calculate_many(
        self, scenarios: Sequence[Mapping[str, Any]], ids: Sequence[str] | None = None
    ) -> list[dict[str, Any]]:
        """Many scenarios (validated inputs each) in one engine call, in order:
        id (when `ids` are given), invoerHash, waarden (the outputs in interface order)
        and rekenfouten of each."""
        n = len(scenarios)
        if n == 0:
            return []
        columns = {
            name: [s.get(name, self.defaults[name]) for s in scenarios]
            for name in set().union(*scenarios)
        }
        return self._answers(columns, n, self.inputs_hashes(scenarios), ids)

    def _answers(
        self,
        given: Mapping[str, list[Any]],
        n: int,
        hashes: list[str],
        ids: Sequence[str] | None,
    ) -> list[dict[str, Any]]:
        """`calculate_many`'s answers of `n` scenarios whose inputs are `given` a column
        each (the rest at their defaults), with their hashes."""
        columns = {
            name: np.array(values, dtype=bool if self.input_specs[name].type == "yesno" else float)
            for name, values in given.items()
        }
        arrays = self.model.calculate_columns(columns)
        outputs = []
        for name in self.output_names:
            arr = np.asarray(arrays[name])
            if arr.ndim == 0 or len(arr) != n:  # a constant, or no input varied at all
                arr = np.repeat(arr.reshape(-1)[:1], n)
            outputs.append(arr)
        rows = _rows(outputs, n)
        fouten: list[list[dict[str, str]]] = [[] for _ in range(n)]
        floats = [i for i, arr in enumerate(outputs) if arr.dtype.kind == "f"]
        # the float outputs without inf or NaN, found with one numpy call for them all
        finite = (
            np.isfinite(np.stack([outputs[i] for i in floats])).all(axis=1).tolist()
            if floats
            else []
        )
        clean = {i for i, ok in zip(floats, finite, strict=True) if ok}
        for i, arr in enumerate(outputs):
            suspects: Sequence[int]
            if i in clean:
                continue
            if arr.dtype == object:
                suspects = range(n)
            elif arr.dtype.kind == "f":
                suspects = np.flatnonzero(~np.isfinite(arr)).tolist()
            else:
                continue
            for row in suspects:
                code = excel_code(arr[row])
                if code is not None:
                    if not isinstance(rows[row], list):
                        rows[row] = rows[row].tolist()
                    rows[row][i] = None
                    fouten[row].append({"uitvoer": self.output_names[i], "code": code})
        if ids is None:
            return [
                {"invoerHash": digest, "waarden": row, "rekenfouten": errs}
                for digest, row, errs in zip(hashes, rows, fouten, strict=True)
            ]
        return [
            {"id": i, "invoerHash": digest, "waarden": row, "rekenfouten": errs}
            for i, digest, row, errs in zip(ids, hashes, rows, fouten, strict=True)
        ]


def _rows(outputs: list[np.ndarray], n: int) -> list[Any]:
    """One row of output values per scenario. When every output is a float column the
    rows are views of one (n, outputs) array, which orjson writes without making a
    Python float of each value; otherwise they are lists of Python values."""
    if all(arr.dtype == np.float64 for arr in outputs):
        matrix = np.column_stack(outputs) if outputs else np.empty((n, 0))
        return list(np.ascontiguousarray(matrix))
    columns = [arr.tolist() if arr.dtype != object else list(arr) for arr in outputs]
    return [list(row) for row in zip(*columns, strict=True)]
