"""The command line: calculate, export and audit without a server."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from service.audit.audit import jsonable
from service.cli import main
from service.engine import CompiledModel
from tests.audit.support import MODEL_IDS, REFERENCE, REFERENCE_MODEL, set_cells

ROOT = Path(__file__).resolve().parents[2]


REF = ["--model", REFERENCE_MODEL]


def test_calculate_from_a_json_file(
    model: CompiledModel, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    scenario = tmp_path / "scenario.json"
    scenario.write_text(json.dumps({"inputs": {"disconteringsvoet": 0.0225}}))
    assert main([*REF, "calculate", str(scenario)]) == 0
    doc = json.loads(capsys.readouterr().out)
    want = {k: jsonable(v) for k, v in model.calculate({"disconteringsvoet": 0.0225}).items()}
    assert doc["outputs"] == want


@pytest.mark.parametrize("model_id", MODEL_IDS)
def test_export_then_audit(
    models: dict[str, CompiledModel],
    model_id: str,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
) -> None:
    spec = next(s for s in models[model_id].inputs if s.type != "yesno" and s.max)
    scenario = tmp_path / "scenario.json"
    scenario.write_text(json.dumps({spec.name: spec.max}))
    xlsx, html, report = tmp_path / "s.xlsx", tmp_path / "r.html", tmp_path / "r.json"
    model = ["--model", model_id]
    assert main([*model, "export", str(scenario), "-o", str(xlsx)]) == 0
    assert main([*model, "audit", str(xlsx), "--json", str(report), "--html", str(html)]) == 0
    doc = json.loads(report.read_text())
    assert doc["verdict"] == "consistent" and doc["changedInputs"] == [spec.name]
    assert "<html" in html.read_text()
    assert "consistent" in capsys.readouterr().err


def test_audit_exit_status_and_refusals(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    edited = tmp_path / "edited.xlsx"
    edited.write_bytes(set_cells(REFERENCE.read_bytes(), None, {"Cockpit!J5": "=$J$6"}))
    assert main([*REF, "audit", str(edited), "--json", str(tmp_path / "r.json")]) == 1
    bad = tmp_path / "bad.xlsx"
    bad.write_bytes(b"not a workbook")
    assert main([*REF, "audit", str(bad)]) == 3
    assert "415 unsupportedWorkbook" in capsys.readouterr().err
    scenario = tmp_path / "bad.json"
    scenario.write_text('{"fteAanpak": "=1+1"}')
    assert main([*REF, "export", str(scenario), "-o", str(tmp_path / "x.xlsx")]) == 3
    assert not (tmp_path / "x.xlsx").exists()


def _run(*argv: str, cwd: Path | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "service", *argv],
        capture_output=True,
        text=True,
        cwd=cwd,
        env={**os.environ, "PYTHONPATH": str(ROOT)},
        timeout=120,
    )


def test_failures_are_one_message_and_an_exit_status_never_a_traceback(tmp_path: Path) -> None:
    empty = tmp_path / "empty"
    empty.mkdir()
    stale = tmp_path / "stale"
    (stale / "compiled").mkdir(parents=True)
    (stale / f"{REFERENCE_MODEL}.xlsx").write_bytes(
        set_cells(REFERENCE.read_bytes(), {"Cockpit!C6": 0.2})
    )
    (stale / "compiled" / f"{REFERENCE_MODEL}.py").write_bytes(
        (ROOT / "formulas_spec" / "compiled" / f"{REFERENCE_MODEL}.py").read_bytes()
    )
    scenario = tmp_path / "s.json"
    scenario.write_text("{}")
    latin = tmp_path / "latin.json"
    latin.write_bytes(b'{"x": "\xe9"}')
    spec = str(ROOT / "formulas_spec")
    cases = [
        (("--spec-dir", str(tmp_path / "none"), "export", str(scenario), "-o", "-"), 2),
        (("--spec-dir", str(empty), "audit", str(REFERENCE)), 2),
        (("--spec-dir", str(stale), "export", str(scenario), "-o", "-"), 2),
        (("--spec-dir", spec, "--model", "nope", "audit", str(REFERENCE)), 2),
        (("--spec-dir", spec, *REF, "audit", str(tmp_path / "missing.xlsx")), 2),
        (("--spec-dir", spec, *REF, "audit", str(tmp_path)), 2),
        (("--spec-dir", spec, *REF, "export", str(latin), "-o", "-"), 2),
        (("--spec-dir", spec, *REF, "export", str(scenario), "-o", str(tmp_path / "no/x")), 2),
        (("--spec-dir", spec, *REF, "export", str(scenario)), 2),  # argparse: -o is required
    ]
    for argv, status in cases:
        done = _run(*argv, cwd=tmp_path)
        assert done.returncode == status, (argv, done.stderr)
        assert "Traceback" not in done.stderr, (argv, done.stderr)
        assert "error" in done.stderr, (argv, done.stderr)


def test_python_dash_m_service() -> None:
    done = subprocess.run(
        [sys.executable, "-m", "service", "--help"], capture_output=True, text=True, check=True
    )
    assert "calculate" in done.stdout and "audit" in done.stdout


def test_calculate_with_an_earlier_version(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from service.engine.model import load_model

    versions = ROOT / "formulas_spec" / "versions"
    earlier = sorted(versions.glob(f"{REFERENCE_MODEL}@*.xlsx"))
    if not earlier:
        pytest.skip("no earlier version of the reference model is served")
    version = earlier[0].stem.partition("@")[2]
    model = load_model(versions / "compiled" / f"{earlier[0].stem}.py", earlier[0])
    scenario = tmp_path / "scenario.json"
    scenario.write_text(json.dumps({"disconteringsvoet": 0.03}))
    assert main([*REF, "--versie", version, "calculate", str(scenario)]) == 0
    doc = json.loads(capsys.readouterr().out)
    assert doc["version"] == version == model.version
    want = {k: jsonable(v) for k, v in model.calculate({"disconteringsvoet": 0.03}).items()}
    assert doc["outputs"] == want
    assert main([*REF, "--versie", "9.9.9", "calculate", str(scenario)]) == 2
    err = capsys.readouterr().err
    assert "no version '9.9.9'" in err and version in err
