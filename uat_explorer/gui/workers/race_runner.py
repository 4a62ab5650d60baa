"""Drives a race in its worker process and keeps each run's record (core.race.RaceRun)."""

from __future__ import annotations

from multiprocessing.connection import Connection

import numpy as np
from PySide6.QtCore import QObject, QTimer, Signal

from uat_explorer.core.nn.network import Network
from uat_explorer.core.teaching.race import RaceRun
from uat_explorer.core.training.optimizers import OptimizerSpec
from uat_explorer.core.workers.race import RaceJob, RaceProgress
from uat_explorer.core.workers.training import WorkerProcess, close_worker, start_worker
from uat_explorer.qt import props


class RaceRunner(QObject):
    """``updated()`` after new steps arrived (read ``runs``); ``finished()``; ``failed(why)``."""

    updated = Signal()
    finished = Signal()
    failed = Signal(str)

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.runs: list[RaceRun] = []
        self._process: WorkerProcess | None = None
        self._conn: Connection | None = None
        self._timer = props(QTimer(self), interval=16)
        self._timer.timeout.connect(self._poll)

    @property
    def running(self) -> bool:
        return self._process is not None

    def start(
        self,
        network: Network,
        x: np.ndarray,
        t: np.ndarray,
        loss: str,
        specs: list[OptimizerSpec],
        steps: int,
        target_loss: float,
    ) -> bool:
        self.stop()
        self.runs = [RaceRun(spec, target_loss) for spec in specs]
        try:
            self._process, self._conn = start_worker("race")
            self._conn.send(("race", RaceJob(network.copy(), x, t, loss, specs, steps)))
        except OSError as error:
            self.stop()
            self.failed.emit(f"The race could not start: {error}")
            return False
        self._timer.start()
        self.updated.emit()
        return True

    def stop(self) -> None:
        self._timer.stop()
        close_worker(self._process, self._conn)
        self._process = self._conn = None

    def _poll(self) -> None:
        conn = self._conn
        changed = finished = False
        try:
            while conn is not None and conn.poll(0):
                reply = conn.recv()
                if isinstance(reply, RaceProgress):
                    self._record(reply)
                    changed = True
                elif reply[0] == "finished":
                    finished = True
                    break
                else:
                    raise OSError(reply[1].strip().splitlines()[-1])
        except (OSError, EOFError) as error:
            self.stop()
            self.failed.emit(f"The race stopped: {error}")
            return
        if changed:
            self.updated.emit()
        if finished:
            self.stop()
            self.finished.emit()

    def _record(self, reply: RaceProgress) -> None:
        self.runs[reply.index].update(
            reply.first_step,
            reply.losses,
            reply.loss,
            reply.network,
            reply.done,
            reply.diverged_step,
            reply.diverged_run,
        )
