"""Effect measurement (seed 004, ch. 4): treatment vs control counts -> an effectiveness input.

The interval is the Wald interval for a difference of two independent proportions
(unpooled standard error, no continuity correction): d +- z * sqrt(p1 q1 / n1 + p2 q2 / n2).
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from statistics import NormalDist
from typing import Any

from service.analysis.checks import AnalysisError, Problems, input_specs, is_number
from service.engine import CompiledModel

MAX_HOUSEHOLDS = 100_000_000  # per group
MIN_CONFIDENCE, MAX_CONFIDENCE = 0.5, 0.999
SMALL_COUNT = 5  # below this many successes or failures in a group the Wald interval is shaky


def domains(model: CompiledModel) -> dict[str, dict[str, Any]]:
    """The effect-measurement domains the model declares (Interface effectDomain rows):
    key -> input, sign, labels and what one success is; empty for a model without any."""
    return {
        d.name: {
            "input": d.input,
            "sign": d.sign,
            "labelNl": d.label_nl,
            "labelEn": d.label_en,
            "success": d.success,
        }
        for d in model.roles.effect_domains
    }


def _check_group(g: Any, field: str, problems: Problems) -> tuple[int, int] | None:
    if not isinstance(g, Mapping) or set(g) != {"households", "successes"}:
        problems.add(field, "must be an object with exactly households and successes")
        return None
    n, x = g["households"], g["successes"]
    ok = True
    for key, v in (("households", n), ("successes", x)):
        if isinstance(v, bool) or not isinstance(v, int):
            problems.add(f"{field}.{key}", "must be a whole number")
            ok = False
    if not ok:
        return None
    if not 1 <= n <= MAX_HOUSEHOLDS:
        problems.add(f"{field}.households", f"must be from 1 to {MAX_HOUSEHOLDS:,}")
        return None
    if not 0 <= x <= n:
        problems.add(f"{field}.successes", "must be from 0 to the number of households")
        return None
    return n, x


def wald_interval(
    n1: int, x1: int, n2: int, x2: int, confidence: float = 0.95
) -> tuple[float, float, float, float]:
    """Difference p1 - p2, its standard error and the Wald interval (lower, upper)."""
    p1, p2 = x1 / n1, x2 / n2
    se = math.sqrt(p1 * (1 - p1) / n1 + p2 * (1 - p2) / n2)
    z = NormalDist().inv_cdf(0.5 + confidence / 2)
    d = p1 - p2
    return d, se, d - z * se, d + z * se


def measure_effect(
    model: CompiledModel,
    *,
    domain: str,
    treatment: Mapping[str, int],
    control: Mapping[str, int],
    confidence: float = 0.95,
) -> dict[str, Any]:
    """Measured difference in success rate with its Wald interval, as the model's input."""
    problems = Problems()
    known = domains(model)
    cfg = known.get(domain) if isinstance(domain, str) else None  # a non-str may be unhashable
    if cfg is None:
        options = ", ".join(known) or "none for this model"
        problems.add("domain", f"unknown domain {domain!r} (known: {options})")
    t = _check_group(treatment, "treatment", problems)
    c = _check_group(control, "control", problems)
    if not is_number(confidence) or not MIN_CONFIDENCE <= confidence <= MAX_CONFIDENCE:
        problems.add("confidence", f"must be from {MIN_CONFIDENCE} to {MAX_CONFIDENCE}")
    problems.raise_if_any()
    assert cfg is not None and t is not None and c is not None
    (n1, x1), (n2, x2) = t, c
    d, se, lower, upper = wald_interval(n1, x1, n2, x2, confidence)
    spec = input_specs(model)[cfg["input"]]
    sign = cfg["sign"]
    lo_b = spec.min if spec.min is not None else -math.inf
    hi_b = spec.max if spec.max is not None else math.inf
    value = sign * d
    if not lo_b <= value <= hi_b:
        raise AnalysisError(
            [{"field": "treatment", "message": f"difference {value:g} lies outside {spec.name}"}]
        )
    ends = sorted((sign * lower, sign * upper))
    ci = [max(ends[0], lo_b), min(ends[1], hi_b)]
    warnings = []
    if min(x1, n1 - x1, x2, n2 - x2) < SMALL_COUNT:
        warnings.append(
            f"a group has fewer than {SMALL_COUNT} successes or failures: "
            "the Wald interval is unreliable at such counts"
        )
    return {
        "model": model.id,
        "domain": domain,
        "labelNl": cfg["labelNl"],
        "labelEn": cfg["labelEn"],
        "success": cfg["success"],
        "method": "Wald interval for a difference of two independent proportions "
        "(unpooled standard error, no continuity correction)",
        "confidence": confidence,
        "treatment": {"households": n1, "successes": x1, "rate": x1 / n1},
        "control": {"households": n2, "successes": x2, "rate": x2 / n2},
        "difference": d,
        "standardError": se,
        "interval": [lower, upper],
        "input": spec.name,
        "sign": sign,
        "current": spec.default,
        "value": value,
        "valueInterval": ci,
        "scenario": {spec.name: value},
        "distribution": {
            "input": spec.name,
            "type": "normal",
            "mean": value,
            "sd": se,
            "min": lo_b,
            "max": hi_b,
        },
        "warnings": warnings,
    }
