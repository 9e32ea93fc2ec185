"""The batch's shortcuts agree with what they stand in for: marshmallow's field checks,
the id checks, and the definition of the input hash."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import orjson
from hypothesis import example, given, settings
from hypothesis import strategies as st
from marshmallow import ValidationError

from service.api.model_api import _ORJSON_FROM, Batch, ModelAPI, _json_texts, inputs_hash
from service.api.schemas import Scenarios
from service.engine import load_models
from service.engine.input_values import InputColumn

SPEC_DIR = Path(__file__).resolve().parents[2] / "formulas_spec"
API = ModelAPI(next(iter(load_models(SPEC_DIR).values())))
SPECS = list(API.model.inputs)

# Values a JSON body can hold, biased towards the edges of the interface's bounds.
EDGES = sorted({float(b) for s in SPECS for b in (s.min, s.max) if b is not None})
VALUE = st.one_of(
    st.sampled_from(EDGES),
    st.floats(),
    st.integers(-(10**20), 10**20),
    st.booleans(),
    st.none(),
    st.text(max_size=3),
    st.just(10**400),
)


def outcome(deserialize: Any, values: list[Any]) -> Any:
    """What a deserializer makes of a column: the loaded values, or the errors and the
    valid data marshmallow reports."""
    try:
        return ("ok", deserialize(values))
    except ValidationError as exc:
        return ("errors", exc.messages, exc.valid_data)


@settings(max_examples=400, deadline=None)
@given(st.sampled_from(SPECS), st.lists(VALUE, max_size=40))
@example(next(s for s in SPECS if s.type != "yesno"), [1, 2.5])
@example(next(s for s in SPECS if s.type == "yesno"), [True, False])
def test_input_column_equals_marshmallow(spec: Any, values: list[Any]) -> None:
    column = InputColumn(spec)
    got = outcome(column.deserialize, values)
    assert got == outcome(column.field.deserialize, values)
    if got[0] == "ok":
        assert [v.__class__ for v in got[1]] == [bool if spec.type == "yesno" else float] * len(
            values
        )


ID = st.one_of(
    st.from_regex(r"[A-Za-z0-9][A-Za-z0-9._:-]{0,5}", fullmatch=True),
    st.text(max_size=4),
    st.integers(),
    st.none(),
)


@settings(max_examples=300, deadline=None)
@given(st.lists(ID, min_size=1, max_size=5))
@example(["a", "b\n"])
@example(["a", "a"])
@example(["x" * 100, "y" * 101])
def test_scenario_ids_are_checked_as_the_spec_says(ids: list[Any]) -> None:
    field = Scenarios()
    scenarios = [{"id": i} for i in ids]
    got = outcome(lambda v: field.deserialize(v), scenarios)
    one_by_one: dict[int, Any] = {}
    seen: set[Any] = set()
    for position, scenario_id in enumerate(ids):
        if not isinstance(scenario_id, str):
            reason = "Field may not be null." if scenario_id is None else "Not a valid string."
            one_by_one[position] = {"id": [reason]}
            continue
        messages = []
        if not _matches(scenario_id):
            messages.append("String does not match expected pattern.")
        if scenario_id in seen:
            messages.append(f"Duplicate scenario id {scenario_id!r}.")
        seen.add(scenario_id)
        if messages:
            one_by_one[position] = {"id": messages}
    if one_by_one:
        assert got[0] == "errors" and got[1] == one_by_one
    else:
        assert got == ("ok", [{"id": i, "invoer": {}} for i in ids])


def _matches(scenario_id: str) -> bool:
    """The spec's pattern, ^[A-Za-z0-9][A-Za-z0-9._:-]{0,99}$, as ECMA-262 reads it."""
    allowed = set("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789")
    return (
        1 <= len(scenario_id) <= 100
        and scenario_id[0] in allowed
        and all(c in allowed | set("._:-") for c in scenario_id[1:])
    )


def scenario() -> st.SearchStrategy[dict[str, Any]]:
    fields = {
        s.name: st.booleans()
        if s.type == "yesno"
        else st.floats(s.min, s.max, allow_nan=False, allow_infinity=False)
        for s in SPECS
    }
    return st.fixed_dictionaries({}, optional=fields)


LATE = max(SPECS, key=lambda s: s.name)  # its value comes last in the canonical text


@settings(max_examples=100, deadline=None)
@given(st.lists(scenario(), max_size=6))
@example([{}, {}])  # every input at its default
@example([{LATE.name: LATE.default}, {LATE.name: LATE.max}])  # the head's state copied
def test_batch_hashes_follow_the_definition(scenarios: list[dict[str, Any]]) -> None:
    # a batch mixes scenarios that give the same inputs (a shared template) and others
    scenarios = scenarios + [dict(s) for s in scenarios]
    want = [inputs_hash(API.resolve(s)) for s in scenarios]
    assert API.inputs_hashes(scenarios) == want
    assert [API.inputs_hash(s) for s in scenarios] == want


FLOAT = st.floats(allow_nan=False, allow_infinity=False)
COLUMN = st.one_of(
    st.lists(FLOAT, max_size=20),
    st.lists(st.floats(-1e-3, 1e-3), max_size=20),  # about 1e-4, where orjson's text differs
    st.lists(st.booleans(), max_size=20),
    st.lists(st.one_of(FLOAT, st.booleans()), max_size=20),
)


@settings(max_examples=500, deadline=None)
@given(COLUMN)
@example([1e-4, 9.999999999999999e-05, 0.0, -0.0, 5e-324, 1e16, 1.7976931348623157e308])
@example([1e-05, 2.5])
def test_a_column_is_written_as_json_dumps_writes_it(column: list[Any]) -> None:
    long = column * -(-_ORJSON_FROM // len(column)) if column else []  # written by orjson
    for values in (column, long):
        assert _json_texts(values) == [json.dumps(v).encode() for v in values]


NAME = st.one_of(st.sampled_from([s.name for s in SPECS]), st.text(max_size=3))
BODY = st.one_of(
    st.dictionaries(st.sampled_from(["invoer", "extra"]), st.dictionaries(NAME, VALUE), max_size=2),
    st.fixed_dictionaries({"invoer": st.one_of(st.none(), st.lists(VALUE), VALUE)}),
    VALUE,
)


@settings(max_examples=400, deadline=None)
@given(BODY)
@example({"invoer": {SPECS[0].name: SPECS[0].default}})
def test_a_request_is_loaded_as_marshmallow_loads_it(body: Any) -> None:
    shortcut = API._valid_request(body)
    schema = API._request_schema(API._known(body.get("invoer") if isinstance(body, dict) else None))
    try:
        loaded = dict(schema.load(body)["invoer"])
    except ValidationError:
        assert shortcut is None
    else:
        assert shortcut is None or (shortcut == loaded and list(shortcut) == list(loaded))
        if isinstance(body.get("invoer"), dict) and all(
            v.__class__ in (float, int, bool) for v in body["invoer"].values()
        ):
            assert shortcut == loaded  # the common case takes the shortcut


def uniform_batch() -> st.SearchStrategy[list[dict[str, Any]]]:
    """Scenarios that all give the same inputs, now and then a value out of place."""
    return st.lists(st.sampled_from(SPECS), min_size=0, max_size=4, unique=True).flatmap(
        lambda specs: st.lists(
            st.fixed_dictionaries(
                {
                    s.name: st.one_of(
                        st.booleans()
                        if s.type == "yesno"
                        else st.floats(s.min, s.max, allow_nan=False, allow_infinity=False),
                        VALUE,
                    )
                    for s in specs
                }
            ),
            min_size=1,
            max_size=5,
        )
    )


@settings(max_examples=150, deadline=None)
@given(uniform_batch())
def test_a_uniform_batch_is_answered_as_scenario_by_scenario(invoers: list[Any]) -> None:
    scenarios = [{"id": f"s{i}", "invoer": v} for i, v in enumerate(invoers)]
    columns = API.load_batch({"scenarios": scenarios})
    # one more scenario, which gives another input, keeps the batch off the column path
    other = API.load_batch({"scenarios": [*scenarios, {"id": "x", "invoer": {"?": 1}}]})
    assert other.columns is None and other.scenarios is not None
    general = Batch(columns.ids, None, other.scenarios[:-1])
    assert orjson.dumps(API.calculate_batch(columns), option=orjson.OPT_SERIALIZE_NUMPY) == (
        orjson.dumps(API.calculate_batch(general), option=orjson.OPT_SERIALIZE_NUMPY)
    )
