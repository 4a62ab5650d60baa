"""Drives a race in its worker process and keeps each run's record (core.teaching.race)."""

from __future__ import annotations

import numpy as np
from PySide6.QtCore import QObject, Signal

from uat_explorer.core.nn.network import Network
from uat_explorer.core.teaching.race import RaceRun
from uat_explorer.core.training.optimizers import OptimizerSpec
from uat_explorer.core.training.penalty import Penalty
from uat_explorer.core.workers.messages import Finished
from uat_explorer.core.workers.race import Race, RaceJob, RaceProgress
from uat_explorer.gui.workers.worker_client import WorkerJob


class RaceRunner(WorkerJob):
    """``updated()`` after new steps arrived (read ``runs``); ``finished()``; ``failed(why)``."""

    updated = Signal()
    finished = Signal()

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__("race", "race process", "The race stopped", parent)
        self.runs: list[RaceRun] = []

    def start(
        self,
        network: Network,
        x: np.ndarray,
        t: np.ndarray,
        loss: str,
        specs: list[OptimizerSpec],
        steps: int,
        target_loss: float,
        batch_size: int | None = None,
        seed: int = 0,
        test: tuple[np.ndarray, np.ndarray] | None = None,
        penalty: Penalty | None = None,
    ) -> None:
        """Start the race's process (in the background) and send it the job; every run
        trains as the session does (``batch_size`` samples a step, shuffled from ``seed``,
        its weight decay), and with ``test`` points reports its test loss."""
        job = RaceJob(network.copy(), x, t, loss, specs, steps, batch_size, seed, test, penalty)
        self.start_job(job, target_loss)

    def start_job(self, job: Race, target_loss: float) -> None:
        """Race ``job``: a curve's runs or a classifier's."""
        self.stop()
        self.runs = [RaceRun(spec, target_loss) for spec in job.specs]
        self.launch(job)
        self.updated.emit()

    def _received(self, replies: list[object]) -> None:
        finished = False
        for reply in replies:
            if isinstance(reply, RaceProgress):
                reply.add_to(self.runs[reply.index])
            elif isinstance(reply, Finished):
                finished = True
        self.updated.emit()
        if finished:
            self.stop()
            self.finished.emit()
