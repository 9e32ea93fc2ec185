"""A report request: its options (language, sections) beside a scenario or the variants of
a comparison, checked at once, and the report's data built from the same calculation."""

from __future__ import annotations

from typing import Any

from marshmallow import Schema, ValidationError, fields, validate

from service import report
from service.analysis import norms
from service.api.model_api import ModelAPI
from service.api.scenario import scenario_with_norm
from service.api.variants import compare, load_comparison
from service.errors import Problem, invalid_input, invalid_params

OPTIONS = frozenset({"taal", "onderdelen"})
BOTH = "Give a scenario (invoer, norm) or varianten (a comparison), not both."


class ReportOptions(Schema):
    """The report's own fields beside the scenario or the variants."""

    taal = fields.String(load_default="nl", validate=validate.OneOf(report.LANGUAGES))
    onderdelen = fields.List(
        fields.String(validate=validate.OneOf(report.SECTIONS)),
        load_default=list(report.SECTIONS),
        validate=validate.Length(min=1),
    )


_options = ReportOptions()


def load_report(api: ModelAPI, body: Any) -> tuple[dict[str, Any], dict[str, Any]]:
    """The options and the built report data; 400 with every field error of the body."""
    problems: list[dict[str, str]] = []
    options: dict[str, Any] = {"taal": "nl", "onderdelen": list(report.SECTIONS)}
    rest = body
    if isinstance(body, dict):
        rest = {k: v for k, v in body.items() if k not in OPTIONS}
        try:
            options = _options.load({k: v for k, v in body.items() if k in OPTIONS})
        except ValidationError as exc:
            problems += invalid_params(exc.messages)
        if "varianten" in rest and ({"invoer", "norm"} & rest.keys()):
            problems.append({"name": "varianten", "reason": BOTH})
    comparison = isinstance(rest, dict) and "varianten" in rest
    try:
        if comparison:
            variants = load_comparison(api, rest)
        else:
            values, norm = scenario_with_norm(api, rest)
    except Problem as exc:
        problems = list(exc.invalid_params or []) + problems
    if problems:
        raise invalid_input(problems)
    kwargs = {"lang": options["taal"], "sections": options["onderdelen"]}
    if comparison:
        answer = compare(api, variants)
        values_each = [
            norms.apply_norm(api.model, v["invoer"], v["norm"]) if "norm" in v else v["invoer"]
            for v in variants
        ]
        used = [norms.get_norm(v["norm"]) if "norm" in v else None for v in variants]
        data = report.comparison_report(api.model, answer, values_each, norms=used, **kwargs)
    else:
        data = report.scenario_report(api.model, api.calculate(values), values, norm=norm, **kwargs)
    return options, data
