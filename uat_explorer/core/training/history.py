"""What a session remembers of its training: the loss curve, the loss at each epoch's end
(mini-batches), the test loss on held-out points, and the D/W/A/G timeline. Saved with
the session (version 2; the test loss since version 4), so a lesson reopens with its
curves."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import numpy as np

from uat_explorer.core.fields import Fields
from uat_explorer.core.training.loss_history import LossHistory
from uat_explorer.core.training.timeline import Timeline, TimelineRows


@dataclass
class TrainingHistory:
    loss: LossHistory = field(default_factory=LossHistory)
    epochs: LossHistory = field(default_factory=LossHistory)
    timeline: Timeline = field(default_factory=Timeline)
    test: LossHistory = field(default_factory=LossHistory)
    """The loss on the held-out points at every step (thinned as the loss is)."""

    @property
    def empty(self) -> bool:
        return (
            len(self.loss) == 0
            and len(self.epochs) == 0
            and len(self.test) == 0
            and self.timeline.rows == 0
        )

    def clear(self) -> None:
        self.loss.clear()
        self.epochs.clear()
        self.test.clear()
        self.timeline.clear()

    def record(
        self,
        first_step: int,
        losses: np.ndarray,
        epoch_losses: tuple[np.ndarray, np.ndarray] | None = None,
        timeline: TimelineRows | None = None,
        test_losses: tuple[np.ndarray, np.ndarray] | None = None,
    ) -> None:
        """A stretch of training: the loss of each step from ``first_step`` on, the
        full-batch losses at the epochs' ends in it, its timeline rows and (step, test
        loss) of its steps. The window and the command line fold reports in the same
        way."""
        self.loss.extend(first_step, losses)
        if epoch_losses is not None:
            self.epochs.add(*epoch_losses)
        if timeline is not None:
            self.timeline.extend(timeline)
        if test_losses is not None:
            self.test.add(*test_losses)

    def truncate(self, step: int) -> None:
        """Training went back to ``step``: forget it and what came after."""
        self.loss.truncate(step)
        self.epochs.truncate(step + 1)  # an epoch's end at ``step`` belongs to the past
        self.test.truncate(step)
        self.timeline.truncate(step)

    def to_dict(self) -> dict[str, Any]:
        return {
            "loss": self.loss.to_dict(),
            "epochs": self.epochs.to_dict(),
            "timeline": self.timeline.to_dict(),
            "test": self.test.to_dict(),
        }

    @classmethod
    def from_dict(cls, fields: Fields, last_step: int) -> TrainingHistory:
        """Raises FieldError naming the field; nothing in it may lie past ``last_step``,
        the step count of the session it belongs to."""
        return cls(
            LossHistory.from_dict(fields.child("loss"), last_step),
            LossHistory.from_dict(fields.child("epochs"), last_step),
            Timeline.from_dict(fields.child("timeline"), last_step),
            LossHistory.from_dict(fields.child("test"), last_step)
            if fields.has("test")
            else LossHistory(),
        )
