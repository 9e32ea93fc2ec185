"""How sure are we: the evidence grades (GET /v1/bewijsniveaus) and the optimism-bias
correction of a scenario (POST /v1/modellen/{modelId}/optimisme-correcties).

Thin: marshmallow validates (every field error at once), `service.analysis.optimism`
corrects and recalculates, this module words the answer in the API's Dutch.
"""

from __future__ import annotations

from functools import lru_cache
from typing import Any

from flask import Blueprint, Response, jsonify
from marshmallow import Schema, ValidationError, fields, validate

from service.analysis import AnalysisError, deflators, optimism
from service.api.http import json_body
from service.api.model_api import ModelAPI
from service.api.registry import model_api
from service.api.schemas import StrictNumber, input_schema
from service.errors import invalid_input, invalid_params

bp = Blueprint("evidence", __name__, url_prefix="/v1")

KIND = {"effect": "effect", "cost": "kosten"}
ORIGIN = {"workbook": "werkboek", "request": "verzoek", "": None}
# the request's and the answer's words for the impact deflators (service/analysis/deflators.py)
DEFLATOR = {"deadweight": "deadweight", "attribution": "attributie", "dropOff": "afnamePerJaar"}
FIELD = {"deflators": "deflatoren", "values": "invoer"}


def _grade_map(high: float) -> fields.Dict:
    return fields.Dict(
        keys=fields.String(validate=validate.OneOf(optimism.grade_ids())),
        values=StrictNumber(validate=validate.Range(0.0, high)),
    )


_DEFLATOR_SCHEMA = Schema.from_dict(
    {
        word: StrictNumber(validate=validate.Range(0.0, 1.0, max_inclusive=False))
        for word in DEFLATOR.values()
    },
    name="Deflatoren",
)


@lru_cache(maxsize=64)
def correction_schema(api: ModelAPI) -> Schema:
    """The request schema of one model: its inputs, its graded (effect/cost) inputs."""
    graded = [e.input for e in api.model.roles.evidence]
    return Schema.from_dict(
        {
            "invoer": fields.Nested(input_schema(api.model), load_default=dict),
            "bewijsniveaus": fields.Dict(
                keys=fields.String(
                    validate=validate.OneOf(
                        graded,
                        error="Not an input with role effect or cost in the model's "
                        "Interface sheet; one of: {choices}.",
                    )
                ),
                values=fields.String(validate=validate.OneOf(optimism.grade_ids())),
                load_default=dict,
            ),
            "referentieklasse": fields.String(
                validate=validate.OneOf(optimism.reference_class_ids()),
                load_default=None,
                allow_none=False,
            ),
            "batenCorrecties": _grade_map(1.0),
            "kostenOpslagen": _grade_map(optimism.MAX_UPLIFT),
            "spreidingen": _grade_map(optimism.MAX_UPLIFT),
            "deflatoren": fields.Dict(
                keys=fields.String(
                    validate=validate.OneOf(
                        deflators.effect_inputs(api.model),
                        error="Not an input with role effect in the model's Interface "
                        "sheet; one of: {choices}.",
                    )
                ),
                values=fields.Nested(_DEFLATOR_SCHEMA),
                load_default=None,
                allow_none=False,
            ),
        },
        name=f"OptimismeCorrectie[{api.id}]",
    )()


def load_correction(api: ModelAPI, body: Any) -> dict[str, Any]:
    """The validated request, or 400 with every field error."""
    try:
        loaded: dict[str, Any] = correction_schema(api).load(body)
    except ValidationError as exc:
        raise invalid_input(invalid_params(exc.messages)) from None
    return loaded


def _pair(p: dict[str, Any]) -> dict[str, Any]:
    out = {"ongecorrigeerd": p["uncorrected"], "gecorrigeerd": p["corrected"]}
    if "difference" in p:
        out["verschil"] = p["difference"]
    return out


def _class_document(c: dict[str, Any]) -> dict[str, Any]:
    src = c["source"] if "source" in c else optimism.table()["referenceClassSource"]
    return {
        "id": c["id"],
        "labelEn": c["labelEn"],
        "kosten": c["costs"],
        "bovengrens": c["upper"],
        "ondergrens": c["lower"],
        "bron": {
            "titel": src["title"],
            "verschenen": src["date"],
            "url": src["url"],
            "tabel": src["table"],
        },
    }


def _sources(sources: list[dict[str, str]] | None = None) -> list[dict[str, str]]:
    return [
        {"titel": s["title"], "verschenen": s["date"], "url": s["url"], "tabel": s["table"]}
        for s in (optimism.table()["sources"] if sources is None else sources)
    ]


def correction_document(api: ModelAPI, req: dict[str, Any]) -> dict[str, Any]:
    """The answer: corrected and uncorrected side by side, per graded input its factor."""
    invoer = req["invoer"]
    key = {word: k for k, word in DEFLATOR.items()}
    given = req["deflatoren"]
    try:
        result = optimism.correct(
            api.model,
            values=invoer,
            grades=req["bewijsniveaus"],
            reference_class=req["referentieklasse"],
            benefit_reductions=req.get("batenCorrecties"),
            cost_uplifts=req.get("kostenOpslagen"),
            deflators=None
            if given is None
            else {name: {key[w]: v for w, v in d.items()} for name, d in given.items()},
        )
    except AnalysisError as exc:  # a drop-off without series, a series cell without number
        raise invalid_input(
            [
                {"name": FIELD.get(e["field"], e["field"]), "reason": e["message"] + "."}
                for e in exc.errors
            ]
        ) from None
    spreads = optimism.graded_distributions(
        api.model,
        values=invoer,
        grades=req["bewijsniveaus"],
        reference_class=req["referentieklasse"],
        spreads=req.get("spreidingen"),
    )
    groups = {o.name: o.group for o in api.model.outputs}
    uitvoer: dict[str, dict[str, Any]] = {}
    for name, pair in result["outputs"].items():
        uitvoer.setdefault(groups[name], {})[name] = _pair(pair)
    return {
        **api.header,
        "referentieklasse": _class_document(result["referenceClass"]),
        "invoer": invoer,
        "gecorrigeerdeInvoer": result["correctedValues"],
        "correcties": [
            {
                "invoerNaam": r["input"],
                "soort": KIND[r["kind"]],
                "bewijsniveau": r["grade"],
                "bewijsniveauUit": ORIGIN[r["gradeFrom"]],
                "percentage": r["percentage"],
                "factor": r["factor"],
                "grondslag": r["basis"],
                "waarde": r["value"],
                "gecorrigeerd": r["corrected"],
            }
            for r in result["inputs"]
        ],
        "deflatoren": [
            {
                "invoerNaam": d["input"],
                "deflator": DEFLATOR[d["deflator"]],
                "percentage": d["rate"],
                "uit": ORIGIN[d["from"]],
                "factor": d["factor"],
                "vanafJaar": d["fromYear"],
                "saldo": d["saldo"],
            }
            for d in result["deflators"]
        ],
        "gedefleerdSaldo": result["deflatedSaldo"],
        "saldoUitvoer": result["saldoOutput"],
        "saldo": None if result["saldo"] is None else _pair(result["saldo"]),
        "uitvoer": uitvoer,
        "verdeling": None
        if result["ledger"] is None
        else [
            {
                "actor": a["actor"],
                "labelNl": a["labelNl"],
                **{k: _pair(a[k]) for k in ("kosten", "baten", "saldo")},
            }
            for a in result["ledger"]
        ],
        "kansverdelingen": [
            {
                "invoerNaam": d["input"],
                "type": d["type"],
                "min": d["min"],
                "modus": d["mode"],
                "max": d["max"],
            }
            for d in spreads
        ],
        "meldingen": result["notes"],
        "bronnen": _sources(result["sources"]),
    }


@bp.post("/modellen/<model_id>/optimisme-correcties")
def optimism_correction(model_id: str) -> Response:
    api = model_api(model_id)
    return jsonify(correction_document(api, load_correction(api, json_body())))


@bp.get("/bewijsniveaus")
def evidence_grades() -> Response:
    data = optimism.table()
    return jsonify(
        {
            "versie": data["version"],
            "eenheid": data["unit"],
            "bewijsniveaus": [
                {
                    "id": g["id"],
                    "rang": g["rank"],
                    "labelNl": g["labelNl"],
                    "labelEn": g["labelEn"],
                    "positie": g["boundPosition"],
                    "grondslag": g["basis"],
                }
                for g in sorted(data["grades"], key=lambda g: g["rank"])
            ],
            "standaardReferentieklasse": data["defaultReferenceClass"],
            "referentieklassen": [_class_document(c) for c in data["referenceClasses"]],
            "baten": {
                "gepubliceerd": data["benefits"]["published"],
                "toelichting": data["benefits"]["note"],
            },
            "bronnen": _sources(),
        }
    )
