"""Drives a classifier's training in its worker process (core.workers.classes)."""

from __future__ import annotations

from PySide6.QtCore import QObject, Signal

from uat_explorer.core.workers.classes import ClassJob, ClassProgress
from uat_explorer.core.workers.messages import Finished
from uat_explorer.gui.workers.worker_client import WorkerClient


class ClassRunner(QObject):
    """``progressed(ClassProgress)`` for each reply, in order; ``failed(why)`` once if
    the process could not start, died or stopped answering."""

    progressed = Signal(object)
    failed = Signal(str)

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.client = WorkerClient("classes", "class training process", self)
        self.client.received.connect(self._received)
        self.client.lost.connect(lambda why: self.failed.emit(f"Training stopped: {why}."))

    @property
    def running(self) -> bool:
        return self.client.active

    def start(self, job: ClassJob) -> None:
        """Start the process (in the background) and send it the job."""
        self.stop()
        self.client.start()
        self.client.send(job)
        self.client.expect(True)

    def stop(self, wait: bool = False) -> None:
        self.client.stop(wait)

    def _received(self, replies: list[object]) -> None:
        for reply in replies:
            if isinstance(reply, ClassProgress):
                self.progressed.emit(reply)
            elif isinstance(reply, Finished):
                self.client.expect(False)  # nothing more is coming: silence is no failure
