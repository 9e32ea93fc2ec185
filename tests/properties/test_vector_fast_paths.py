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


def same_cells(got: object, want: object) -> bool:
    """Per scenario the same class and value (errors the same error, -0.0 not 0.0)."""
    if not (isinstance(got, np.ndarray) and isinstance(want, np.ndarray)):
        return False
    if got.dtype != want.dtype or got.shape != want.shape:
        return False
    return all(
        x.__class__ is y.__class__ and (x is y or repr(x) == repr(y))
        for x, y in zip(got.tolist(), want.tolist(), strict=True)
    )


SOME_ZEROS = st.lists(st.one_of(st.just(0.0), st.just(-0.0), ANY_FLOAT), min_size=N, max_size=N)


@settings(max_examples=300, deadline=None)
@given(st.one_of(ANY_FLOAT, SOME_ZEROS.map(np.array)), SOME_ZEROS.map(np.array))
@example(1.0, np.array([0.0, 2.0, -0.0, NAN]))
def test_division_by_zero_in_some_scenarios_equals_the_scalar_helper(a: object, b: object) -> None:
    want = v._loop(lambda x, y: v.rt.div(v.rt.num(x), v.rt.num(y)), a, b)
    with np.errstate(all="ignore"):
        got = v.vdiv(a, b)
    assert same_cells(got, want) if isinstance(want, np.ndarray) else same(got, want)


ERR_OR_FLOAT = st.one_of(st.sampled_from([v.rt.DIV0, v.rt.NA]), ANY_FLOAT, st.floats(-1e6, 1e6))


def object_column() -> st.SearchStrategy[np.ndarray]:
    """An object column of floats and errors, as a division by zero leaves one."""

    def build(xs: list[object]) -> np.ndarray:
        out = np.empty(N, dtype=object)
        out[:] = xs
        return out

    return st.lists(ERR_OR_FLOAT, min_size=N, max_size=N).map(build)


@settings(max_examples=300, deadline=None)
@given(object_column(), st.sampled_from([0.0, 2.0, -1.0, 3.7]), st.sampled_from([0, 1, -1]))
def test_round_of_floats_and_errors_equals_the_scalar_helper(
    x: np.ndarray, n: float, mode: int
) -> None:
    want = v._loop(lambda a, b: v.rt.xround(a, b, mode), x, n)
    with np.errstate(all="ignore"):
        got = v.vround(x, n, mode)
    assert same_cells(got, want)


@settings(max_examples=300, deadline=None)
@given(object_column(), st.one_of(ANY_FLOAT, st.just("x"), st.just(True), column()))
def test_iferror_of_floats_and_errors_equals_the_scalar_helper(x: np.ndarray, b: object) -> None:
    assert same_cells(v.viferror(x, b), v._loop(v.rt.xiferror, x, b))


@settings(max_examples=300, deadline=None)
@given(
    st.lists(st.one_of(ANY_FLOAT, column()), min_size=3, max_size=3),
    st.lists(st.sampled_from(["a", "b", 1.0]), min_size=3, max_size=3),
    st.sampled_from(["<>a", "a", ">0", "b"]),
)
def test_sumif_with_constant_criteria_equals_the_scalar_helper(
    values: list[object], keys: list[object], criterion: str
) -> None:
    args = (v.vtup(values), v.vtup((v.vtup(keys), criterion)))
    want = v._loop(v.rt.xsumifs, *args)
    got = v.vcall(v.rt.xsumifs, *args)
    assert same_cells(got, want) if isinstance(want, np.ndarray) else same(got, want)
