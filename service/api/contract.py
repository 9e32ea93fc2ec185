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

from service.api.models import ModelAPI

REF = "#/components/schemas/"
# The most inputs a tornado varies and outputs an analysis reports (service.analysis).
MAX_TORNADO_INPUTS = 200
MAX_ANALYSIS_OUTPUTS = 20


def _ref(name: str) -> dict[str, str]:
    return {"$ref": REF + name}


def _input_schema(spec: Any, default: Any) -> dict[str, Any]:
    """The JSON schema of one input: type, bounds, default, and its unit in words."""
    words = f"{spec.label_en} ({spec.label_nl}). Unit: {spec.unit or '-'}; type `{spec.type}`"
    words += f"; group `{spec.group}`; workbook cell {spec.cell}."
    if spec.type == "yesno":
        return {"type": "boolean", "default": default, "description": words}
    prop: dict[str, Any] = {"type": "number", "default": default, "description": words}
    if spec.min is not None:
        prop["minimum"] = float(spec.min)
    if spec.max is not None:
        prop["maximum"] = float(spec.max)
    return prop


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


def _range(spec: Any, default: Any) -> dict[str, Any]:
    """A tornado's own low and high value of one input, each within the input's bounds."""
    value = _input_schema(spec, default)
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
        "may not exceed `huishoudens`; in a batch, scenario ids are unique.\n\n"
        + doc["info"]["description"]
    )
    # The list of every model is the generic document's: here it would hand a client (and
    # schemathesis' stateful phase, which follows it) the ids of other models.
    del doc["paths"]["/modellen"]
    # one named schema, so that a generated client has one type for it
    schemas["ModelId"] = {"type": "string", "enum": [model.id], "example": model.id}
    doc["components"]["parameters"]["modelId"]["schema"] = _ref("ModelId")

    # requests: the inputs, and every name a request may use
    properties = {s.name: _input_schema(s, api.defaults[s.name]) for s in specs}
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
        "properties": {s.name: _range(s, api.defaults[s.name]) for s in specs},
    }
    switching = schemas["OmslagwaardeVerzoek"]["properties"]
    switching["invoerNaam"] = _ref("BegrensdeInvoerNaam")
    switching["uitvoerNaam"] = _ref("UitvoerNaam")
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
    }
    return doc


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
