"""Load compiled artifacts (formulas_spec/compiled/*.py) and evaluate them."""

from __future__ import annotations

import hashlib
import importlib.util
import math
import sys
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from operator import itemgetter
from pathlib import Path
from types import ModuleType
from typing import Any

import numpy as np

from service.engine import input_values
from service.engine.artifact_data import ArtifactError
from service.engine.native import NativeEngine
from service.engine.native import load as load_native
from service.engine.roles import Labelled, MissingRole, Roles
from service.engine.runtime import output_value

REGENERATE = "make compile"
# The three implementations of a model: "native" (the C library, where it is built and
# answers; Python or numpy for what it declines), "python" (the scalar artifact) and
# "numpy" (the vectorised artifact).
BACKENDS = ("native", "python", "numpy")


@dataclass(frozen=True)
class InputSpec(Labelled):
    """One input of a model, from the Interface sheet."""

    unit: str
    type: str
    min: float | None
    max: float | None
    group: str
    cell: str
    default: Any
    # the cell holds TRUE/FALSE rather than ja/nee (a yes/no input only)
    cell_bool: bool = False


@dataclass(frozen=True)
class OutputSpec(Labelled):
    """One output of a model, from the Interface sheet."""

    unit: str
    type: str
    group: str
    cell: str


def _from_cell(spec: OutputSpec | InputSpec, v: Any) -> Any:
    v = output_value(v)
    if spec.type == "yesno":
        flag = input_values.yesno_value(v)
        if flag is not None:
            return flag
    return v


@dataclass
class CompiledModel:
    """A workbook compiled to Python: scalar and numpy evaluation, and a trace."""

    module: ModuleType
    id: str
    title: str
    version: str
    workbook_sha256: str
    engine_version: str
    meta: dict[str, str]
    inputs: list[InputSpec]
    outputs: list[OutputSpec]
    roles: Roles = field(default_factory=Roles)
    _out_index: list[int] = field(default_factory=list, repr=False)
    _default_args: list[Any] = field(default_factory=list, repr=False)
    _api_defaults: dict[str, Any] = field(default_factory=dict, repr=False)
    _positions: dict[str, int] = field(default_factory=dict, repr=False)
    _out_names: list[str] = field(default_factory=list, repr=False)
    _pick: Callable[[Sequence[Any]], tuple[Any, ...]] = field(default=tuple, repr=False)
    # the C fast path of `calculate_row` (service/engine/native.py), when built and loaded
    native: NativeEngine | None = field(default=None, repr=False)
    # the backend `calculate_row` and `calculate_columns` use unless told (see BACKENDS)
    row_backend: str = "native"
    columns_backend: str = "native"

    @classmethod
    def from_module(cls, module: ModuleType) -> CompiledModel:
        """Wrap an imported artifact module."""
        meta = dict(module.META)
        inputs = [InputSpec(**spec) for spec in module.INPUTS]
        roles = Roles.from_artifact(getattr(module, "ROLES", None))
        outputs = [OutputSpec(**spec) for spec in module.OUTPUTS]
        results = list(module.RESULTS)
        m = cls(
            module=module,
            id=module.MODEL_ID,
            title=meta.get("title", module.MODEL_ID),
            version=str(meta.get("version", "")),
            workbook_sha256=module.WORKBOOK_SHA256,
            engine_version=module.ENGINE_VERSION,
            meta=meta,
            inputs=inputs,
            outputs=outputs,
            roles=roles,
        )
        m._out_index = [results.index(o.cell) for o in outputs]
        m._out_names = [o.name for o in outputs]
        m._pick = row_getter(m._out_index)
        return m

    # ------------------------------------------------------------ scalar
    def resolve(self, values: Mapping[str, Any] | None = None) -> dict[str, Any]:
        """Defaults overlaid with `values` (API level: bool for yesno)."""
        if not self._api_defaults:
            self._api_defaults = {s.name: input_values.api_default(s) for s in self.inputs}
        out = dict(self._api_defaults)  # in input order; a given value keeps its place
        for name, v in (values or {}).items():
            if name in out:
                out[name] = v
        return out

    def _args(self, values: Mapping[str, Any] | None) -> list[Any]:
        """Cell values for the generated function's parameters, defaults filled in."""
        if not self._default_args:
            self._default_args = [
                input_values.to_cell(s, input_values.api_default(s)) for s in self.inputs
            ]
        args = list(self._default_args)
        if values:
            pos = self._positions
            if not pos:
                pos.update({s.name: k for k, s in enumerate(self.inputs)})
            for name, v in values.items():
                k = pos.get(name)
                if k is not None:
                    spec = self.inputs[k]
                    args[k] = (
                        v
                        if v.__class__ is float and spec.type != "yesno"
                        else input_values.to_cell(spec, v)
                    )
        return args

    def calculate(
        self, values: Mapping[str, Any] | None = None, backend: str | None = None
    ) -> dict[str, Any]:
        """Outputs for one scenario: float | bool | str | ExcelError per output name."""
        return dict(zip(self._out_names, self.calculate_row(values, backend), strict=True))

    def calculate_row(
        self, values: Mapping[str, Any] | None = None, backend: str | None = None
    ) -> list[Any]:
        """Outputs for one scenario in interface order, as `calculate` gives them."""
        backend = backend or self.row_backend
        if backend != "native":  # the hot path (the API's single calculation) skips this
            if backend == "numpy":
                columns = self.calculate_columns(dict(self.resolve(values)), backend="numpy")
                return [_item(columns[name][0]) for name in self._out_names]
            if backend != "python":
                raise ValueError(f"unknown backend {backend!r}: one of {BACKENDS}")
        args = self._args(values)
        if self.native is not None and backend == "native":
            results = self.native.calculate(args)
            if results is not None:  # finite numbers only: nothing to convert
                return list(self._pick(results))
        row = list(self._pick(self.module.calculate(*args)))
        for k, v in enumerate(row):
            if v.__class__ is not float or v - v != 0:  # text, bool, error, inf or NaN
                row[k] = _from_cell(self.outputs[k], v)
        return row

    def calculate_series(self, values: Mapping[str, Any] | None = None) -> dict[str, Any]:
        """The yearly series of one scenario by cell, in `roles.series.cells()` order: a
        float where the cell holds a number, else its value (text, ExcelError).

        From the artifact's `calculate_series` (the cells the outputs need, then those only
        the series need), on the native engine where it answers: the series are no
        outputs, so that a calculation and a batch never pay for them."""
        series = self.roles.series
        if series is None:
            raise MissingRole("costSeries", self.id)
        args = self._args(values)
        row = None if self.native is None else self.native.calculate_series(args)
        if row is None:
            row = self.module.calculate_series(*args)
            if set(map(type, row)) != {float} or not math.isfinite(sum(row)):
                row = [output_value(v) for v in row]  # text, bool, error, inf or nan somewhere
        return dict(zip(series.cells(), row, strict=True))

    def series_array(self, values: Mapping[str, Any] | None = None) -> np.ndarray | None:
        """`calculate_series` values as one float array in the same order when every one
        is a finite number; None when one is not (ask `calculate_series` what it is)."""
        series = self.roles.series
        if series is None:
            raise MissingRole("costSeries", self.id)
        args = self._args(values)
        if self.native is not None:
            flat = self.native.series_array(args)
            if flat is not None and np.isfinite(flat).all():
                return flat
        row = self.module.calculate_series(*args)
        if set(map(type, row)) != {float}:
            return None
        flat = np.array(row)
        return flat if np.isfinite(flat).all() else None

    def calculate_results(self, values: Mapping[str, Any] | None = None) -> dict[str, Any]:
        """Every RESULTS cell (all formula cells for an all-cells artifact), by cell key."""
        res = self.module.calculate(*self._args(values))
        return {k: output_value(v) for k, v in zip(self.module.RESULTS, res, strict=True)}

    # ------------------------------------------------------------ numpy
    def _columns(self, cols: Mapping[str, Any]) -> tuple[list[Any], int]:
        n = 1
        for v in cols.values():
            if np.ndim(v) > 0:
                n = max(n, len(v))
        args: list[Any] = []
        for spec in self.inputs:
            if spec.name not in cols:
                args.append(input_values.cell_default(spec))
                continue
            col = cols[spec.name]
            if np.ndim(col) == 0:
                args.append(input_values.to_cell(spec, col.item() if hasattr(col, "item") else col))
            elif spec.type == "yesno":
                args.append(input_values.cell_column(spec, col))
            else:
                arr = np.asarray(col)
                if arr.dtype.kind in "biu":
                    arr = arr.astype(np.float64)
                args.append(arr)
        return args, n

    @staticmethod
    def _full(v: Any, n: int) -> np.ndarray:
        if isinstance(v, np.ndarray):
            if v.dtype.kind == "f" and not np.all(np.isfinite(v)):
                return v.astype(object)  # inf/nan become #NUM! in the object pass
            return v.astype(object) if v.dtype.kind == "U" else v
        if v.__class__ is float or v.__class__ is int:
            return np.full(n, float(v))
        if v.__class__ is bool:
            return np.full(n, v, dtype=bool)
        out = np.empty(n, dtype=object)
        out[:] = [v] * n
        return out

    def calculate_columns(
        self, cols: Mapping[str, Any], backend: str | None = None
    ) -> dict[str, np.ndarray]:
        """Outputs for N scenarios: input name -> array(N); missing inputs take defaults.
        On the native engine where it answers, the numpy backend for the rest (or on the
        backend asked for: "python" is the scalar artifact row by row)."""
        backend = backend or self.columns_backend
        if backend not in BACKENDS:
            raise ValueError(f"unknown backend {backend!r}: one of {BACKENDS}")
        args, n = self._columns(cols)
        if backend == "python":
            return self._scalar_columns(cols, n)
        engine = self.native if backend == "native" else None
        rows = None if engine is None else engine.rows(args, n)
        if engine is None or rows is None:
            return self._vector_columns(args, n)
        results, status = engine.calculate_many(rows)
        by_column = np.ascontiguousarray(results.T)
        out = {o.name: by_column[i] for o, i in zip(self.outputs, self._out_index, strict=True)}
        declined = np.flatnonzero(status)
        if declined.size:  # those scenarios on the numpy backend, with their Excel errors
            part = {
                k: np.asarray(v)[declined] if np.ndim(v) > 0 and len(v) == n else v
                for k, v in cols.items()
            }
            for name, column in self._vector_columns(*self._columns(part)).items():
                column = np.broadcast_to(column, declined.shape)
                if column.dtype != out[name].dtype:
                    out[name] = out[name].astype(object)
                out[name][declined] = column
        return out

    def _scalar_columns(self, cols: Mapping[str, Any], n: int) -> dict[str, np.ndarray]:
        """`calculate_columns` on the scalar artifact, one scenario at a time."""
        rows = []
        for i in range(n):
            values = {k: (_item(v[i]) if np.ndim(v) > 0 else _item(v)) for k, v in cols.items()}
            rows.append(self.calculate_row(values, backend="python"))
        out: dict[str, np.ndarray] = {}
        for k, name in enumerate(self._out_names):
            column = [row[k] for row in rows]
            if all(v.__class__ is float for v in column):
                out[name] = np.array(column, dtype=np.float64)
            else:
                out[name] = np.array(column + [None], dtype=object)[:-1]
        return out

    def check_backends(self, values: Mapping[str, Any] | None = None) -> list[str]:
        """Where the backends disagree on one scenario (empty: they agree). Each is held
        to the scalar artifact: numpy, and C (single and batch) where it is loaded."""
        reference = self.calculate_row(values, backend="python")
        others = {"numpy": self.calculate_row(values, backend="numpy")}
        if self.native is not None:
            others["native"] = self.calculate_row(values, backend="native")
            batch = self.calculate_columns(dict(self.resolve(values)), backend="native")
            others["native batch"] = [_item(batch[name][0]) for name in self._out_names]
        problems = []
        for backend, row in others.items():
            for name, a, b in zip(self._out_names, reference, row, strict=True):
                if not _same(a, b):
                    problems.append(f"{name}: python {a!r} != {backend} {b!r}")
        return problems

    def _vector_columns(self, args: list[Any], n: int) -> dict[str, np.ndarray]:
        """`calculate_columns` on the numpy backend."""
        with np.errstate(all="ignore"):  # overflow etc. become #NUM! at the outputs
            res = self.module.calculate_vector(*args)
        out: dict[str, np.ndarray] = {}
        for o, i in zip(self.outputs, self._out_index, strict=True):
            col = self._full(res[i], n)
            if col.dtype == object:
                col = np.array([_from_cell(o, x) for x in col.tolist()], dtype=object)
            out[o.name] = col
        return out

    def calculate_results_columns(self, cols: Mapping[str, Any]) -> dict[str, np.ndarray]:
        """Every RESULTS cell for N scenarios, by cell key."""
        args, n = self._columns(cols)
        with np.errstate(all="ignore"):  # overflow etc. become #NUM! at the outputs
            res = self.module.calculate_vector(*args)
        out = {}
        for k, v in zip(self.module.RESULTS, res, strict=True):
            col = self._full(v, n)
            if col.dtype == object:
                col = np.array([output_value(x) for x in col.tolist()], dtype=object)
            out[k] = col
        return out

    # ------------------------------------------------------------ trace
    def trace(self, output_name: str, values: Mapping[str, Any] | None = None) -> dict[str, Any]:
        """Dependency tree of one output back to the inputs, with values of this scenario.

        Each node: cell, name, label, formula, value, inputs. A cell met a second time is
        not expanded again (`repeated: True`), so shared sub-trees stay small.
        """
        by_name = {o.name: o for o in self.outputs}
        if output_name not in by_name:
            raise KeyError(output_name)
        cells = self.module.calculate_cells(*self._args(values))
        labels: dict[str, tuple[str, str]] = {}
        specs: list[InputSpec | OutputSpec] = [*self.inputs, *self.outputs]
        for spec in specs:
            labels[spec.cell] = (spec.name, spec.label_nl)
        inputs_by_cell = {s.cell: s for s in self.inputs}
        outputs_by_cell = {s.cell: s for s in self.outputs}
        formulas = self.module.FORMULAS
        constants = self.module.CONSTANTS
        seen: set[str] = set()

        def node(cell: str) -> dict[str, Any]:
            name, label = labels.get(cell, (None, None))
            if cell in cells:
                value = cells[cell]
            else:
                value = constants.get(cell)
            spec: InputSpec | OutputSpec | None = inputs_by_cell.get(cell) or outputs_by_cell.get(
                cell
            )
            value = _from_cell(spec, value) if spec is not None else output_value(value)
            f = formulas.get(cell)
            n: dict[str, Any] = {
                "cell": cell,
                "name": name,
                "label": label,
                "formula": f["formula"] if f else None,
                "value": value,
                "inputs": [],
            }
            if f is None:
                return n
            if cell in seen:
                n["repeated"] = True
                return n
            seen.add(cell)
            n["inputs"] = [node(r) for r in f["refs"]]
            return n

        return node(by_name[output_name].cell)


def _item(v: Any) -> Any:
    """A numpy scalar as the Python value it holds."""
    return v.item() if isinstance(v, np.generic) else v


def _same(a: Any, b: Any) -> bool:
    """Equal results of two backends: floats to 1e-12 relative, else equal values."""
    if a.__class__ is float and b.__class__ is float:
        return math.isclose(a, b, rel_tol=1e-12, abs_tol=1e-300) or a == b
    return bool(a.__class__ is b.__class__ and a == b) or (a is b)


def row_getter(positions: Sequence[int]) -> Callable[[Sequence[Any]], tuple[Any, ...]]:
    """The values at `positions` of a row, always as a tuple (an itemgetter of one
    position gives the value itself)."""
    if not positions:
        return lambda row: ()
    if len(positions) == 1:
        (position,) = positions
        return lambda row: (row[position],)
    return itemgetter(*positions)


def _import_artifact(path: Path) -> ModuleType:
    mod_name = f"_compiled_{path.stem.replace('-', '_')}_{abs(hash(str(path))):x}"
    spec = importlib.util.spec_from_file_location(mod_name, path)
    if spec is None or spec.loader is None:
        raise ArtifactError(f"cannot import {path}")
    module = importlib.util.module_from_spec(spec)
    sys.modules[mod_name] = module
    spec.loader.exec_module(module)
    return module


def load_model(artifact: Path, workbook: Path | None = None) -> CompiledModel:
    """Load one artifact; when `workbook` is given, its SHA-256 must match the artifact's."""
    module = _import_artifact(artifact)
    if workbook is not None:
        digest = hashlib.sha256(workbook.read_bytes()).hexdigest()
        if digest != module.WORKBOOK_SHA256:
            raise ArtifactError(
                f"{artifact} was compiled from another version of {workbook.name} "
                f"(sha256 {module.WORKBOOK_SHA256[:12]}..., workbook {digest[:12]}...): "
                f"run `{REGENERATE}`"
            )
    model = CompiledModel.from_module(module)
    n_series = len(model.roles.series.cells()) if model.roles.series else 0
    model.native = load_native(module, artifact, model._args(None), n_series)
    return model


def load_models(spec_dir: Path) -> dict[str, CompiledModel]:
    """Every model under spec_dir: compiled/<id>.py checked against <id>.xlsx beside it."""
    spec_dir = Path(spec_dir)
    models: dict[str, CompiledModel] = {}
    for wb in sorted(spec_dir.glob("*.xlsx")):
        if wb.name.startswith("~$"):
            continue
        artifact = spec_dir / "compiled" / f"{wb.stem}.py"
        if not artifact.exists():
            raise ArtifactError(
                f"{wb.name} has no compiled artifact {artifact}: run `{REGENERATE}`"
            )
        models[wb.stem] = load_model(artifact, wb)
    return models
