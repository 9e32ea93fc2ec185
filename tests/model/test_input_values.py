"""An input's life (service/engine/input_values.py) against what docs/architecture.md
says: a yes/no input is a JSON boolean in the API and the text ja/nee in its cell (or
TRUE/FALSE when the workbook tests a logical); numbers are finite floats within bounds."""

from __future__ import annotations

import dataclasses

import numpy as np
import pytest
from marshmallow import ValidationError

from service.engine import InputSpec
from service.engine import input_values as iv

YESNO = InputSpec("flag", "Vlag", "Flag", "", "yesno", None, None, "g", "Blad!B2", "nee")
LOGICAL = dataclasses.replace(YESNO, cell_bool=True)
RATE = InputSpec("rate", "Voet", "Rate", "%", "fraction", 0.0, 0.2, "g", "Blad!B3", 0.04)


def test_a_yes_no_value_in_its_cell_and_back() -> None:
    assert (iv.to_cell(YESNO, True), iv.to_cell(YESNO, False)) == ("ja", "nee")
    assert (iv.to_cell(LOGICAL, True), iv.to_cell(LOGICAL, False)) == (True, False)
    assert iv.to_cell(YESNO, " Ja ") == "ja" and iv.to_cell(LOGICAL, "ja") is True
    assert [iv.yesno_value(t) for t in ("ja", " NEE", "misschien", 1)] == [True, False, None, None]
    assert (iv.api_value(YESNO, "ja"), iv.api_value(YESNO, "nee")) == (True, False)
    assert iv.api_default(YESNO) is False and iv.cell_default(LOGICAL) is False
    assert iv.cell_column(YESNO, np.array([True, False])).tolist() == ["ja", "nee"]
    assert iv.cell_column(LOGICAL, np.array([True, False])).tolist() == [True, False]
    assert iv.yesno_text(np.bool_(True)) == "ja"


def test_numbers_are_floats_in_their_cells() -> None:
    assert iv.to_cell(RATE, 1) == 1.0 and type(iv.to_cell(RATE, 1)) is float
    assert type(iv.to_cell(RATE, np.float64(0.1))) is float
    assert iv.api_value(RATE, 3) == 3.0


@pytest.mark.parametrize(
    ("spec", "value", "problem"),
    [
        (YESNO, 1, "boolean"),
        (YESNO, "ja", "boolean"),
        (RATE, True, "number"),
        (RATE, "0.1", "number"),
        (RATE, float("nan"), "finite"),
        (RATE, 10**400, "finite"),
        (RATE, -0.01, "min"),
        (RATE, 0.21, "max"),
    ],
)
def test_what_a_json_value_may_not_be(spec: InputSpec, value: object, problem: str) -> None:
    with pytest.raises(iv.InvalidValue) as exc:
        iv.parse(spec, value)
    assert exc.value.problem == problem


def test_valid_json_values() -> None:
    assert iv.parse(YESNO, True) is True
    assert iv.parse(RATE, 0) == 0.0 and iv.parse(RATE, 0.2) == 0.2


def test_each_caller_words_a_problem_its_own_published_way() -> None:
    with pytest.raises(iv.InvalidValue) as exc:
        iv.parse(RATE, 0.5)
    assert iv.analysis_reason(exc.value) == "must be at most 0.2"
    assert iv.export_reason(exc.value) == "outside [0.0, 0.2]"
    field = iv.InputField(RATE)
    with pytest.raises(ValidationError) as api:
        field.deserialize(0.5)
    assert api.value.messages == [
        "Must be greater than or equal to 0.0 and less than or equal to 0.2."
    ]


def test_a_workbook_cell_read_for_the_audit() -> None:
    assert iv.read_cell(YESNO, "Ja") == ("Ja", None)
    assert iv.read_cell(YESNO, None)[1] == "a yes/no input holds the text 'ja' or 'nee'"
    assert iv.read_cell(RATE, 0.1) == (0.1, None)
    assert iv.read_cell(RATE, True) == (1.0, "a logical value where a number belongs")
    assert iv.read_cell(RATE, "0.1") == (0.1, "a number typed as text")
    assert iv.read_cell(RATE, None) == (0.0, "empty")


def test_described_as_the_interface_and_the_contract_show_it() -> None:
    assert iv.describe(YESNO)["standaardwaarde"] is False
    assert iv.describe(RATE) == {
        "naam": "rate",
        "labelNl": "Voet",
        "labelEn": "Rate",
        "eenheid": "%",
        "type": "fraction",
        "standaardwaarde": 0.04,
        "minimum": 0.0,
        "maximum": 0.2,
        "groep": "g",
        "cel": "Blad!B3",
    }
    assert iv.json_schema(YESNO) == {"type": "boolean", "default": False}
    assert iv.json_schema(RATE) == {
        "type": "number",
        "default": 0.04,
        "minimum": 0.0,
        "maximum": 0.2,
    }
