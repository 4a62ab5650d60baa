"""An Export button for a panel's plot: the figure as shown (PNG at twice the pixels, or
SVG) and the numbers behind it (CSV). Every panel's figure can leave the app this way."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pyqtgraph as pg
from PySide6.QtWidgets import QFileDialog, QMenu, QToolButton, QWidget

from uat_explorer.core import InputError
from uat_explorer.export.figures import FigureOptions, render, write_png, write_svg

KINDS = {"png": "PNG images (*.png)", "svg": "SVG images (*.svg)", "csv": "CSV files (*.csv)"}


class PlotExportButton(QToolButton):
    """``plot()`` gives the plot to draw; ``write_csv(path)`` writes its table; ``said``
    hears "Exported … to …" or what went wrong (text, is_problem)."""

    def __init__(
        self,
        name: str,
        plot: Callable[[], pg.PlotWidget],
        write_csv: Callable[[str], None],
        said: Callable[[str, bool], None],
        parent: QWidget | None = None,
        object_name: str = "",
    ) -> None:
        super().__init__(parent, text="Export", objectName=object_name)
        self.name, self.plot, self.write_csv, self.said = name, plot, write_csv, said
        self.setPopupMode(QToolButton.ToolButtonPopupMode.InstantPopup)
        self.setToolTip(f"Save the {name} as an image (PNG, SVG) or its numbers (CSV)")
        menu = QMenu(self)
        for kind, label in (("png", "PNG image…"), ("svg", "SVG image…"), ("csv", "CSV table…")):
            menu.addAction(label, lambda kind=kind: self.ask(kind))
        self.setMenu(menu)

    def ask(self, kind: str) -> None:
        default = str(Path.home() / f"{self.name.replace(' ', '-')}.{kind}")
        dialog = QFileDialog(self.window(), f"Export the {self.name}", default, KINDS[kind])
        dialog.setAcceptMode(QFileDialog.AcceptMode.AcceptSave)
        dialog.setDefaultSuffix(kind)
        if dialog.exec() and dialog.selectedFiles():
            self.export(kind, dialog.selectedFiles()[0])

    def export(self, kind: str, path: str) -> bool:
        try:
            if kind == "csv":
                self.write_csv(path)
            else:
                plot = self.plot()
                if kind == "svg":
                    write_svg(plot, path)
                else:
                    options = FigureOptions(max(plot.width(), 16), max(plot.height(), 16), 2.0)
                    write_png(render(plot, options), path)
        except OSError as error:
            self.said(f"Could not write {path}: {error.strerror or error}.", True)
            return False
        except InputError as error:
            self.said(str(error), True)
            return False
        self.said(f"Exported the {self.name} to {path}", False)
        return True
