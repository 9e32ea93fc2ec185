"""Every cell of a model's reference workbook, as its compiled artifact holds them.

The artifact compiles every formula cell of the workbook (`calculate_cells`) and records
each one's formula text and direct precedents (`FORMULAS`), the constant cells formulas
read (`CONSTANTS`) and the sheets (`SHEETS`). The export and the audit read the workbook
through this module: one implementation of the formulas, the compiled one.
"""

from __future__ import annotations

import hashlib
import re
import threading
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from service.engine import ArtifactError, CompiledModel, InputSpec, input_values
from service.engine.runtime import output_value

Value = Any


def cell_key(sheet: str, coordinate: str) -> str:
    """'Sheet!A1' from a sheet name and a coordinate (without $)."""
    return f"{sheet}!{coordinate.replace('$', '')}"


def split_key(key: str) -> tuple[str, str]:
    """('Sheet', 'A1') from 'Sheet!A1'."""
    sheet, _, coord = key.rpartition("!")
    return sheet, coord


_STRING = re.compile(r'"(?:[^"]|"")*"')
# LibreOffice writes the constants TRUE and FALSE as the functions TRUE() and FALSE()
_LOGICAL_CALL = re.compile(r"(?<![\w.])(TRUE|FALSE)\(\)")


def normalize_formula(formula: str) -> str:
    """Formula text compared for edits: no whitespace, upper case and TRUE() as TRUE,
    outside string literals."""

    def plain(text: str) -> str:
        return _LOGICAL_CALL.sub(r"\1", re.sub(r"\s+", "", text).upper())

    out: list[str] = []
    pos = 0
    for m in _STRING.finditer(formula):
        out.append(plain(formula[pos : m.start()]))
        out.append(m.group(0))
        pos = m.end()
    out.append(plain(formula[pos:]))
    return "".join(out)


@dataclass
class Reference:
    """A compiled model with its reference workbook: formulas, constants, values of all cells."""

    model: CompiledModel
    path: Path
    sheets: list[str]
    formulas: dict[str, str]  # every formula cell -> formula text ('=...')
    constants: dict[str, Value]  # typed cells that formulas read, inputs excluded
    refs: dict[str, list[str]]  # formula cell -> the cells it reads
    inputs_by_cell: dict[str, InputSpec]
    _dependents: dict[str, set[str]] = field(default_factory=dict, repr=False)

    def input_cells(self, values: Mapping[str, Any] | None = None) -> dict[str, Value]:
        """Cell-level input values (yesno as 'ja'/'nee', numbers as float) of an API scenario."""
        resolved = self.model.resolve(values)
        out: dict[str, Value] = {}
        for spec in self.model.inputs:
            v = resolved[spec.name]
            if spec.type == "yesno":
                v = input_values.yesno_text(v)
            elif isinstance(v, bool | int):
                v = float(v)
            out[spec.cell] = v
        return out

    def compute(self, inputs: Mapping[str, Value]) -> dict[str, Value]:
        """Every formula and output cell's value (float, bool, str or ExcelError) from
        cell-level inputs."""
        args = [inputs[spec.cell] for spec in self.model.inputs]
        cells = self.model.module.calculate_cells(*args)
        # an output may sit on a constant cell: the artifact returns it beside the formulas
        keys = [
            *self.formulas,
            *(o.cell for o in self.model.outputs if o.cell not in self.formulas),
        ]
        return {key: output_value(cells[key]) for key in keys}

    def values(self, values: Mapping[str, Any] | None = None) -> dict[str, Value]:
        """Every formula cell's value for an API-level scenario (defaults overlaid)."""
        return self.compute(self.input_cells(values))

    def precedents(self, cell: str) -> set[str]:
        """Every cell that `cell` reads, directly or through other formulas."""
        return _reachable([cell], self.refs)

    def dependents(self, cells: set[str]) -> set[str]:
        """Formula cells that read any of `cells`, directly or through other formulas."""
        return _reachable(cells, self._dependents)


def _reachable(start: Iterable[str], edges: Mapping[str, Iterable[str]]) -> set[str]:
    """Every cell one or more `edges` away from a cell of `start`."""
    seen: set[str] = set()
    todo = list(start)
    while todo:
        for c in edges.get(todo.pop(), ()):
            if c not in seen:
                seen.add(c)
                todo.append(c)
    return seen


def _load_reference(model: CompiledModel, path: Path) -> Reference:
    digest = hashlib.sha256(path.read_bytes()).hexdigest()
    if digest != model.workbook_sha256:
        raise ArtifactError(
            f"{path} is not the workbook {model.id} was compiled from: run `make compile`"
        )
    module = model.module
    formulas = {key: f["formula"] for key, f in module.FORMULAS.items()}
    refs = {key: list(f["refs"]) for key, f in module.FORMULAS.items()}
    dependents: dict[str, set[str]] = {}
    for key, rs in refs.items():
        for r in rs:
            dependents.setdefault(r, set()).add(key)
    return Reference(
        model=model,
        path=path,
        sheets=list(module.SHEETS),
        formulas=formulas,
        constants=dict(module.CONSTANTS),
        refs=refs,
        inputs_by_cell={s.cell: s for s in model.inputs},
        _dependents=dependents,
    )


_CACHE: dict[tuple[str, str], Reference] = {}
_LOCK = threading.Lock()


def load_reference(model: CompiledModel, workbook: Path) -> Reference:
    """The reference for `model` read from `workbook` (its SHA-256 must match); cached."""
    key = (str(Path(workbook).resolve()), model.workbook_sha256)
    with _LOCK:
        ref = _CACHE.get(key)
        if ref is None or ref.model is not model:
            ref = _load_reference(model, Path(workbook))
            _CACHE[key] = ref
        return ref
