"""The classes window's undo step: the whole class session before and after an edit.

A class session is small (a network, its points, a history of shared records), so one
command kind covers a typed weight, a training run, Reset, a preset, a CSV and points
added or removed; it knows only the function that shows a session, not the window.
"""

from __future__ import annotations

from collections.abc import Callable

from uat_explorer.core.io.class_session import ClassSession
from uat_explorer.model.commands import GestureEdit


class ReplaceClassSession(GestureEdit[ClassSession]):
    """``before`` → ``after``, both already copies; the change is on screen when pushed,
    so the first redo does nothing. Edits with the same ``gesture`` (one drag of one
    dial, one burst of typing) merge into one step, as the curve cards' do."""

    kind = 5

    def __init__(
        self,
        show: Callable[[ClassSession], None],
        before: ClassSession,
        after: ClassSession,
        text: str,
        gesture: object = None,
    ) -> None:
        super().__init__(text, before, after, gesture)
        self.show = show
        self._skip = True

    def apply(self, value: ClassSession) -> None:
        self.show(value)

    def redo(self) -> None:
        if self._skip:
            self._skip = False
            return
        super().redo()
