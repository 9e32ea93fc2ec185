"""Run-time engine: loading artifacts, scalar/numpy evaluation, errors per scenario, trace."""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
import tomllib
from pathlib import Path

import numpy as np
import openpyxl
import pytest

from service.compiler import compile_workbook
from service.engine import ArtifactError, ExcelError, load_model, load_models
from tests.compiler.make_workbooks import HEADER, group_row

ROOT = Path(__file__).resolve().parents[2]
SPEC = ROOT / "formulas_spec"
WB = Path(__file__).parent / "workbooks"


def _spec_copy(tmp: Path, name: str = "mini-mkba") -> Path:
    spec = tmp / "spec"
    (spec / "compiled").mkdir(parents=True)
    shutil.copy(WB / f"{name}.xlsx", spec / f"{name}.xlsx")
    compile_workbook(spec / f"{name}.xlsx").write(spec / "compiled" / f"{name}.py")
    return spec


def test_load_models_reads_the_reference_artifact() -> None:
    models = load_models(SPEC)
    assert set(models) == {p.stem for p in SPEC.glob("*.xlsx")}
    for m in models.values():
        out = m.calculate({})
        assert list(out) == [o.name for o in m.outputs]
        assert m.workbook_sha256 and m.engine_version and m.title


def test_stale_artifact_is_refused(tmp_path: Path) -> None:
    spec = _spec_copy(tmp_path)
    wb = openpyxl.load_workbook(spec / "mini-mkba.xlsx")
    wb["Cockpit"]["D6"] = 999
    wb.save(spec / "mini-mkba.xlsx")
    with pytest.raises(ArtifactError, match="make compile"):
        load_models(spec)


def test_missing_artifact_is_refused(tmp_path: Path) -> None:
    spec = _spec_copy(tmp_path)
    (spec / "compiled" / "mini-mkba.py").unlink()
    with pytest.raises(ArtifactError, match="make compile"):
        load_models(spec)


def test_service_process_never_imports_formulas(tmp_path: Path) -> None:
    """Nor openpyxl: the export and the audit's reference come from the artifact too
    (the audit parses uploads in a child process). A model that delegates a function to
    formulas imports it at its first call, so it is not run here."""
    spec = _spec_copy(tmp_path)
    code = f"""
import sys
from pathlib import Path
from service.audit import export_workbook, load_reference
from service.engine import load_models
for spec in (Path({str(SPEC)!r}), Path({str(spec)!r})):
    for m in load_models(spec).values():
        if hasattr(m.module, "delegate"):
            continue
        m.calculate({{}})
        m.calculate_columns({{}})
        m.trace(m.outputs[0].name, {{}})
        export_workbook(load_reference(m, spec / f"{{m.id}}.xlsx"), {{}})
bad = sorted(k for k in sys.modules if k.split('.')[0] in ('formulas', 'schedula', 'openpyxl'))
assert not bad, bad
"""
    r = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True)
    assert r.returncode == 0, r.stderr


def test_resolve_and_yesno_conversion(tmp_path: Path) -> None:
    m = load_models(_spec_copy(tmp_path))["mini-mkba"]
    resolved = m.resolve({"households": 10})
    assert resolved["households"] == 10
    assert resolved["caseManager"] is True
    on = m.calculate({"caseManager": True})
    off = m.calculate({"caseManager": False})
    assert on["costs"] > off["costs"]
    assert isinstance(on["positive"], bool)
    cols = m.calculate_columns({"caseManager": np.array([True, False])})
    assert cols["costs"][0] == on["costs"] and cols["costs"][1] == off["costs"]
    assert cols["positive"].tolist() == [on["positive"], off["positive"]]


def _division_model(tmp: Path) -> Path:
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "In"
    ws["A1"] = 1
    ws["B1"] = "=1/(A1-2)"
    ws["B2"] = "=B1*10"
    ws["B3"] = "=IFERROR(B2,-1)"
    ws["B4"] = '=IF(A1>2,"groot",B1)'
    itf = wb.create_sheet("Interface")
    itf.append(HEADER)
    itf.append(group_row("g"))
    itf.append(["input", "x", "x", "x", "", "number", 0, 10, "g", "In!A1"])
    for name, cell in (("y", "In!B2"), ("z", "In!B3"), ("w", "In!B4")):
        itf.append(["output", name, name, name, "", "number", None, None, "g", cell])
    path = tmp / "div.xlsx"
    wb.save(path)
    art = tmp / "div.py"
    compile_workbook(path).write(art)
    return art


def test_error_stays_in_its_scenario(tmp_path: Path) -> None:
    m = load_model(_division_model(tmp_path))
    cols = m.calculate_columns({"x": np.array([1.0, 2.0, 3.0, 2.0])})
    assert cols["y"].tolist() == [-10.0, ExcelError("#DIV/0!"), 10.0, ExcelError("#DIV/0!")]
    assert cols["z"].tolist() == [-10.0, -1.0, 10.0, -1.0]
    assert cols["w"].tolist() == [-1.0, ExcelError("#DIV/0!"), "groot", ExcelError("#DIV/0!")]
    for i, x in enumerate([1.0, 2.0, 3.0, 2.0]):
        scalar = m.calculate({"x": x})
        assert [scalar[k] for k in ("y", "z", "w")] == [cols[k][i] for k in ("y", "z", "w")]
    assert m.calculate({"x": 2.0})["y"] is ExcelError("#DIV/0!")


def test_trace_goes_back_to_the_inputs(tmp_path: Path) -> None:
    m = load_models(_spec_copy(tmp_path))["mini-mkba"]
    values = {"households": 2000, "caseManager": False}
    tree = m.trace("net", values)
    assert tree["cell"] == "Berekening!B8"
    assert tree["name"] == "net"
    assert tree["formula"] == "=B5-B6"
    assert tree["value"] == m.calculate(values)["net"]

    leaves: dict[str, object] = {}

    def walk(n: dict) -> None:
        assert set(n) >= {"cell", "name", "label", "formula", "value", "inputs"}
        if not n["inputs"] and n["formula"] is None:
            leaves[n["cell"]] = n
        for c in n["inputs"]:
            walk(c)

    walk(tree)
    hh = leaves["Cockpit!D6"]
    assert hh["name"] == "households" and hh["value"] == 2000.0  # type: ignore[index]
    assert leaves["Cockpit!D8"]["value"] is False  # type: ignore[index]
    assert leaves["Parameters!B2"]["value"] == 0.12  # type: ignore[index]
    with pytest.raises(KeyError):
        m.trace("noSuchOutput", {})


def test_trace_of_the_reference_model() -> None:
    for m in load_models(SPEC).values():
        for o in m.outputs[:5]:
            tree = m.trace(o.name, {})
            assert tree["value"] == m.calculate({})[o.name]


def test_engine_import_does_not_import_flask() -> None:
    code = "import sys, service.engine; assert 'flask' not in sys.modules"
    r = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True)
    assert r.returncode == 0, r.stderr


def test_overflow_is_num_error_not_inf(tmp_path: Path) -> None:
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "In"
    ws["A1"] = 1e200
    ws["B1"] = "=A1*A1"
    ws["B2"] = "=ROUND(A1*A1,2)"
    ws["B3"] = "=NPV(0.1,B1,A1)"
    ws["B4"] = "=ROUND(A1,400)"
    itf = wb.create_sheet("Interface")
    itf.append(HEADER)
    itf.append(group_row("g"))
    itf.append(["input", "x", "x", "x", "", "number", 0, 1e300, "g", "In!A1"])
    for name, cell in (("sq", "In!B1"), ("r", "In!B2"), ("npv", "In!B3"), ("r400", "In!B4")):
        itf.append(["output", name, name, name, "", "number", None, None, "g", cell])
    path = tmp_path / "big.xlsx"
    wb.save(path)
    art = tmp_path / "big.py"
    compile_workbook(path).write(art)
    m = load_model(art)
    num = ExcelError("#NUM!")
    out = m.calculate({})
    assert out == {"sq": num, "r": num, "npv": num, "r400": 1e200}
    cols = m.calculate_columns({"x": np.array([1e200, 2.0])})
    assert cols["sq"].tolist() == [num, 4.0]
    assert cols["r"].tolist() == [num, 4.0]
    assert cols["r400"].tolist() == [1e200, 2.0]


def test_a_function_delegated_to_formulas_is_a_runtime_dependency(tmp_path: Path) -> None:
    """What a served model calls at run time is installed with the service (and the image)."""
    source = compile_workbook(WB / "functions.xlsx").source
    assert "from service.engine.delegate import" in source  # VLOOKUP & co. run on formulas
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    names = {re.split(r"[<>=!~\[; ]", d, maxsplit=1)[0].lower() for d in project["dependencies"]}
    assert "formulas" in names


def test_lookup_model_runs_on_our_helpers_alone() -> None:
    """VLOOKUP/HLOOKUP/INDEX/MATCH/CHOOSE, NPV, ROUND, IFERROR, ja/nee: no `formulas`."""
    source = compile_workbook(WB / "lookup-model.xlsx").source
    assert "service.engine.delegate" not in source
    for helper in ("xvlookup", "xhlookup", "xindex", "xmatch", "xchoose", "xnpv_args"):
        assert helper in source, helper
