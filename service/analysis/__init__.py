"""Analyses on a compiled model: sensitivity, switching values, Monte Carlo, effect
measurement, who pays and who profits, explain, charts (charts: `service.analysis.charts`).

Plain dicts in, plain JSON-friendly dicts out; invalid requests raise AnalysisError
(a ValueError) whose `errors` lists every problem as {field, message}.
"""

from service.analysis.checks import AnalysisError, cockpit_inputs, saldo_output
from service.analysis.effect import domains, measure_effect, wald_interval
from service.analysis.explain import explain
from service.analysis.ledger import actors, ledger, ledger_from_outputs
from service.analysis.montecarlo import draw, monte_carlo
from service.analysis.sensitivity import tornado
from service.analysis.switching import switching_value

__all__ = [
    "AnalysisError",
    "actors",
    "cockpit_inputs",
    "domains",
    "draw",
    "explain",
    "ledger",
    "ledger_from_outputs",
    "measure_effect",
    "monte_carlo",
    "saldo_output",
    "switching_value",
    "tornado",
    "wald_interval",
]
