"""Help → Lessons: the lessons that come with the app in teaching order, and those opened
before, each with how far the student got."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from uat_explorer.core.errors import InputError
from uat_explorer.core.lessons.builtin import builtin_paths
from uat_explorer.core.lessons.parser import load_lesson
from uat_explorer.gui.lessons.progress import LessonProgress, lesson_key
from uat_explorer.qt import props

PATH = Qt.ItemDataRole.UserRole


class LessonLibrary(QDialog):
    """``chosen``: the lesson file picked (None if the dialog was closed); ``browse``:
    the person asked for a file instead."""

    def __init__(self, progress: LessonProgress, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("lessonLibrary")
        self.setWindowTitle("Lessons")
        self.resize(560, 460)
        self.chosen: Path | None = None
        self.browse = False
        intro = props(QLabel(), objectName="lessonLibraryIntro", wordWrap=True)
        intro.setText(
            "Each lesson walks through one idea in a few steps, and the app checks your work"
            " as you go; they stand on their own. The app remembers the step you reached."
        )
        self.list = props(QListWidget(), objectName="lessonList")
        self.list.setToolTip("Double-click a lesson to open it")
        for path in builtin_paths():
            self._add(path, progress, built_in=True)
        for path in progress.recent():
            if path.exists() and path.resolve().parent != builtin_paths()[0].resolve().parent:
                self._add(path, progress, built_in=False)
        if self.list.count():
            self.list.setCurrentRow(0)
        self.list.itemDoubleClicked.connect(lambda _item: self.accept())
        buttons = QDialogButtonBox()
        self.open_button = props(
            QPushButton("Open"), objectName="lessonOpenButton", toolTip="Open the lesson chosen"
        )
        buttons.addButton(self.open_button, QDialogButtonBox.ButtonRole.AcceptRole)
        file_button = props(
            QPushButton("Open a File…"),
            objectName="lessonFileButton",
            toolTip="A lesson file (.lesson.md) of your own or a teacher's",
        )
        buttons.addButton(file_button, QDialogButtonBox.ButtonRole.ActionRole)
        buttons.addButton("Close", QDialogButtonBox.ButtonRole.RejectRole)
        file_button.clicked.connect(self._browse)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addWidget(self.list, 1)
        layout.addWidget(buttons)

    def _add(self, path: Path, progress: LessonProgress, built_in: bool) -> None:
        try:
            lesson = load_lesson(path)
        except InputError as error:
            item = QListWidgetItem(f"{path.name}: cannot be read ({error})")
            item.setFlags(Qt.ItemFlag.NoItemFlags)
            self.list.addItem(item)
            return
        key = lesson_key(lesson.path, lesson.title)
        passed = len(progress.passed(key))
        checks = sum(step.check is not None for step in lesson.steps)
        where = f"{passed} of {checks} tasks done" if passed else lesson.length
        source = "" if built_in else f" — {path}"
        item = QListWidgetItem(f"{lesson.title}\n    {lesson.idea or 'a lesson'}; {where}{source}")
        item.setData(PATH, str(path))
        item.setToolTip(lesson.intro[:300])
        self.list.addItem(item)

    def _browse(self) -> None:
        self.browse = True
        self.reject()

    def accept(self) -> None:
        item = self.list.currentItem()
        if item is not None and item.data(PATH):
            self.chosen = Path(str(item.data(PATH)))
        super().accept()
