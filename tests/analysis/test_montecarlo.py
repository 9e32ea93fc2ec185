"""Monte Carlo: zero width is the point calculation, samples converge, seeds reproduce."""

from __future__ import annotations

import math

import numpy as np
import pytest
from scipy import stats

from service.analysis import AnalysisError, draw, ledger_from_outputs, monte_carlo
from service.analysis import montecarlo as mc
from service.engine import CompiledModel

OUTPUTS = ["mkbaSaldo", "totaleKosten", "aantalMphFinancieleStabilisatie", "gemeenteSaldo"]


def _point(name: str, v: float) -> list[dict]:
    return [
        {"input": name, "type": "uniform", "min": v, "max": v},
    ]


def test_zero_width_distributions_equal_the_point_calculation(model: CompiledModel):
    scenario = {
        "fteAanpak": 10.0,
        "aantalMphAanpak": 600.0,
        "effectiviteitHuisuitzettingenVerschil": 0.07,
        "percentageRecidive": 0.3,
    }
    dists = [
        {"input": "fteAanpak", "type": "uniform", "min": 10.0, "max": 10.0},
        {"input": "aantalMphAanpak", "type": "triangular", "min": 600, "mode": 600, "max": 600},
        {
            "input": "effectiviteitHuisuitzettingenVerschil",
            "type": "pert",
            "min": 0.07,
            "mode": 0.07,
            "max": 0.07,
        },
        {"input": "percentageRecidive", "type": "normal", "mean": 0.3, "sd": 0.0},
    ]
    point = model.calculate({**scenario, "kwaliteitVanLevenInQalys": True})
    result = monte_carlo(
        model,
        distributions=dists,
        draws=1000,
        seed=3,
        outputs=OUTPUTS,
        values={"kwaliteitVanLevenInQalys": True},
    )
    for name in OUTPUTS:
        s = result["outputs"][name]
        for key in ("mean", "p5", "p50", "p95", "min", "max"):
            assert s[key] == pytest.approx(point[name], rel=1e-12, abs=1e-9), (name, key)
        assert s["sd"] == pytest.approx(0.0, abs=1e-9 * max(1.0, abs(point[name])))
    assert result["probabilitySaldoPositive"] == (1.0 if point["mkbaSaldo"] > 0 else 0.0)
    book = ledger_from_outputs(model, point)["actors"]
    for mean_row, point_row in zip(result["ledger"], book, strict=True):
        for kind in ("kosten", "baten", "saldo"):
            assert mean_row[kind] == pytest.approx(point_row[kind], rel=1e-12, abs=1e-9)


def test_ledger_of_a_run_adds_up_to_the_mean_saldo(model: CompiledModel):
    dists = [{"input": "fteAanpak", "type": "uniform", "min": 5, "max": 30}]
    r = monte_carlo(model, distributions=dists, draws=3000, seed=9)
    total = sum(row["saldo"] for row in r["ledger"])
    assert total == pytest.approx(r["outputs"]["mkbaSaldo"]["mean"], rel=1e-9)
    gemeente = r["ledger"][0]
    assert gemeente["actor"] == "gemeente"
    assert 0 < gemeente["probabilitySaldoPositive"] < r["probabilitySaldoPositive"]


def test_normal_sample_statistics_converge_to_the_analytic_ones(model: CompiledModel):
    n, mean, sd = 200_000, 12.0, 1.5
    dist = {"input": "fteAanpak", "type": "normal", "mean": mean, "sd": sd}
    x = draw(model, [dist], n, seed=11)["fteAanpak"]
    assert abs(x.mean() - mean) < 4 * sd / math.sqrt(n)
    assert abs(x.std(ddof=1) - sd) < 4 * sd / math.sqrt(2 * n)
    assert abs(np.percentile(x, 95) - (mean + 1.6448536 * sd)) < 0.02
    # Through the model: personnel costs are fte x EUR 83.400, so linear in the draw.
    r = monte_carlo(
        model, distributions=[dist], draws=n, seed=11, outputs=["projectkostenPersoneel"]
    )
    s = r["outputs"]["projectkostenPersoneel"]
    assert s["mean"] == pytest.approx(83_400 * x.mean(), rel=1e-12)
    assert abs(s["mean"] - 83_400 * mean) < 4 * 83_400 * sd / math.sqrt(n)
    assert abs(s["sd"] - 83_400 * sd) < 4 * 83_400 * sd / math.sqrt(2 * n)


def test_truncated_normal_matches_scipy(model: CompiledModel):
    n, mean, sd, lo, hi = 200_000, 0.9, 0.2, 0.5, 1.0
    name = "effectiviteitHuisuitzettingenVerschil"
    dist = {"input": name, "type": "normal", "mean": mean, "sd": sd, "min": lo}
    x = draw(model, [dist], n, seed=5)[name]
    ref = stats.truncnorm((lo - mean) / sd, (hi - mean) / sd, loc=mean, scale=sd)
    assert x.min() >= lo and x.max() <= hi
    assert abs(x.mean() - ref.mean()) < 4 * ref.std() / math.sqrt(n)
    assert abs(x.std(ddof=1) - ref.std()) < 4 * ref.std() / math.sqrt(2 * n)


@pytest.mark.parametrize(
    ("dist", "mean"),
    [
        ({"type": "uniform", "min": 0.2, "max": 0.6}, 0.4),
        ({"type": "triangular", "min": 0.1, "mode": 0.2, "max": 0.6}, 0.3),
        ({"type": "pert", "min": 0.1, "mode": 0.2, "max": 0.7}, (0.1 + 4 * 0.2 + 0.7) / 6),
    ],
)
def test_other_distributions_have_their_mean(model: CompiledModel, dist: dict, mean: float):
    x = draw(model, [{"input": "percentageRecidive", **dist}], 100_000, seed=2)[
        "percentageRecidive"
    ]
    assert x.min() >= dist["min"] and x.max() <= dist["max"]
    assert abs(x.mean() - mean) < 0.002


def test_same_seed_same_answer_and_streams_per_input(model: CompiledModel):
    dists = [
        {"input": "fteAanpak", "type": "triangular", "min": 8, "mode": 12, "max": 20},
        {"input": "percentageRecidive", "type": "pert", "min": 0.1, "mode": 0.2, "max": 0.5},
    ]
    a = monte_carlo(model, distributions=dists, draws=5000, seed=42, outputs=OUTPUTS)
    b = monte_carlo(
        model, distributions=list(reversed(dists)), draws=5000, seed=42, outputs=OUTPUTS
    )
    c = monte_carlo(model, distributions=dists, draws=5000, seed=43, outputs=OUTPUTS)
    assert a["outputs"] == b["outputs"]
    assert a["outputs"] != c["outputs"]
    one = draw(model, dists[:1], 1000, seed=42)["fteAanpak"]
    both = draw(model, dists, 1000, seed=42)["fteAanpak"]
    assert np.array_equal(one, both)


def test_histogram_and_probability(model: CompiledModel):
    dists = [{"input": "fteAanpak", "type": "uniform", "min": 5, "max": 30}]
    r = monte_carlo(model, distributions=dists, draws=20_000, seed=1, bins=mc.MAX_BINS)
    s = r["outputs"]["mkbaSaldo"]
    hist = s["histogram"]
    assert sum(hist["counts"]) == 20_000 == s["n"]
    assert len(hist["counts"]) == mc.MAX_BINS == len(hist["edges"]) - 1
    assert s["min"] <= s["p5"] <= s["p50"] <= s["p95"] <= s["max"]
    # saldo > 0 exactly when fte is below the value where the saldo crosses 0, found here
    # by bisection on single calculations (not by service.analysis.switching)
    lo, hi = 5.0, 30.0
    assert (
        model.calculate({"fteAanpak": lo})["mkbaSaldo"]
        > 0
        > model.calculate({"fteAanpak": hi})["mkbaSaldo"]
    )
    for _ in range(60):
        mid = (lo + hi) / 2
        lo, hi = (mid, hi) if model.calculate({"fteAanpak": mid})["mkbaSaldo"] > 0 else (lo, mid)
    assert r["probabilitySaldoPositive"] == pytest.approx((lo - 5) / 25, abs=0.015)


def test_invalid_requests(model: CompiledModel):
    with pytest.raises(AnalysisError) as e:
        monte_carlo(
            model,
            distributions=[
                {"input": "fteAanpak", "type": "lognormal"},
                {"input": "percentageRecidive", "type": "triangular", "min": 0.5, "mode": 0.1},
                {"input": "kwaliteitVanLevenInQalys", "type": "uniform", "min": 0, "max": 1},
                {"input": "aantalMph", "type": "uniform", "min": -1, "max": 5, "sd": 1},
                {"input": "percentageMda", "type": "normal", "mean": 0.5, "sd": -1},
            ],
            draws=mc.MAX_DRAWS + 1,
            seed=-1,
            bins=mc.MAX_BINS + 1,
            outputs=["nope"],
        )
    assert {p["field"] for p in e.value.errors} == {
        "distributions[0].type",
        "distributions[1].max",
        "distributions[2].input",
        "distributions[3].sd",
        "distributions[4].sd",
        "draws",
        "seed",
        "bins",
        "outputs[0]",
    }
    with pytest.raises(AnalysisError, match="two distributions"):
        monte_carlo(model, distributions=_point("fteAanpak", 1) * 2)
    with pytest.raises(AnalysisError, match="min <= mode"):
        draw(
            model,
            [{"input": "percentageMda", "type": "pert", "min": 0.5, "mode": 0.1, "max": 0.6}],
            1,
            0,
        )


MIXED = [
    {"input": "fteAanpak", "type": "triangular", "min": 8, "mode": 12, "max": 20},
    {"input": "percentageRecidive", "type": "pert", "min": 0.1, "mode": 0.2, "max": 0.5},
    {"input": "aantalMphAanpak", "type": "uniform", "min": 400, "max": 800},
    {"input": "effectiviteitHuisuitzettingenVerschil", "type": "normal", "mean": 0.07, "sd": 0.02},
]


def test_the_answer_does_not_depend_on_the_chunk_size(
    model: CompiledModel, monkeypatch: pytest.MonkeyPatch
):
    runs = []
    for chunk in (mc.CHUNK, 1000, 4097, 50_000):  # 4096-draw blocks cut at every place
        monkeypatch.setattr(mc, "CHUNK", chunk)
        runs.append(monte_carlo(model, distributions=MIXED, draws=12_345, seed=7, outputs=OUTPUTS))
    for run in runs[1:]:
        assert run == runs[0]


def test_output_statistics_are_those_of_all_draws_evaluated_at_once(model: CompiledModel):
    """Chunking does not enter the outputs' statistics: they equal, to the last digit,
    the statistics of one batch over every draw."""
    r = monte_carlo(model, distributions=MIXED, draws=20_000, seed=5, outputs=OUTPUTS, bins=30)
    samples = draw(model, MIXED, 20_000, seed=5)
    whole = model.calculate_columns(samples)
    for name in OUTPUTS:
        assert r["outputs"][name] == mc._stats(np.asarray(whole[name], dtype=float), 30), name
    assert r["probabilitySaldoPositive"] == float(np.mean(whole["mkbaSaldo"] > 0))
    for name, x in samples.items():
        s = r["inputs"][name]
        assert (s["min"], s["max"]) == (x.min(), x.max())
        assert s["mean"] == pytest.approx(math.fsum(x) / len(x), rel=1e-15)
        assert s["sd"] == pytest.approx(np.std(x, ddof=1), rel=1e-12)


def test_the_answer_leads_with_the_chance_of_a_positive_saldo_and_its_band(model) -> None:
    """Headline figures against a computation written out here from the same draws: each
    drawn scenario calculated on its own (the scalar path), then counted and ranked."""
    import numpy as np

    from service.analysis import draw, monte_carlo

    dists = [
        {"input": "fteAanpak", "type": "pert", "min": 10, "mode": 14, "max": 20},
        {"input": "disconteringsvoet", "type": "uniform", "min": 0.0, "max": 0.08},
    ]
    n = 400
    result = monte_carlo(model, distributions=dists, draws=n, seed=11)
    assert next(iter(result)) == "model" and list(result)[1] == "headline"
    samples = draw(model, dists, n, seed=11)
    saldos, actor_saldos = [], {a.name: [] for a in model.roles.actors}
    for i in range(n):
        out = model.calculate({name: float(col[i]) for name, col in samples.items()})
        saldos.append(out[model.roles.saldo])
        for a in model.roles.actors:
            actor_saldos[a.name].append(out[a.saldo])
    head = result["headline"]
    assert head["probabilitySaldoPositive"] == sum(s > 0 for s in saldos) / n
    assert 0 < head["probabilitySaldoPositive"] < 1  # the draws straddle zero
    for q in (5, 50, 95):
        assert np.isclose(head["band"][f"p{q}"], np.percentile(saldos, q), rtol=1e-9)
    for row in head["actors"]:
        assert row["probabilitySaldoPositive"] == sum(s > 0 for s in actor_saldos[row["actor"]]) / n
