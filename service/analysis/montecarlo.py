"""Uncertainty (Monte Carlo): distributions over inputs -> statistics of outputs."""

from __future__ import annotations

import zlib
from collections.abc import Mapping, Sequence
from typing import Any

import numpy as np

from service.analysis.checks import Problems, check_outputs, check_values, input_specs, is_number
from service.analysis.ledger import actors
from service.analysis.outputs import float_column, json_value
from service.analysis.streaming import Moments, Sums
from service.engine import CompiledModel, InputSpec

MAX_DRAWS = 1_000_000
DEFAULT_DRAWS = 10_000
MAX_BINS = 200
DEFAULT_BINS = 50
MAX_OUTPUTS = 20
MAX_SEED = 2**63 - 1
PERT_LAMBDA = 4.0  # the classic PERT weight of the mode
MAX_PERT_LAMBDA = 100.0
PERCENTILES = (5, 50, 95)
# Draws per chunk: drawn, evaluated (native engine) and reduced before the next is drawn,
# so a run's working memory is about CHUNK x (inputs + 2 x results) x 8 bytes whatever
# the number of draws. The answer does not depend on it (tests/analysis/test_montecarlo.py).
CHUNK = 8192

# Parameters per distribution type; normal is truncated to [min, max] (default: the bounds).
PARAMS: dict[str, tuple[tuple[str, ...], tuple[str, ...]]] = {
    "uniform": (("min", "max"), ()),
    "triangular": (("min", "mode", "max"), ()),
    "pert": (("min", "mode", "max"), ("lambda",)),
    "normal": (("mean", "sd"), ("min", "max")),
}


def _check_distribution(
    d: Any, field: str, specs: Mapping[str, InputSpec], problems: Problems
) -> dict[str, Any] | None:
    """Validate one distribution; returns it with the normal's truncation bounds filled in."""
    if not isinstance(d, Mapping):
        problems.add(field, "must be an object with input, type and parameters")
        return None
    name = d.get("input")
    spec = specs.get(name) if isinstance(name, str) else None
    kind = d.get("type")
    if spec is None:
        problems.add(f"{field}.input", "unknown input")
        return None
    if spec.type == "yesno" or spec.min is None or spec.max is None:
        problems.add(f"{field}.input", "must be a numeric input with bounds")
        return None
    # an object as type is unhashable (found by schemathesis against a live server)
    if not isinstance(kind, str) or kind not in PARAMS:
        problems.add(f"{field}.type", f"must be one of {', '.join(PARAMS)}")
        return None
    required, optional = PARAMS[kind]
    extra = set(d) - {"input", "type", *required, *optional}
    for key in sorted(extra):
        problems.add(f"{field}.{key}", f"is not a parameter of {kind}")
    p: dict[str, Any] = {"input": spec.name, "type": kind}
    ok = True
    for key in (*required, *optional):
        if key not in d:
            if key in required:
                problems.add(f"{field}.{key}", "is required")
                ok = False
            continue
        if not is_number(d[key]):
            problems.add(f"{field}.{key}", "must be a finite number")
            ok = False
        else:
            p[key] = float(d[key])
    if not ok or extra:
        return None
    lo, hi = float(spec.min), float(spec.max)
    if kind == "normal":
        p.setdefault("min", lo)
        p.setdefault("max", hi)
        if p["sd"] < 0:
            problems.add(f"{field}.sd", "must not be negative")
    if kind == "pert":
        lam = p.setdefault("lambda", PERT_LAMBDA)
        if not 0 < lam <= MAX_PERT_LAMBDA:
            problems.add(f"{field}.lambda", f"must be above 0 and at most {MAX_PERT_LAMBDA:g}")
    for key in ("min", "mode", "max", "mean"):
        if key in p and not lo <= p[key] <= hi:
            problems.add(f"{field}.{key}", f"must lie within the input's bounds [{lo:g}, {hi:g}]")
    order = [p[k] for k in ("min", "mode", "mean", "max") if k in p]
    if order != sorted(order):
        problems.add(field, "needs min <= mode (or mean) <= max")
    return p


def _sample(p: Mapping[str, Any], n: int, rng: np.random.Generator) -> np.ndarray:
    """n draws from one validated distribution."""
    kind = p["type"]
    if kind == "normal":
        mean, sd, a, b = p["mean"], p["sd"], p["min"], p["max"]
        if sd == 0 or a == b:
            return np.full(n, min(max(mean, a), b))
        from scipy.special import ndtr, ndtri  # lazy: only a normal needs it

        # Inverse CDF on the truncated range (validated: min <= mean <= max).
        u = rng.uniform(ndtr((a - mean) / sd), ndtr((b - mean) / sd), n)
        return np.clip(mean + sd * ndtri(u), a, b)
    a, b = p["min"], p["max"]
    if a == b:
        return np.full(n, a)
    if kind == "uniform":
        return rng.uniform(a, b, n)
    if kind == "triangular":
        return rng.triangular(a, p["mode"], b, n)
    lam = p["lambda"]
    alpha = 1 + lam * (p["mode"] - a) / (b - a)
    beta = 1 + lam * (b - p["mode"]) / (b - a)
    return a + (b - a) * rng.beta(alpha, beta, n)


def draw(
    model: CompiledModel, distributions: Sequence[Mapping[str, Any]], draws: int, seed: int
) -> dict[str, np.ndarray]:
    """The draws per input: one stream per input name, so adding an input leaves others alone."""
    problems = Problems()
    dists = _check_all(model, distributions, problems)
    _check_draws(draws, seed, problems)
    problems.raise_if_any()
    return _draw(dists, draws, seed)


def _check_all(
    model: CompiledModel, distributions: Any, problems: Problems
) -> list[dict[str, Any]]:
    if isinstance(distributions, str | Mapping) or not isinstance(distributions, Sequence):
        problems.add("distributions", "must be a list of distributions")
        return []
    specs = input_specs(model)
    dists = []
    for i, d in enumerate(distributions):
        p = _check_distribution(d, f"distributions[{i}]", specs, problems)
        if p is not None:
            dists.append(p)
    names = [p["input"] for p in dists]
    if len(set(names)) != len(names):
        problems.add("distributions", "gives an input two distributions")
    return dists


def _check_draws(draws: Any, seed: Any, problems: Problems) -> None:
    if isinstance(draws, bool) or not isinstance(draws, int) or not 1 <= draws <= MAX_DRAWS:
        problems.add("draws", f"must be a whole number from 1 to {MAX_DRAWS:,}")
    if isinstance(seed, bool) or not isinstance(seed, int) or not 0 <= seed <= MAX_SEED:
        problems.add("seed", "must be a whole number from 0 to 2^63 - 1")


def _streams(dists: Sequence[Mapping[str, Any]], seed: int) -> list[np.random.Generator]:
    """One generator per distribution, seeded by the seed and the input's name."""
    return [np.random.default_rng([seed, zlib.crc32(p["input"].encode())]) for p in dists]


def _draw(dists: Sequence[Mapping[str, Any]], n: int, seed: int) -> dict[str, np.ndarray]:
    rngs = _streams(dists, seed)
    return {p["input"]: _sample(p, n, rng) for p, rng in zip(dists, rngs, strict=True)}


def _stats(x: np.ndarray, bins: int) -> dict[str, Any]:
    """Mean, sd, percentiles, extremes and a histogram of the finite values of x."""
    ok = x[np.isfinite(x)]
    errors = int(len(x) - len(ok))
    if not len(ok):
        return {"n": 0, "errors": errors}
    counts, edges = np.histogram(ok, bins=bins)
    pct = np.percentile(ok, PERCENTILES)
    return {
        "n": int(len(ok)),
        "errors": errors,
        "mean": float(np.mean(ok)),
        "sd": float(np.std(ok, ddof=1)) if len(ok) > 1 else 0.0,
        "min": float(ok.min()),
        "max": float(ok.max()),
        **{f"p{q}": float(v) for q, v in zip(PERCENTILES, pct, strict=True)},
        "histogram": {"edges": edges.tolist(), "counts": counts.tolist()},
    }


def monte_carlo(
    model: CompiledModel,
    *,
    distributions: Sequence[Mapping[str, Any]],
    draws: int = DEFAULT_DRAWS,
    seed: int = 0,
    outputs: Sequence[str] | None = None,
    values: Mapping[str, Any] | None = None,
    bins: int = DEFAULT_BINS,
    graded_spreads: bool = False,
) -> dict[str, Any]:
    """Statistics of `outputs` over `draws` scenarios; the same seed gives the same answer.

    With `graded_spreads`, every input with an evidence grade that `distributions` leaves
    out is drawn too, with a spread that follows its grade (optimism.graded_distributions).
    """
    problems = Problems()
    scenario = check_values(model, values, "values", problems)
    dists = _check_all(model, distributions, problems)
    if not isinstance(graded_spreads, bool):
        problems.add("graded_spreads", "must be true or false")
    elif graded_spreads and not problems.items:
        from service.analysis.optimism import graded_distributions  # it imports the ledger

        given = {p["input"] for p in dists}
        extra = [d for d in graded_distributions(model, values=values) if d["input"] not in given]
        dists += _check_all(model, extra, problems)
    outs = check_outputs(model, outputs, "outputs", problems)
    if len(outs) > MAX_OUTPUTS:
        problems.add("outputs", f"at most {MAX_OUTPUTS} outputs")
    _check_draws(draws, seed, problems)
    if isinstance(bins, bool) or not isinstance(bins, int) or not 1 <= bins <= MAX_BINS:
        problems.add("bins", f"must be a whole number from 1 to {MAX_BINS}")
    problems.raise_if_any()

    saldo = _saldo_or_none(model)
    wanted = list(dict.fromkeys([*outs, saldo] if saldo else outs))
    book = actors(model)
    tally = [name for a in book for name in a["outputs"].values()]
    res, tallies, inputs = _run(model, scenario, dists, draws, seed, wanted, tally)
    return {
        "model": model.id,
        # what the answer leads with (after WSIPP): P(saldo > 0), overall and per actor,
        # and the 5-95% band of the saldo
        "headline": _headline(res[saldo], book, tallies, draws) if saldo else None,
        "draws": draws,
        "seed": seed,
        "distributions": dists,
        "inputs": {name: _summary(m) for name, m in inputs.items()},
        "outputs": {name: _stats(res[name], bins) for name in outs},
        "saldoOutput": saldo,
        "probabilitySaldoPositive": float(np.mean(res[saldo] > 0)) if saldo else None,
        # no actors, no ledger (not an empty one)
        "ledger": [_ledger_row(a, tallies, draws) for a in book] if book else None,
    }


def _run(
    model: CompiledModel,
    scenario: Mapping[str, Any],
    dists: Sequence[Mapping[str, Any]],
    draws: int,
    seed: int,
    wanted: Sequence[str],
    tally: Sequence[str],
) -> tuple[dict[str, np.ndarray], dict[str, dict[str, float]], dict[str, Moments]]:
    """Draw, evaluate and reduce in chunks of CHUNK draws.

    Returns the `wanted` outputs' values (their exact percentiles need all of them: 8 bytes
    per draw and output), the sum and count > 0 of each `tally` output, and the moments of
    each drawn input. Each input's generator continues from chunk to chunk, so the draws
    are the ones a single call would make."""
    rngs = _streams(dists, seed)
    kept = {name: np.empty(draws) for name in wanted}
    sums = Sums(len(tally))
    inputs = {p["input"]: Moments() for p in dists}
    for start in range(0, draws, CHUNK):
        n = min(draws, start + CHUNK) - start
        columns: dict[str, Any] = dict(scenario)
        for p, rng in zip(dists, rngs, strict=True):
            x = _sample(p, n, rng)
            inputs[p["input"]].add(x)
            columns[p["input"]] = x
        res = model.calculate_columns(columns)
        for name in wanted:
            kept[name][start : start + n] = _floats(res[name], n)
        if tally:
            sums.add(np.stack([_floats(res[name], n) for name in tally]))
    tallies = {
        name: {"sum": total, "positive": float(positive)}
        for name, total, positive in zip(tally, sums.sums(), sums.positive.tolist(), strict=True)
    }
    return kept, tallies, inputs


def _floats(column: Any, n: int) -> np.ndarray:
    """An output's n values as floats (NaN for an error)."""
    if column.__class__ is np.ndarray and column.dtype == np.float64 and column.shape == (n,):
        return column  # the native engine's answer, nearly always
    return float_column(np.broadcast_to(np.asarray(column), (n,)))


def _headline(
    saldo: np.ndarray, book: Sequence[Mapping[str, Any]], tallies: Mapping[str, Any], n: int
) -> dict[str, Any]:
    """P(saldo > 0) over the draws (an Excel error counts as not positive), the 5-95%
    band of the finite saldos, and each actor's P(saldo > 0)."""
    ok = saldo[np.isfinite(saldo)]
    band = dict.fromkeys(("p5", "p50", "p95"))
    if len(ok):
        band = {
            f"p{q}": float(v)
            for q, v in zip(PERCENTILES, np.percentile(ok, PERCENTILES), strict=True)
        }
    actors_out = []
    for a in book:
        name = a["outputs"].get("saldo")
        actors_out.append(
            {
                "actor": a["actor"],
                "labelNl": a["labelNl"],
                "labelEn": a["labelEn"],
                "probabilitySaldoPositive": tallies[name]["positive"] / n if name else None,
            }
        )
    return {
        "probabilitySaldoPositive": float(np.mean(saldo > 0)),
        "band": band,
        "actors": actors_out if book else None,
    }


def _saldo_or_none(model: CompiledModel) -> str | None:
    """The saldo output, or None for a model without one."""
    return model.roles.saldo


def _ledger_row(actor: Mapping[str, Any], tallies: Mapping[str, Any], n: int) -> dict[str, Any]:
    """Mean costs, benefits and saldo of one actor over the draws, and P(saldo > 0)."""
    row: dict[str, Any] = {"actor": actor["actor"], "labelNl": actor["labelNl"]}
    row["labelEn"] = actor["labelEn"]
    for kind, name in actor["outputs"].items():
        row[kind] = json_value(tallies[name]["sum"] / n)
    saldo = actor["outputs"].get("saldo")
    row["probabilitySaldoPositive"] = tallies[saldo]["positive"] / n if saldo else None
    return row


def _summary(m: Moments) -> dict[str, float]:
    """Sample mean and sd of one input's draws."""
    return {"mean": m.mean(), "sd": m.sd(), "min": m.min, "max": m.max}


__all__ = ["MAX_BINS", "MAX_DRAWS", "PARAMS", "draw", "monte_carlo"]
