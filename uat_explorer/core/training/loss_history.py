"""The loss curve of a whole training run, in bounded memory."""

from __future__ import annotations

from typing import Any

import numpy as np

from uat_explorer.core.fields import Fields, encode_array

CAPACITY = 8192
MAX_POINTS = 2 * CAPACITY + 1
"""A saved curve holds at most this many points (the app never keeps more)."""
MAX_STRIDE = 2**40
"""Far beyond what a curve of 10¹² steps thinned to CAPACITY points needs."""


class LossHistory:
    """(step, loss) pairs at a uniform stride that doubles whenever ``capacity`` is reached.

    A million steps cost the same memory as ``capacity`` points, and the curve keeps its
    shape from step 0 to the latest point, which is always kept.
    """

    def __init__(self, capacity: int = CAPACITY) -> None:
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
        self.add(np.arange(first_step, first_step + losses.size, dtype=np.int64), losses)

    def add(self, steps: np.ndarray, losses: np.ndarray) -> None:
        """Record losses at rising ``steps`` after the last one (not necessarily
        consecutive: epoch ends, or an already thinned run)."""
        if losses.size == 0:
            return
        steps = np.asarray(steps, dtype=np.int64)
        losses = np.asarray(losses)
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
        if self._last is None or self._last[0] < step:
            return  # the window calls this every frame, with nothing to forget
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

    def to_dict(self) -> dict[str, Any]:
        steps, losses = self.arrays()
        return {
            "stride": self.stride,
            "steps": encode_array(steps.astype("<i8")),
            "losses": encode_array(losses.astype("<f8")),
        }

    @classmethod
    def from_dict(cls, fields: Fields, last_step: int) -> LossHistory:
        """Raises FieldError naming the field; steps must rise from 0 to at most
        ``last_step`` (the session's step count: a curve past it was not trained)."""
        stride = fields.integer("stride", 1, MAX_STRIDE) if fields.has("stride") else 1
        steps = fields.array("steps", "<i8")
        losses = fields.array("losses", "<f8", rows=steps.size)
        if steps.size > MAX_POINTS:
            raise fields.fail("steps", f"has {steps.size:,} points; at most {MAX_POINTS:,}")
        if steps.size and (steps[0] < 0 or np.any(np.diff(steps) <= 0)):
            raise fields.fail("steps", "must rise from 0 on")
        if steps.size and steps[-1] > last_step:
            raise fields.fail(
                "steps", f"reach step {int(steps[-1]):,}, past the session's step {last_step:,}"
            )
        if not np.isfinite(losses).all() or np.any(losses < 0):
            raise fields.fail("losses", "must be finite numbers ≥ 0")
        history = cls()
        history.stride = stride
        history._steps, history._losses = steps.astype(np.int64), losses.astype(np.float64)
        if steps.size:
            history._last = (int(steps[-1]), float(losses[-1]))
        return history
