"""Which engine runs a compiled model, and why not C, in words a modeller understands."""

from __future__ import annotations

import re

from service.compiler.ir import C_FORMS

C_FUNCTIONS = ", ".join(C_FORMS[:-1]) + " and " + C_FORMS[-1]
_NO_C = re.compile(r"^NATIVE = None  # (?P<cell>[^:]*): (?P<formula>.*): no C form: (?P<why>.*)$")
_KINDS = {"b": "TRUE/FALSE", "s": "text", "z": "an empty cell", "e": "an Excel error"}


def engine_note(model_id: str, artifact_source: str) -> str:
    """One line: the native engine (C), or the Python engine and the first cell that keeps
    the model from C, with the reason in plain words."""
    for line in artifact_source.splitlines():
        if line.startswith("NATIVE = ") and not line.startswith("NATIVE = None"):
            return f"{model_id}: runs on the native engine (C), Python where C declines"
        m = _NO_C.match(line)
        if m:
            where = f"{m['cell']} {m['formula']}".strip()
            return f"{model_id}: runs on the Python engine only: {where}: {plain(m['why'])}"
    return f"{model_id}: runs on the Python engine only"


def plain(why: str) -> str:
    """The compiler's reason for no C form, said for a modeller."""
    kinds = re.fullmatch(r"a cell of type ([a-z]+)", why)
    if kinds:
        other = [_KINDS[k] for k in kinds[1] if k in _KINDS]
        return (
            "this cell can hold "
            + (", ".join(other) if other else "something other than a number")
            + "; the C engine computes with numbers only"
        )
    function = re.fullmatch(r"function ([A-Z0-9.]+)", why)
    if function:
        return f"it uses {function[1]}; the C engine has only {C_FUNCTIONS}"
    return why
