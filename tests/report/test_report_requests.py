"""The report endpoint's requests: bad input is refused as the calculation and the
comparison refuse it, options are checked, HTML by Accept, sections left out say so."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import pytest
from flask.testing import FlaskClient

from service import report
from service.api.model_api import ModelAPI
from service.cli import main
from service.engine import CompiledModel, load_models
from service.engine.roles import Roles
from tests.report.support import MODELS, dutch, flat, report_path

ROOT = Path(__file__).resolve().parents[2]
MODEL = MODELS[0]
SAME = ("type", "title", "status", "code", "invalidParams")


def _same_problem(a: dict[str, Any], b: dict[str, Any]) -> None:
    assert {k: a.get(k) for k in SAME} == {k: b.get(k) for k in SAME}


@pytest.mark.parametrize(
    "body",
    [
        {"invoer": {"fteAanpak": "12", "kleur": "rood", "disconteringsvoet": 0.3}},
        {"invoer": {"disconteringsvoet": 0.02}, "norm": "2021"},
        {"norm": "1999"},
        {"invoer": [1, 2]},
        [1, 2],
    ],
)
def test_bad_scenario_is_refused_as_the_calculation_refuses_it(
    client: FlaskClient, body: Any
) -> None:
    calc = client.post(f"/v1/modellen/{MODEL}/berekeningen", json=body)
    rep = client.post(report_path(MODEL), json=body)
    assert rep.status_code == calc.status_code == 400
    assert rep.mimetype == "application/problem+json"
    _same_problem(rep.get_json(), calc.get_json())


def test_bad_variants_are_refused_as_the_comparison_refuses_them(client: FlaskClient) -> None:
    body = {
        "varianten": [
            {"naam": "a", "invoer": {"fteAanpak": -1}},
            {"naam": "a", "referentie": True},
            {"naam": "b", "referentie": True, "norm": "2021"},
        ]
    }
    cmp = client.post(f"/v1/modellen/{MODEL}/vergelijkingen", json=body)
    rep = client.post(report_path(MODEL), json=body)
    assert rep.status_code == cmp.status_code == 400
    _same_problem(rep.get_json(), cmp.get_json())


def test_options_and_input_errors_come_back_at_once(client: FlaskClient) -> None:
    body = {
        "invoer": {"fteAanpak": "x"},
        "varianten": [{"naam": "a"}, {"naam": "b"}],
        "taal": "fr",
        "onderdelen": ["samenvatting", "bijlagen"],
    }
    r = client.post(report_path(MODEL), json=body)
    assert r.status_code == 400
    names = {p["name"] for p in r.get_json()["invalidParams"]}
    assert names == {"invoer", "varianten", "taal", "onderdelen.1"}
    r = client.post(report_path(MODEL), json={"onderdelen": []})
    assert [p["name"] for p in r.get_json()["invalidParams"]] == ["onderdelen"]


def test_unknown_model_and_media_type(client: FlaskClient) -> None:
    assert client.post(report_path("geen-model")).status_code == 404
    r = client.post(report_path(MODEL), headers={"Accept": "image/png"})
    assert r.status_code == 406 and r.get_json()["code"] == "notAcceptable"


def test_html_by_accept_with_only_the_summary(client: FlaskClient) -> None:
    r = client.post(
        report_path(MODEL),
        json={"invoer": {"fteAanpak": 14.0}, "onderdelen": ["samenvatting"]},
        headers={"Accept": "text/html"},
    )
    assert r.status_code == 200 and r.mimetype == "text/html"
    assert "script-src" not in r.headers["Content-Security-Policy"]
    html = r.get_data(as_text=True)
    assert '<html lang="nl">' in html
    text = re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html)).replace("\u00a0", " ")
    answer = client.post(
        f"/v1/modellen/{MODEL}/berekeningen", json={"invoer": {"fteAanpak": 14.0}}
    ).get_json()
    iface = client.get(f"/v1/modellen/{MODEL}").get_json()
    kinds = {o["naam"]: o["type"] for o in iface["uitvoer"]}
    for name in iface["rollen"]["kerncijfers"]:
        assert dutch(flat(answer["uitvoer"])[name], kinds[name]) in text
    # the changed input is not shown: only the summary was asked for; the rest says so
    assert text.count("Dit onderdeel ontbreekt: niet gevraagd.") == len(report.SECTIONS) - 2


class _Stripped:
    """A model as the report sees it, with only the roles given (the rest delegated)."""

    def __init__(self, model: CompiledModel, roles: Roles) -> None:
        self._model = model
        self.roles = roles

    def __getattr__(self, name: str) -> Any:
        return getattr(self._model, name)


@pytest.fixture(scope="module")
def first_model() -> CompiledModel:
    return load_models(ROOT / "formulas_spec")[MODEL]


def test_a_model_without_saldo_or_actors_leaves_those_sections_out(
    first_model: CompiledModel,
) -> None:
    r = first_model.roles
    stripped = _Stripped(first_model, Roles(headline=r.headline, benefit_bars=r.benefit_bars))
    answer = ModelAPI(first_model).calculate({})
    data = report.scenario_report(stripped, answer, {}, lang="en")  # type: ignore[arg-type]
    omitted = {s["id"]: s["omitted"] for s in data["sections"] if s["omitted"]}
    assert omitted == {
        "actoren": "This section is left out: the model does not split costs and benefits "
        "over actors (no actor roles).",
        "verloop": "This section is left out: the model declares no yearly series (no role "
        "for costs and benefits per year), so there is no course over time and no payback "
        "year.",
        "gevoeligheid": "This section is left out: the model declares no balance (no saldo role).",
        "onzekerheid": "This section is left out: the model declares no balance (no saldo role).",
    }
    summary = next(s for s in data["sections"] if s["id"] == "samenvatting")
    assert "The model declares no balance (no saldo role)" in summary["paragraphs"][0]
    html = report.render_html(data)
    for reason in omitted.values():
        assert reason in html


def test_dutch_numbers() -> None:
    from service.report import numbers

    assert numbers.euro(1364850.0) == "EUR\u00a01.364.850"
    assert numbers.euro(-474597.408) == "EUR\u00a0-474.597"
    assert numbers.euro(12.5) == "EUR\u00a012,50"
    assert numbers.percent(0.34296363914452904) == "34%"
    assert numbers.percent(0.055, 2) == "5,5%" and numbers.percent(0.0225, 2) == "2,25%"
    assert numbers.number(1.65) == "1,65" and numbers.number(12000.0) == "12.000"
    assert numbers.value(True, "yesno", "", "en") == "yes"
    assert numbers.value(65.0, "euro", "EUR per uur") == "EUR\u00a065 per uur"


def test_command_line(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    request = tmp_path / "verzoek.json"
    request.write_text(json.dumps({"invoer": {"fteAanpak": 14.0}, "onderdelen": ["samenvatting"]}))
    out = tmp_path / "rapport.html"
    args = ["--spec-dir", str(ROOT / "formulas_spec"), "--model", MODEL, "report"]
    assert main([*args, str(request), "-o", str(out), "--html", "--lang", "en"]) == 0
    html = out.read_text("utf-8")
    assert '<html lang="en">' in html and "Summary" in html
    request.write_text(json.dumps({"fteAanpak": "veel"}))  # a plain scenario file
    assert main([*args, str(request), "-o", str(out)]) == 3
    assert "invoer.fteAanpak: Not a valid number." in capsys.readouterr().err
