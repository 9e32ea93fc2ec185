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


def _grouped(groups: dict[str, dict[str, Any]], description: str) -> dict[str, Any]:
    """An object of output group -> output name -> the given schema, every name required."""
    return {
        "type": "object",
        "description": description,
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


# The paths a version's own contract keeps: those that answer with the version in the path
# (and the lists of versions and the recalculation, which name it).
VERSION_PATHS = (
    "/modellen/{modelId}/versies",
    "/modellen/{modelId}/versies/{versie}",
    "/modellen/{modelId}/versies/{versie}/wijzigingen",
    "/modellen/{modelId}/versies/{versie}/berekeningen",
    "/modellen/{modelId}/versies/{versie}/batch-berekeningen",
    "/modellen/{modelId}/versies/{versie}/openapi.json",
    "/modellen/{modelId}/versies/{versie}/openapi.yaml",
    "/herberekeningen",
)


def version_contract(spec: dict[str, Any], api: ModelAPI, served: list[str]) -> dict[str, Any]:
    """The contract of one served version (`api`): the paths pinned to it, every schema
    exact for its own inputs and outputs. `served`: every served version of the model."""
    version = api.model.version
    own_years = None if api.model.roles.series is None else tuple(api.model.roles.series.years)
    doc = model_contract(spec, api, versions=[version], series_years=[own_years], served=served)
    doc["paths"] = {p: item for p, item in doc["paths"].items() if p in VERSION_PATHS}
    doc["info"]["title"] += f", version {version}"
    doc["info"]["description"] = (
        f"The contract of version {version} of model `{api.id}`: the paths that name "
        f"this version (`/modellen/{api.id}/versies/{version}/...`) and the "
        "recalculation of its stored answers, with every schema exact for this version's "
        "inputs and outputs, whatever the current version takes. Generate a client per "
        "version from it to calculate with that version for years.\n\n" + doc["info"]["description"]
    )
    _prune(doc)
    return doc


def _prune(doc: dict[str, Any]) -> None:
    """Drop the components that no path reaches (a generated client gets no unused types;
    a discriminator's mapping names only schemas its `oneOf` reaches)."""
    kept: dict[str, set[str]] = {}
    todo = [doc["paths"]]
    while todo:
        node = todo.pop()
        if isinstance(node, dict):
            ref = node.get("$ref")
            if isinstance(ref, str) and ref.startswith("#/components/"):
                kind, name = ref.removeprefix("#/components/").split("/", 1)
                if name not in kept.setdefault(kind, set()):
                    kept[kind].add(name)
                    todo.append(doc["components"][kind][name])
            todo.extend(node.values())
        elif isinstance(node, list):
            todo.extend(node)
    for kind, items in doc["components"].items():
        for name in [n for n in items if n not in kept.get(kind, set())]:
            del items[name]


def model_contract(
    spec: dict[str, Any],
    api: ModelAPI,
    *,
    versions: list[str] | None = None,
    series_years: list[tuple[int, ...] | None] | None = None,
    served: list[str] | None = None,
) -> dict[str, Any]:
    """`spec` (the generic document) made exact for the model of `api`, describing the
    served `versions` with its inputs and outputs (default those the registry found) of
    the `served` ones (default all those it lists)."""
    versions = api.contract_versions if versions is None else versions
    series_years = api.contract_series_years if series_years is None else series_years
    if served is None:
        served = [e["versie"] for e in api.interface.get("versies", [])] or [api.model.version]
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
        "the field: a request names a `norm` or sets the input the norm sets (role "
        "discountRate) in `invoer`, not both; in a Monte Carlo analysis, each "
        "distribution's parameters lie within its input's bounds with min <= modus (or "
        "gemiddelde) <= max, and an input has one distribution; in an effect measurement, "
        "`successen` may not exceed `huishoudens` and the measured difference must lie "
        "within the bounds of the domain's input; in a batch, scenario ids are unique; in "
        "a recalculation, `werkboekSha256` is that of `modelVersie` (else 409) and "
        "`invoerHash` the hash of `invoer` with that version's defaults (else 400). "
        "A scenario whose series or sorted output gives an Excel error where a number is "
        "needed (the yearly series, the tornado chart's bar) is a 400 naming it.\n\n"
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
        "enum": list(versions),
        "description": "A served version of the model with the inputs and outputs of this "
        "contract (`GET /modellen/{modelId}/versies` lists every served version; the "
        "contract of each is `GET /modellen/{modelId}/versies/{versie}/openapi.json`).",
    }
    doc["components"]["parameters"]["versie"]["schema"] = _ref("ModelVersie")
    schemas["GediendeVersie"] = {
        "type": "string",
        "enum": list(served),
        "description": "A served version of the model, whatever its inputs and outputs.",
    }
    doc["components"]["parameters"]["gediendeVersie"]["schema"] = _ref("GediendeVersie")
    recalculation = schemas["HerberekeningVerzoek"]["properties"]
    recalculation["modelId"] = _ref("ModelId")
    recalculation["modelVersie"] = _ref("ModelVersie")
    shas = {e["versie"]: e["werkboekSha256"] for e in api.interface.get("versies", [])}
    recalculation["werkboekSha256"] = {
        "type": "string",
        "enum": [shas.get(v, model.workbook_sha256) for v in versions],
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
    _distributions(schemas)
    schemas["OnzekerheidVerzoek"]["properties"]["uitvoerNamen"] = _names(
        "UitvoerNaam", MAX_ANALYSIS_OUTPUTS
    )
    schemas["VerklaringVerzoek"]["properties"]["uitvoerNaam"] = _ref("UitvoerNaam")
    _tornado_chart(doc, numeric_outputs)
    schemas["EffectmetingVerzoek"]["properties"]["domein"] = _ref("DomeinNaam")

    # answers: the outputs by group, the resolved inputs, the model's header and roles
    roles = _output_roles(api)
    groups: dict[str, dict[str, Any]] = {}
    for s in model.outputs:
        groups.setdefault(s.group, {})[s.name] = _output_schema(s, roles.get(s.name, []))
    schemas["Uitvoer"] = _grouped(
        groups, "Output group -> output name -> value, in the model's interface order."
    )
    result = schemas["BerekeningResultaat"]["allOf"][1]["properties"]
    result["invoer"] = _ref("InvoerCompleet")
    schemas["VerdelingResultaat"]["allOf"][1]["properties"]["invoer"] = _ref("InvoerCompleet")
    schemas["ModelKop"]["properties"]["modelId"] = _ref("ModelId")
    batch = schemas["BatchScenarioResultaat"]["oneOf"][0]["properties"]
    batch["waarden"]["minItems"] = batch["waarden"]["maxItems"] = len(api.output_names)
    schemas["Kolom"]["properties"]["naam"] = _ref("UitvoerNaam")

    if model.roles.discount_rate is None:  # no input a norm could set: no `norm` field
        for name in (
            "BerekeningVerzoek",
            "BerekeningPrijsjaarVerzoek",
            "VergelijkingVariant",
            "RapportVerzoek",
            "TijdreeksVerzoek",
        ):
            del schemas[name]["properties"]["norm"]
    if prices.model_price_year(model) is not None:  # declared: the request may not name it
        del schemas["PrijspeilVerzoek"]["properties"]["prijsjaarModel"]
        schemas["PrijspeilVerzoek"]["required"] = ["prijsjaar"]
    _report(schemas)

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
        "tijdreeksen": _series_years(series_years),
    }
    return doc


# Per distribution type its required and optional parameters (service.analysis.montecarlo).
DISTRIBUTIONS = {
    "uniform": (("min", "max"), ()),
    "triangular": (("min", "modus", "max"), ()),
    "pert": (("min", "modus", "max"), ("lambda",)),
    "normal": (("gemiddelde", "standaardafwijking"), ("min", "max")),
}


def _distributions(schemas: dict[str, Any]) -> None:
    """A distribution as one shape per type (its own parameters, required and optional),
    over the inputs it may draw: the numeric inputs with both bounds."""
    generic = schemas["Kansverdeling"]
    shapes = {}
    for kind, (required, optional) in DISTRIBUTIONS.items():
        name = "Kansverdeling" + kind.capitalize()
        schemas[name] = {
            "type": "object",
            "required": ["invoerNaam", "type", *required],
            "additionalProperties": False,
            "properties": {
                "invoerNaam": _ref("BegrensdeInvoerNaam"),
                "type": {"type": "string", "enum": [kind]},
                **{k: copy.deepcopy(generic["properties"][k]) for k in (*required, *optional)},
            },
        }
        shapes[kind] = REF + name
    schemas["Kansverdeling"] = {
        "description": generic["description"].rstrip()
        + " Each parameter lies within the bounds of the input (`GET /modellen/{modelId}`),"
        " min <= modus (or gemiddelde) <= max, and an input has at most one distribution"
        " in a request: rules across fields that OpenAPI 3.0 cannot state (else 400).",
        "oneOf": [{"$ref": ref} for ref in shapes.values()],
        "discriminator": {"propertyName": "type", "mapping": shapes},
    }


def _report(schemas: dict[str, Any]) -> None:
    """A report of a scenario or of a comparison, not both: one shape each."""
    generic = schemas["RapportVerzoek"]
    props = generic["properties"]
    options = {k: props[k] for k in ("taal", "onderdelen")}
    scenario = {k: props[k] for k in ("invoer", "norm") if k in props}
    schemas["RapportScenario"] = {
        "type": "object",
        "description": "The report of one scenario (an empty body: the default scenario).",
        "additionalProperties": False,
        "properties": {**scenario, **options},
    }
    schemas["RapportVergelijking"] = {
        "type": "object",
        "description": "The report of a comparison of variants.",
        "required": ["varianten"],
        "additionalProperties": False,
        "properties": {"varianten": props["varianten"], **copy.deepcopy(options)},
    }
    schemas["RapportVerzoek"] = {
        "description": generic["description"],
        "oneOf": [_ref("RapportScenario"), _ref("RapportVergelijking")],
    }


def _tornado_chart(doc: dict[str, Any], numeric_outputs: list[str]) -> None:
    """The tornado chart draws a number: its request names numeric outputs only."""
    schemas = doc["components"]["schemas"]
    chart = copy.deepcopy(schemas["GevoeligheidVerzoek"])
    chart["description"] = (
        "A sensitivity analysis whose outputs are numbers (the chart draws the swing of "
        "`sorteerOp`; an Excel error in its base value is a 400)."
    )
    chart["properties"]["uitvoerNamen"] = _names("NumeriekeUitvoerNaam", MAX_ANALYSIS_OUTPUTS)
    chart["properties"]["sorteerOp"] = _ref("NumeriekeUitvoerNaam")
    schemas["TornadoGrafiekVerzoek"] = chart
    operation = doc["paths"]["/modellen/{modelId}/grafieken/tornado"]["post"]
    operation["requestBody"]["content"]["application/json"]["schema"] = _ref(
        "TornadoGrafiekVerzoek"
    )


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
        "TornadoGrafiekVerzoek": {"stap": 0.2},
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
    pairs = {group: {name: _ref("Paar") for name in outputs} for group, outputs in groups.items()}
    answer["uitvoer"] = _grouped(pairs, "Output group -> output name -> uncorrected and corrected.")
    if graded:
        schemas["BewijsInvoer"]["properties"]["invoerNaam"] = _enum(
            graded, "An input with role effect or cost."
        )
