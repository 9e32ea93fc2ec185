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


# The analyses that answer a request body: path -> (endpoint, the analysis, its request
# schema, its answer schema). Each is a POST handled the same way: the body loaded, the
# analysis run, its answer written after the model header.
ANALYSES: dict[str, tuple[str, Any, Schema, Schema]] = {
    "gevoeligheidsanalyses": ("sensitivity", analysis.tornado, an.Tornado(), answers.TORNADO),
    "omslagwaarden": (
        "switching_value",
        analysis.switching_value,
        an.Switching(),
        answers.SWITCHING,
    ),
    "onzekerheidsanalyses": (
        "uncertainty",
        analysis.monte_carlo,
        an.MonteCarlo(),
        answers.MONTE_CARLO,
    ),
    "effectmetingen": ("effect", analysis.measure_effect, an.Effect(), answers.EFFECT),
    "verklaringen": ("explain", analysis.explain, an.Explain(), answers.EXPLAIN),
}


def _view(function: Any, request: Schema, answer: Schema) -> Any:
    """The view of one analysis."""

    def view(model_id: str) -> Response:
        api = model_api(model_id)
        result = an.run(function, api.model, json_body(), request)
        return jsonify({**api.header, **answer.dump(result)})

    return view


for _path, (_endpoint, _function, _request, _answer) in ANALYSES.items():
    _rule = f"/modellen/<model_id>/{_path}"
    bp.add_url_rule(_rule, _endpoint, _view(_function, _request, _answer), methods=["POST"])


@bp.get("/modellen/<model_id>/effectdomeinen")
def effect_domains(model_id: str) -> Response:
    api = model_api(model_id)
    domains = [
        {"domein": k, **answers.DOMAIN.dump(v)} for k, v in analysis.domains(api.model).items()
    ]
    return jsonify({**api.header, "domeinen": domains})


@bp.post("/modellen/<model_id>/verdelingen")
def ledger(model_id: str) -> Response:
    api = model_api(model_id)
    values = scenario_with_norm(api, json_body())[0]
    result = answers.LEDGER.dump(analysis.ledger(api.model, values))
    return jsonify({**api.header, "invoer": api.resolve(values), **result})
