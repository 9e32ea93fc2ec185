"""Price levels: money amounts of one price year converted to another with the CBS
consumer price index (data/cpi.json: CBS StatLine table 71905ned, with its source).

amount in year B = amount in year A x CPI(B) / CPI(A), the yearly average index. Which
outputs are money is the model's Interface (type `euro`); the model's own price year is
its `model` row `priceYear`, or the request names it. Nothing here names a model.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from service.analysis import tables
from service.analysis.checks import is_number
from service.engine import CompiledModel


def table() -> dict[str, Any]:
    """The index with its source."""
    return tables.table("cpi")


def years() -> tuple[int, ...]:
    """The years the index holds, rising."""
    return tuple(sorted(int(y) for y in table()["index"]))


def index(year: int) -> float:
    """The index of a year (KeyError for a year the table does not hold)."""
    return float(table()["index"][str(year)])


def factor(from_year: int, to_year: int) -> float:
    """What one euro of `from_year` is in euros of `to_year`."""
    return index(to_year) / index(from_year)


def model_price_year(model: CompiledModel) -> int | None:
    """The price year the model declares (`model` row `priceYear`), or None."""
    text = str(model.meta.get("priceYear", "")).strip()
    return int(text) if text.isdigit() else None


def convert_outputs(
    model: CompiledModel, outputs: Mapping[str, Any], from_year: int, to_year: int
) -> tuple[dict[str, Any], list[str]]:
    """The outputs with every money output (type `euro`) that holds a number converted,
    and the names of those converted."""
    f = factor(from_year, to_year)
    money = {o.name for o in model.outputs if o.type == "euro"}
    out, converted = dict(outputs), []
    for name in money:
        if name in out and is_number(out[name]):
            out[name] = out[name] * f
            converted.append(name)
    return out, [o.name for o in model.outputs if o.name in converted]


__all__ = ["convert_outputs", "factor", "index", "model_price_year", "table", "years"]
