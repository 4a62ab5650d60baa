"""The window's model: one state object, its undo commands, and the values derived from it.

Qt objects (signals, an undo stack) but no widgets, so plots, exports and the command
line can share it.
"""

from uat_explorer.model.derived import DerivedValues
from uat_explorer.model.state import AppState
from uat_explorer.model.view import ModelView

__all__ = ["AppState", "DerivedValues", "ModelView"]
