"""One model's OpenAPI document: openapi.yaml with every schema made exact for that model.

The generic document describes every model at once, so `invoer` is an open object and
input and output names are plain strings. A model's own contract replaces those with
what its compiled interface declares: each input with its type, bounds, default, unit
and labels; each output under its group; the names a request may use (inputs, numeric
inputs with bounds, outputs, effect domains) as enums; the roles as the answer gives
them. Everything else is the generic document, unchanged. Built from the model's data
(INPUTS, OUTPUTS and ROLES of its artifact), never written per model.
"""

from __future__ import annotations

import copy
from typing import Any

from service.analysis import prices
from service.analysis.checks import NON_NUMERIC_TYPES
from service.api.model_api import ModelAPI
from service.engine import input_values

REF = "#/components/schemas/"
# The most inputs a tornado varies and outputs an analysis reports (service.analysis).
MAX_TORNADO_INPUTS = 200
MAX_ANALYSIS_OUTPUTS = 20


def _ref(name: str) -> dict[str, str]:
    return {"$ref": REF + name}


def _input_schema(spec: Any) -> dict[str, Any]:
    """The JSON schema of one input: type, bounds, default, and its unit in words."""
    words = f"{spec.label_en} ({spec.label_nl}). Unit: {spec.unit or '-'}; type `{spec.type}`"
    words += f"; group `{spec.group}`; workbook cell {spec.cell}."
    schema = input_values.json_schema(spec)
    # the description after the default, before the bounds (the order the contract shows)
    head = {k: schema[k] for k in ("type", "default")}
    return {**head, "description": words, **{k: v for k, v in schema.items() if k not in head}}


def _output_roles(api: ModelAPI) -> dict[str, list[str]]:
    """Per output name the roles the Interface sheet gives it."""
    roles = api.model.roles
    found: dict[str, list[str]] = {}
    single = {"saldo": roles.saldo, "totalCosts": roles.total_costs}
    single["totalBenefits"] = roles.total_benefits
    for role, name in single.items():
        if name is not None:
            found.setdefault(name, []).append(role)
    for role, names in (
        ("benefitBar", roles.benefit_bars),
        ("costBar", roles.cost_bars),
        ("headline", roles.headline),
    ):
        for name in names:
            found.setdefault(name, []).append(role)
    for actor in roles.actors:
        for role, name in (
            ("actorCosts", actor.costs),
            ("actorBenefits", actor.benefits),
            ("actorSaldo", actor.saldo),
        ):
            if name is not None:
                found.setdefault(name, []).append(f"{role} ({actor.name})")
    return found


def _output_schema(spec: Any, roles: list[str]) -> dict[str, Any]:
    words = f"{spec.label_en} ({spec.label_nl}). Unit: {spec.unit or '-'}; type `{spec.type}`"
    words += f"; workbook cell {spec.cell}"
    words += f"; roles: {', '.join(roles)}." if roles else "."
    words += " Null when the workbook gives an Excel error (`rekenfouten` names it)."
    kind = "boolean" if spec.type == "yesno" else "number"
    return {"type": kind, "nullable": True, "description": words}


def _range(spec: Any) -> dict[str, Any]:
    """A tornado's own low and high value of one input, each within the input's bounds."""
    value = _input_schema(spec)
    del value["default"], value["description"]
    return {
        "type": "object",
        "required": ["laag", "hoog"],
        "additionalProperties": False,
        "description": f"The low and high value of `{spec.name}`.",
        "properties": {"laag": value, "hoog": copy.deepcopy(value)},
    }


def _enum(values: list[str], description: str) -> dict[str, Any]:
    """A string schema of exactly these values (an open string when there are none:
    OpenAPI allows no empty enum, and the server answers every name with a 400)."""
    if not values:
        return {"type": "string", "description": description + " This model has none."}
    return {"type": "string", "enum": values, "description": description}


def _names(item: str, max_items: int | None = None) -> dict[str, Any]:
    schema: dict[str, Any] = {
        "type": "array",
        "items": _ref(item),
        "uniqueItems": True,
        "minItems": 1,
    }
    if max_items is not None:
        schema["maxItems"] = max_items
    return schema


def _fixed(value: str | None, description: str) -> dict[str, Any]:
    if value is None:
        return {"type": "string", "nullable": True, "enum": [None], "description": description}
    return {"type": "string", "enum": [value], "description": description}


def _fixed_list(values: tuple[str, ...], description: str) -> dict[str, Any]:
    items: dict[str, Any] = {"type": "string"}
    if values:
        items["enum"] = list(dict.fromkeys(values))
    return {
        "type": "array",
        "items": items,
        "minItems": len(values),
        "maxItems": len(values),
        "description": description,
    }


def model_contract(spec: dict[str, Any], api: ModelAPI) -> dict[str, Any]:
    """`spec` (the generic document) made exact for the model of `api`."""
    model = api.model
    doc = copy.deepcopy(spec)
    schemas = doc["components"]["schemas"]
    specs = model.inputs
    numeric = [s.name for s in specs if s.type != "yesno"]
    bounded = [s.name for s in specs if s.type != "yesno" and None not in (s.min, s.max)]

    doc["info"]["title"] = f"{doc['info']['title']}: {model.title}"
    doc["info"]["description"] = (
        f"The contract of model `{model.id}` ({model.title}), version {model.version}, "
        f"workbook SHA-256 `{model.workbook_sha256}`: the API of `/v1/openapi.json` with "
        "every request and response schema exact for this model (its inputs with types, "
        "bounds, defaults and units; its outputs by group; its roles). Generated by the "
        "service from the compiled model (service/api/contract.py).\n\n"
        "Rules across fields that OpenAPI 3.0 cannot state are answered with a 400 naming "
        "the field: in a tornado, each input of `bereiken` and `sorteerOp` must also be "
        "among the inputs (`invoerNamen`, default the cockpit knobs) and outputs "
        "(`uitvoerNamen`) analysed; in a Monte Carlo analysis, each distribution's "
        "parameters must suit its type (min <= modus <= max, within the input's bounds) "
        "and an input may have one distribution; in an effect measurement, `successen` "
        "may not exceed `huishoudens`; in a batch, scenario ids are unique; in a "
        "recalculation, `werkboekSha256` is that of `modelVersie` (else 409) and "
        "`invoerHash` the hash of `invoer` with that version's defaults (else 400).\n\n"
        + doc["info"]["description"]
    )
    # The list of every model is the generic document's: here it would hand a client (and
    # schemathesis' stateful phase, which follows it) the ids of other models.
    del doc["paths"]["/modellen"]
    # one named schema, so that a generated client has one type for it
    schemas["ModelId"] = {"type": "string", "enum": [model.id], "example": model.id}
    doc["components"]["parameters"]["modelId"]["schema"] = _ref("ModelId")
    # the versions this contract describes (those with the current version's inputs and
    # outputs); a stored answer's recalculation names the model and one of them
    schemas["ModelVersie"] = {
        "type": "string",
        "enum": list(api.contract_versions),
        "description": "A served version of the model with the inputs and outputs of this "
        "contract (`GET /modellen/{modelId}/versies` lists every served version).",
    }
    doc["components"]["parameters"]["versie"]["schema"] = _ref("ModelVersie")
    recalculation = schemas["HerberekeningVerzoek"]["properties"]
    recalculation["modelId"] = _ref("ModelId")
    recalculation["modelVersie"] = _ref("ModelVersie")
    shas = {e["versie"]: e["werkboekSha256"] for e in api.interface.get("versies", [])}
    recalculation["werkboekSha256"] = {
        "type": "string",
        "enum": [shas.get(v, model.workbook_sha256) for v in api.contract_versions],
        "description": "The workbook SHA-256 of the stored answer's version.",
    }

    # requests: the inputs, and every name a request may use
    properties = {s.name: _input_schema(s) for s in specs}
    schemas["Invoer"] = {
        "type": "object",
        "description": "Any subset of the model's inputs; the others keep their defaults.",
        "additionalProperties": False,
        "properties": properties,
    }
    schemas["InvoerCompleet"] = {
        "type": "object",
        "description": "Every input of the model with the value calculated with.",
        "additionalProperties": False,
        "required": [s.name for s in specs],
        "properties": copy.deepcopy(properties),
    }
    schemas["InvoerNaam"] = _enum([s.name for s in specs], "An input of the model.")
    schemas["NumeriekeInvoerNaam"] = _enum(numeric, "A numeric input of the model.")
    schemas["BegrensdeInvoerNaam"] = _enum(bounded, "A numeric input with both bounds.")
    schemas["UitvoerNaam"] = _enum(api.output_names, "An output of the model.")
    numeric_outputs = [o.name for o in model.outputs if o.type not in NON_NUMERIC_TYPES]
    schemas["NumeriekeUitvoerNaam"] = _enum(numeric_outputs, "A numeric output of the model.")
    domains = [d.name for d in model.roles.effect_domains]
    schemas["DomeinNaam"] = _enum(domains, "An effect domain of the model.")

    tornado = schemas["GevoeligheidVerzoek"]["properties"]
    tornado["invoerNamen"] = _names("InvoerNaam", MAX_TORNADO_INPUTS)
    tornado["uitvoerNamen"] = _names("UitvoerNaam", MAX_ANALYSIS_OUTPUTS)
    tornado["sorteerOp"] = _ref("UitvoerNaam")
    tornado["bereiken"] = {
        "type": "object",
        "description": "Input name -> its own low and high value (instead of the step).",
        "additionalProperties": False,
        "properties": {s.name: _range(s) for s in specs},
    }
    switching = schemas["OmslagwaardeVerzoek"]["properties"]
    switching["invoerNaam"] = _ref("BegrensdeInvoerNaam")
    switching["uitvoerNaam"] = _ref("NumeriekeUitvoerNaam")
    schemas["Kansverdeling"]["properties"]["invoerNaam"] = _ref("NumeriekeInvoerNaam")
    schemas["OnzekerheidVerzoek"]["properties"]["uitvoerNamen"] = _names(
        "UitvoerNaam", MAX_ANALYSIS_OUTPUTS
    )
    schemas["VerklaringVerzoek"]["properties"]["uitvoerNaam"] = _ref("UitvoerNaam")
    schemas["EffectmetingVerzoek"]["properties"]["domein"] = _ref("DomeinNaam")

    # answers: the outputs by group, the resolved inputs, the model's header and roles
    roles = _output_roles(api)
    groups: dict[str, dict[str, Any]] = {}
    for s in model.outputs:
        groups.setdefault(s.group, {})[s.name] = _output_schema(s, roles.get(s.name, []))
    schemas["Uitvoer"] = {
        "type": "object",
        "description": "Output group -> output name -> value, in the model's interface order.",
        "additionalProperties": False,
        "required": list(groups),
        "properties": {
            group: {
                "type": "object",
                "additionalProperties": False,
                "required": list(outputs),
                "properties": outputs,
            }
            for group, outputs in groups.items()
        },
    }
    result = schemas["BerekeningResultaat"]["allOf"][1]["properties"]
    result["invoer"] = _ref("InvoerCompleet")
    schemas["VerdelingResultaat"]["allOf"][1]["properties"]["invoer"] = _ref("InvoerCompleet")
    schemas["ModelKop"]["properties"]["modelId"] = _ref("ModelId")
    batch = schemas["BatchScenarioResultaat"]["oneOf"][0]["properties"]
    batch["waarden"]["minItems"] = batch["waarden"]["maxItems"] = len(api.output_names)
    schemas["Kolom"]["properties"]["naam"] = _ref("UitvoerNaam")

    if model.roles.discount_rate is None:  # no input a norm could set: no `norm` field
        for name in ("BerekeningVerzoek", "BerekeningPrijsjaarVerzoek", "VergelijkingVariant"):
            del schemas[name]["properties"]["norm"]
    if prices.model_price_year(model) is not None:  # declared: the request may not name it
        del schemas["PrijspeilVerzoek"]["properties"]["prijsjaarModel"]
        schemas["PrijspeilVerzoek"]["required"] = ["prijsjaar"]

    _timeline(doc, api)
    _examples(doc, api, numeric, bounded)
    _evidence(schemas, api, groups)
    r = model.roles
    schemas["Rollen"]["properties"] = {
        "saldo": _fixed(r.saldo, "The saldo (NCW) output; the default of the analyses."),
        "totaalKosten": _fixed(r.total_costs, "Role totalCosts."),
        "totaalBaten": _fixed(r.total_benefits, "Role totalBenefits."),
        "batenStaven": _fixed_list(r.benefit_bars, "Benefit bars, in drawing order."),
        "kostenStaven": _fixed_list(r.cost_bars, "Cost bars, after the benefit bars."),
        "kerncijfers": _fixed_list(r.headline, "Headline figures, in order."),
        "disconteringsvoet": _fixed(r.discount_rate, "The input a norm sets (role discountRate)."),
        "tijdreeksen": _series_years(api.contract_series_years),
    }
    return doc


def _series_years(per_version: list[tuple[int, ...] | None]) -> dict[str, Any]:
    """The `tijdreeksen` role of every version this contract describes: its years, or
    null for a version without series (an earlier version's document answers null)."""
    values = list(dict.fromkeys(per_version))
    if values == [None]:
        return {"type": "array", "nullable": True, "enum": [None], "description": "No series."}
    schema: dict[str, Any] = {
        "type": "array",
        "items": {"type": "integer"},
        "enum": [None if v is None else list(v) for v in values],
        "description": "The years of the model's series (null: a version without them).",
    }
    if None in values:
        schema["nullable"] = True
    return schema


def _timeline(doc: dict[str, Any], api: ModelAPI) -> None:
    """The yearly series' resources: exact (years, lines, actors) for a model that
    declares series; absent for one that does not (they answer 404 missingRole)."""
    schemas = doc["components"]["schemas"]
    series = api.model.roles.series
    if series is None:
        for path in ("tijdreeksen", "grafieken/cumulatief-saldo"):
            doc["paths"].pop(f"/modellen/{{modelId}}/{path}", None)
        return
    n = len(series.years)
    schemas["TijdreeksVerzoek"]["properties"]["jaren"]["maximum"] = n
    schemas["TijdreeksVerzoek"]["properties"]["jaren"]["default"] = min(2, n)
    schemas["Jaarbedragen"]["minItems"] = schemas["Jaarbedragen"]["maxItems"] = n
    result = schemas["TijdreeksResultaat"]["allOf"][1]["properties"]
    result["invoer"] = _ref("InvoerCompleet")
    result["jaren"]["enum"] = [list(series.years)]
    result["disconteringsfactoren"]["minItems"] = n
    result["disconteringsfactoren"]["maxItems"] = n
    result["posten"]["minItems"] = result["posten"]["maxItems"] = len(series.lines)
    result["actoren"]["minItems"] = result["actoren"]["maxItems"] = len(series.actors)
    lines = [x.name for x in series.lines]
    actors = [a.actor for a in series.actors]
    if lines:
        schemas["TijdreeksPost"]["properties"]["naam"] = _enum(lines, "A line of the model.")
    if actors:
        schemas["TijdreeksActor"]["allOf"][0]["properties"]["actor"] = _enum(
            actors, "An actor of the model's series."
        )


def _examples(doc: dict[str, Any], api: ModelAPI, numeric: list[str], bounded: list[str]) -> None:
    """Request examples in the model's own names (the generic document's name the inputs
    of one model): each operation's JSON example replaced by one made of this model's
    inputs, outputs and domains, or dropped where the model has nothing to show."""
    model = api.model
    first = numeric[:1] or [s.name for s in model.inputs][:1]
    output = model.roles.saldo or (api.output_names[0] if api.output_names else None)
    lo_hi = {s.name: (s.min, s.max) for s in model.inputs}
    examples: dict[str, Any] = {
        "BerekeningVerzoek": {"invoer": {n: api.defaults[n] for n in first}},
        "BerekeningPrijsjaarVerzoek": {"invoer": {n: api.defaults[n] for n in first}},
        "GevoeligheidVerzoek": {"invoerNamen": numeric[:2], "stap": 0.2} if numeric else None,
        "OmslagwaardeVerzoek": {"invoerNaam": bounded[0]} if bounded else None,
        "OnzekerheidVerzoek": (
            {
                "kansverdelingen": [
                    {
                        "invoerNaam": bounded[0],
                        "type": "uniform",
                        "min": float(lo_hi[bounded[0]][0]),  # type: ignore[arg-type]
                        "max": float(lo_hi[bounded[0]][1]),  # type: ignore[arg-type]
                    }
                ],
                "trekkingen": 10000,
                "seed": 7,
            }
            if bounded
            else None
        ),
        "VerklaringVerzoek": {"uitvoerNaam": output, "diepte": 2} if output else None,
        "TijdreeksVerzoek": {"invoer": {n: api.defaults[n] for n in first}},
    }
    domains = model.roles.effect_domains
    if domains:
        examples["EffectmetingVerzoek"] = {
            "domein": domains[0].name,
            "interventiegroep": {"huishoudens": 400, "successen": 220},
            "controlegroep": {"huishoudens": 400, "successen": 200},
        }
    else:
        examples["EffectmetingVerzoek"] = None
    for item in doc["paths"].values():
        for operation in item.values():
            if not isinstance(operation, dict):
                continue  # the path's parameters
            media = (operation.get("requestBody") or {}).get("content", {}).get("application/json")
            if not media or "example" not in media:
                continue
            name = media["schema"].get("$ref", "").removeprefix(REF)
            if name in examples and examples[name] is not None:
                media["example"] = examples[name]
            else:
                del media["example"]


def _evidence(schemas: dict[str, Any], api: ModelAPI, groups: dict[str, dict[str, Any]]) -> None:
    """The optimism-bias correction made exact: only the model's graded (effect or cost)
    inputs may be graded, and the answer's outputs are the model's, each as a pair."""
    graded = [e.input for e in api.model.roles.evidence]
    grade = {
        "type": "object",
        "description": "Input name -> evidence grade; the inputs with role effect or cost.",
        "additionalProperties": False,
        "properties": {name: _ref("Bewijsniveau") for name in graded},
    }
    schemas["OptimismeCorrectieVerzoek"]["properties"]["bewijsniveaus"] = grade
    effects = [e.input for e in api.model.roles.evidence if e.kind == "effect"]
    schemas["OptimismeCorrectieVerzoek"]["properties"]["deflatoren"] = {
        "type": "object",
        "description": "Effect input -> its impact deflators; the inputs with role effect.",
        "additionalProperties": False,
        "properties": {name: _ref("Deflatoren") for name in effects},
    }
    answer = schemas["OptimismeCorrectieResultaat"]["allOf"][1]["properties"]
    answer["gecorrigeerdeInvoer"] = {
        "type": "object",
        "description": "The corrected value of every graded input.",
        "additionalProperties": False,
        "properties": {name: {"type": "number"} for name in graded},
    }
    answer["uitvoer"] = {
        "type": "object",
        "description": "Output group -> output name -> uncorrected and corrected.",
        "additionalProperties": False,
        "required": list(groups),
        "properties": {
            group: {
                "type": "object",
                "additionalProperties": False,
                "required": list(outputs),
                "properties": {name: _ref("Paar") for name in outputs},
            }
            for group, outputs in groups.items()
        },
    }
    if graded:
        schemas["BewijsInvoer"]["properties"]["invoerNaam"] = _enum(
            graded, "An input with role effect or cost."
        )
