"""The command line: calculate, export and audit without a server."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from service.audit.audit import jsonable
from service.cli import main
from service.engine import CompiledModel
from tests.audit.support import REFERENCE, set_cells


def test_calculate_from_a_json_file(
    model: CompiledModel, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    scenario = tmp_path / "scenario.json"
    scenario.write_text(json.dumps({"inputs": {"disconteringsvoet": 0.0225}}))
    assert main(["calculate", str(scenario)]) == 0
    doc = json.loads(capsys.readouterr().out)
    want = {k: jsonable(v) for k, v in model.calculate({"disconteringsvoet": 0.0225}).items()}
    assert doc["outputs"] == want


def test_export_then_audit(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    scenario = tmp_path / "scenario.json"
    scenario.write_text(json.dumps({"fteAanpak": 10}))
    xlsx, html, report = tmp_path / "s.xlsx", tmp_path / "r.html", tmp_path / "r.json"
    assert main(["export", str(scenario), "-o", str(xlsx)]) == 0
    assert main(["audit", str(xlsx), "--json", str(report), "--html", str(html)]) == 0
    doc = json.loads(report.read_text())
    assert doc["verdict"] == "consistent" and doc["changedInputs"] == ["fteAanpak"]
    assert "<html" in html.read_text()
    assert "consistent" in capsys.readouterr().err


def test_audit_exit_status_and_refusals(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    edited = tmp_path / "edited.xlsx"
    edited.write_bytes(set_cells(REFERENCE.read_bytes(), None, {"Cockpit!J5": "=$J$6"}))
    assert main(["audit", str(edited), "--json", str(tmp_path / "r.json")]) == 1
    bad = tmp_path / "bad.xlsx"
    bad.write_bytes(b"not a workbook")
    assert main(["audit", str(bad)]) == 3
    assert "415 unsupportedWorkbook" in capsys.readouterr().err
    scenario = tmp_path / "bad.json"
    scenario.write_text('{"fteAanpak": "=1+1"}')
    assert main(["export", str(scenario), "-o", str(tmp_path / "x.xlsx")]) == 3
    assert not (tmp_path / "x.xlsx").exists()


def test_python_dash_m_service() -> None:
    done = subprocess.run(
        [sys.executable, "-m", "service", "--help"], capture_output=True, text=True, check=True
    )
    assert "calculate" in done.stdout and "audit" in done.stdout
