"""The loss curve of a whole training run, in bounded memory."""

from __future__ import annotations

import base64
from typing import Any

import numpy as np

from uat_explorer.core.errors import InputError


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
    def from_dict(cls, data: Any, where: str) -> LossHistory:
        """Raises InputError naming the field (``where``: the path to ``data``)."""
        if not isinstance(data, dict):
            raise InputError(f"{where} must be an object")
        stride = data.get("stride", 1)
        if isinstance(stride, bool) or not isinstance(stride, int) or stride < 1:
            raise InputError(f"{where}.stride must be a whole number ≥ 1")
        steps = decode_array(data, "steps", where, "<i8")
        losses = decode_array(data, "losses", where, "<f8")
        if steps.size != losses.size:
            raise InputError(f"{where}: steps and losses must have one entry each")
        if steps.size and (steps[0] < 0 or np.any(np.diff(steps) <= 0)):
            raise InputError(f"{where}.steps must rise from 0 on")
        if not np.isfinite(losses).all() or np.any(losses < 0):
            raise InputError(f"{where}.losses must be finite numbers ≥ 0")
        history = cls()
        history.stride = stride
        history._steps, history._losses = steps.astype(np.int64), losses.astype(np.float64)
        if steps.size:
            history._last = (int(steps[-1]), float(losses[-1]))
        return history


def encode_array(array: np.ndarray) -> str:
    """A little-endian array as base64 text: exact, and a quarter of JSON's size."""
    return base64.b64encode(np.ascontiguousarray(array).tobytes()).decode("ascii")


def decode_array(
    item: dict[str, Any], key: str, where: str, dtype: str, width: int = 1
) -> np.ndarray:
    text = item.get(key)
    if not isinstance(text, str):
        raise InputError(f"{where}.{key} must be base64 text")
    try:
        raw = base64.b64decode(text.encode("ascii"), validate=True)
    except (ValueError, UnicodeEncodeError):
        raise InputError(f"{where}.{key} is not valid base64") from None
    if len(raw) % (np.dtype(dtype).itemsize * max(width, 1)):
        raise InputError(f"{where}.{key} does not hold whole rows of {width} numbers")
    return np.frombuffer(raw, dtype=dtype).copy()
