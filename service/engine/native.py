"""The native engine: a model's C source (written by the compiler), built into a shared
library (`make native`), called through ctypes as the fast path for one scenario or
many.

It gives the Python artifact's answer or none: the C function declines every scenario
where it could differ (see service/compiler/c_writer.py), and the caller then evaluates
that scenario in Python. A library is named after the SHA-256 of its C source, so a
stale one is never loaded; when it is missing, or disagrees with Python on the defaults
when loaded, the model runs on the Python artifact alone and the log says so.
"""

from __future__ import annotations

import ctypes
import logging
import math
from array import array
from collections.abc import Sequence
from pathlib import Path
from types import ModuleType
from typing import Any

import numpy as np

log = logging.getLogger("service.engine")


def library_path(c_source: Path, sha256: str) -> Path:
    """Where the shared library of a C source with this SHA-256 lives (beside it)."""
    return c_source.with_name(f"{c_source.stem}-{sha256[:16]}.so")


class NativeEngine:
    """One model's C function: `calculate(args)` gives the RESULTS values or None."""

    def __init__(
        self,
        library: Path,
        info: dict[str, Any],
        n_inputs: int,
        n_results: int,
        n_series: int = 0,
    ):
        self.library = library
        shared = ctypes.CDLL(str(library))
        function = getattr(shared, info["function"])
        function.argtypes = [ctypes.c_void_p, ctypes.c_void_p]
        function.restype = ctypes.c_int
        # the yearly series (calculate_series), where every cell they need has a C form
        self._series = None
        if info.get("seriesFunction") and n_series:
            self._series = getattr(shared, info["seriesFunction"])
            self._series.argtypes = [ctypes.c_void_p, ctypes.c_void_p]
            self._series.restype = ctypes.c_int
        self._series_zeros = bytes(8 * n_series)
        many = getattr(shared, info["batchFunction"])
        many.argtypes = [ctypes.c_void_p, ctypes.c_void_p, ctypes.c_void_p, ctypes.c_long]
        many.restype = None
        self._function = function
        self._many = many
        self._n_inputs = n_inputs
        self._n_results = n_results
        self._zeros = bytes(8 * n_results)
        # per text input's position, the code of each text it is compared with
        self._text = {
            position: {text: float(i) for i, text in enumerate(texts)}
            for position, texts in sorted(info["textCodes"].items())
        }

    def calculate(self, args: Sequence[Any]) -> list[float] | None:
        """RESULTS values of the artifact's `calculate(*args)` when they are all finite
        numbers; None otherwise: ask Python."""
        return self._call(self._function, self._zeros, args)

    @property
    def has_series(self) -> bool:
        """True when the library computes the yearly series too."""
        return self._series is not None

    def calculate_series(self, args: Sequence[Any]) -> list[float] | None:
        """The artifact's `calculate_series(*args)` when every value is a finite number;
        None otherwise (or without a series function): ask Python."""
        if self._series is None:
            return None
        return self._call(self._series, self._series_zeros, args)

    def series_array(self, args: Sequence[Any]) -> np.ndarray | None:
        """`calculate_series` as a float array, written by C in place (no Python float
        per value); None where `calculate_series` gives None."""
        if self._series is None:
            return None
        cells = self._cells(args)
        if cells is None:
            return None
        results = array("d", self._series_zeros)
        if self._series(cells.buffer_info()[0], results.buffer_info()[0]):
            return None
        return np.frombuffer(results)  # the same memory: no copy, no float per value

    def _cells(self, args: Sequence[Any]) -> array | None:
        """The C function's input cells (texts as their codes); None when it declines."""
        values = list(args)
        for position, codes in self._text.items():
            text = values[position]
            if text.__class__ is not str:
                return None
            values[position] = codes.get(text.upper(), -1.0)
        try:
            cells = array("d", values)  # TypeError for anything but numbers
        except TypeError:
            return None
        return cells if len(cells) == self._n_inputs else None

    def _call(self, function: Any, zeros: bytes, args: Sequence[Any]) -> list[float] | None:
        cells = self._cells(args)
        if cells is None:
            return None
        results = array("d", zeros)
        if function(cells.buffer_info()[0], results.buffer_info()[0]):
            return None
        return results.tolist()

    def rows(self, args: Sequence[Any], n: int) -> np.ndarray | None:
        """The C function's input rows for the numpy backend's arguments (float columns or
        scalars, text columns or texts) of n scenarios; None when one is anything else."""
        rows = np.empty((n, self._n_inputs))
        same = np.zeros(self._n_inputs)  # the inputs every row shares, written in one go
        columns: list[tuple[int, Any]] = []
        for k, value in enumerate(args):
            codes = self._text.get(k)
            if codes is None:
                if value.__class__ is float:
                    same[k] = value
                elif isinstance(value, np.ndarray) and value.dtype == np.float64:
                    columns.append((k, value))
                else:
                    return None
            elif value.__class__ is str:
                same[k] = codes.get(value.upper(), -1.0)
            elif isinstance(value, np.ndarray) and value.dtype.kind == "U":
                upper = np.char.upper(value)
                column = np.full(upper.shape, -1.0)
                for label, code in codes.items():
                    column[upper == label] = code
                columns.append((k, column))
            else:
                return None
        rows[:] = same
        try:
            for k, column in columns:
                rows[:, k] = column
        except ValueError:  # a column of another length: the numpy backend says what
            return None
        return rows

    def calculate_many(self, rows: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """RESULTS rows of many scenarios, and per row 0 where C answered (else: ask Python).

        The C function writes the results a column at a time; the rows returned are a view
        of those columns (`results.T` is contiguous, one column per result)."""
        rows = np.ascontiguousarray(rows, dtype=np.float64)
        n = rows.shape[0]
        columns = np.empty((self._n_results, n))
        status = np.empty(n, dtype=np.intc)
        self._many(rows.ctypes.data, columns.ctypes.data, status.ctypes.data, n)
        return columns.T, status


def load(
    module: ModuleType, artifact: Path, default_args: Sequence[Any], n_series: int = 0
) -> NativeEngine | None:
    """The native engine of an artifact, checked against Python on the defaults (its
    results, and its series where it has them); or None."""
    info = getattr(module, "NATIVE", None)
    if not info:
        return None
    library = library_path(artifact.parent / info["source"], info["sha256"])
    if not library.exists():
        log.warning(
            "model %s: no native library %s (run `make native`); using the Python engine",
            module.MODEL_ID,
            library.name,
        )
        return None
    try:
        engine = NativeEngine(library, info, len(module.INPUTS), len(module.RESULTS), n_series)
    except (OSError, AttributeError) as exc:
        log.warning("model %s: cannot load %s (%s); using Python", module.MODEL_ID, library, exc)
        return None
    native = engine.calculate(default_args)  # None: declined, so nothing to compare
    series = engine.calculate_series(default_args)
    if (native is not None and not same_values(native, module.calculate(*default_args))) or (
        series is not None and not same_values(series, module.calculate_series(*default_args))
    ):
        log.error(
            "model %s: %s disagrees with the Python artifact on the defaults; not used",
            module.MODEL_ID,
            library.name,
        )
        return None
    log.info("model %s: native engine %s", module.MODEL_ID, library.name)
    return engine


def same_values(native: Sequence[float], python: Sequence[Any]) -> bool:
    """Bit-for-bit equal results (NaN equal to NaN; 0.0 and -0.0 told apart)."""
    if len(native) != len(python):
        return False
    for a, b in zip(native, python, strict=True):
        if b.__class__ is not float:
            return False
        if a != b and not (math.isnan(a) and math.isnan(b)):
            return False
        if a == 0.0 and math.copysign(1.0, a) != math.copysign(1.0, b):
            return False
    return True
