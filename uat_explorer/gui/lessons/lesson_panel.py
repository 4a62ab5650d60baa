"""The lesson dock: the step's text (Markdown, rendered by Qt), its task, the live check
saying what is still wrong, and Back, Show me, Next."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QShowEvent
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QTextBrowser,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from uat_explorer.core.errors import InputError
from uat_explorer.core.lessons.builtin import builtin_paths
from uat_explorer.core.lessons.checks import describe, trains
from uat_explorer.core.lessons.parser import load_lesson
from uat_explorer.gui.lessons.lesson_runner import LessonRunner
from uat_explorer.gui.panels.context import PanelContext
from uat_explorer.qt import props

PASSED, TO_DO, WAITING = "#2e7d32", "#c62828", "#616161"


class LessonPanel(QWidget):
    """``chooseLesson`` asks the window for the list of lessons."""

    chooseLesson = Signal()
    openLesson = Signal(str)  # a lesson file's path, picked from the start list

    def __init__(self, context: PanelContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("lessonPanel")
        self.runner = LessonRunner(context.state, context.training, self)
        self.title = props(QLabel(), objectName="lessonTitleLabel", wordWrap=True)
        self.title.setStyleSheet("font-weight: bold;")
        self.close_button = props(
            QToolButton(), objectName="lessonCloseButton", toolTip="Close the lesson"
        )
        self.close_button.setText("×")
        self.place = props(QLabel(), objectName="lessonStepLabel", wordWrap=True)
        self.text = props(QTextBrowser(), objectName="lessonTextView")
        self.text.setOpenExternalLinks(True)
        self.text.setToolTip("What this step is about; the task is below")
        self.task = props(QLabel(), objectName="lessonTaskLabel", wordWrap=True)
        self.task.setToolTip("What to do in this step")
        self.check = props(QLabel(), objectName="lessonCheckLabel", wordWrap=True)
        self.check.setToolTip("Checked against the network on screen as you work")
        self.best = props(QLabel(), objectName="lessonBestLabel")
        self.best.setToolTip("The best score you reached in this challenge (lower is better)")
        self.back = props(
            QPushButton("◀ Back"), objectName="lessonBackButton", toolTip="The step before"
        )
        self.check_button = props(
            QPushButton("Check"),
            objectName="lessonCheckButton",
            toolTip="Run the check now (a check that trains runs in the background)",
        )
        self.show_me = props(
            QPushButton("Show me"),
            objectName="lessonShowButton",
            toolTip="Do the step for me: its solution, as one undo step (Ctrl+Z undoes it)",
        )
        self.next = props(
            QPushButton("Next ▶"), objectName="lessonNextButton", toolTip="On to the next step"
        )
        self.start_list = props(QListWidget(), objectName="lessonStartList")
        self.start_list.setToolTip("Double-click (or Enter) to begin a lesson")
        self._listed = False  # the lessons are read when the panel first shows
        self.start_list.itemActivated.connect(
            lambda item: self.openLesson.emit(str(item.data(Qt.ItemDataRole.UserRole)))
        )
        self.choose = props(
            QPushButton("Choose a lesson…"),
            objectName="lessonChooseButton",
            toolTip="The lessons that come with the app, and those you opened before",
        )

        top = QHBoxLayout()
        top.addWidget(self.title, 1)
        top.addWidget(self.close_button)
        buttons = QHBoxLayout()
        for button in (self.back, self.check_button, self.show_me, self.next):
            buttons.addWidget(button)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(6, 4, 6, 4)
        layout.addLayout(top)
        layout.addWidget(self.place)
        layout.addWidget(self.text, 1)
        layout.addWidget(self.start_list, 2)
        layout.addWidget(self.task)
        layout.addWidget(self.check)
        layout.addWidget(self.best)
        layout.addLayout(buttons)
        layout.addWidget(self.choose)

        runner = self.runner
        self.back.clicked.connect(runner.back)
        self.next.clicked.connect(runner.next)
        self.show_me.clicked.connect(runner.show_me)
        self.check_button.clicked.connect(runner.check_now)
        self.close_button.clicked.connect(runner.close)
        self.choose.clicked.connect(self.chooseLesson)
        runner.changed.connect(self.refresh)
        self.refresh()

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        self._list_lessons()

    def _list_lessons(self) -> None:
        """The built-in lessons in the start list, read once, when first shown: reading
        them all took ~40 ms of every launch, where the panel starts hidden."""
        if self._listed:
            return
        self._listed = True
        for path in builtin_paths():
            try:
                lesson = load_lesson(path)
            except InputError:
                continue  # a damaged built-in is refused by the tests, not shown
            item = QListWidgetItem(f"{lesson.title} ({lesson.length})")
            item.setData(Qt.ItemDataRole.UserRole, str(path))
            item.setToolTip(lesson.idea)
            self.start_list.addItem(item)

    def refresh(self) -> None:
        runner = self.runner
        lesson, step = runner.lesson, runner.step
        taking = lesson is not None and step is not None
        for widget in (self.back, self.check_button, self.show_me, self.next, self.close_button):
            widget.setVisible(taking)
        self.choose.setVisible(not taking or runner.finished)
        self.start_list.setVisible(not taking)
        if lesson is None or step is None:
            self.title.setText("No lesson open")
            self.place.setText("")
            self.text.setMarkdown(
                "**Lessons** walk through the ideas one step at a time, each with a task the"
                " app checks as you work. Double-click one below to begin; the app remembers"
                " where you got to."
            )
            for label in (self.task, self.check, self.best):
                label.hide()
            return
        total = len(lesson.steps)
        self.title.setText(lesson.title)
        self.place.setText(f"Step {runner.index + 1} of {total}: {step.heading}")
        self.text.setMarkdown(step.text)
        self.task.setVisible(step.check is not None)
        self.check.setVisible(step.check is not None)
        if step.check is not None:
            self.task.setText(f"<b>Your task:</b> {describe(step.check)}")
            self._show_check()
        best = runner.best
        self.best.setVisible(best is not None)
        if best is not None:
            self.best.setText(f"Best score so far: {best:.4g}")
        self.back.setEnabled(runner.index > 0)
        self.check_button.setVisible(step.check is not None)
        self.check_button.setEnabled(not runner.checks.busy)
        can_show = step.solution is not None and step.show_me
        self.show_me.setEnabled(can_show)
        self.show_me.setToolTip(
            "Do the step for me: its solution, as one undo step (Ctrl+Z undoes it)"
            if can_show
            else "This step has no solution to show: it is yours to find"
        )
        last = runner.index + 1 == total
        self.next.setText("Finish" if last else "Next ▶")
        self.next.setEnabled(runner.can_go_on and not runner.finished)
        self.next.setToolTip(
            "On to the next step"
            if runner.can_go_on
            else "Next opens once the check passes (Show me does the step for you)"
        )
        if runner.finished:
            self.place.setText(f"Finished: all {total} steps. Choose another lesson below.")

    def _show_check(self) -> None:
        runner, step = self.runner, self.runner.step
        assert step is not None and step.check is not None
        result = runner.result
        if runner.checking or result is None:
            waiting = runner.checking or (
                "Press Check to run it." if trains(step.check) else "Checking…"
            )
            self.check.setText(waiting)
            self.check.setStyleSheet(f"color: {WAITING};")
            return
        mark = "✓" if result.passed else "✗"
        skip = "" if result.passed or step.required else " (you may go on without it)"
        self.check.setText(f"{mark} {result.message}{skip}")
        self.check.setStyleSheet(f"color: {PASSED if result.passed else TO_DO};")
