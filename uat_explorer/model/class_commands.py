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
    so the first redo does nothing. Edits with the same ``gesture`` (one drag of one
    dial, one burst of typing) merge into one step, as the curve cards' do."""

    def __init__(
        self,
        show: Callable[[ClassSession], None],
        before: ClassSession,
        after: ClassSession,
        text: str,
        gesture: object = None,
    ) -> None:
        super().__init__(text)
        self.show, self.before, self.after = show, before, after
        self.gesture = gesture
        self._skip = True

    def id(self) -> int:
        return 1 if self.gesture is not None else -1

    def mergeWith(self, other: QUndoCommand) -> bool:
        if not isinstance(other, ReplaceClassSession) or other.gesture != self.gesture:
            return False
        self.after = other.after
        return True

    def redo(self) -> None:
        if self._skip:
            self._skip = False
            return
        self.show(self.after)

    def undo(self) -> None:
        self.show(self.before)
