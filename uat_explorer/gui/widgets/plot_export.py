"""An Export button for a panel: its figure (PNG as shown or at a slide's size, SVG, or
copied to the clipboard) and the numbers behind it (CSV). Every panel's figure can leave
the app this way; the image size chosen in one is every panel's (a lecture's slides
share a size)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pyqtgraph as pg
from PySide6.QtCore import QBuffer, QByteArray, QIODevice, QPoint, QRect, QSize
from PySide6.QtGui import QImage, QPainter
from PySide6.QtSvg import QSvgGenerator
from PySide6.QtWidgets import (
    QApplication,
    QFileDialog,
    QInputDialog,
    QMenu,
    QToolButton,
    QWidget,
)

from uat_explorer.core import InputError
from uat_explorer.core.files import atomic_write_bytes
from uat_explorer.export.figures import (
    SIZES,
    FigureOptions,
    FigureSize,
    figure_size,
    png_bytes,
    render,
    render_resized,
    write_png,
    write_svg,
)
from uat_explorer.gui.files.offline_job import CANCELLED, run_offline

KINDS = {
    "png": "PNG images (*.png)",
    "svg": "SVG images (*.svg)",
    "csv": "CSV files (*.csv)",
    "gif": "GIF animations (*.gif)",
}


@dataclass(frozen=True)
class Export:
    """One menu entry: its label, the file's kind (png, svg, csv), a default file name
    and how to write it; an image that can be drawn at any size says how (``image``)."""

    label: str
    kind: str
    name: str
    write: Callable[[str], None]
    image: Callable[[FigureSize], QImage] | None = None


class ChosenSize:
    """The image size every Export button uses (one choice for the whole app)."""

    size: FigureSize = SIZES[0]


def plot_exports(
    name: str, plot: Callable[[], pg.PlotWidget], write_csv: Callable[[str], None]
) -> list[Export]:
    """A pyqtgraph plot as PNG and SVG, and its table as CSV."""

    def image(size: FigureSize) -> QImage:
        shown = plot()
        options = size.options((shown.width(), shown.height()))
        return render(shown, options) if size.pixels is None else render_resized(shown, options)

    def png(path: str) -> None:
        write_png(image(ChosenSize.size), path)

    stem = name.replace(" ", "-")
    return [
        Export("PNG image…", "png", f"{stem}.png", png, image),
        Export("SVG image…", "svg", f"{stem}.svg", lambda path: write_svg(plot(), path)),
        Export("CSV table…", "csv", f"{stem}.csv", write_csv),
    ]


def widget_png(widget: QWidget, path: str) -> None:
    """A composite widget (several plots) as shown."""
    atomic_write_bytes(path, png_bytes(widget.grab().toImage()))


def widget_svg(widget: QWidget, path: str) -> None:
    """A composite widget painted into SVG (vector lines and text)."""
    data = QByteArray()
    buffer = QBuffer(data)
    buffer.open(QIODevice.OpenModeFlag.WriteOnly)
    generator = QSvgGenerator()
    generator.setOutputDevice(buffer)
    generator.setSize(QSize(widget.width(), widget.height()))
    generator.setViewBox(QRect(0, 0, widget.width(), widget.height()))
    painter = QPainter(generator)
    widget.render(painter, QPoint())
    painter.end()
    atomic_write_bytes(path, bytes(data.data()))


class ExportButton(QToolButton):
    """``said`` hears "Exported … to …" or what went wrong (text, is_problem)."""

    def __init__(
        self,
        name: str,
        exports: list[Export],
        said: Callable[[str, bool], None],
        parent: QWidget | None = None,
        object_name: str = "",
    ) -> None:
        super().__init__(parent)
        self.setText("Export")
        self.setObjectName(object_name)
        self.name, self.exports, self.said = name, exports, said
        self.setPopupMode(QToolButton.ToolButtonPopupMode.InstantPopup)
        self.setToolTip(f"Save the {name} as an image (PNG, SVG) or its numbers (CSV)")
        menu = QMenu(self)
        for entry in exports:
            menu.addAction(entry.label, lambda entry=entry: self.ask(entry))
        self.picture = next((e for e in exports if e.image is not None), None)
        if self.picture is not None:
            menu.addAction("Copy image", self.copy)
            self.sizes = menu.addMenu("Image size")
            self.sizes.aboutToShow.connect(self._fill_sizes)
        self.setMenu(menu)

    def _fill_sizes(self) -> None:
        self.sizes.clear()
        chosen = ChosenSize.size
        known = [*SIZES, *([chosen] if chosen not in SIZES else [])]
        for size in known:
            action = self.sizes.addAction(size.label, lambda size=size: self.choose(size))
            action.setCheckable(True)
            action.setChecked(size == chosen)
        self.sizes.addSeparator()
        self.sizes.addAction("Other size…", self._ask_size)

    def choose(self, size: FigureSize) -> None:
        """Every panel's PNG and copied image from now on."""
        ChosenSize.size = size

    def _ask_size(self) -> None:
        shown = ChosenSize.size.pixels or (1600, 900)
        text, ok = QInputDialog.getText(
            self, "Image size", "Width × height in pixels:", text=f"{shown[0]} × {shown[1]}"
        )
        if not ok:
            return
        try:
            self.choose(figure_size(text))
        except InputError as error:
            self.said(f"Not a size: {error}.", True)

    def image(self) -> QImage:
        """The panel's figure at the chosen size."""
        assert self.picture is not None and self.picture.image is not None
        return self.picture.image(ChosenSize.size)

    def copy(self) -> None:
        try:
            image = self.image()
        except InputError as error:
            self.said(str(error), True)
            return
        QApplication.clipboard().setImage(image)
        self.said(f"Copied the {self.name} ({image.width()} × {image.height()})", False)

    def ask(self, entry: Export) -> None:
        default = str(Path.home() / entry.name)
        dialog = QFileDialog(self.window(), f"Export the {self.name}", default, KINDS[entry.kind])
        dialog.setAcceptMode(QFileDialog.AcceptMode.AcceptSave)
        dialog.setDefaultSuffix(entry.kind)
        if dialog.exec() and dialog.selectedFiles():
            self.export(entry.label, dialog.selectedFiles()[0])

    def export(self, label_or_kind: str, path: str) -> bool:
        """Write the entry with this label (or the first of this kind) to ``path``."""
        entry = next(e for e in self.exports if label_or_kind in (e.label, e.kind))
        try:
            entry.write(path)
        except OSError as error:
            self.said(f"Could not write {path}: {error.strerror or error}.", True)
            return False
        except InputError as error:
            self.said(str(error), True)
            return False
        self.said(f"Exported the {self.name} to {path}", False)
        return True


def animation_options(shown: tuple[int, int]) -> FigureOptions:
    """An animation's frame size: the chosen image size, or the view as shown (one pixel
    a point: a GIF of twice the pixels is four times the file)."""
    size = ChosenSize.size
    pixels = size.pixels or shown
    return FigureOptions(max(pixels[0], 16), max(pixels[1], 16))


def offline_export(parent: QWidget, job: dict[str, object], doing: str) -> None:
    """Run an export job in another process; InputError with the reason if it did not
    write (the Export button says it)."""
    why = run_offline(parent, job, doing)
    if why is not None:
        raise InputError(why if why == CANCELLED else f"{doing} failed: {why}")
