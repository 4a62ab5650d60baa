"""What crosses the pipe between the window and its workers, as typed messages.

Commands go in, replies come out; each is a small frozen dataclass, pickled. A worker
answers a command it does not know with ``Failed``, never by dying silently.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from uat_explorer.core.training.optimizers import OptimizerSpec
from uat_explorer.core.training.penalty import Penalty
from uat_explorer.core.training.trainer import StopRule


# -- commands ----------------------------------------------------------------------------
@dataclass(frozen=True)
class Run:
    """Train until paused or a stop rule says so."""


@dataclass(frozen=True)
class Pause:
    """Stop and say where training stands (a reply with ``running`` False)."""


@dataclass(frozen=True)
class Advance:
    """Train exactly ``steps`` steps (or until a stop rule), then stop."""

    steps: int


@dataclass(frozen=True)
class Configure:
    """New settings for the training under way; only the fields given change. New data,
    loss or optimizer rebuild the trainer (Adam's moments start again); a new learning
    rate, stop rule, pace, seed or weight decay do not."""

    optimizer: OptimizerSpec | None = None
    loss: str | None = None
    stop: StopRule | None = None
    data: tuple[np.ndarray, np.ndarray] | None = None
    test: tuple[np.ndarray, np.ndarray] | None = None
    """The held-out points that go with ``data`` (empty arrays: none)."""
    penalty: Penalty | None = None
    batches: tuple[int | None, int] | None = None
    """(batch size or None for the full batch, seed)."""
    pace: int | None = None
    """Steps per frame; 0: as many as fit in half a frame."""
    trained: tuple[int, ...] | None = None
    """Train only these card-order parameter columns (the landscape's two); () all."""
    timeline_stride: int | None = None
    """The window's timeline keeps every this-many-th step past its recent ones: while
    training runs at Max, a reply carries only those rows (``workers/training.py``)."""


@dataclass(frozen=True)
class Quit:
    pass


# -- replies -----------------------------------------------------------------------------
@dataclass(frozen=True)
class Alive:
    """Sent a few times a second while a worker is busy, even inside one long step, so
    the window can tell a slow worker from a stopped one."""


@dataclass(frozen=True)
class Finished:
    """Every run of a race is done."""


@dataclass(frozen=True)
class Failed:
    """Something broke in the worker; ``text`` is the traceback."""

    text: str

    @property
    def reason(self) -> str:
        """The traceback's last line: what a person can be told."""
        lines = self.text.strip().splitlines()
        return lines[-1] if lines else "an unknown error"
