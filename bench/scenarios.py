"""Random scenarios for the benches: every input of a model drawn within its bounds.

No import of `service`, so a bench can load it beside an older tree's engine."""

from __future__ import annotations

import random
from typing import Any


def random_scenarios(model: Any, n: int, seed: int = 7) -> list[dict[str, Any]]:
    """`n` scenarios of `model`: yes/no at even odds, numbers uniform within the bounds
    (0 to twice the default where a bound is open), counts and years whole."""
    rnd = random.Random(seed)
    out = []
    for _ in range(n):
        sc: dict[str, Any] = {}
        for i in model.inputs:
            if i.type == "yesno":
                sc[i.name] = rnd.random() < 0.5
            else:
                lo = i.min if i.min is not None else 0.0
                hi = i.max if i.max is not None else max(1.0, 2 * float(i.default or 1.0))
                v = rnd.uniform(lo, hi)
                sc[i.name] = float(round(v)) if i.type in ("count", "years") else v
        out.append(sc)
    return out
