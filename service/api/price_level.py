"""A calculation's price level: the request field `prijspeil` with `prijsjaar` (the price
year to show the money outputs in) and `prijsjaarModel` (the model's own price year, where
its Interface declares none), checked at once, and the answer converted with the CBS
consumer price index (service/analysis/prices.py) and naming the years and the index."""

from __future__ import annotations

from typing import Any

from service.analysis import prices
from service.api.model_api import ModelAPI

FIELD = "prijspeil"
FIELDS = ("prijsjaar", "prijsjaarModel")
ABSENT = object()  # the request has no prijspeil (null is a value, and refused)


def split(body: Any) -> tuple[Any, Any]:
    """The body without the price-level field, and that field (ABSENT when absent)."""
    if not isinstance(body, dict) or FIELD not in body:
        return body, ABSENT
    return {k: v for k, v in body.items() if k != FIELD}, body[FIELD]


def _year(value: Any) -> bool:
    return isinstance(value, int) and not isinstance(value, bool) and value in prices.years()


def problems(api: ModelAPI, fields: Any) -> list[dict[str, str]]:
    """Every problem with the price-level field (none when it is absent)."""
    if fields is ABSENT:
        return []
    if not isinstance(fields, dict):
        return [{"name": FIELD, "reason": "Must be an object with prijsjaar (and prijsjaarModel)."}]
    out = [{"name": f"{FIELD}.{k}", "reason": "Unknown field."} for k in fields if k not in FIELDS]
    held = f"a year the CBS index holds: {prices.years()[0]} to {prices.years()[-1]} " + (
        "(per ten years before 2000)"
    )
    for name in FIELDS:
        if name in fields and not _year(fields[name]):
            out.append({"name": f"{FIELD}.{name}", "reason": f"Must be {held}."})
    declared = prices.model_price_year(api.model)
    if "prijsjaar" not in fields:
        out.append({"name": f"{FIELD}.prijsjaar", "reason": "Missing data for required field."})
    if declared is not None and "prijsjaarModel" in fields:
        reason = f"Model {api.id} declares its price year ({declared}) in its Interface sheet."
        out.append({"name": f"{FIELD}.prijsjaarModel", "reason": reason})
    elif declared is None and "prijsjaarModel" not in fields:
        reason = (
            f"Model {api.id} declares no price year (a model row priceYear in its Interface "
            "sheet): give the price year its amounts are in."
        )
        out.append({"name": f"{FIELD}.prijsjaarModel", "reason": reason})
    elif declared is not None and not _year(declared):
        reason = f"The model's price year {declared} is not in the CBS index."
        out.append({"name": f"{FIELD}.prijsjaar", "reason": reason})
    return out


def convert(api: ModelAPI, answer: dict[str, Any], fields: Any) -> dict[str, Any]:
    """The answer with its money outputs in `prijsjaar`, and `prijspeil` saying how."""
    if fields is ABSENT:
        return answer
    declared = prices.model_price_year(api.model)
    from_year = declared if declared is not None else fields["prijsjaarModel"]
    to_year = fields["prijsjaar"]
    flat = {name: v for group in answer["uitvoer"].values() for name, v in group.items()}
    converted, names = prices.convert_outputs(api.model, flat, from_year, to_year)
    answer["uitvoer"] = {
        group: {name: converted[name] for name in outputs}
        for group, outputs in answer["uitvoer"].items()
    }
    source = prices.table()["source"]
    answer["prijspeil"] = {
        "prijsjaar": to_year,
        "prijsjaarModel": from_year,
        "prijsjaarModelUit": "werkboek" if declared is not None else "verzoek",
        "factor": prices.factor(from_year, to_year),
        "indexPrijsjaar": prices.index(to_year),
        "indexPrijsjaarModel": prices.index(from_year),
        "omgerekendeUitvoer": names,
        "toelichting": "The money outputs (type euro) are in euros of prijsjaar: the model's "
        "amount x index(prijsjaar) / index(prijsjaarModel). invoer stays in the model's "
        "price year.",
        "index": {
            "tabel": prices.table()["table"],
            "bron": {
                "titel": source["title"],
                "verschenen": source["date"],
                "url": source["url"],
                "tabel": source["table"],
            },
        },
    }
    return answer


__all__ = ["ABSENT", "FIELD", "FIELDS", "convert", "problems", "split"]
