"""The numpy backend's float fast paths give what numpy's element-wise operators give."""

from __future__ import annotations

import numpy as np
from hypothesis import example, given, settings
from hypothesis import strategies as st

from service.engine import vector as v

NAN, INF = float("nan"), float("inf")
# Any float, with the ones where Python's and numpy's rules part drawn often.
ANY_FLOAT = st.one_of(st.sampled_from([NAN, INF, -INF, 0.0, -0.0, 1e308]), st.floats())
N = 4


def column() -> st.SearchStrategy[object]:
    """A Python float or a float array of N scenarios."""
    array = st.lists(ANY_FLOAT, min_size=N, max_size=N).map(lambda xs: np.array(xs))
    return st.one_of(ANY_FLOAT, array)


def same(got: object, want: object) -> bool:
    """Equal per scenario, NaN equal to NaN, and a scalar stays a scalar."""
    if isinstance(want, np.ndarray):
        return isinstance(got, np.ndarray) and np.array_equal(got, want, equal_nan=True)
    return not isinstance(got, np.ndarray) and np.array_equal(got, want, equal_nan=True)


@settings(max_examples=300, deadline=None)
@given(st.lists(column(), min_size=1, max_size=4))
@example([1.0, NAN])
@example([INF, 1.0, -INF])
@example([1e308, 1e308, -1.0])
def test_min_and_max_equal_numpy(values: list[object]) -> None:
    assert same(v.vmin((), tuple(values)), np.minimum.reduce(np.broadcast_arrays(*values)))
    assert same(v.vmax((), tuple(values)), np.maximum.reduce(np.broadcast_arrays(*values)))


@settings(max_examples=300, deadline=None)
@given(column(), column())
def test_arithmetic_equals_numpy(a: object, b: object) -> None:
    with np.errstate(all="ignore"):
        assert same(v.vmul(a, b), np.multiply(a, b))
        assert same(v.vadd(a, b), np.add(a, b))
        assert same(v.vsub(a, b), np.subtract(a, b))


@settings(max_examples=200, deadline=None)
@given(st.integers(1, 5).flatmap(lambda k: st.tuples(*[column()] * 2 * k)))
def test_sumproduct_equals_numpy(items: tuple[object, ...]) -> None:
    k = len(items) // 2
    with np.errstate(all="ignore"):
        want = sum(np.multiply(a, b) for a, b in zip(items[:k], items[k:], strict=True))
        assert same(v.vsumproduct(items[:k], items[k:]), want)
