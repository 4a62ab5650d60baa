"""A lesson being taken: which step, its start loaded (one undo step), its workspace
shown, its check kept current as the student turns dials, Show me, and the progress
remembered. A class step is taken in the classes window, which shows the step's task
and how it stands above its settings."""

from __future__ import annotations

from collections.abc import Callable
from html import escape
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, QTimer, Signal

from uat_explorer.core.errors import InputError
from uat_explorer.core.io.class_session import ClassSession
from uat_explorer.core.io.session import Session
from uat_explorer.core.io.view import ViewSettings, read_view
from uat_explorer.core.lessons.checks import CheckResult, describe, trains
from uat_explorer.core.lessons.class_steps import apply_class_change, step_start_classes
from uat_explorer.core.lessons.lesson import Lesson, Step
from uat_explorer.core.lessons.states import apply_change, start_session
from uat_explorer.gui.lessons.check_runner import CheckRunner
from uat_explorer.gui.lessons.progress import LessonProgress, lesson_key
from uat_explorer.gui.workers.training_controller import TrainingController
from uat_explorer.model.state import AppState
from uat_explorer.qt import connect, props

if TYPE_CHECKING:
    from uat_explorer.gui.classes.window import ClassesWindow

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
        self.open_classes: Callable[[], ClassesWindow] | None = None
        """Shows (making it if need be) the classes window, where class steps are taken."""
        self.classes: ClassesWindow | None = None
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
        self.changed.connect(self._show_in_classes)

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
        back) and its workspace, or the classes window for a class step; a start that
        cannot be made is said, nothing changes."""
        lesson = self.lesson
        assert lesson is not None
        step = lesson.steps[index]
        try:
            if step.classes:
                start: Session | ClassSession = step_start_classes(step, self._class_session())
            else:
                start = start_session(step, lesson, self.state.document.session)
            choices = read_view({"panels": step.panels}).choices
        except InputError as error:
            self.said.emit(f"This step cannot start: {error}")
            return
        self.training.pause()
        self.index, self.finished = index, False
        self.result, self.checking = None, ""
        self.progress.set_step(self.key, index)
        text = f"Lesson: {step.heading}"
        if isinstance(start, ClassSession):
            window = self._show_classes()
            if start.to_dict() != window.session().to_dict():
                window.load_state(start, text)
        else:
            if start.to_dict() != self.state.document.session.to_dict():
                self.state.editor.load_state(start, text)
            self.show_view(ViewSettings(step.workspace, None, choices, None))
        self.check_live(force=True)
        self.changed.emit()

    def _class_session(self) -> ClassSession | None:
        return self.classes.session() if self.classes is not None else None

    def _show_classes(self) -> ClassesWindow:
        """The classes window, shown and raised; its changes keep the check current."""
        assert self.open_classes is not None
        window = self.open_classes()
        if window is not self.classes:
            self.classes = window
            window.changed.connect(self._changed)
        return window

    def _session(self, step: Step) -> Session | ClassSession:
        """What the step's check reads: the classes window's session, or the document's."""
        if step.classes and self.classes is not None:
            return self.classes.session()
        return self.state.document.session

    def _show_in_classes(self) -> None:
        """The class step's title, task and result above the classes window's settings
        (the lesson's own panel is in the main window, often behind it)."""
        window, step, lesson = self.classes, self.step, self.lesson
        if window is None:
            return
        if lesson is None or step is None or not step.classes:
            window.show_lesson(None)
            return
        task = describe(step.check) if step.check is not None else ""
        said = self.result.message if self.result is not None else self.checking
        mark = "✓ " if self.passed else ""
        window.show_lesson(
            f"<b>{escape(lesson.title)}, step {self.index + 1} of {len(lesson.steps)}:"
            f" {escape(step.heading)}</b><br>{escape(task)}<br><i>{mark}{escape(said)}</i>"
        )

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
        text, steps = f"Show me: {step.heading}", step.solution.train_steps
        if step.classes:
            window = self._show_classes()
            try:
                shown = apply_class_change(window.session(), step.solution, step.line)
            except InputError as error:
                self.said.emit(str(error))
                return
            window.load_state(shown, text)
            if steps:
                window.train_steps(steps)
            return
        try:
            solved = apply_change(self.state.document.session, step.solution, step.line)
        except InputError as error:
            self.said.emit(str(error))
            return
        self.training.pause()
        self.state.editor.load_state(solved, text)
        if steps:
            self.training.advance(steps)

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
        self.checks.ask(step.check, self._session(step))

    def check_now(self) -> None:
        step = self.step
        if step is not None and step.check is not None:
            self.checks.ask(step.check, self._session(step))

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
