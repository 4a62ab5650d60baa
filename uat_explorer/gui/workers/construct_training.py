"""How far training gets with a few neurons, for comparison with the construction: LM from
a few seeds at N = 2, 4, … 64, in a worker process of its own, never on the GUI thread."""

from __future__ import annotations

from collections.abc import Callable

import numpy as np
from PySide6.QtCore import QObject, Signal

from uat_explorer.core.nn.initialize import random_network
from uat_explorer.core.teaching.construct import error_over_domain
from uat_explorer.core.training.optimizers import OptimizerSpec
from uat_explorer.core.training.trainer import StopRule
from uat_explorer.core.workers.messages import Advance
from uat_explorer.core.workers.training import Job, Progress
from uat_explorer.gui.workers.worker_client import WorkerJob

COUNTS = (2, 4, 8, 16, 32, 64)
SEEDS = (0, 1, 2)
STEPS = 300
"""Levenberg–Marquardt settles in 100–200 iterations at these sizes (PERF-NOTES)."""


class ConstructTraining(WorkerJob):
    """``progressed(done, total)``; ``finished([(N, best max |error|), …])``; ``failed(why)``.

    The error is over the domain, as the construction's: on the grid it is measured on
    and the samples (a network can wiggle between the samples it was fitted to). With
    test points, ``test_errors[N]`` is the max |error| on them of each N's best."""

    progressed = Signal(int, int)
    finished = Signal(object)

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(
            "train", "training process", "The comparison with training stopped", parent
        )
        self._jobs: list[tuple[int, int]] = []
        self._done = 0
        self._best: dict[int, float] = {}
        self.test_errors: dict[int, float] = {}
        self._x = self._t = np.zeros(0)
        self._test: tuple[np.ndarray, np.ndarray] | None = None
        self._domain = (0.0, 1.0)
        self._target: Callable[[np.ndarray], np.ndarray] | None = None

    def start(
        self,
        x: np.ndarray,
        t: np.ndarray,
        domain: tuple[float, float],
        target: Callable[[np.ndarray], np.ndarray] | None = None,
        test: tuple[np.ndarray, np.ndarray] | None = None,
    ) -> None:
        """Fit every (N, seed) to (x, t) in turn; the best max |error| per N is reported,
        over the domain against ``target`` (None: on the samples), and with ``test``
        points its max |error| on them."""
        self.stop()
        self._x, self._t, self._domain, self._target = x, t, domain, target
        self._test = test
        self._jobs = [(count, seed) for count in COUNTS for seed in SEEDS]
        self._done, self._best, self.test_errors = 0, {}, {}
        self.launch(*self._next_job())

    def _next_job(self) -> tuple[Job, Advance]:
        count, seed = self._jobs[self._done]
        network = random_network(["sigmoid"] * count, self._domain, seed)
        job = Job(
            network,
            self._x,
            self._t,
            "mse",
            OptimizerSpec("lm"),
            StopRule(max_steps=STEPS),
            0,
            revision=self._done,
            test=self._test,
        )
        return job, Advance(STEPS)

    def _received(self, replies: list[object]) -> None:
        for reply in replies:
            if isinstance(reply, Progress) and not reply.running and reply.revision == self._done:
                self._record(reply)
                if not self.client.active:
                    return

    def _record(self, reply: Progress) -> None:
        count = self._jobs[self._done][0]
        error = reply.metrics.max_abs_error
        if self._target is not None:
            error = error_over_domain(reply.network, self._target, self._domain, self._x, self._t)
        if np.isfinite(error) and error < self._best.get(count, np.inf):
            self._best[count] = error
            if reply.test_metrics is not None:
                self.test_errors[count] = reply.test_metrics.max_abs_error
        self._done += 1
        self.progressed.emit(self._done, len(self._jobs))
        if self._done == len(self._jobs):
            self.stop()
            self.finished.emit(sorted(self._best.items()))
        else:
            for command in self._next_job():
                self.client.send(command)
