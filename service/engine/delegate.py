"""Functions delegated to `formulas`' own implementation (imported lazily, per model)."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

from service.engine.runtime import ERRORS, NA, VALUE, ExcelError


class _Missing:
    """An omitted function argument, e.g. the middle one in VLOOKUP(a, r, 2, )."""

    def __repr__(self) -> str:
        return "MISSING"


MISSING = _Missing()


class Range2D:
    """A range argument: rows x cols values in row-major order."""

    __slots__ = ("rows", "cols", "values")

    def __init__(self, rows: int, cols: int, values: Sequence[Any]) -> None:
        self.rows = rows
        self.cols = cols
        self.values = tuple(values)


def rng(rows: int, cols: int, values: Sequence[Any]) -> Range2D:
    """Build a range argument."""
    return Range2D(rows, cols, values)


def _to_formulas(x: Any) -> Any:
    import numpy as np
    import schedula as sh
    from formulas.functions import Error

    if isinstance(x, Range2D):
        arr = np.empty((x.rows, x.cols), dtype=object)
        for i, v in enumerate(x.values):
            arr[i // x.cols, i % x.cols] = _to_formulas(v)
        return arr
    if x is None or x is MISSING:
        return sh.EMPTY
    if x.__class__ is ExcelError:
        return Error.errors[x.code]
    if x.__class__ is int:
        return float(x)
    return x


def _from_formulas(x: Any) -> Any:
    import numpy as np
    import schedula as sh
    from formulas.functions import XlError

    if isinstance(x, np.ndarray):
        if x.size != 1:
            return VALUE  # an array where one value was expected: never its first element
        x = x.ravel()[0]
    if isinstance(x, XlError):
        return ERRORS.get(str(x), NA)
    if x is sh.EMPTY or x is None:
        return None
    if isinstance(x, bool | np.bool_):
        return bool(x)
    if isinstance(x, int | float | np.integer | np.floating):
        return float(x)
    if isinstance(x, str):
        return str(x)
    return VALUE


def delegate(name: str) -> Callable[..., Any]:
    """A scalar function that evaluates `name` with formulas' implementation."""
    impl: list[Callable[..., Any]] = []

    def call(*args: Any) -> Any:
        if not impl:
            import formulas

            f = formulas.get_functions()[name]
            if isinstance(f, dict):
                extra = tuple(f.get("extra_inputs", {}).values())
                fn = f["function"]
                impl.append(lambda *a: fn(*extra, *a))
            else:
                impl.append(f)
        try:
            return _from_formulas(impl[0](*(_to_formulas(a) for a in args)))
        except Exception as e:  # formulas signals some errors by raising
            err = getattr(e, "err", None)
            if err is not None:
                return _from_formulas(err)
            return VALUE

    call.__name__ = name
    return call
