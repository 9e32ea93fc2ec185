"""Streamed sums (service/analysis/streaming.py): Sums of many outputs at once against
Moments of each output alone, and against math.fsum of the blocks written out here."""

from __future__ import annotations

import math

import numpy as np
import pytest

from service.analysis.streaming import BLOCK, Moments, Sums


@pytest.mark.parametrize("seed", range(12))
def test_sums_are_each_streams_moments_sum_bit_for_bit(seed: int) -> None:
    rng = np.random.default_rng(seed)
    n, k = int(rng.integers(1, 5 * BLOCK)), int(rng.integers(1, 6))
    x = rng.standard_normal((k, n)) * 10 ** rng.uniform(-3, 9, (k, 1))
    chunk = int(rng.integers(1, 3 * BLOCK))
    alone = [Moments(spread=False) for _ in range(k)]
    together = Sums(k)
    for start in range(0, n, chunk):
        part = x[:, start : start + chunk]
        together.add(part)
        for j in range(k):
            alone[j].add(part[j])
    assert together.sums() == [m.sum() for m in alone]
    assert together.positive.tolist() == [int(np.count_nonzero(row > 0)) for row in x]


def test_sums_add_the_blocks_of_block_values_with_fsum() -> None:
    x = np.linspace(-1.0, 3.0, 2 * BLOCK + 5)[None, :] ** 3
    s = Sums(1)
    s.add(x[:, :7])
    s.add(x[:, 7:])
    blocks = [float(np.sum(x[0, i : i + BLOCK])) for i in range(0, x.shape[1], BLOCK)]
    assert s.sums() == [math.fsum(blocks)]


def test_no_values_sum_to_zero() -> None:
    assert Sums(2).sums() == [0.0, 0.0]
    assert Sums(0).sums() == []
