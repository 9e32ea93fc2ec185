"""POST /v1/modellen/{modelId}/<analysis>: sensitivity, switching values, uncertainty,
effect measurements, explanations and the ledger; GET the effect domains."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, Response, jsonify
from marshmallow import Schema

from service import analysis
from service.api import analyses as an
from service.api import answers
from service.api.http import json_body
from service.api.registry import model_api
from service.api.scenario import scenario_with_norm

bp = Blueprint("analyses", __name__, url_prefix="/v1")


def _answer(model_id: str, function: Any, request: Schema, answer: Schema) -> Response:
    """An analysis of the request body, written by `answer` after the model header."""
    api = model_api(model_id)
    result = an.run(function, api.model, json_body(), request)
    return jsonify({**api.header, **answer.dump(result)})


@bp.post("/modellen/<model_id>/gevoeligheidsanalyses")
def sensitivity(model_id: str) -> Response:
    return _answer(model_id, analysis.tornado, an.TORNADO, answers.TORNADO)


@bp.post("/modellen/<model_id>/omslagwaarden")
def switching_value(model_id: str) -> Response:
    return _answer(model_id, analysis.switching_value, an.SWITCHING, answers.SWITCHING)


@bp.post("/modellen/<model_id>/onzekerheidsanalyses")
def uncertainty(model_id: str) -> Response:
    return _answer(model_id, analysis.monte_carlo, an.MONTE_CARLO, answers.MONTE_CARLO)


@bp.get("/modellen/<model_id>/effectdomeinen")
def effect_domains(model_id: str) -> Response:
    api = model_api(model_id)
    domains = [
        {"domein": k, **answers.DOMAIN.dump(v)} for k, v in analysis.domains(api.model).items()
    ]
    return jsonify({**api.header, "domeinen": domains})


@bp.post("/modellen/<model_id>/effectmetingen")
def effect(model_id: str) -> Response:
    return _answer(model_id, analysis.measure_effect, an.EFFECT, answers.EFFECT)


@bp.post("/modellen/<model_id>/verklaringen")
def explain(model_id: str) -> Response:
    return _answer(model_id, analysis.explain, an.EXPLAIN, answers.EXPLAIN)


@bp.post("/modellen/<model_id>/verdelingen")
def ledger(model_id: str) -> Response:
    api = model_api(model_id)
    values = scenario_with_norm(api, json_body())[0]
    result = answers.LEDGER.dump(analysis.ledger(api.model, values))
    return jsonify({**api.header, "invoer": api.resolve(values), **result})
