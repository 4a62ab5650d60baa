"""How far training gets with a few neurons, for comparison with the construction: LM from
a few seeds at N = 2, 4, … 64, in a worker process of its own, never on the GUI thread."""

from __future__ import annotations

from multiprocessing.connection import Connection

import numpy as np
from PySide6.QtCore import QObject, QTimer, Signal

from uat_explorer.core.nn.initialize import random_network
from uat_explorer.core.training.optimizers import OptimizerSpec
from uat_explorer.core.training.trainer import StopRule
from uat_explorer.core.workers.training import (
    Job,
    Progress,
    WorkerProcess,
    close_worker,
    start_worker,
)
from uat_explorer.qt import props

COUNTS = (2, 4, 8, 16, 32, 64)
SEEDS = (0, 1, 2)
STEPS = 300
"""Levenberg–Marquardt settles in 100–200 iterations at these sizes (PERF-NOTES)."""


class TrainingComparison(QObject):
    """``progressed(done, total)``; ``finished([(N, best max |error|), …])``; ``failed(why)``."""

    progressed = Signal(int, int)
    finished = Signal(object)
    failed = Signal(str)

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._process: WorkerProcess | None = None
        self._conn: Connection | None = None
        self._jobs: list[tuple[int, int]] = []
        self._done = 0
        self._best: dict[int, float] = {}
        self._timer = props(QTimer(self), interval=30)
        self._timer.timeout.connect(self._poll)

    @property
    def running(self) -> bool:
        return self._process is not None

    def start(self, x: np.ndarray, t: np.ndarray, domain: tuple[float, float]) -> None:
        """Fit every (N, seed) in turn; the best max |error| per N is reported."""
        self.cancel()
        self._x, self._t, self._domain = x, t, domain
        self._jobs = [(count, seed) for count in COUNTS for seed in SEEDS]
        self._done, self._best = 0, {}
        try:
            self._process, self._conn = start_worker()
        except OSError as error:
            self.failed.emit(f"Training could not start: {error}")
            return
        self._send_next()
        self._timer.start()

    def cancel(self) -> None:
        self._timer.stop()
        close_worker(self._process, self._conn)
        self._process = self._conn = None

    def _send_next(self) -> None:
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
        )
        assert self._conn is not None
        self._conn.send(("load", job))
        self._conn.send(("advance", STEPS))

    def _poll(self) -> None:
        conn = self._conn
        try:
            while conn is not None and conn.poll(0):
                reply = conn.recv()
                if isinstance(reply, tuple):
                    raise OSError(reply[1].strip().splitlines()[-1])
                if isinstance(reply, Progress) and not reply.running:
                    if reply.revision == self._done:
                        self._record(reply)
                    conn = self._conn
        except (OSError, EOFError) as error:
            self.cancel()
            self.failed.emit(f"The comparison stopped: {error}")

    def _record(self, reply: Progress) -> None:
        count = self._jobs[self._done][0]
        error = reply.metrics.max_abs_error
        if np.isfinite(error):
            self._best[count] = min(error, self._best.get(count, np.inf))
        self._done += 1
        self.progressed.emit(self._done, len(self._jobs))
        if self._done == len(self._jobs):
            self.cancel()
            self.finished.emit(sorted(self._best.items()))
        else:
            self._send_next()
