"""The yearly series against LibreOffice, and the payback year and budget by hand.

Independent side: each model's workbook with the same inputs, recalculated by LibreOffice
(tests/compiler/parity.py); from its cached values the test derives, in plain loops
written out here, the discounted amounts, cumulative saldo, payback year and budget, and
checks the service's answer against them. The discounted series of each actor must also
sum to the actor's NCW saldo that the workbook computes its own way (Verdeling: each
line's NCW by SUMPRODUCT over the year profile, times the actor's share).
"""

from __future__ import annotations

import math
import random
from pathlib import Path

import pytest
from flask.testing import FlaskClient

from service.analysis.timeline import payback_year
from service.engine import load_models
from tests.compiler.parity import run_libreoffice

SPEC_DIR = Path(__file__).resolve().parents[2] / "formulas_spec"
MODELS = load_models(SPEC_DIR)
WITH_SERIES = sorted(m for m, model in MODELS.items() if model.roles.series is not None)
REL = 1e-9


def close(a: float, b: float) -> bool:
    return math.isclose(a, b, rel_tol=REL, abs_tol=1e-6)


def _scenario(model_id: str) -> dict[str, float]:
    """A scenario off the defaults: the 2021 discount rate, and every cockpit knob of
    type count or euro at 1.1 times its default (within its bounds)."""
    model = MODELS[model_id]
    values: dict[str, float] = {}
    if model.roles.discount_rate:
        values[model.roles.discount_rate] = 0.0225
    for s in model.inputs:
        if s.type in ("count", "euro") and s.default:
            v = s.default * 1.1
            if (s.max is None or v <= s.max) and (s.min is None or v >= s.min):
                values[s.name] = v
    return values


def _hand_payback(years: list[int], cumulative: list[float]) -> int | None:
    # the definition, read from the end: the earliest year after the last year <= 0
    if cumulative[-1] <= 0:
        return None
    k = len(cumulative) - 1
    while k > 0 and cumulative[k - 1] > 0:
        k -= 1
    return years[k]


@pytest.mark.parametrize("model_id", WITH_SERIES)
def test_timeline_matches_libreoffice(client: FlaskClient, model_id: str):
    model = MODELS[model_id]
    series = model.roles.series
    assert series is not None
    values = _scenario(model_id)
    specs = {s.name: s for s in model.inputs}
    cells_in = {specs[k].cell: v for k, v in values.items()}
    actor_saldo = {a.name: a.saldo for a in model.roles.actors}
    out_cells = {o.name: o.cell for o in model.outputs}
    wanted = series.cells() + [out_cells[n] for n in actor_saldo.values() if n]
    (lo,) = run_libreoffice(SPEC_DIR / f"{model_id}.xlsx", wanted, [cells_in])

    body = {"invoer": values, "jaren": 3}
    answer = client.post(f"/v1/modellen/{model_id}/tijdreeksen", json=body)
    assert answer.status_code == 200, answer.data
    doc = answer.get_json()
    years = list(series.years)
    assert doc["jaren"] == years
    factors = [lo[c] for c in series.discount_factors]
    assert all(close(a, b) for a, b in zip(doc["disconteringsfactoren"], factors, strict=True))
    assert factors[0] == 1  # both models: year 1 is not discounted

    for line, got in zip(series.lines, doc["posten"], strict=True):
        expected = [lo[c] for c in line.cells]
        assert got["naam"] == line.name
        assert all(close(a, b) for a, b in zip(got["nietContant"], expected, strict=True))
        discounted = [x * f for x, f in zip(expected, factors, strict=True)]
        assert all(close(a, b) for a, b in zip(got["contant"], discounted, strict=True))

    total_saldo = 0.0
    for a, got in zip(series.actors, doc["actoren"], strict=True):
        assert got["actor"] == a.actor
        costs = [lo[c] for c in a.costs] if a.costs else [0.0] * len(years)
        benefits = [lo[c] for c in a.benefits] if a.benefits else [0.0] * len(years)
        saldo = [b - c for b, c in zip(benefits, costs, strict=True)]
        cumulative, running = [], 0.0
        for s, f in zip(saldo, factors, strict=True):
            running += s * f
            cumulative.append(running)
        assert all(close(x, y) for x, y in zip(got["kosten"]["nietContant"], costs, strict=True))
        assert all(close(x, y) for x, y in zip(got["baten"]["nietContant"], benefits, strict=True))
        assert all(
            close(x, y) for x, y in zip(got["cumulatiefSaldo"]["contant"], cumulative, strict=True)
        )
        # the workbook's own NCW of this actor (Verdeling), another route to the same sum
        assert close(cumulative[-1], lo[out_cells[actor_saldo[a.actor]]])
        assert close(got["saldo"]["ncw"], cumulative[-1])
        assert got["terugverdienJaar"] == _hand_payback(years, cumulative)
        assert got["terugverdiendBinnenHorizon"] is (got["terugverdienJaar"] is not None)
        budget = got["begroting"]
        assert budget["jaren"] == 3
        assert close(budget["kosten"], costs[0] + costs[1] + costs[2])
        assert close(budget["baten"], benefits[0] + benefits[1] + benefits[2])
        assert close(budget["saldo"], saldo[0] + saldo[1] + saldo[2])
        assert close(budget["saldoInLaatsteJaar"], saldo[2])
        total_saldo += cumulative[-1]
    assert close(doc["totaal"]["saldo"]["ncw"], total_saldo)  # the actors split the whole


def test_payback_year_by_hand():
    years = [1, 2, 3, 4, 5]
    # positive in year 2, negative again in year 3, positive from year 4 to the end
    assert payback_year(years, [-100.0, 50.0, -10.0, 20.0, 30.0]) == 4
    assert payback_year(years, [10.0, 20.0, 30.0, 40.0, 50.0]) == 1
    assert payback_year(years, [-5.0, 1.0, 2.0, 3.0, 0.0]) is None  # zero is not positive
    assert payback_year(years, [-5.0, -4.0, -3.0, -2.0, -1.0]) is None


@pytest.mark.parametrize("model_id", WITH_SERIES)
def test_budget_years_default_and_bounds(client: FlaskClient, model_id: str):
    n = len(MODELS[model_id].roles.series.years)  # type: ignore[union-attr]
    base = f"/v1/modellen/{model_id}/tijdreeksen"
    assert client.post(base, json={}).get_json()["begrotingJaren"] == 2
    for bad in (0, n + 1, 1.5, "2", True):
        r = client.post(base, json={"jaren": bad, "invoer": {"nietBestaand": 1}})
        assert r.status_code == 400 and r.mimetype == "application/problem+json"
        names = {p["name"] for p in r.get_json()["invalidParams"]}
        assert names == {"jaren", "invoer.nietBestaand"}  # every field error at once


@pytest.mark.parametrize("model_id", WITH_SERIES)
@pytest.mark.parametrize("accept", ["image/svg+xml", "image/png"])
def test_cumulative_saldo_chart(client: FlaskClient, model_id: str, accept: str):
    r = client.post(
        f"/v1/modellen/{model_id}/grafieken/cumulatief-saldo", json={}, headers={"Accept": accept}
    )
    assert r.status_code == 200 and r.mimetype == accept
    if accept == "image/svg+xml":
        text = r.data.decode()
        for actor in MODELS[model_id].roles.actors:
            assert actor.label_nl.split(" ")[0] in text  # each actor in the legend
    else:
        assert r.data.startswith(b"\x89PNG")


@pytest.mark.parametrize("model_id", WITH_SERIES)
def test_native_series_are_the_python_artifacts_bit_for_bit(model_id: str) -> None:
    """The C series function (where the model's series all have a C form) gives the Python
    artifact's calculate_series bit for bit, or declines, on random scenarios."""
    model = MODELS[model_id]
    if model.native is None or not model.native.has_series:
        pytest.skip("no native series for this model (or `make native` not run)")
    rng = random.Random(11)
    answered = 0
    for _ in range(25):
        values = {
            s.name: rng.uniform(s.min, s.max)
            for s in model.inputs
            if s.type != "yesno" and s.min is not None and s.max is not None
        }
        args = model._args(values)
        native = model.native.calculate_series(args)
        if native is None:
            continue
        answered += 1
        python = model.module.calculate_series(*args)
        assert [x.hex() for x in native] == [float(y).hex() for y in python]
    assert answered, "C declined every scenario"


@pytest.mark.parametrize("model_id", WITH_SERIES)
def test_series_array_holds_the_python_artifacts_series_bit_for_bit(model_id: str) -> None:
    """What the over-time answer computes from (`series_array`: C writing into one array
    where it answers) is the Python artifact's calculate_series, value for value in order."""
    model = MODELS[model_id]
    rng = random.Random(12)
    compared = 0
    for _ in range(10):
        values = {
            s.name: rng.uniform(s.min, s.max)
            for s in model.inputs
            if s.type != "yesno" and s.min is not None and s.max is not None
        }
        flat = model.series_array(values)
        python = model.module.calculate_series(*model._args(values))
        if flat is None:  # a cell with no finite number: the answer asks which one
            assert not all(type(v) is float and math.isfinite(v) for v in python)
            continue
        assert [x.hex() for x in flat.tolist()] == [float(y).hex() for y in python]
        compared += 1
    assert compared, "no scenario with numbers in every series cell"
