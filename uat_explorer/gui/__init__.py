"""The Qt front end: thin widgets that show the session and send edits to it."""

import pyqtgraph as pg

# Offscreen Qt has no OpenGL, and at these sizes software drawing is fast enough.
pg.setConfigOptions(antialias=True, useOpenGL=False)


def __getattr__(name: str):
    """``MainWindow`` on first use: the export package imports plot widgets from here,
    and the window imports the export package."""
    if name == "MainWindow":
        from uat_explorer.gui.main_window import MainWindow

        return MainWindow
    raise AttributeError(name)


__all__ = ["MainWindow"]
