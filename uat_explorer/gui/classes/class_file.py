"""The classes window's file: where it was saved, its undo stack, and whether there is
work a close or a replacement would lose (the main window's Document, for classes)."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import QObject
from PySide6.QtGui import QAction, QKeySequence, QUndoStack
from PySide6.QtWidgets import QMessageBox, QWidget

from uat_explorer.core.io.class_session import ClassSession
from uat_explorer.gui.files.file_actions import ask_unsaved
from uat_explorer.model.class_commands import ReplaceClassSession

TITLE = "Classify points — UAT Explorer"
Button = QMessageBox.StandardButton


class ClassFile(QObject):
    """Edits are pushed here as whole sessions before and after; the window's title says
    the file's name and marks unsaved work. ``pause`` runs before undo, redo and the
    question (a running training becomes an undo step first)."""

    def __init__(
        self, window: QWidget, show: Callable[[ClassSession], None], pause: Callable[[], None]
    ) -> None:
        super().__init__(window)
        self.window, self.show, self.pause = window, show, pause
        self.path: Path | None = None
        self.settings_dirty = False
        """Optimizer, rate or batch size changed: not undo steps, but worth saving."""
        self.undo_stack = QUndoStack(self)
        self.undo_stack.cleanChanged.connect(self.show_title)
        undo = [QKeySequence(QKeySequence.StandardKey.Undo)]
        self.undo_action = self._action("Undo", undo, self.undo)
        self.undo_stack.canUndoChanged.connect(self.undo_action.setEnabled)
        redo = [QKeySequence("Ctrl+Shift+Z"), QKeySequence(QKeySequence.StandardKey.Redo)]
        self.redo_action = self._action("Redo", redo, self.redo)
        self.undo_stack.canRedoChanged.connect(self.redo_action.setEnabled)

    def _action(self, text: str, keys: list[QKeySequence], run: Callable[[], None]) -> QAction:
        action = QAction(text, self.window)
        action.setShortcuts(keys)
        action.setEnabled(False)
        action.triggered.connect(run)
        self.window.addAction(action)
        return action

    @property
    def modified(self) -> bool:
        return self.settings_dirty or not self.undo_stack.isClean()

    def show_title(self) -> None:
        name = self.path.name if self.path is not None else "Untitled"
        self.window.setWindowTitle(f"{name}[*] — {TITLE}")
        self.window.setWindowModified(self.modified)

    def push(
        self, before: ClassSession, after: ClassSession, text: str, gesture: object = None
    ) -> None:
        """An edit already shown, as one undo step (merged into the last with the same
        ``gesture``)."""
        self.undo_stack.push(ReplaceClassSession(self.show, before, after, text, gesture))

    def undo(self) -> None:
        self.pause()
        self.undo_stack.undo()

    def redo(self) -> None:
        self.pause()
        self.undo_stack.redo()

    def settings_changed(self) -> None:
        self.settings_dirty = True
        self.show_title()

    def saved(self, path: Path) -> None:
        self._clean(path)

    def begin(self, path: Path | None) -> None:
        """What is shown is a file's (None: a new one) with no edits behind it."""
        self.undo_stack.clear()
        self._clean(path)

    def _clean(self, path: Path | None) -> None:
        self.path = path
        self.undo_stack.setClean()
        self.settings_dirty = False
        self.show_title()

    def maybe_save(self, save: Callable[[], bool]) -> bool:
        """True if the work may be replaced: saved (by ``save``), discarded, or nothing
        to save."""
        self.pause()
        if not self.modified:
            return True
        name = self.path.name if self.path is not None else "The class session"
        answer = ask_unsaved(self.window, name)
        if answer == Button.Save:
            return save()
        return answer == Button.Discard
