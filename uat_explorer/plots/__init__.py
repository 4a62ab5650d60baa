"""The plot widgets: they draw from a read-only model, in the window and in exported figures."""

import pyqtgraph as pg

# Offscreen Qt has no OpenGL, and at these sizes software drawing is fast enough.
pg.setConfigOptions(antialias=True, useOpenGL=False)
