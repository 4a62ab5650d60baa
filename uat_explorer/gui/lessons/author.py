"""Lesson → New Lesson from This Window / Add Step: the state on screen (network, target,
settings, workspace, panel choices) becomes a step's start; the teacher writes its text
and picks a check whose numbers are read off the state, then edits them as TOML. What
the dialog makes is checked by reading it back, as any lesson file is."""

from __future__ import annotations

import re

from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QVBoxLayout,
    QWidget,
)

from uat_explorer.core.errors import InputError
from uat_explorer.core.io.session import Session
from uat_explorer.core.lessons.checks import CHECKS
from uat_explorer.core.lessons.lesson import Lesson, Step
from uat_explorer.core.lessons.parser import parse_lesson
from uat_explorer.core.lessons.suggest import suggest_check
from uat_explorer.core.lessons.writer import lesson_text, toml_value
from uat_explorer.qt import props

NO_CHECK = "No check (text only)"


class StepDialog(QDialog):
    """``made``: the step written (heading, text, check), once accepted; where it starts
    (the window's state, workspace and panel choices) is added when it is saved."""

    def __init__(
        self,
        session: Session,
        workspace: str | None,
        parent: QWidget | None = None,
        title: str | None = None,
    ) -> None:
        """``title``: a new lesson's (editable); None adds a step to an open lesson."""
        super().__init__(parent)
        self.setObjectName("lessonStepDialog")
        self.setWindowTitle("New Lesson" if title is not None else "Add Step")
        self.resize(620, 560)
        self.session, self.workspace = session, workspace
        self.lesson_title = props(QLineEdit(title or ""), objectName="lessonTitleEdit")
        self.lesson_title.setToolTip("The lesson's title, its first line (# Title)")
        self.heading = props(QLineEdit(), objectName="stepHeadingEdit")
        self.heading.setToolTip("The step's heading (## Heading)")
        self.text = props(QPlainTextEdit(), objectName="stepTextEdit")
        self.text.setToolTip("What the student reads: Markdown (**bold**, `code`, lists)")
        self.kind = props(QComboBox(), objectName="stepCheckCombo")
        self.kind.addItems([NO_CHECK, *CHECKS])
        self.kind.setToolTip("What the app checks; its numbers are read off the window now")
        self.check = props(QPlainTextEdit(), objectName="stepCheckEdit")
        self.check.setToolTip("The check's numbers in TOML: edit them to set the task")
        self.problem = props(QLabel(), objectName="stepProblemLabel", wordWrap=True)
        self.problem.setStyleSheet("color: #c62828;")
        self.problem.hide()
        form = QFormLayout()
        if title is not None:
            form.addRow("Lesson title", self.lesson_title)
        form.addRow("Step heading", self.heading)
        form.addRow("Step text", self.text)
        form.addRow("Check", self.kind)
        form.addRow("Its numbers", self.check)
        note = QLabel(
            f"The step starts from what the window shows now, in the {workspace or 'current'}"
            " workspace with the panels' choices."
        )
        note.setWordWrap(True)
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel
        )
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(note)
        layout.addWidget(self.problem)
        layout.addWidget(buttons)
        self.kind.currentTextChanged.connect(self._suggest)
        self._suggest(self.kind.currentText())
        self.made: Step | None = None

    def _suggest(self, kind: str) -> None:
        self.check.setEnabled(kind != NO_CHECK)
        if kind == NO_CHECK:
            self.check.setPlainText("")
            return
        table = suggest_check(kind, self.session)
        self.check.setPlainText(
            "\n".join(f"{key} = {toml_value(value)}" for key, value in table.items())
        )

    def build(self) -> Step:
        """The step; its check read from the TOML as a lesson file's would be (a
        LessonError names the line)."""
        heading = self.heading.text().strip()
        if not heading:
            raise InputError("the step needs a heading")
        check = None
        if self.kind.currentText() != NO_CHECK:
            lines = ["# Check", "", "## S", "", "```lesson", "[check]"]
            lines += [self.check.toPlainText(), "```", ""]
            check = parse_lesson("\n".join(lines)).steps[0].check
        return Step(heading, self.text.toPlainText().strip(), 0, check=check)

    def accept(self) -> None:
        try:
            self.made = self.build()
            if self.lesson_title.isVisible() and not self.lesson_title.text().strip():
                raise InputError("the lesson needs a title")
            lesson = Lesson(self.lesson_title.text().strip() or "Lesson", "", (self.made,))
            parse_lesson(lesson_text(lesson))  # what is saved must read back
        except InputError as error:
            self.problem.setText(_check_lines(str(error)))
            self.problem.show()
            return
        super().accept()


CHECK_FIRST_LINE = 7
"""Where the check's own lines start in the lesson ``build`` reads them from."""


def _check_lines(message: str) -> str:
    """A line of the lesson read back as a line of the check's numbers."""
    return re.sub(
        r"line (\d+):",
        lambda m: f"line {max(int(m.group(1)) - CHECK_FIRST_LINE + 1, 1)} of the check:",
        message,
    )
