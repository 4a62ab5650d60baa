"""A step's check against the network on screen: at once for the checks that only look
(an output at a few points, a step position, a loss), in a worker process for those that
train from here (reaching a loss, diverging), so the window keeps drawing meanwhile."""

from __future__ import annotations

from PySide6.QtCore import QObject, Signal

from uat_explorer.core.io.class_session import ClassSession
from uat_explorer.core.io.session import Session
from uat_explorer.core.lessons.checks import CheckResult, evaluate, trains
from uat_explorer.core.lessons.lesson import Check
from uat_explorer.core.workers.lesson_check import CheckDone, CheckJob
from uat_explorer.gui.workers.worker_client import WorkerJob


class CheckRunner(WorkerJob):
    """``checked(result)`` for the latest question asked; ``working(text)`` while a
    training check runs."""

    checked = Signal(object)
    working = Signal(str)

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__("check", "lesson's check", "The check could not run", parent)
        self.number = 0
        self.busy = False

    def ask(self, check: Check, session: Session | ClassSession) -> None:
        self.number += 1  # an answer to an older question is dropped
        if not trains(check):
            self.busy = False
            self.checked.emit(evaluate(check, session))
            return
        assert isinstance(session, Session)  # no class check trains
        self.busy = True
        self.working.emit("Checking: training from here in the background…")
        self.launch(CheckJob(self.number, check, session.to_dict()))

    def _received(self, replies: list[object]) -> None:
        for reply in replies:
            if isinstance(reply, CheckDone) and reply.number == self.number:
                self.busy = False
                self.client.expect(False)
                self.checked.emit(reply.result)

    def _lost(self, why: str) -> None:
        if self.busy:
            self.busy = False
            self.checked.emit(CheckResult(False, f"{self._stopped}: {why}. Try again."))
