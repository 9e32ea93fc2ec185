"""Versions of a model whose figures differ: the mini model of the compiler tests in two
versions, compiled into a models folder of its own, and served by an app over it.

Version 2 raises the overhead on a case (Parameters!E2) from 15% to 20%. The oracle of
the differences is the hand calculation below, from the workbook's formulas
(tests/compiler/make_workbooks.py): costs = ROUND(households * reach) * costPerCase *
(1 + overhead) with the case manager on.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from flask import Flask

from service import create_app
from service.compiler import CompileError
from service.compiler.__main__ import compile_dir
from tests.compiler.make_workbooks import mini_mkba_workbook

MODEL = "mini-mkba"


def _write(path: Path, version: str, overhead: float, max_cost: float = 50000) -> None:
    wb = mini_mkba_workbook()
    wb["Parameters"]["E2"] = overhead
    interface = wb["Interface"]
    for row in interface.iter_rows(min_row=2):
        if row[0].value == "model" and row[1].value == "version":
            row[2].value = version
        if row[0].value == "input" and row[1].value == "costPerCase":
            row[7].value = max_cost  # column H: the input's maximum
    wb.save(path)


@pytest.fixture(scope="module")
def models(tmp_path_factory: pytest.TempPathFactory) -> Path:
    spec = tmp_path_factory.mktemp("spec")
    (spec / "versions").mkdir()
    _write(spec / "versions" / f"{MODEL}@1.xlsx", "1", 0.15)
    _write(spec / f"{MODEL}.xlsx", "2", 0.20)
    compile_dir(spec)
    return spec


@pytest.fixture(scope="module")
def mini(models: Path) -> Flask:
    return create_app({"TESTING": True, "MODELS_DIR": models})


def test_both_versions_listed_with_the_cells_that_changed(mini: Flask) -> None:
    client = mini.test_client()
    versions = client.get(f"/v1/modellen/{MODEL}/versies").get_json()["versies"]
    assert [v["versie"] for v in versions] == ["1", "2"]
    note = client.get(f"/v1/modellen/{MODEL}/versies/2/wijzigingen").get_json()["wijzigingen"]
    assert note == [
        {"cel": "Parameters!E2", "oud": "0.15", "nieuw": "0.2"},
        {"cel": "Interface!C3", "oud": "'1'", "nieuw": "'2'"},
    ]


def test_recalculation_lists_the_differences_with_the_current_version(mini: Flask) -> None:
    client = mini.test_client()
    invoer = {"households": 1000, "reach": 0.5, "caseManager": True, "costPerCase": 4000}
    stored = client.post(f"/v1/modellen/{MODEL}/versies/1/berekeningen", json={"invoer": invoer})
    answer = stored.get_json()
    request = {k: answer[k] for k in ("modelId", "modelVersie", "werkboekSha256", "invoerHash")}
    request |= {"invoer": answer["invoer"], "vergelijkMetHuidigeVersie": True}
    again = client.post("/v1/herberekeningen", json=request).get_json()
    assert {k: again[k] for k in answer} == answer
    assert again["huidigeVersie"]["modelVersie"] == "2"
    by_name = {d["naam"]: d for d in again["verschillen"]}
    cases = round(1000 * 0.5)  # ROUND(households * reach)
    assert by_name["costs"]["waarde"] == pytest.approx(cases * 4000 * 1.15, rel=1e-12)
    assert by_name["costs"]["huidigeWaarde"] == pytest.approx(cases * 4000 * 1.20, rel=1e-12)
    assert by_name["costs"]["verschil"] == pytest.approx(cases * 4000 * 0.05, rel=1e-9)
    assert by_name["net"]["verschil"] == pytest.approx(-cases * 4000 * 0.05, rel=1e-9)
    # the benefits do not read the overhead: not listed
    assert "benefits" not in by_name and "gemeenteBaten" not in by_name
    for d in again["verschillen"]:
        if d["verschil"] is not None:
            assert d["verschil"] == d["huidigeWaarde"] - d["waarde"]


def test_an_earlier_version_must_be_named_after_its_interface(tmp_path: Path) -> None:
    (tmp_path / "versions").mkdir()
    _write(tmp_path / "versions" / f"{MODEL}@3.xlsx", "1", 0.15)
    _write(tmp_path / f"{MODEL}.xlsx", "2", 0.20)
    with pytest.raises(CompileError, match="Interface says version '1', its file name '3'"):
        compile_dir(tmp_path)


def test_an_earlier_version_may_not_reuse_the_current_number(tmp_path: Path) -> None:
    (tmp_path / "versions").mkdir()
    _write(tmp_path / "versions" / f"{MODEL}@2.xlsx", "2", 0.15)
    _write(tmp_path / f"{MODEL}.xlsx", "2", 0.20)
    with pytest.raises(CompileError, match="current version's number"):
        compile_dir(tmp_path)


@pytest.fixture(scope="module")
def reshaped(tmp_path_factory: pytest.TempPathFactory) -> Flask:
    """Version 2 also takes costs per case up to 80,000 instead of 50,000: another contract."""
    spec = tmp_path_factory.mktemp("reshaped")
    (spec / "versions").mkdir()
    _write(spec / "versions" / f"{MODEL}@1.xlsx", "1", 0.15)
    _write(spec / f"{MODEL}.xlsx", "2", 0.20, max_cost=80000)
    compile_dir(spec)
    return create_app({"TESTING": True, "MODELS_DIR": spec})


def test_each_version_has_the_contract_of_its_own_inputs(reshaped: Flask) -> None:
    from openapi_spec_validator import validate

    client = reshaped.test_client()
    model = client.get(f"/v1/modellen/{MODEL}/openapi.json").get_json()
    # the model's contract describes the pinned paths of version 2 only: 1 takes less
    assert model["components"]["schemas"]["ModelVersie"]["enum"] == ["2"]
    assert model["components"]["schemas"]["GediendeVersie"]["enum"] == ["1", "2"]
    docs = {v: client.get(f"/v1/modellen/{MODEL}/versies/{v}/openapi.json") for v in "12"}
    for version, maximum in (("1", 50000), ("2", 80000)):
        doc = docs[version].get_json()
        validate(doc)
        schemas = doc["components"]["schemas"]
        assert schemas["ModelVersie"]["enum"] == [version]
        assert schemas["Invoer"]["properties"]["costPerCase"]["maximum"] == maximum
        assert all(
            "/versies/{versie}" in p or p == "/herberekeningen" or p.endswith("/versies")
            for p in doc["paths"]
        )
        assert "/modellen/{modelId}/versies/{versie}/berekeningen" in doc["paths"]
        # as each version's contract says: 60,000 is refused by version 1 alone
        answer = client.post(
            f"/v1/modellen/{MODEL}/versies/{version}/berekeningen",
            json={"invoer": {"costPerCase": 60000}},
        )
        assert answer.status_code == (400 if version == "1" else 200)
    yaml_doc = client.get(f"/v1/modellen/{MODEL}/versies/1/openapi.yaml")
    assert yaml_doc.status_code == 200 and yaml_doc.mimetype == "application/yaml"
    missing = client.get(f"/v1/modellen/{MODEL}/versies/3/openapi.json")
    assert missing.status_code == 404 and missing.get_json()["code"] == "unknownVersion"
    assert "1, 2" in missing.get_json()["detail"]
