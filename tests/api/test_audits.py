"""POST .../audits: the workbook as the body, the report as JSON or HTML, hostile files refused."""

from __future__ import annotations

import http.client
import json
import threading
import time
from collections.abc import Iterator

import pytest
from openapi_schema_validator import OAS30Validator
from werkzeug.serving import make_server

from service.api.views.audits import REPORT_CSP
from service.audit import XLSX_MIMETYPE
from tests.api.support import CALC, DEFAULT_MODEL
from tests.audit.support import MODEL_IDS, REFERENCE, hostile_corpus

AUDITS = f"/v1/modellen/{DEFAULT_MODEL}/audits"


def upload(client, data: bytes, **headers: str):
    return client.post(AUDITS, data=data, content_type=XLSX_MIMETYPE, headers=headers)


def test_the_reference_is_consistent(client) -> None:
    response = upload(client, REFERENCE.read_bytes())
    assert response.status_code == 200
    body = response.get_json()
    assert body["modelId"] == DEFAULT_MODEL
    assert body["rapport"]["verdict"] == "consistent"


def test_an_exported_scenario_audits_clean(client) -> None:
    xlsx = client.post(CALC, json={"invoer": {"fteAanpak": 13}}, headers={"Accept": XLSX_MIMETYPE})
    report = upload(client, xlsx.data).get_json()["rapport"]
    assert report["modelIntact"] and report["valuesCurrent"]
    assert report["summary"]["changedInputs"] == 1


@pytest.mark.parametrize("model_id", MODEL_IDS)
def test_every_models_own_export_audits_with_zero_departures(client, model_id: str) -> None:
    xlsx = client.post(
        f"/v1/modellen/{model_id}/berekeningen",
        json={"invoer": {}},
        headers={"Accept": XLSX_MIMETYPE},
    )
    assert (xlsx.status_code, xlsx.mimetype) == (200, XLSX_MIMETYPE)
    response = client.post(
        f"/v1/modellen/{model_id}/audits", data=xlsx.data, content_type=XLSX_MIMETYPE
    )
    assert response.status_code == 200, response.get_json()
    report = response.get_json()["rapport"]
    assert report["verdict"] == "consistent"
    counts = {k: v for k, v in report["summary"].items() if k not in ("outputs", "outputsMatching")}
    assert set(counts.values()) == {0}, counts
    assert report["summary"]["outputsMatching"] == report["summary"]["outputs"] > 0


def test_report_as_html(client) -> None:
    response = upload(client, REFERENCE.read_bytes(), Accept="text/html")
    assert response.status_code == 200
    assert response.mimetype == "text/html"
    assert response.headers["Content-Security-Policy"] == REPORT_CSP
    assert "<script" not in response.get_data(as_text=True)


def test_only_an_xlsx_body(client) -> None:
    response = client.post(AUDITS, json={"invoer": {}})
    assert response.status_code == 415
    assert response.get_json()["code"] == "unsupportedMediaType"


def test_upload_limit_is_the_audit_limit_not_the_json_limit(app, client) -> None:
    limit = app.config["MAX_UPLOAD_BYTES"]
    assert limit > app.config["MAX_CONTENT_LENGTH"]
    # Past the JSON limit but within the upload limit: read, then refused as no workbook.
    response = upload(client, b"x" * (app.config["MAX_CONTENT_LENGTH"] + 1))
    assert (response.status_code, response.get_json()["code"]) == (415, "unsupportedWorkbook")
    response = upload(client, b"x" * (limit + 1))
    assert (response.status_code, response.get_json()["code"]) == (413, "bodyTooLarge")
    assert f"limit of {limit} bytes" in response.get_json()["detail"]


CORPUS = hostile_corpus(REFERENCE.read_bytes())


@pytest.fixture(scope="module")
def server(app) -> Iterator[tuple[str, int]]:
    """The app behind a real socket, so that the corpus goes over HTTP."""
    httpd = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield "127.0.0.1", httpd.server_port
    httpd.shutdown()


@pytest.mark.parametrize("name", sorted(CORPUS))
def test_hostile_files_over_http_are_refused_quickly(server, spec, name: str) -> None:
    _, data, error = CORPUS[name]
    connection = http.client.HTTPConnection(*server, timeout=10)
    started = time.monotonic()
    connection.request("POST", AUDITS, body=data, headers={"Content-Type": XLSX_MIMETYPE})
    response = connection.getresponse()
    body = json.loads(response.read())
    elapsed = time.monotonic() - started
    connection.close()
    assert response.status == error.status, body
    assert 400 <= response.status < 500
    assert response.getheader("Content-Type") == "application/problem+json"
    assert response.getheader("API-Version") == spec["info"]["version"]
    assert body["code"] == error.code
    OAS30Validator(
        {"$ref": "#/components/schemas/Problem", "components": spec["components"]}
    ).validate(body)
    assert elapsed < 5, f"{name} took {elapsed:.1f} s"
