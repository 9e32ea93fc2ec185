"""The versions of a model as the API shows them, and the recalculation of a stored answer.

A model's earlier versions are served beside the current one (docs/versions.md): each
is a `ModelAPI` of its own, so a pinned calculation is the ordinary calculation of that
version. This module holds what is particular to versions: the version list and change
notes, the lookup that names the served versions, and `POST /herberekeningen`.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from marshmallow import RAISE, Schema, ValidationError, fields, validate

from service.api.model_api import ModelAPI
from service.api.schemas import StrictBoolean
from service.errors import Problem, invalid_input, invalid_params

SHA256 = r"^[0-9a-f]{64}$"
INPUT_HASH = r"^sha256:[0-9a-f]{64}$"


def version_entries(entries: Mapping[str, Mapping[str, Any]]) -> dict[str, dict[str, Any]]:
    """Per version (oldest first) what `GET .../versies` lists, with its change note:
    versie, werkboekSha256, datum (the workbook's versionDate), vervangenOp (the next
    version's date), huidig, vorigeVersie, wijzigingen (the cells that differ from it)."""
    versions = list(entries.values())
    out: dict[str, dict[str, Any]] = {}
    for i, entry in enumerate(versions):
        later = versions[i + 1] if i + 1 < len(versions) else None
        out[entry["versie"]] = {
            "versie": entry["versie"],
            "werkboekSha256": entry["werkboekSha256"],
            "datum": entry["datum"],
            "vervangenOp": None if later is None else later["datum"],
            "huidig": later is None,
            "vorigeVersie": entry["vorigeVersie"],
            "aantalWijzigingen": len(entry["wijzigingen"]),
            "wijzigingen": [dict(c) for c in entry["wijzigingen"]],
        }
    return out


def listing(entries: Mapping[str, Mapping[str, Any]]) -> list[dict[str, Any]]:
    """The versions without their change notes (the list of `GET .../versies`)."""
    return [{k: v for k, v in e.items() if k != "wijzigingen"} for e in entries.values()]


def same_contract(a: ModelAPI, b: ModelAPI) -> bool:
    """Two versions take the same inputs (names, types, bounds) and give the same
    outputs (names, groups, types): one contract describes both."""

    def shape(api: ModelAPI) -> tuple[list[tuple[Any, ...]], list[tuple[Any, ...]]]:
        inputs = [
            (i["naam"], i["type"], i["minimum"], i["maximum"]) for i in api.interface["invoer"]
        ]
        outputs = [(o["naam"], o["groep"], o["type"]) for o in api.interface["uitvoer"]]
        return inputs, outputs

    return shape(a) == shape(b)


def pinned(versions: Mapping[str, ModelAPI], model_id: str, version: str) -> ModelAPI:
    """The served version of a model, or 404 `unknownVersion` naming the served ones."""
    api = versions.get(version)
    if api is None:
        served = ", ".join(versions)
        raise Problem(
            404,
            "unknownVersion",
            f"Model {model_id!r} has no version {version!r} served; served versions: {served}.",
        )
    return api


class RecalculationRequest(Schema):
    """`POST /herberekeningen`: a stored answer's identity and inputs."""

    class Meta:
        unknown = RAISE

    modelId = fields.String(required=True)
    modelVersie = fields.String(required=True)
    werkboekSha256 = fields.String(required=True, validate=validate.Regexp(SHA256))
    invoerHash = fields.String(required=True, validate=validate.Regexp(INPUT_HASH))
    invoer = fields.Raw(required=True)
    vergelijkMetHuidigeVersie = StrictBoolean(load_default=False)


_request = RecalculationRequest()


def load_recalculation(
    body: Any, versions: Mapping[str, Mapping[str, ModelAPI]]
) -> tuple[dict[str, Any], ModelAPI, dict[str, Any]]:
    """The request, the version's API and its validated inputs; 400 with every field
    error at once (the inputs checked by the version's own schema), 404 for a model or
    version not served. The workbook and hash checks follow (`check_identity`)."""
    if not isinstance(body, dict):
        raise invalid_input([{"name": "body", "reason": "Must be a JSON object."}])
    problems: list[dict[str, str]] = []
    try:
        request = _request.load(body)
    except ValidationError as exc:
        problems = invalid_params(exc.messages)
        request = exc.valid_data if isinstance(exc.valid_data, dict) else {}
    model_id, version = request.get("modelId"), request.get("modelVersie")
    api = versions.get(model_id, {}).get(version) if model_id and version else None
    values: dict[str, Any] = {}
    if api is not None and "invoer" in request:
        try:
            values = api.load_request({"invoer": request["invoer"]})
        except ValidationError as exc:
            problems += exc.messages  # type: ignore[arg-type]
    if problems:
        raise invalid_input(problems)
    if model_id not in versions:
        known = ", ".join(sorted(versions)) or "(none)"
        raise Problem(404, "unknownModel", f"No model {model_id!r}; known models: {known}.")
    api = pinned(versions[model_id], model_id, version)
    return request, api, values


def check_identity(request: Mapping[str, Any], api: ModelAPI, values: Mapping[str, Any]) -> None:
    """409 when the served workbook of the version is not the stored answer's; 400 on
    `invoerHash` when the inputs are not those the stored answer was calculated with."""
    if request["werkboekSha256"] != api.model.workbook_sha256:
        raise Problem(
            409,
            "workbookMismatch",
            f"Version {api.model.version} of model {api.id} is served from workbook "
            f"{api.model.workbook_sha256}, not {request['werkboekSha256']}: this service "
            "cannot reproduce that answer.",
        )
    digest = api.inputs_hash(values)
    if request["invoerHash"] != digest:
        reason = (
            f"The inputs give {digest} with version {api.model.version}'s defaults; the "
            "stored answer's invoer or invoerHash has changed since it was calculated."
        )
        raise invalid_input([{"name": "invoerHash", "reason": reason}])


def current_values(current: ModelAPI, resolved: Mapping[str, Any]) -> dict[str, Any]:
    """The stored inputs as the current version takes them: its own validation, and 409
    `inputsNotInCurrentVersion` naming every input it does not accept."""
    try:
        return current.load_request({"invoer": dict(resolved)})
    except ValidationError as exc:
        params = list(exc.messages)  # type: ignore[arg-type]
        names = ", ".join(p["name"] for p in params)
        raise Problem(
            409,
            "inputsNotInCurrentVersion",
            f"The current version {current.model.version} of model {current.id} does not "
            f"take these stored inputs: {names}.",
            params,
        ) from None


def differences(old: Mapping[str, Any], new: Mapping[str, Any]) -> list[dict[str, Any]]:
    """Every output whose value differs between two answers' `uitvoer` (or that only one
    has): groep, naam, waarde, huidigeWaarde and verschil (new - old for two numbers)."""
    flat_old = {(g, n): v for g, items in old.items() for n, v in items.items()}
    flat_new = {(g, n): v for g, items in new.items() for n, v in items.items()}
    out = []
    for key in [*flat_old, *(k for k in flat_new if k not in flat_old)]:
        a, b = flat_old.get(key), flat_new.get(key)
        if key in flat_old and key in flat_new and type(a) is type(b) and a == b:
            continue
        numbers = all(isinstance(v, float) for v in (a, b))
        out.append(
            {
                "groep": key[0],
                "naam": key[1],
                "waarde": a,
                "huidigeWaarde": b,
                "verschil": b - a if numbers else None,  # type: ignore[operator]
            }
        )
    return out
