"""The Qt front end: thin widgets that show the model and send intents to it."""

from uat_explorer.gui.main_window import MainWindow

__all__ = ["MainWindow"]
