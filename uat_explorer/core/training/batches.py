"""Mini-batches and epochs: which samples step k of stochastic gradient descent uses.

Each epoch is a fresh shuffle of the samples (seeded: the same seed gives the same
batches), and the batches are read from the shuffles end to end, B samples a step. So
every sample is used exactly once per epoch, every step sees exactly B samples, and after
k steps the network has seen k·B/N epochs. Which samples a step used is a function of
(seed, step) alone: it is never stored, and a saved session resumes the same schedule.
"""

from __future__ import annotations

import math
from functools import lru_cache

import numpy as np
from numpy.typing import NDArray

from uat_explorer.core.errors import InputError


def check_batch_size(size: int | None, samples: int) -> int | None:
    """None (full batch) or 1 … samples; a size of ``samples`` is the full batch."""
    if size is None:
        return None
    if not 1 <= size <= samples:
        raise InputError(f"the batch size must be between 1 and the {samples} samples, got {size}")
    return None if size == samples else size


@lru_cache(maxsize=8)
def _shuffle(seed: int, samples: int, epoch: int) -> NDArray[np.intp]:
    order = np.random.default_rng([seed, samples, epoch]).permutation(samples)
    order.setflags(write=False)
    return order


class BatchSchedule:
    """Batches of ``size`` samples out of ``samples``, shuffled per epoch from ``seed``."""

    def __init__(self, samples: int, size: int, seed: int) -> None:
        self.samples, self.size, self.seed = samples, size, seed

    @property
    def batches_per_epoch(self) -> int:
        return math.ceil(self.samples / self.size)

    def indices(self, step: int) -> NDArray[np.intp]:
        """The samples step ``step`` trains on (B of them; across an epoch's end, the last
        of one shuffle and the first of the next)."""
        start = step * self.size
        epoch, offset = divmod(start, self.samples)
        end = offset + self.size
        first = _shuffle(self.seed, self.samples, epoch)
        if end <= self.samples:
            return first[offset:end]
        return np.concatenate(
            [first[offset:], _shuffle(self.seed, self.samples, epoch + 1)[: end - self.samples]]
        )

    def epochs(self, steps: int) -> float:
        """Passes over the data after ``steps`` steps: steps·B/N."""
        return steps * self.size / self.samples

    def position(self, step: int) -> tuple[int, int]:
        """(epoch, batch within it), both counted from 1, of step ``step``."""
        epoch, offset = divmod(step * self.size, self.samples)
        return epoch + 1, offset // self.size + 1

    def ends_epoch(self, step: int) -> bool:
        """Whether step ``step`` completes an epoch: (step+1)·B crosses a multiple of N."""
        return (step + 1) * self.size // self.samples > step * self.size // self.samples

    def epoch_ends(self, first: int, last: int) -> NDArray[np.int64]:
        """Steps in first … last after which an epoch is complete."""
        return np.array([s for s in range(first, last + 1) if self.ends_epoch(s)], np.int64)
