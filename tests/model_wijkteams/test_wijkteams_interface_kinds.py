"""The compiler reads past the role rows of ROLES.md (group, actor, effectDomain) and still
refuses a kind it does not know."""

from __future__ import annotations

from pathlib import Path

import openpyxl
import pytest

from service.compiler import CompileError, compile_workbook
from tests.compiler.make_workbooks import HEADER


def _book(tmp: Path, kinds: list[str]) -> Path:
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "Invoer"
    ws["B1"], ws["C1"] = 1, "=B1*2"
    itf = wb.create_sheet("Interface")
    itf.append([*HEADER, "role", "actor", "input", "sign"])
    for kind in kinds:
        itf.append([kind, "k" + kind, "label", "label", "", None, None, None, None, None])
    itf.append(["input", "x", "x", "x", "", "number", 0, 10, "g", "Invoer!B1"])
    itf.append(["output", "y", "y", "y", "", "number", None, None, "g", "Invoer!C1", "saldo"])
    path = tmp / "roles.xlsx"
    wb.save(path)
    return path


def test_role_rows_compile(tmp_path: Path) -> None:
    compiled = compile_workbook(_book(tmp_path, ["group", "actor", "effectDomain"]))
    assert "def calculate(" in compiled.source


def test_an_unknown_kind_is_still_refused(tmp_path: Path) -> None:
    with pytest.raises(CompileError) as info:
        compile_workbook(_book(tmp_path, ["actors"]))
    assert "Interface!A2" in str(info.value) and "kind must be" in str(info.value)
