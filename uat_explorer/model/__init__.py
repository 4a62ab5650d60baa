"""The window's model: the document, what the window looks at, the editor with its undo
commands, and the values derived from the document.

Qt objects (signals, an undo stack) but no widgets, so plots, exports and the command
line can share it.
"""

from uat_explorer.model.derived import DerivedValues
from uat_explorer.model.document import DivergedRun, Document
from uat_explorer.model.editor import Editor
from uat_explorer.model.state import AppState
from uat_explorer.model.view import DocumentView, ModelView, ViewStateView
from uat_explorer.model.view_state import ViewState

__all__ = [
    "AppState",
    "DerivedValues",
    "DivergedRun",
    "Document",
    "DocumentView",
    "Editor",
    "ModelView",
    "ViewState",
    "ViewStateView",
]
