"""Drives a classifier's training in its worker process (core.workers.classes)."""

from __future__ import annotations

from PySide6.QtCore import QObject, Signal

from uat_explorer.core.workers.classes import ClassJob, ClassProgress
from uat_explorer.core.workers.messages import Finished
from uat_explorer.gui.workers.worker_client import WorkerJob


class ClassRunner(WorkerJob):
    """``progressed(ClassProgress)`` for each reply, in order; ``finished()`` once the
    worker stops by itself (the steps asked for are done, or it diverged); ``failed(why)``
    once if the process could not start, died or stopped answering."""

    progressed = Signal(object)
    finished = Signal()

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__("classes", "class training process", "Training stopped", parent)

    def start(self, job: ClassJob) -> None:
        """Start the process (in the background) and send it the job."""
        self.stop()
        self.launch(job)

    def _received(self, replies: list[object]) -> None:
        for reply in replies:
            if isinstance(reply, ClassProgress):
                self.progressed.emit(reply)
            elif isinstance(reply, Finished):
                self.client.expect(False)  # nothing more is coming: silence is no failure
                self.finished.emit()
