"""Dutch MKBA discount-rate norms, as data with their sources (data/norms.json).

A model declares which input is its discount rate (input role `discountRate` in its
Interface sheet); a request that names a norm gets that input set to the norm's rate.
Nothing here names a model: a model without the role cannot take a norm (MissingRole).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from service.analysis import tables
from service.engine import CompiledModel, MissingRole


def table() -> dict[str, Any]:
    """The whole norms table: version, unit and the norms with their sources."""
    return tables.table("norms")


def norm_ids() -> tuple[str, ...]:
    """The ids of the norms, oldest first."""
    return tuple(n["id"] for n in table()["norms"])


def get_norm(norm_id: str) -> dict[str, Any]:
    """One norm by id (KeyError for an unknown id)."""
    for n in table()["norms"]:
        if n["id"] == norm_id:
            return dict(n)
    raise KeyError(norm_id)


def discount_input(model: CompiledModel, hint: str = "") -> str:
    """The model's discount-rate input; MissingRole when it declares none."""
    if model.roles.discount_rate is None:
        raise MissingRole("discountRate", model.id, hint)
    return model.roles.discount_rate


def apply_norm(model: CompiledModel, values: Mapping[str, Any], norm_id: str) -> dict[str, Any]:
    """`values` with the model's discount-rate input set to the norm's rate."""
    return {**values, discount_input(model): get_norm(norm_id)["discountRate"]}
