"""What a session remembers of its training: the loss curve, the loss at each epoch's end
(mini-batches), and the D/W/A/G timeline. Saved with the session (version 2), so a
lesson reopens with its curves."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import numpy as np

from uat_explorer.core.errors import InputError
from uat_explorer.core.training.loss_history import LossHistory
from uat_explorer.core.training.timeline import Timeline, TimelineRows


@dataclass
class TrainingHistory:
    loss: LossHistory = field(default_factory=LossHistory)
    epochs: LossHistory = field(default_factory=LossHistory)
    timeline: Timeline = field(default_factory=Timeline)

    @property
    def empty(self) -> bool:
        return len(self.loss) == 0 and len(self.epochs) == 0 and self.timeline.rows == 0

    def clear(self) -> None:
        self.loss.clear()
        self.epochs.clear()
        self.timeline.clear()

    def record(
        self,
        first_step: int,
        losses: np.ndarray,
        epoch_losses: tuple[np.ndarray, np.ndarray] | None = None,
        timeline: TimelineRows | None = None,
    ) -> None:
        """A stretch of training: the loss of each step from ``first_step`` on, the
        full-batch losses at the epochs' ends in it, and its timeline rows. The window
        and the command line fold reports in the same way."""
        self.loss.extend(first_step, losses)
        if epoch_losses is not None:
            self.epochs.add(*epoch_losses)
        if timeline is not None:
            self.timeline.extend(timeline)

    def truncate(self, step: int) -> None:
        """Training went back to ``step``: forget it and what came after."""
        self.loss.truncate(step)
        self.epochs.truncate(step + 1)  # an epoch's end at ``step`` belongs to the past
        self.timeline.truncate(step)

    def to_dict(self) -> dict[str, Any]:
        return {
            "loss": self.loss.to_dict(),
            "epochs": self.epochs.to_dict(),
            "timeline": self.timeline.to_dict(),
        }

    @classmethod
    def from_dict(cls, data: Any, where: str = "history") -> TrainingHistory:
        if not isinstance(data, dict):
            raise InputError(f"{where} must be an object")
        for key in ("loss", "epochs", "timeline"):
            if key not in data:
                raise InputError(f"{where}.{key} is missing")
        return cls(
            LossHistory.from_dict(data["loss"], f"{where}.loss"),
            LossHistory.from_dict(data["epochs"], f"{where}.epochs"),
            Timeline.from_dict(data["timeline"], f"{where}.timeline"),
        )
