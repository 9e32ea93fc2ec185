"""schemathesis CLI hooks for the fuzz from outside (tools/fuzz_outside.py): every
positive case keeps the contract's documented rules across fields (tests/fuzz/repairs.py)
before it is sent to the running server at MKBA_FUZZ_URL (its /v1 base URL)."""

from __future__ import annotations

import functools
import os
from typing import Any

import requests
import schemathesis

from tests.fuzz.oracles import batch_oracle
from tests.fuzz.repairs import repair

BASE = os.environ.get("MKBA_FUZZ_URL", "http://127.0.0.1:8000/v1")
# a valid but long Monte Carlo made short, as in the fuzz in process
MAX_DRAWS = 20_000


@functools.cache
def _fetch(path: str) -> Any:
    """A GET of the running service under /v1, as any client reads it."""
    response = requests.get(BASE + path, timeout=60)
    return response.json() if response.ok else None


@schemathesis.hook
def before_call(ctx: Any, case: schemathesis.Case, **kwargs: Any) -> None:
    if case.meta is not None and case.meta.generation.mode.is_positive:
        case.body = repair(case.formatted_path, case.body, _fetch)
    draws = case.body.get("trekkingen") if isinstance(case.body, dict) else None
    if isinstance(draws, int) and not isinstance(draws, bool) and MAX_DRAWS < draws <= 10**6:
        case.body["trekkingen"] = MAX_DRAWS


@schemathesis.check
def batch_answers_per_scenario(ctx: Any, response: Any, case: schemathesis.Case) -> None:
    """The batch oracle (tests/fuzz/oracles.py) of the contract being fuzzed; the config
    (tools/fuzz_outside.toml) turns "invalid data rejected" off for the batches."""
    if case.path.endswith("/batch-berekeningen"):
        _oracle(case.operation.schema.raw_schema)(ctx, response, case)


_ORACLES: dict[int, Any] = {}


def _oracle(contract: dict[str, Any]) -> Any:
    key = id(contract)
    if key not in _ORACLES:
        _ORACLES[key] = batch_oracle(contract)
    return _ORACLES[key]
