"""What the analysis benchmarks share: the best of a few runs, and the scalar compiled
function's time per call over the scenarios a Monte Carlo run draws (their peer)."""

from __future__ import annotations

import time
from collections.abc import Callable, Mapping
from typing import Any

import numpy as np

from service.engine import CompiledModel


def best_of(fn: Callable[[], Any], repeat: int) -> tuple[float, Any]:
    """Fastest wall time of `repeat` runs, and the last result."""
    best, result = float("inf"), None
    for _ in range(repeat):
        t = time.perf_counter()
        result = fn()
        best = min(best, time.perf_counter() - t)
    return best, result


def scalar_per_call(model: CompiledModel, samples: Mapping[str, np.ndarray], n: int) -> float:
    """Seconds per call of the artifact's own `module.calculate` on pre-built argument
    lists: the default scenario with the first `n` drawn values of each input."""
    base = model.resolve({})
    arg_lists = []
    for i in range(n):
        scenario = dict(base)
        for name, col in samples.items():
            scenario[name] = float(col[i])
        arg_lists.append(model._args(scenario))
    fn = model.module.calculate
    t = time.perf_counter()
    for a in arg_lists:
        fn(*a)
    return (time.perf_counter() - t) / n
