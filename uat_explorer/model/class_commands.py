"""The classes window's undo step: the whole class session before and after an edit.

A class session is small (a network, its points, a history of shared records), so one
command kind covers a typed weight, a training run, Reset, a preset, a CSV and points
added or removed; it knows only the function that shows a session, not the window.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtGui import QUndoCommand

from uat_explorer.core.io.class_session import ClassSession


class ReplaceClassSession(QUndoCommand):
    """``before`` → ``after``, both already copies; the change is on screen when pushed,
    so the first redo does nothing."""

    def __init__(
        self,
        show: Callable[[ClassSession], None],
        before: ClassSession,
        after: ClassSession,
        text: str,
    ) -> None:
        super().__init__(text)
        self.show, self.before, self.after = show, before, after
        self._skip = True

    def redo(self) -> None:
        if self._skip:
            self._skip = False
            return
        self.show(self.after)

    def undo(self) -> None:
        self.show(self.before)
