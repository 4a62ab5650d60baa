"""What crosses the pipe between the window and its workers, as typed messages.

Commands go in, replies come out; each is a small frozen dataclass, pickled. A worker
answers a command it does not know with ``Failed``, never by dying silently.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from uat_explorer.core.training.optimizers import OptimizerSpec
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
class SetOptimizer:
    spec: OptimizerSpec


@dataclass(frozen=True)
class SetLoss:
    name: str


@dataclass(frozen=True)
class SetStop:
    rule: StopRule


@dataclass(frozen=True)
class SetData:
    x: np.ndarray
    t: np.ndarray


@dataclass(frozen=True)
class SetBatches:
    size: int | None
    seed: int


@dataclass(frozen=True)
class SetPace:
    """Steps per frame; 0: as many as fit in half a frame."""

    steps: int


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
