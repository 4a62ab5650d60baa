"""The Qt front end: thin widgets that show the session and send edits to it."""

import pyqtgraph as pg

# Offscreen Qt has no OpenGL, and at these sizes software drawing is fast enough.
pg.setConfigOptions(antialias=True, useOpenGL=False)

from uat_explorer.gui.main_window import MainWindow  # noqa: E402

__all__ = ["MainWindow"]
