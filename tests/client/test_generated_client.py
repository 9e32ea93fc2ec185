"""A Python client generated from a model's contract (openapi-python-client, as an
integrator would run it) calculates the example of Bijlage II and a batch.

The client is generated into a temporary folder from `GET /v1/modellen/{modelId}/openapi.json`
and talks to the app in-process through httpx's WSGI transport; the figures are checked
against tests/bijlage_ii.py (the page's printed figures), not against the server's answer.
"""

from __future__ import annotations

import importlib
import json
import os
import shutil
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest
from flask import Flask

from tests.api.support import DEFAULT_MODEL
from tests.bijlage_ii import AMOUNTS, QUANTITIES, RETURNS, page_round

PACKAGE = "mkba_client"


def _generator() -> str:
    found = shutil.which("openapi-python-client", path=str(Path(sys.executable).parent))
    found = found or shutil.which("openapi-python-client")
    if found is None:
        pytest.skip("openapi-python-client is not installed (pip install -e '.[dev]')")
    return found


@pytest.fixture(scope="module")
def generated(app: Flask, tmp_path_factory: pytest.TempPathFactory) -> Iterator[ModuleType]:
    """The client package generated from the default model's contract, imported."""
    generator = _generator()
    folder = tmp_path_factory.mktemp("client")
    contract = app.test_client().get(f"/v1/modellen/{DEFAULT_MODEL}/openapi.json")
    assert contract.status_code == 200
    (folder / "contract.json").write_text(json.dumps(contract.get_json()), encoding="utf-8")
    env = {**os.environ, "PATH": f"{Path(sys.executable).parent}{os.pathsep}{os.environ['PATH']}"}
    result = subprocess.run(
        [generator, "generate", "--path", "contract.json", "--meta", "none"]
        + ["--output-path", PACKAGE],
        cwd=folder,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    sys.path.insert(0, str(folder))
    try:
        yield importlib.import_module(PACKAGE)
    finally:
        sys.path.remove(str(folder))
        for name in [n for n in sys.modules if n == PACKAGE or n.startswith(PACKAGE + ".")]:
            del sys.modules[name]


@pytest.fixture(scope="module")
def client(generated: ModuleType, app: Flask) -> Any:
    import httpx

    transport = httpx.WSGITransport(app=app)
    api_client = generated.Client(base_url="http://localhost/v1", raise_on_unexpected_status=True)
    api_client.set_httpx_client(
        httpx.Client(base_url="http://localhost/v1", transport=transport, timeout=60)
    )
    return api_client


def _module(name: str) -> ModuleType:
    return importlib.import_module(f"{PACKAGE}.{name}")


def _check_bijlage_ii(outputs: dict[str, Any]) -> None:
    for name, printed in QUANTITIES.items():
        assert page_round(outputs[name]) == printed, name
    for name, printed in AMOUNTS.items():
        assert page_round(outputs[name], 1000) == printed, name
    for name, printed in RETURNS.items():
        assert page_round(outputs[name], 0.01) == printed, name


def test_generated_client_calculates_bijlage_ii(generated: ModuleType, client: Any) -> None:
    calculate = _module("api.berekeningen.bereken_scenario")
    models = _module("models")
    answer = calculate.sync(
        model_id=models.ModelId(DEFAULT_MODEL), client=client, body=models.BerekeningVerzoek()
    )
    assert isinstance(answer, models.BerekeningResultaat), answer
    assert answer.rekenfouten == []
    # typed: each group of outputs is its own class, each output an attribute
    uitvoer = answer.uitvoer.to_dict()
    outputs = {name: value for group in uitvoer.values() for name, value in group.items()}
    _check_bijlage_ii(outputs)


def test_generated_client_calculates_a_batch(
    generated: ModuleType, client: Any, app: Flask
) -> None:
    batch = _module("api.berekeningen.bereken_batch")
    models = _module("models")
    interface = app.test_client().get(f"/v1/modellen/{DEFAULT_MODEL}").get_json()
    knob = next(i for i in interface["invoer"] if i["type"] != "yesno" and i["maximum"])
    changed = min(knob["maximum"], knob["standaardwaarde"] * 1.1 or 1.0)
    scenarios = [
        models.BatchScenario(id="bijlage-ii"),
        models.BatchScenario(id="anders", invoer=models.Invoer.from_dict({knob["naam"]: changed})),
    ]
    answer = batch.sync(
        model_id=models.ModelId(DEFAULT_MODEL),
        client=client,
        body=models.BatchVerzoek(scenarios=scenarios),
    )
    assert isinstance(answer, models.BatchResultaat), answer
    names = [k.naam for k in answer.kolommen]
    rows = {r.id: dict(zip(names, r.waarden, strict=True)) for r in answer.resultaten}
    _check_bijlage_ii(rows["bijlage-ii"])
    # the second scenario is the single calculation of the same inputs
    single = app.test_client().post(
        f"/v1/modellen/{DEFAULT_MODEL}/berekeningen", json={"invoer": {knob["naam"]: changed}}
    )
    flat = {n: v for g in single.get_json()["uitvoer"].values() for n, v in g.items()}
    assert rows["anders"] == pytest.approx(flat, rel=1e-12, abs=1e-9)
    assert rows["anders"] != rows["bijlage-ii"]
