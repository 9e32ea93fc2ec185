"""Generated requests made to keep the rules across fields that a model's contract states
in words because OpenAPI 3.0 cannot (its `info.description` lists them).

schemathesis draws each field of a valid (positive) request from the contract alone, so
such a request may break one of these rules and be rightly refused. These repairs change a
positive request as a client keeping the documented rules would send it; a negative one
is left as it is (it must be refused whatever it breaks). One module for the fuzz in
process (tests/fuzz/test_contract_fuzz.py) and from outside (tests/fuzz/hooks.py).

`fetch(path)` answers a GET under /v1 with its JSON: the interfaces and versions the
rules need, read from the service as any client would.
"""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Callable
from typing import Any

Fetch = Callable[[str], Any]
MODEL = re.compile(r"^/modellen/([^/]+)(?:/versies/([^/]+))?/")


def repair(path: str, body: Any, fetch: Fetch) -> Any:
    """`body` of a positive request to `path` (under /v1) made to keep the documented
    rules across fields: a copy (a generated body may hold one object twice)."""
    if not isinstance(body, dict):
        return body
    body = json.loads(json.dumps(body))  # not deepcopy: it keeps shared objects shared
    _repair(path, body, fetch)
    return body


def repair_case(case: Any, fetch: Fetch) -> None:
    """In place: the body of a positive schemathesis case repaired (`repair`)."""
    if case.meta is None or not case.meta.generation.mode.is_positive:
        return
    repaired = repair(case.formatted_path, case.body, fetch)
    # Assigned only when the repair changed it: an assignment has schemathesis judge the
    # body again, and it judges "no body" invalid even where the body is optional
    # (Case._validate_component), so a valid case without a body would come out negative.
    if repaired != case.body:
        case.body = repaired


def _repair(path: str, body: dict[str, Any], fetch: Fetch) -> None:
    if path == "/herberekeningen":
        _recalculation(body, fetch)
        return
    match = MODEL.match(path)
    if match is None:
        return
    model_id, version = match.groups()
    interface = fetch(f"/modellen/{model_id}" + (f"/versies/{version}" if version else ""))
    if not isinstance(interface, dict) or "invoer" not in interface:
        return  # a model or version not served: a 404 whatever the body
    bounds = {i["naam"]: (i["minimum"], i["maximum"]) for i in interface["invoer"]}
    rate = interface["rollen"].get("disconteringsvoet")
    _norm_or_rate(body, rate)
    for variant in body.get("varianten") or []:
        if isinstance(variant, dict):
            _norm_or_rate(variant, rate)
    _unique(body.get("scenarios"), "id")
    _unique(body.get("varianten"), "naam")
    _one_reference(body.get("varianten"))
    if path.endswith("/onzekerheidsanalyses"):
        _distributions(body, bounds)
    if path.endswith("/effectmetingen"):
        _effect(body, interface, bounds)


def _norm_or_rate(body: dict[str, Any], rate: str | None) -> None:
    """A norm sets the discount rate: not beside that input in `invoer`."""
    invoer = body.get("invoer")
    if "norm" in body and isinstance(invoer, dict) and rate is not None:
        invoer.pop(rate, None)


def _unique(items: Any, key: str) -> None:
    """Ids (scenarios) or names (variants) unique in a request."""
    if not isinstance(items, list):
        return
    seen: set[str] = set()
    for i, item in enumerate(items):
        if isinstance(item, dict) and isinstance(item.get(key), str):
            if item[key] in seen:
                item[key] = f"{item[key][:90]}.{i}"
            seen.add(item[key])


def _one_reference(variants: Any) -> None:
    """At most one variant is the reference."""
    if not isinstance(variants, list):
        return
    found = False
    for variant in variants:
        if isinstance(variant, dict) and variant.get("referentie") is True:
            if found:
                variant["referentie"] = False
            found = True


def _distributions(body: dict[str, Any], bounds: dict[str, tuple[Any, Any]]) -> None:
    """One distribution per input, its parameters within the input's bounds and in order
    (min <= modus or gemiddelde <= max)."""
    given = body.get("kansverdelingen")
    if not isinstance(given, list):
        return
    kept, seen = [], set()
    for d in given:
        name = d.get("invoerNaam") if isinstance(d, dict) else None
        if name in seen or name not in bounds:
            continue
        seen.add(name)
        lo, hi = bounds[name]
        keys = [k for k in ("min", "modus", "gemiddelde", "max") if k in d]
        values = sorted(min(max(float(d[k]), lo), hi) for k in keys)
        d.update(zip(keys, values, strict=True))
        kept.append(d)
    body["kansverdelingen"] = kept


def _effect(body: dict[str, Any], interface: dict[str, Any], bounds: dict[str, Any]) -> None:
    """Successes no more than households; a measured difference the domain's input can
    take (else the control group is made the intervention group's twin: no difference)."""
    groups = [body.get(g) for g in ("interventiegroep", "controlegroep")]
    if not all(isinstance(g, dict) for g in groups):
        return
    for g in groups:
        g["successen"] = min(g["successen"], g["huishoudens"])
    t, c = groups
    domain = next((d for d in interface["effectdomeinen"] if d["domein"] == body["domein"]), None)
    if domain is None:
        return
    lo, hi = bounds[domain["invoerNaam"]]
    value = domain["teken"] * (
        t["successen"] / t["huishoudens"] - c["successen"] / c["huishoudens"]
    )
    if not ((lo is None or lo <= value) and (hi is None or value <= hi)):
        body["controlegroep"] = dict(t)


def _recalculation(body: dict[str, Any], fetch: Fetch) -> None:
    """A stored answer as the service gave it: the workbook of its version, and the hash
    of its inputs resolved over that version's defaults (the definition in openapi.yaml,
    written out here: sorted keys, no spaces, numbers as floats)."""
    model_id, version = body.get("modelId"), body.get("modelVersie")
    interface = fetch(f"/modellen/{model_id}/versies/{version}")
    if not isinstance(interface, dict) or "invoer" not in interface:
        return
    body["werkboekSha256"] = interface["werkboekSha256"]
    given = body.get("invoer") if isinstance(body.get("invoer"), dict) else {}
    resolved = {i["naam"]: given.get(i["naam"], i["standaardwaarde"]) for i in interface["invoer"]}
    resolved = {k: v if isinstance(v, bool) else float(v) for k, v in resolved.items()}
    canonical = json.dumps(resolved, sort_keys=True, separators=(",", ":"))
    body["invoerHash"] = "sha256:" + hashlib.sha256(canonical.encode()).hexdigest()
