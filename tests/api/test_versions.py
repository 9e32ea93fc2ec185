"""Versions side by side (issue 20): the served versions of the first model, pinned
calculations, change notes, and the recalculation of a stored answer.

The oracles: the workbooks' own bytes (SHA-256 computed here), LibreOffice recalculating
each version's workbook (tests/compiler/parity.py), the text form of the workbooks
(tools/dump_cells.py) for the change note, and the stored answer itself for the
recalculation.
"""

from __future__ import annotations

import hashlib
import os
from pathlib import Path
from typing import Any

import pytest
from flask import Flask

from tests.api.support import ROOT

SPEC = ROOT / "formulas_spec"
MODEL = "mkba-1gezin1plan"
OLD = "1.0.0"
NEW = "1.1.0"
OLD_BOOK = SPEC / "versions" / f"{MODEL}@{OLD}.xlsx"
NEW_BOOK = SPEC / f"{MODEL}.xlsx"
# a scenario away from the defaults: both switches on, other counts and rates
SCENARIO = {
    "fteAanpak": 9.5,
    "reductieOverlastMeetellen": True,
    "kwaliteitVanLevenInQalys": True,
    "disconteringsvoet": 0.04,
}


def _sha(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def test_two_versions_are_served_together(client) -> None:
    listed = client.get(f"/v1/modellen/{MODEL}").get_json()["versies"]
    assert [(v["versie"], v["werkboekSha256"]) for v in listed] == [
        (OLD, _sha(OLD_BOOK)),
        (NEW, _sha(NEW_BOOK)),
    ]
    assert [v["huidig"] for v in listed] == [False, True]
    assert listed[1]["datum"] == "2026-12-02" and listed[0]["vervangenOp"] == "2026-12-02"
    again = client.get(f"/v1/modellen/{MODEL}/versies").get_json()
    assert again == {"modelId": MODEL, "huidigeVersie": NEW, "versies": listed}
    # the old version is a version of its model, not a model of its own
    ids = [m["id"] for m in client.get("/v1/modellen").get_json()["modellen"]]
    assert ids.count(MODEL) == 1 and not any("@" in i for i in ids)
    # the plain path answers with the current version, a pinned path with the asked one
    plain = client.post(f"/v1/modellen/{MODEL}/berekeningen", json={}).get_json()
    assert (plain["modelVersie"], plain["werkboekSha256"]) == (NEW, _sha(NEW_BOOK))
    for version, book in ((OLD, OLD_BOOK), (NEW, NEW_BOOK)):
        url = f"/v1/modellen/{MODEL}/versies/{version}/berekeningen"
        answer = client.post(url, json={"invoer": SCENARIO}).get_json()
        assert (answer["modelVersie"], answer["werkboekSha256"]) == (version, _sha(book))
        document = client.get(f"/v1/modellen/{MODEL}/versies/{version}").get_json()
        assert document["versie"] == version and document["werkboekSha256"] == _sha(book)


def test_an_unserved_version_is_a_404_naming_the_served_ones(client) -> None:
    for url in (
        f"/v1/modellen/{MODEL}/versies/0.9.0",
        f"/v1/modellen/{MODEL}/versies/0.9.0/wijzigingen",
    ):
        response = client.get(url)
        assert response.status_code == 404
        assert response.mimetype == "application/problem+json"
        problem = response.get_json()
        assert problem["code"] == "unknownVersion"
        assert "0.9.0" in problem["detail"] and f"{OLD}, {NEW}" in problem["detail"]
    response = client.post(f"/v1/modellen/{MODEL}/versies/0.9.0/berekeningen", json={})
    assert response.status_code == 404 and response.get_json()["code"] == "unknownVersion"
    response = client.get("/v1/modellen/bestaat-niet/versies")
    assert response.status_code == 404 and response.get_json()["code"] == "unknownModel"


def test_the_change_note_lists_the_changed_cells(client) -> None:
    from tools.dump_cells import text_form

    def cells(book: Path) -> dict[str, str]:
        lines = [line for line in text_form(book).splitlines() if not line.startswith("#")]
        return dict(line.split("\t", 1) for line in lines)

    before, after = cells(OLD_BOOK), cells(NEW_BOOK)
    expected = {k for k in before.keys() | after.keys() if before.get(k) != after.get(k)}
    note = client.get(f"/v1/modellen/{MODEL}/versies/{NEW}/wijzigingen").get_json()
    assert note["vorigeVersie"] == OLD and note["modelVersie"] == NEW
    assert {c["cel"] for c in note["wijzigingen"]} == expected
    assert note["aantalWijzigingen"] == len(expected) > 0

    def same(served: str | None, typed: str | None) -> bool:
        # the note gives a number as Excel holds it (a float); the text form as typed
        if served is None or typed is None or typed[:1] in ("'", "="):
            return served == typed
        return float(served) == float(typed)

    for change in note["wijzigingen"]:
        assert same(change["oud"], before.get(change["cel"])), change
        assert same(change["nieuw"], after.get(change["cel"])), change
    first = client.get(f"/v1/modellen/{MODEL}/versies/{OLD}/wijzigingen").get_json()
    assert first["vorigeVersie"] is None and first["wijzigingen"] == []


def test_a_stored_answer_is_recalculated_bit_for_bit(client) -> None:
    for url in (
        f"/v1/modellen/{MODEL}/versies/{OLD}/berekeningen",
        f"/v1/modellen/{MODEL}/versies/{NEW}/berekeningen",
        f"/v1/modellen/{MODEL}/berekeningen",
    ):
        stored = client.post(url, json={"invoer": SCENARIO})
        answer = stored.get_json()
        request = {k: answer[k] for k in ("modelId", "modelVersie", "werkboekSha256")}
        request |= {"invoerHash": answer["invoerHash"], "invoer": answer["invoer"]}
        again = client.post("/v1/herberekeningen", json=request)
        assert again.status_code == 200
        assert again.data == stored.data, url  # the same bytes: every figure, bit for bit


def test_recalculation_compares_with_the_current_version(client) -> None:
    url = f"/v1/modellen/{MODEL}/versies/{OLD}/berekeningen"
    answer = client.post(url, json={"invoer": SCENARIO}).get_json()
    request = {k: answer[k] for k in ("modelId", "modelVersie", "werkboekSha256", "invoerHash")}
    request |= {"invoer": answer["invoer"], "vergelijkMetHuidigeVersie": True}
    again = client.post("/v1/herberekeningen", json=request).get_json()
    current = client.post(f"/v1/modellen/{MODEL}/berekeningen", json={"invoer": SCENARIO})
    assert again["huidigeVersie"] == current.get_json()
    assert again["uitvoer"] == answer["uitvoer"]
    # 1.1.0 corrects a label only (docs/model.md): no figure differs
    assert again["verschillen"] == []


def test_recalculation_refusals(client) -> None:
    answer = client.post(f"/v1/modellen/{MODEL}/berekeningen", json={}).get_json()
    good = {k: answer[k] for k in ("modelId", "modelVersie", "werkboekSha256", "invoerHash")}
    good["invoer"] = answer["invoer"]

    def post(**change: Any) -> Any:
        return client.post("/v1/herberekeningen", json={**good, **change})

    response = post(werkboekSha256=_sha(OLD_BOOK))  # the other version's workbook
    assert response.status_code == 409 and response.get_json()["code"] == "workbookMismatch"
    changed = {**good["invoer"], "fteAanpak": good["invoer"]["fteAanpak"] + 1}
    response = post(invoer=changed)
    assert response.status_code == 400
    assert [p["name"] for p in response.get_json()["invalidParams"]] == ["invoerHash"]
    response = post(modelVersie="0.9.0")
    assert response.status_code == 404 and response.get_json()["code"] == "unknownVersion"
    response = post(modelId="bestaat-niet")
    assert response.status_code == 404 and response.get_json()["code"] == "unknownModel"
    response = post(invoer={"bestaatNiet": 1, "fteAanpak": "veel"}, werkboekSha256="x", extra=1)
    assert response.status_code == 400
    names = {p["name"] for p in response.get_json()["invalidParams"]}
    assert names == {"werkboekSha256", "extra", "invoer.bestaatNiet", "invoer.fteAanpak"}


@pytest.mark.parity
def test_pinned_calculations_equal_each_workbook_recalculated_by_libreoffice(
    app: Flask,
) -> None:
    """Each version's pinned answers against LibreOffice recalculating that version's own
    workbook with the same inputs: the default scenario and random ones."""
    from tools.engines import engine_available

    if not engine_available("libreoffice"):
        pytest.skip("LibreOffice (soffice) not installed")
    from service.compiler.workbook import load_workbook
    from tests.compiler.parity import run_libreoffice, same, scenarios

    n = int(os.environ.get("MKBA_PARITY_SCENARIOS", "3"))
    client = app.test_client()
    for version, book in ((OLD, OLD_BOOK), (NEW, NEW_BOOK)):
        interface = load_workbook(book)
        scs = scenarios(interface.inputs, n=n, seed=20)
        outputs = {o["cell"]: o["name"] for o in interface.outputs}
        peer = run_libreoffice(book, list(outputs), scs)
        specs = {i["cell"]: i for i in interface.inputs}
        url = f"/v1/modellen/{MODEL}/versies/{version}/berekeningen"
        for sc, lo in zip(scs, peer, strict=True):
            invoer = {
                specs[c]["name"]: v == "ja" if specs[c]["type"] == "yesno" else float(v)
                for c, v in sc.items()
            }
            answer = client.post(url, json={"invoer": invoer}).get_json()
            assert answer["modelVersie"] == version
            values = {n: v for group in answer["uitvoer"].values() for n, v in group.items()}
            wrong = [
                f"{version} {name} ({cell}): service {values[name]!r}, LibreOffice {lo[cell]!r}"
                for cell, name in outputs.items()
                if not same(values[name], lo[cell])
            ]
            assert wrong == []


def test_each_versions_document_fits_the_models_contract(client) -> None:
    """The contract describes 1.0.0 too (same inputs and outputs), though only 1.1.0
    declares yearly series: each version's document must validate against it."""
    from openapi_schema_validator import OAS30Validator

    contract = client.get(f"/v1/modellen/{MODEL}/openapi.json").get_json()
    rollen = OAS30Validator(
        {"$ref": "#/components/schemas/Rollen", "components": contract["components"]}
    )
    seen = set()
    for version in (OLD, NEW):
        document = client.get(f"/v1/modellen/{MODEL}/versies/{version}").get_json()
        rollen.validate(document["rollen"])
        seen.add(document["rollen"]["tijdreeksen"] is None)
    assert seen == {True, False}  # one version with series, one without
