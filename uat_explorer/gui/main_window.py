"""The main window: the function plot of the current session."""

from __future__ import annotations

import numpy as np
import pyqtgraph as pg
from PySide6.QtWidgets import QMainWindow

from uat_explorer.core import Session, default_session


class MainWindow(QMainWindow):
    def __init__(self, session: Session | None = None) -> None:
        super().__init__()
        self.session = session or default_session()
        self.setWindowTitle("UAT Explorer")
        self.resize(1100, 700)
        self.plot = pg.PlotWidget(objectName="functionPlot")
        self.plot.addLegend()
        x = np.linspace(*self.session.domain, 1000)
        self.plot.plot(
            x, self.session.target(x), name="target", pen=pg.mkPen((230, 140, 30), width=2)
        )
        self.plot.plot(
            x, self.session.network(x), name="network output", pen=pg.mkPen("b", width=3)
        )
        self.setCentralWidget(self.plot)
