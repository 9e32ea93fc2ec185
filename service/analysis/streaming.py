"""Sums and moments of a stream of floats that do not depend on how the stream is chunked.

A Monte Carlo run evaluates its draws in chunks of bounded size. A running `total +=
np.sum(chunk)` would make the last digits of a mean depend on the chunk size; here values
are summed in fixed blocks of `BLOCK` consecutive draws (numpy's pairwise sum, a partial
block carried over to the next chunk), and the block sums are added with `math.fsum`
(correctly rounded). The order of every addition is fixed by the draw's index, so any
chunk size gives the same bits. Memory: one block, plus three floats per block (about
6,000 floats at the maximum of 1,000,000 draws).
"""

from __future__ import annotations

import math

import numpy as np

BLOCK = 4096


class Moments:
    """Count, mean, sample standard deviation, min and max of a stream of floats."""

    def __init__(self, spread: bool = True) -> None:
        self._spread = spread  # False: the sum only (sd() is then not available)
        self._buf = np.empty(BLOCK)
        self._fill = 0
        self._blocks: list[tuple[int, float, float]] = []  # (count, sum, squared deviations)
        self.min = math.inf
        self.max = -math.inf

    def add(self, x: np.ndarray) -> None:
        """Add the next values of the stream."""
        x = np.ascontiguousarray(x, dtype=np.float64)
        if x.size:
            self.min = min(self.min, float(x.min()))
            self.max = max(self.max, float(x.max()))
        i = 0
        if self._fill:  # complete the block the previous chunk left open
            take = min(BLOCK - self._fill, x.size)
            self._buf[self._fill : self._fill + take] = x[:take]
            self._fill += take
            i = take
            if self._fill < BLOCK:
                return
            self._block(self._buf)
            self._fill = 0
        while x.size - i >= BLOCK:
            self._block(x[i : i + BLOCK])
            i += BLOCK
        rest = x.size - i
        self._buf[:rest] = x[i:]
        self._fill = rest

    def _block(self, values: np.ndarray) -> None:
        self._blocks.append(self._moments(values))

    def _moments(self, values: np.ndarray) -> tuple[int, float, float]:
        total = float(np.sum(values))
        if not self._spread:
            return values.size, total, math.nan
        return values.size, total, float(np.sum((values - total / values.size) ** 2))

    def _all_blocks(self) -> list[tuple[int, float, float]]:
        if not self._fill:
            return self._blocks
        return [*self._blocks, self._moments(self._buf[: self._fill])]

    @property
    def count(self) -> int:
        """How many values were added."""
        return sum(n for n, _, _ in self._blocks) + self._fill

    def sum(self) -> float:
        """The sum: block sums added with math.fsum."""
        return math.fsum(s for _, s, _ in self._all_blocks())

    def mean(self) -> float:
        """The mean (NaN when empty)."""
        n = self.count
        return self.sum() / n if n else math.nan

    def sd(self) -> float:
        """Sample standard deviation (ddof 1), from the blocks' deviations (Chan et al.)."""
        n = self.count
        if n < 2:
            return 0.0
        mean = self.mean()
        blocks = self._all_blocks()
        within = math.fsum(d for _, _, d in blocks)
        between = math.fsum(k * (s / k - mean) ** 2 for k, s, _ in blocks)
        return math.sqrt((within + between) / (n - 1))


class Sums:
    """The sums of k streams at once, each bit for bit `Moments(spread=False).sum()` of
    its stream, and how many of each stream's values are positive: a Monte Carlo run's
    per-actor outputs, reduced with one numpy call per chunk instead of one per output."""

    def __init__(self, k: int) -> None:
        self._buf = np.empty((k, BLOCK))
        self._fill = 0
        self._blocks: list[np.ndarray] = []  # (k, blocks) sums of whole blocks
        self.positive = np.zeros(k, dtype=np.int64)

    def add(self, x: np.ndarray) -> None:
        """Add the next values of each stream: row j of x continues stream j."""
        x = np.ascontiguousarray(x, dtype=np.float64)
        self.positive += np.count_nonzero(x > 0, axis=1)
        n, i = x.shape[1], 0
        if self._fill:
            take = min(BLOCK - self._fill, n)
            self._buf[:, self._fill : self._fill + take] = x[:, :take]
            self._fill += take
            i = take
            if self._fill < BLOCK:
                return
            self._blocks.append(self._buf.sum(axis=1)[:, None])
            self._fill = 0
        whole = (n - i) // BLOCK
        if whole:
            # each row's blocks summed along the contiguous last axis: numpy's pairwise
            # sum of BLOCK values, as np.sum of that block alone
            blocks = np.ascontiguousarray(x[:, i : i + whole * BLOCK])
            self._blocks.append(blocks.reshape(len(x), whole, BLOCK).sum(axis=2))
            i += whole * BLOCK
        rest = n - i
        self._buf[:, :rest] = x[:, i:]
        self._fill = rest

    def sums(self) -> list[float]:
        """Each stream's sum: its block sums added with math.fsum."""
        parts = list(self._blocks)
        if self._fill:
            parts.append(np.ascontiguousarray(self._buf[:, : self._fill]).sum(axis=1)[:, None])
        if not parts:
            return [0.0] * len(self._buf)
        table = np.concatenate(parts, axis=1)
        return [math.fsum(row) for row in table.tolist()]


__all__ = ["BLOCK", "Moments", "Sums"]
