"""The window's model, made in one place: the document, what the window looks at, and the
editor that changes the document one undo step at a time.

Views read ``document`` and ``view`` and listen to their signals; they change things only
through ``editor`` (or ``view`` for what is not saved).
"""

from __future__ import annotations

from PySide6.QtCore import QObject

from uat_explorer.core.io.session import Session
from uat_explorer.model.document import Document
from uat_explorer.model.editor import Editor
from uat_explorer.model.view_state import ViewState


class AppState(QObject):
    """``document`` (the session and its signals), ``view`` (selection, solo, probe,
    pace) and ``editor`` (intents and the undo stack), built in that order so the view
    state hears the document's changes before any widget does."""

    def __init__(self, session: Session | None = None, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.document = Document(session, self)
        self.view = ViewState(self.document, self)
        self.editor = Editor(self.document, self.view, self)
