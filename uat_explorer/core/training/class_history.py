"""What a class session remembers of its training: at each record the step, the
cross-entropy, the accuracy and the weights θ, so any point's probabilities through
training come back from the θ (ClassProblem.history_at) after the file is reopened."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import numpy as np
from numpy.typing import NDArray

from uat_explorer.core.fields import Fields, encode_array

MAX_SAVED_NUMBERS = 250_000
"""A saved history holds at most this many θ numbers (2.7 MB of base64): a long run is
thinned evenly, its first and last records kept."""


@dataclass
class ClassHistory:
    """Records in step order: steps (T,), losses (T,), accuracies (T,) and θ (T, P)."""

    steps: list[int] = field(default_factory=list)
    losses: list[float] = field(default_factory=list)
    accuracies: list[float] = field(default_factory=list)
    thetas: list[NDArray[np.float64]] = field(default_factory=list)

    def __len__(self) -> int:
        return len(self.steps)

    def record(self, step: int, loss: float, accuracy: float, theta: NDArray[np.float64]) -> None:
        self.steps.append(step)
        self.losses.append(loss)
        self.accuracies.append(accuracy)
        self.thetas.append(theta.copy())

    def copy(self) -> ClassHistory:
        """The same records in new lists (records are never changed, only appended)."""
        return ClassHistory(
            list(self.steps), list(self.losses), list(self.accuracies), list(self.thetas)
        )

    def thinned(self, limit: int) -> ClassHistory:
        """At most ``limit`` records (≥ 2), evenly spread, the first and last kept."""
        if len(self) <= limit:
            return self
        keep = np.unique(np.linspace(0, len(self) - 1, limit).round().astype(int))
        return ClassHistory(
            [self.steps[i] for i in keep],
            [self.losses[i] for i in keep],
            [self.accuracies[i] for i in keep],
            [self.thetas[i] for i in keep],
        )

    def to_dict(self) -> dict[str, Any]:
        width = self.thetas[0].size if self.thetas else 1
        kept = self.thinned(max(2, MAX_SAVED_NUMBERS // width))
        return {
            "records": len(kept),
            "steps": encode_array(np.array(kept.steps, dtype="<i8")),
            "losses": encode_array(np.array(kept.losses, dtype="<f8")),
            "accuracies": encode_array(np.array(kept.accuracies, dtype="<f8")),
            "thetas": encode_array(np.array(kept.thetas, dtype="<f8").reshape(-1)),
        }

    @classmethod
    def from_dict(cls, fields: Fields, last_step: int, width: int) -> ClassHistory:
        """Raises FieldError naming the field: steps rising from 0 to ``last_step`` at
        most, finite losses ≥ 0, accuracies in [0, 1], rows of ``width`` finite θ."""
        count = fields.integer("records", 0, MAX_SAVED_NUMBERS)
        steps = fields.array("steps", "<i8", count)
        if np.any(steps < 0) or np.any(steps > last_step) or np.any(np.diff(steps) < 0):
            raise fields.fail("steps", f"must rise from 0 to the session's step {last_step}")
        losses = fields.array("losses", "<f8", count)
        if not (np.isfinite(losses).all() and np.all(losses >= 0)):
            raise fields.fail("losses", "must be finite cross-entropies ≥ 0")
        accuracies = fields.array("accuracies", "<f8", count)
        if not np.all((accuracies >= 0) & (accuracies <= 1)):
            raise fields.fail("accuracies", "must lie in [0, 1]")
        thetas = fields.array("thetas", "<f8", count * width).reshape(count, width)
        if not np.isfinite(thetas).all():
            raise fields.fail("thetas", "must be finite weights")
        return cls(
            [int(s) for s in steps],
            [float(v) for v in losses],
            [float(v) for v in accuracies],
            list(thetas),
        )
