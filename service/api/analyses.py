"""The analyses of `service.analysis` in the API's Dutch: request fields to keyword
arguments, English result keys to lowerCamelCase Dutch, library errors to invalidParams.

The library validates every value itself (all problems at once); this module only
renames, and reports fields it does not know. One vocabulary for all answers, so a
word means the same in every endpoint (`kansverdeling` of an effect measurement is a
valid item of `kansverdelingen` in an uncertainty analysis).
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

from service.analysis import AnalysisError
from service.engine import MissingRole
from service.errors import invalid_input

UNKNOWN_FIELD = "Unknown field."

# A request field: (keyword argument, shape). Shapes: None (a value, passed as is),
# a dict (an object with these fields), ("list", dict) a list of such objects,
# ("map", dict) an object of name -> such object.
Field = tuple[str, Any]

_SCENARIO: dict[str, Field] = {"invoer": ("values", None)}
_GROUP: dict[str, Field] = {"huishoudens": ("households", None), "successen": ("successes", None)}
_RANGE: dict[str, Field] = {"laag": ("low", None), "hoog": ("high", None)}
_DISTRIBUTION: dict[str, Field] = {
    "invoerNaam": ("input", None),
    "type": ("type", None),
    "min": ("min", None),
    "modus": ("mode", None),
    "max": ("max", None),
    "lambda": ("lambda", None),
    "gemiddelde": ("mean", None),
    "standaardafwijking": ("sd", None),
}

TORNADO: dict[str, Field] = {
    **_SCENARIO,
    "invoerNamen": ("inputs", None),
    "uitvoerNamen": ("outputs", None),
    "stap": ("step", None),
    "bereiken": ("ranges", ("map", _RANGE)),
    "sorteerOp": ("sort_by", None),
}
SWITCHING: dict[str, Field] = {
    **_SCENARIO,
    "invoerNaam": ("input", None),
    "uitvoerNaam": ("output", None),
    "doelwaarde": ("target", None),
}
MONTE_CARLO: dict[str, Field] = {
    **_SCENARIO,
    "kansverdelingen": ("distributions", ("list", _DISTRIBUTION)),
    "trekkingen": ("draws", None),
    "seed": ("seed", None),
    "uitvoerNamen": ("outputs", None),
    "klassen": ("bins", None),
    "bewijsSpreiding": ("graded_spreads", None),
}
EFFECT: dict[str, Field] = {
    "domein": ("domain", None),
    "interventiegroep": ("treatment", _GROUP),
    "controlegroep": ("control", _GROUP),
    "betrouwbaarheid": ("confidence", None),
}
EXPLAIN: dict[str, Field] = {
    **_SCENARIO,
    "uitvoerNaam": ("output", None),
    "modus": ("mode", None),
    "diepte": ("depth", None),
}

# Answer keys, English -> Dutch.
WORDS = {
    "outputs": "uitvoer",
    "output": "uitvoerNaam",
    "sortedBy": "gesorteerdOp",
    "step": "stap",
    "base": "basis",
    "rows": "resultaten",
    "input": "invoerNaam",
    "unit": "eenheid",
    "group": "groep",
    "low": "laag",
    "high": "hoog",
    "swing": "bereik",
    "effects": "effecten",
    "target": "doelwaarde",
    "bounds": "grenzen",
    "current": "huidig",
    "inputValue": "invoerwaarde",
    "outputValue": "uitvoerwaarde",
    "range": "uitkomstbereik",
    "found": "gevonden",
    "value": "waarde",
    "outputAtValue": "uitvoerBijWaarde",
    "switchingValues": "omslagwaarden",
    "message": "melding",
    "draws": "trekkingen",
    "distributions": "kansverdelingen",
    "inputs": "invoer",
    "errors": "fouten",
    "mean": "gemiddelde",
    "sd": "standaardafwijking",
    "edges": "klassegrenzen",
    "counts": "aantallen",
    "saldoOutput": "saldoUitvoer",
    "probabilitySaldoPositive": "kansSaldoPositief",
    "headline": "kern",
    "ledger": "verdeling",
    "mode": "modus",
    "domain": "domein",
    "success": "succes",
    "method": "methode",
    "confidence": "betrouwbaarheid",
    "treatment": "interventiegroep",
    "control": "controlegroep",
    "households": "huishoudens",
    "successes": "successen",
    "rate": "aandeel",
    "difference": "verschil",
    "standardError": "standaardfout",
    "sign": "teken",
    "valueInterval": "waardeInterval",
    "distribution": "kansverdeling",
    "warnings": "waarschuwingen",
    "nodes": "aantalKnopen",
    "tree": "boom",
    "cell": "cel",
    "name": "naam",
    "kind": "soort",
    "formula": "formule",
    "truncated": "afgekapt",
    "repeated": "herhaald",
    "actors": "actoren",
    "sum": "som",
    "totals": "totalen",
}
# Answer keys whose object is keyed by model names (inputs, outputs): those keys stay.
NAME_MAPS = {"base", "effects", "inputs", "outputs", "scenario"}


def dutch(obj: Any, names: bool = False) -> Any:
    """An analysis answer with its keys in the API's Dutch (model names left alone)."""
    if isinstance(obj, Mapping):
        if names:
            return {k: dutch(v) for k, v in obj.items()}
        return {
            WORDS.get(k, k): dutch(v, k in NAME_MAPS and isinstance(v, Mapping))
            for k, v in obj.items()
            if k != "model"
        }
    if isinstance(obj, list):
        return [dutch(v) for v in obj]
    return obj


def arguments(
    body: Any, fields: dict[str, Field], required: tuple[str, ...] = ()
) -> tuple[dict[str, Any], list[dict[str, str]]]:
    """The keyword arguments of a request body, and its unknown or missing fields."""
    if not isinstance(body, dict):
        return {}, [{"name": "body", "reason": "Not a valid object."}]
    kwargs, problems = _object(body, fields, "")
    for name in required:
        if name not in body:
            problems.append({"name": name, "reason": "Missing data for required field."})
    return kwargs, problems


def _object(
    body: Mapping[str, Any], fields: dict[str, Field], prefix: str
) -> tuple[dict[str, Any], list[dict[str, str]]]:
    out: dict[str, Any] = {}
    problems: list[dict[str, str]] = []
    for key, value in body.items():
        if key not in fields:
            problems.append({"name": prefix + key, "reason": UNKNOWN_FIELD})
            continue
        if value is None:  # no request field is nullable; the library reads None as absent
            problems.append({"name": prefix + key, "reason": "Field may not be null."})
            continue
        arg, shape = fields[key]
        out[arg], more = _value(value, shape, f"{prefix}{key}.")
        problems.extend(more)
    return out, problems


def _value(value: Any, shape: Any, prefix: str) -> tuple[Any, list[dict[str, str]]]:
    """A value of the given shape, renamed; a value of another type is passed to the
    library as it is, which reports it."""
    if isinstance(shape, dict):
        return _object(value, shape, prefix) if isinstance(value, dict) else (value, [])
    if isinstance(shape, tuple) and shape[0] == "list" and isinstance(value, list):
        items, problems = [], []
        for i, item in enumerate(value):
            renamed, more = _value(item, shape[1], f"{prefix}{i}.")
            items.append(renamed)
            problems.extend(more)
        return items, problems
    if isinstance(shape, tuple) and shape[0] == "map" and isinstance(value, dict):
        entries, problems = {}, []
        for name, item in value.items():
            entries[name], more = _value(item, shape[1], f"{prefix}{name}.")
            problems.extend(more)
        return entries, problems
    return value, []


_SEGMENT = re.compile(r"[^.\[\]]+")


def field_name(path: str, fields: dict[str, Field]) -> str:
    """A library error field (`distributions[0].mode`) as the request names it
    (`kansverdelingen.0.modus`)."""
    out: list[str] = []
    shape: Any = fields
    for segment in _SEGMENT.findall(path):
        if isinstance(shape, dict):
            dutch_name = next((k for k, (arg, _) in shape.items() if arg == segment), segment)
            out.append(dutch_name)
            shape = shape[dutch_name][1] if dutch_name in shape else None
        elif isinstance(shape, tuple):
            out.append(segment)  # a position in a list, or a name in a map
            shape = shape[1]
        else:
            out.append(segment)  # an input name in `invoer`
    return ".".join(out)


def run(
    function: Any, model: Any, body: Any, fields: dict[str, Field], required: tuple[str, ...] = ()
) -> Any:
    """Call an analysis with a request body: its answer, or 400 with every field error."""
    kwargs, problems = arguments(body, fields, required)
    if any(p["reason"] != UNKNOWN_FIELD for p in problems):
        raise invalid_input(problems)  # no object, or a required field missing: nothing to call
    try:
        result = function(model, **kwargs)
    except MissingRole as exc:
        if exc.hint:
            exc.hint = field_name(exc.hint, fields)  # the request's word for it
        raise
    except AnalysisError as exc:
        problems += [
            {"name": field_name(e["field"], fields), "reason": _sentence(e["message"])}
            for e in exc.errors
        ]
    if problems:
        raise invalid_input(problems)
    return result


def _sentence(message: str) -> str:
    return message[:1].upper() + message[1:] + ("" if message.endswith(".") else ".")
