"""The loss curve of a whole training run, in bounded memory."""

from __future__ import annotations

import numpy as np


class LossHistory:
    """(step, loss) pairs at a uniform stride that doubles whenever ``capacity`` is reached.

    A million steps cost the same memory as ``capacity`` points, and the curve keeps its
    shape from step 0 to the latest point, which is always kept.
    """

    def __init__(self, capacity: int = 8192) -> None:
        self.capacity = capacity
        self.clear()

    def clear(self) -> None:
        self.stride = 1
        self._steps = np.zeros(0, dtype=np.int64)
        self._losses = np.zeros(0, dtype=np.float64)
        self._last: tuple[int, float] | None = None

    def __len__(self) -> int:
        return self._steps.size + (1 if self._last_is_extra() else 0)

    def _last_is_extra(self) -> bool:
        return self._last is not None and (
            self._steps.size == 0 or self._steps[-1] != self._last[0]
        )

    def extend(self, first_step: int, losses: np.ndarray) -> None:
        """Record losses for steps first_step, first_step + 1, ..."""
        if losses.size == 0:
            return
        steps = np.arange(first_step, first_step + losses.size, dtype=np.int64)
        keep = steps % self.stride == 0
        self._steps = np.concatenate([self._steps, steps[keep]])
        self._losses = np.concatenate([self._losses, losses[keep].astype(np.float64)])
        self._last = (int(steps[-1]), float(losses[-1]))
        while self._steps.size > self.capacity:
            self.stride *= 2
            keep = self._steps % self.stride == 0
            self._steps, self._losses = self._steps[keep], self._losses[keep]

    def truncate(self, step: int) -> None:
        """Forget ``step`` and everything after it: training was rolled back to the weights
        of that step, and the next run records their loss again."""
        keep = self._steps < step
        self._steps, self._losses = self._steps[keep], self._losses[keep]
        if self._last is not None and self._last[0] >= step:
            self._last = (
                (int(self._steps[-1]), float(self._losses[-1])) if self._steps.size else None
            )

    def arrays(self) -> tuple[np.ndarray, np.ndarray]:
        """Copies of (steps, losses), ending with the latest recorded step."""
        if self._last_is_extra():
            assert self._last is not None
            return (
                np.append(self._steps, self._last[0]),
                np.append(self._losses, self._last[1]),
            )
        return self._steps.copy(), self._losses.copy()
