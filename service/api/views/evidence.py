"""How sure are we: the evidence grades (GET /v1/bewijsniveaus) and the optimism-bias
correction of a scenario (POST /v1/modellen/{modelId}/optimisme-correcties).

Thin: the request is loaded as every analysis request is (`service.api.analyses`),
`service.analysis.optimism` checks, corrects and recalculates, and the schemas of
`service.api.answers` word the answer in the API's Dutch.
"""

from __future__ import annotations

from typing import Any

from flask import Blueprint, Response, jsonify

from service.analysis import optimism
from service.api import analyses, answers
from service.api.http import json_body
from service.api.registry import model_api

bp = Blueprint("evidence", __name__, url_prefix="/v1")
REQUEST = analyses.OptimismCorrection()


@bp.post("/modellen/<model_id>/optimisme-correcties")
def optimism_correction(model_id: str) -> Response:
    api = model_api(model_id)
    result = analyses.run(optimism.correct, api.model, json_body(), REQUEST)
    by_group: dict[str, dict[str, Any]] = {}
    for spec in api.model.outputs:
        by_group.setdefault(spec.group, {})[spec.name] = result["outputs"][spec.name]
    answer = answers.OPTIMISM_CORRECTION.dump({**result, "outputs": by_group})
    return jsonify({**api.header, **answer})


@bp.get("/bewijsniveaus")
def evidence_grades() -> Response:
    return jsonify(answers.GRADES.dump(optimism.overview()))
