"""`python -m service.compiler DIR`: regenerate, report, check, remove orphans."""

from __future__ import annotations

import shutil
from pathlib import Path

import openpyxl
import pytest

from service.compiler.__main__ import main
from service.compiler.engines import engine_note, plain

WB = Path(__file__).parent / "workbooks"


def test_compile_check_and_orphans(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    shutil.copy(WB / "mini-mkba.xlsx", tmp_path / "mini-mkba.xlsx")
    assert main([str(tmp_path)]) == 0
    artifact = tmp_path / "compiled" / "mini-mkba.py"
    assert artifact.exists()
    out = capsys.readouterr().out
    assert "wrote" in out
    assert "engine: mini-mkba: runs on the " in out  # which engine, said once per change
    assert main([str(tmp_path), "--check"]) == 0  # current
    assert main([str(tmp_path)]) == 0
    assert capsys.readouterr().out == ""  # nothing rewritten

    wb = openpyxl.load_workbook(tmp_path / "mini-mkba.xlsx")
    wb["Cockpit"]["D6"] = 5
    wb.save(tmp_path / "mini-mkba.xlsx")
    assert main([str(tmp_path), "--check"]) == 1
    assert "stale" in capsys.readouterr().out

    orphan = tmp_path / "compiled" / "gone.py"
    orphan.write_text(artifact.read_text())
    assert main([str(tmp_path)]) == 0
    assert not orphan.exists()
    assert "removed" in capsys.readouterr().out


def test_compile_error_exit_code(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    shutil.copy(WB / "mini-mkba.xlsx", tmp_path / "bad.xlsx")
    wb = openpyxl.load_workbook(tmp_path / "bad.xlsx")
    wb["Berekening"]["B5"] = "=NOW()+1"
    wb.save(tmp_path / "bad.xlsx")
    assert main([str(tmp_path)]) == 2
    err = capsys.readouterr().err
    assert "Berekening!B5: =NOW()+1: volatile function NOW" in err
    assert f"in {tmp_path / 'bad.xlsx'}" in err  # which workbook, when there are several


def test_c_sources_are_written_checked_and_removed_with_the_artifact(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    spec = Path(__file__).resolve().parents[2] / "formulas_spec"
    # a served model with a C source (others may be in formulas_spec/ beside it)
    workbook = next(
        w for w in sorted(spec.glob("*.xlsx")) if (spec / "compiled" / f"{w.stem}.c").exists()
    )
    shutil.copy(workbook, tmp_path / workbook.name)
    assert main([str(tmp_path)]) == 0
    c_source = tmp_path / "compiled" / f"{workbook.stem}.c"
    assert c_source.read_text() == (spec / "compiled" / c_source.name).read_text()
    c_source.write_text(c_source.read_text() + "/* edited */\n")
    assert main([str(tmp_path), "--check"]) == 1
    assert f"stale: {c_source}" in capsys.readouterr().out
    assert main([str(tmp_path)]) == 0  # rewritten
    orphan = tmp_path / "compiled" / "gone.c"
    orphan.write_text(c_source.read_text())
    assert main([str(tmp_path)]) == 0
    assert not orphan.exists()


def test_native_build_failures_exit_1_with_the_reason(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    (tmp_path / "compiled").mkdir()
    (tmp_path / "compiled" / "x.c").write_text("int broken(")
    monkeypatch.setenv("CC", str(tmp_path / "no-such-cc"))
    assert main(["--native", str(tmp_path)]) == 1
    assert "cannot run the C compiler" in capsys.readouterr().err
    if shutil.which("cc") is None:
        return
    monkeypatch.setenv("CC", shutil.which("cc") or "cc")
    assert main(["--native", str(tmp_path)]) == 1
    assert "failed on" in capsys.readouterr().err
    assert not list((tmp_path / "compiled").glob("*.so"))


def test_without_a_compiler_the_native_build_fails_unless_optional(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    (tmp_path / "compiled").mkdir()
    (tmp_path / "compiled" / "x.c").write_text("int x;")
    monkeypatch.delenv("CC", raising=False)
    monkeypatch.setenv("PATH", str(tmp_path))  # no cc, no gcc
    assert main(["--native", str(tmp_path)]) == 1
    assert "no C compiler found" in capsys.readouterr().err
    assert main(["--native", "--optional", str(tmp_path)]) == 0
    assert "the models run on the Python engine" in capsys.readouterr().out


def test_why_not_c_in_plain_words() -> None:
    source = "NATIVE = None  # Blad!B1: =ROUND(A1,0): no C form: function ROUND"
    note = engine_note("m", source)
    assert note.startswith("m: runs on the Python engine only: Blad!B1 =ROUND(A1,0): it uses ROUND")
    kinds = plain("a cell of type nsz")
    assert (
        kinds == "this cell can hold text, an empty cell; the C engine computes with numbers only"
    )
    assert "type" not in kinds
    assert engine_note("m", "NATIVE = {'source': 'm.c'}").endswith(
        "native engine (C), Python where C declines"
    )


def test_audit_lists_refused_cells(capsys) -> None:  # type: ignore[no-untyped-def]
    from pathlib import Path

    from service.compiler.__main__ import main

    workbook = Path(__file__).parent / "conformance" / "workbooks" / "arrays.xlsx"
    assert main(["--audit", str(workbook)]) == 0
    out = capsys.readouterr().out
    assert "formula cells" in out and " refused" in out
    assert "refused Cases!A11: =_xlfn.FILTER(" in out and "dynamic-array function FILTER" in out
