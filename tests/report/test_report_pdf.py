"""The council report as a PDF: every headline figure equals the calculation endpoint's
answer, formatted the Dutch way; fonts embedded; tagged, with title and language.

Each report is rendered once per module (a PDF takes seconds); the API's answers come
from the calculation endpoint through the same (spec-validating) test client.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pypdf
import pytest
from flask import Flask
from flask.testing import FlaskClient

from tests.api.support import make_app
from tests.report.support import (
    MODELS,
    dutch,
    flat,
    needs_poppler,
    pdf_fonts,
    pdf_text,
    report_path,
)

pytestmark = needs_poppler
TITLES = {"nl": "Maatschappelijke kosten-batenanalyse", "en": "Social cost-benefit analysis"}


@pytest.fixture(scope="module")
def report_app(spec: dict[str, Any]) -> Flask:
    """An app without the request time limit: on this shared 2-core host a report can take
    longer than the limit under load; its speed is measured in bench/bench_report.py."""
    return make_app(spec, REQUEST_TIMEOUT=0)


@pytest.fixture(scope="module")
def rendered(
    report_app: Flask, tmp_path_factory: pytest.TempPathFactory
) -> dict[tuple[str, str], Path]:
    """The default scenario's report of each model in each language, as PDF files."""
    client = report_app.test_client()
    out = {}
    folder = tmp_path_factory.mktemp("reports")
    for model_id in MODELS:
        for lang in ("nl", "en"):
            r = client.post(report_path(model_id), json={"taal": lang})
            assert r.status_code == 200, r.get_data(as_text=True)
            assert r.mimetype == "application/pdf"
            assert r.headers["Content-Disposition"] == (
                f'attachment; filename="{model_id}-rapport.pdf"'
            )
            path = folder / f"{model_id}-{lang}.pdf"
            path.write_bytes(r.data)
            out[model_id, lang] = path
    return out


def _interface(client: FlaskClient, model_id: str) -> dict[str, Any]:
    return client.get(f"/v1/modellen/{model_id}").get_json()


@pytest.mark.parametrize("lang", ["nl", "en"])
@pytest.mark.parametrize("model_id", MODELS)
def test_headline_figures_equal_the_calculation(
    rendered: dict[tuple[str, str], Path], client: FlaskClient, model_id: str, lang: str
) -> None:
    iface = _interface(client, model_id)
    answer = client.post(f"/v1/modellen/{model_id}/berekeningen").get_json()
    values = flat(answer["uitvoer"])
    kinds = {o["naam"]: o["type"] for o in iface["uitvoer"]}
    text = pdf_text(rendered[model_id, lang])
    headline = iface["rollen"]["kerncijfers"]
    assert headline, "the model declares headline figures"
    for name in headline:
        assert dutch(values[name], kinds[name]) in text, name
    # the title page pins the calculation down
    for key in ("modelVersie", "werkboekSha256", "invoerHash"):
        assert answer[key].replace(" ", "") in text.replace(" ", ""), key
    # who pays, who profits: every actor's costs, benefits and saldo
    for actor in iface["actoren"]:
        label = actor["labelNl"] if lang == "nl" else actor["labelEn"]
        assert label in text
        for kind in ("kosten", "baten", "saldo"):
            assert dutch(values[actor[kind]], "euro") in text, (actor["naam"], kind)
    assert TITLES[lang] in text


@pytest.mark.parametrize("model_id", MODELS)
def test_over_time_equals_the_series_endpoint(
    rendered: dict[tuple[str, str], Path], client: FlaskClient, model_id: str
) -> None:
    """The payback year and each actor's budget after 2 years are the figures of
    `POST .../tijdreeksen` (checked against LibreOffice in tests/analysis/test_timeline.py)."""
    series = client.post(f"/v1/modellen/{model_id}/tijdreeksen", json={}).get_json()
    nl = pdf_text(rendered[model_id, "nl"])
    year = series["totaal"]["terugverdienJaar"]
    if year is None:
        assert "verdient de aanpak zich niet terug" in nl
    else:
        assert f"positief en blijft dat vanaf jaar {year}." in nl
    for actor in series["actoren"]:
        assert dutch(actor["begroting"]["saldo"], "euro") in nl, actor["actor"]
        final = actor["cumulatiefSaldo"]["contant"][-1]
        assert dutch(final, "euro") in nl, actor["actor"]
    assert "Dit onderdeel ontbreekt: het model geeft geen jaarreeks op" not in nl
    en = pdf_text(rendered[model_id, "en"])
    assert "Over time and payback" in en and "declares no yearly series" not in en


def test_fonts_are_embedded(rendered: dict[tuple[str, str], Path]) -> None:
    for path in rendered.values():
        fonts = pdf_fonts(path)
        assert fonts, path
        assert all(f["emb"] == "yes" for f in fonts), fonts
        assert {f["name"].split("+")[-1] for f in fonts} <= {"DejaVu-Sans", "DejaVu-Sans-Bold"}


@pytest.mark.parametrize("lang", ["nl", "en"])
def test_tagged_with_title_and_language(rendered: dict[tuple[str, str], Path], lang: str) -> None:
    for model_id in MODELS:
        reader = pypdf.PdfReader(rendered[model_id, lang])
        root = reader.trailer["/Root"]
        assert root["/Lang"] == lang
        assert bool(root["/MarkInfo"]["/Marked"])
        assert "/StructTreeRoot" in root
        assert bool(root["/ViewerPreferences"]["/DisplayDocTitle"])
        title = reader.metadata.title
        assert title.startswith(TITLES[lang]) and len(reader.pages) >= 5
        box = reader.pages[0].mediabox
        assert (round(float(box.width)), round(float(box.height))) == (595, 842)  # A4
        # page numbers in the footer: "1 / n" on the first page, "n / n" on the last
        n = len(reader.pages)
        assert f"1 / {n}" in reader.pages[0].extract_text()
        assert f"{n} / {n}" in reader.pages[-1].extract_text()


def test_a_comparison_of_three_variants(report_app: Flask, tmp_path: Path) -> None:
    """Every variant's headline figures, as the calculation endpoint answers each variant,
    are in the comparison's report; the ranking too."""
    client = report_app.test_client()
    model_id = MODELS[0]
    variants = [
        {"naam": "basis"},
        {"naam": "norm-2021", "norm": "2021"},
        {"naam": "meer-fte", "invoer": {"fteAanpak": 14}},
    ]
    r = client.post(report_path(model_id), json={"varianten": variants})
    assert r.status_code == 200, r.get_data(as_text=True)
    assert r.headers["Content-Disposition"].endswith('-vergelijking.pdf"')
    path = tmp_path / "vergelijking.pdf"
    path.write_bytes(r.data)
    text = pdf_text(path)
    iface = _interface(client, model_id)
    kinds = {o["naam"]: o["type"] for o in iface["uitvoer"]}
    for v in variants:
        body = {k: v[k] for k in ("invoer", "norm") if k in v}
        answer = client.post(f"/v1/modellen/{model_id}/berekeningen", json=body).get_json()
        values = flat(answer["uitvoer"])
        for name in iface["rollen"]["kerncijfers"]:
            assert dutch(values[name], kinds[name]) in text, (v["naam"], name)
        assert answer["invoerHash"] in text.replace(" ", "")
    ranking = client.post(
        f"/v1/modellen/{model_id}/vergelijkingen", json={"varianten": variants}
    ).get_json()["rangorde"]
    best = ranking[0]
    assert f"staat {best['naam']} bovenaan met {dutch(best['saldo'], 'euro')}" in text
    assert all(f["emb"] == "yes" for f in pdf_fonts(path))


# The charts' fixed words as the Dutch report shows them, written out here (not taken from
# service/analysis/charts.py): axis titles, legends and chart titles.
DUTCH_CHART_WORDS = (
    "Kosten en baten -",
    "NCW x € 1.000",
    "lage waarde",
    "hoge waarde",
    "elke knop -/+",
    "trekkingen",
    "Cumulatief saldo per actor",
    "cumulatief saldo, contant",
    "Totaal (jaar",
)
ENGLISH_CHART_WORDS = (
    "Costs and benefits -",
    "NPV x € 1,000",
    "low value",
    "high value",
    "each knob -/+",
    "draws",
    "Cumulative balance per actor",
    "cumulative balance, discounted",
    "Total (year",
)


@pytest.mark.parametrize("model_id", MODELS)
def test_an_english_report_has_english_charts(
    rendered: dict[tuple[str, str], Path], model_id: str
) -> None:
    """Every chart's fixed words are in the report's language: the Dutch words are text in
    the Dutch report's charts (so the check can see them) and absent from the English one."""
    nl, en = pdf_text(rendered[model_id, "nl"]), pdf_text(rendered[model_id, "en"])
    for dutch_words, english_words in zip(DUTCH_CHART_WORDS, ENGLISH_CHART_WORDS, strict=True):
        assert dutch_words in nl and dutch_words not in en, dutch_words
        assert english_words in en, english_words
