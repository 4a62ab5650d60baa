"""A lesson being taken: which step, its start loaded (one undo step), its workspace
shown, its check kept current as the student turns dials, Show me, and the progress
remembered."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QObject, QTimer, Signal

from uat_explorer.core.errors import InputError
from uat_explorer.core.io.view import ViewSettings, read_view
from uat_explorer.core.lessons.checks import CheckResult, trains
from uat_explorer.core.lessons.lesson import Lesson, Step
from uat_explorer.core.lessons.states import apply_change, start_session
from uat_explorer.gui.lessons.check_runner import CheckRunner
from uat_explorer.gui.lessons.progress import LessonProgress, lesson_key
from uat_explorer.gui.workers.training_controller import TrainingController
from uat_explorer.model.state import AppState
from uat_explorer.qt import connect, props

CHECK_MS = 150
"""A dial turned: the check follows within a moment, not at every tick of the drag."""


class LessonRunner(QObject):
    """``changed`` after anything the panel shows; ``said(text)`` for the status bar."""

    changed = Signal()
    said = Signal(str)

    def __init__(
        self, state: AppState, training: TrainingController, parent: QObject | None = None
    ) -> None:
        super().__init__(parent)
        self.state, self.training = state, training
        self.show_view: Callable[[ViewSettings], None] = lambda view: None
        self.progress = LessonProgress(None)
        self.lesson: Lesson | None = None
        self.index = 0
        self.result: CheckResult | None = None
        self.checking = ""  # what a training check running says
        self.finished = False
        self.checks = CheckRunner(self)
        self.checks.checked.connect(self._checked)
        self.checks.working.connect(self._working)
        self._soon = props(QTimer(self), singleShot=True, interval=CHECK_MS)
        self._soon.timeout.connect(self.check_live)
        connect(self._changed, state.document.changed, state.document.settingsChanged)

    # -- where we are -------------------------------------------------------------------
    @property
    def key(self) -> str:
        assert self.lesson is not None
        return lesson_key(self.lesson.path, self.lesson.title)

    @property
    def step(self) -> Step | None:
        return self.lesson.steps[self.index] if self.lesson is not None else None

    @property
    def passed(self) -> bool:
        return self.result is not None and self.result.passed

    @property
    def can_go_on(self) -> bool:
        step = self.step
        return step is not None and (self.passed or step.check is None or not step.required)

    @property
    def best(self) -> float | None:
        step = self.step
        if step is None or not step.score:
            return None
        return self.progress.best(self.key, self.index)

    # -- moving -------------------------------------------------------------------------
    def open(self, lesson: Lesson, at: int | None = None) -> None:
        """Start (or resume, at the step the student reached) a lesson."""
        self.lesson, self.finished = lesson, False
        if lesson.path is not None:
            self.progress.remember(lesson.path)
        index = self.progress.step(self.key) if at is None else at
        self.enter(min(max(index, 0), len(lesson.steps) - 1))

    def close(self) -> None:
        self.lesson, self.result, self.checking = None, None, ""
        self.checks.stop(wait=True)
        self.changed.emit()

    def enter(self, index: int) -> None:
        """The step's start state (one undo step: Ctrl+Z gives the student's own work
        back) and its workspace; a start that cannot be made is said, nothing changes."""
        lesson = self.lesson
        assert lesson is not None
        step = lesson.steps[index]
        try:
            start = start_session(step, lesson, self.state.document.session)
            choices = read_view({"panels": step.panels}).choices
        except InputError as error:
            self.said.emit(f"This step cannot start: {error}")
            return
        self.training.pause()
        self.index, self.finished = index, False
        self.result, self.checking = None, ""
        self.progress.set_step(self.key, index)
        if start.to_dict() != self.state.document.session.to_dict():
            self.state.editor.load_state(start, f"Lesson: {step.heading}")
        self.show_view(ViewSettings(step.workspace, None, choices, None))
        self.check_live(force=True)
        self.changed.emit()

    def next(self) -> None:
        if self.lesson is None:
            return
        if self.index + 1 < len(self.lesson.steps):
            self.enter(self.index + 1)
        else:
            self.finished = True
            self.said.emit(f"Lesson finished: {self.lesson.title}")
            self.changed.emit()

    def back(self) -> None:
        if self.lesson is not None and self.index > 0:
            self.enter(self.index - 1)

    def show_me(self) -> None:
        """The step's solution over the state now (one undo step), then its training."""
        step = self.step
        if step is None or step.solution is None or not step.show_me:
            return
        try:
            solved = apply_change(self.state.document.session, step.solution, step.line)
        except InputError as error:
            self.said.emit(str(error))
            return
        self.training.pause()
        self.state.editor.load_state(solved, f"Show me: {step.heading}")
        if step.solution.train_steps:
            self.training.advance(step.solution.train_steps)

    # -- the check ------------------------------------------------------------------------
    def _changed(self) -> None:
        """At most every CHECK_MS, however fast the changes come (training, a drag)."""
        if self.lesson is not None and not self._soon.isActive():
            self._soon.start()

    def check_live(self, force: bool = False) -> None:
        """The check that only looks runs as the student works; one that trains waits
        for Check (it takes seconds)."""
        step = self.step
        if step is None or step.check is None:
            return
        if trains(step.check):
            if force:
                self.result = None
                self.checking = "Press Check: training runs from here, in the background."
            return
        self.checks.ask(step.check, self.state.document.session)

    def check_now(self) -> None:
        step = self.step
        if step is not None and step.check is not None:
            self.checks.ask(step.check, self.state.document.session)

    def _working(self, text: str) -> None:
        self.checking = text
        self.changed.emit()

    def _checked(self, result: CheckResult) -> None:
        step = self.step
        if step is None:
            return
        self.result, self.checking = result, ""
        if result.passed:
            self.progress.mark_passed(self.key, self.index)
        scored = step.score and result.score is not None and result.passed
        if scored and self.progress.keep_best(self.key, self.index, result.score or 0.0):
            self.said.emit(f"A new best score: {result.score:.4g}")
        self.changed.emit()
