"""PNG and SVG of the function plot and the loss plot, at any size and pixel scale."""

from __future__ import annotations

import contextlib
import math
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pyqtgraph as pg
from PySide6.QtCore import QBuffer, QByteArray, QIODevice, QRectF, Qt
from PySide6.QtGui import QImage, QPainter
from PySide6.QtWidgets import QApplication, QGraphicsView, QWidget

from uat_explorer.core.errors import InputError
from uat_explorer.core.files import atomic_write_bytes
from uat_explorer.core.io.view import MAX_SCALE, MIN_SCALE
from uat_explorer.model.view import ModelView
from uat_explorer.plots.function.plot import FunctionPlot
from uat_explorer.plots.loss_plot import LossPlot

MAX_PIXELS = 12_000
"""Width or height of a rendered figure, scale included: larger is a typo, not a figure."""


@dataclass(frozen=True)
class FigureOptions:
    width: int = 1000
    height: int = 620
    scale: float = 1.0
    components: bool = True
    samples: bool = False
    band: bool = False
    x_range: tuple[float, float] | None = None  # None: the whole domain
    y_range: tuple[float, float] | None = None  # None: fitted to the curves
    text_scale: float = 1.0
    """Presentation mode's scale: text and lines this many times their size (1 to 3)."""

    def __post_init__(self) -> None:
        if not (math.isfinite(self.text_scale) and MIN_SCALE <= self.text_scale <= MAX_SCALE):
            raise InputError(
                f"--text-scale must be between {MIN_SCALE:g} and {MAX_SCALE:g},"
                f" got {self.text_scale:g}"
            )
        if min(self.width, self.height) < 16:
            raise InputError("a figure must be at least 16 × 16 pixels")
        if not 0.25 <= self.scale <= 8:
            raise InputError(f"the scale must be between 0.25 and 8, got {self.scale:g}")
        if max(self.width, self.height) * self.scale > MAX_PIXELS:
            raise InputError(f"a figure may be at most {MAX_PIXELS} pixels wide or high")


SLIDE_WIDTH = 1280
"""A slide is laid out this wide; larger sizes are the same slide with sharper pixels."""


@dataclass(frozen=True)
class FigureSize:
    """How large an exported image is: ``pixels`` (width, height), or None for the view
    as shown at twice its pixels."""

    label: str
    pixels: tuple[int, int] | None = None

    def options(self, shown: tuple[int, int]) -> FigureOptions:
        """The layout and pixel scale: a slide is laid out SLIDE_WIDTH wide at most, so
        its text reads the same at 1280 × 720 and 1920 × 1080 (sharper there)."""
        if self.pixels is None:
            return FigureOptions(max(shown[0], 16), max(shown[1], 16), 2.0)
        width, height = self.pixels
        scale = max(1.0, width / SLIDE_WIDTH)
        return FigureOptions(round(width / scale), round(height / scale), scale)


SIZES = (
    FigureSize("As shown (twice the pixels)"),
    FigureSize("1280 × 720 (slide)", (1280, 720)),
    FigureSize("1920 × 1080 (full HD slide)", (1920, 1080)),
)


def figure_size(text: str) -> FigureSize:
    """A size typed as "1600 x 900" (x, × or *); InputError if it is not one."""
    parts = text.lower().replace("×", "x").replace("*", "x").split("x")
    try:
        width, height = (int(p.strip()) for p in parts)
    except ValueError:
        raise InputError(f"a size is two whole numbers like 1600 × 900, not {text!r}") from None
    size = FigureSize(f"{width} × {height}", (width, height))
    size.options((width, height))  # refused here if too small or too large
    return size


def render_resized(plot: pg.PlotWidget, options: FigureOptions) -> QImage:
    """A plot on screen drawn at another size: its plot item laid out at the figure's
    size for the moment of painting (axes, legend and colour bar placed for it), then
    put back. Nothing is painted on screen in between."""
    item = plot.getPlotItem()
    shown = item.geometry()
    item.setGeometry(QRectF(0, 0, options.width, options.height))
    item.layout.activate()
    try:
        scale = options.scale
        image = QImage(
            round(options.width * scale),
            round(options.height * scale),
            QImage.Format.Format_ARGB32_Premultiplied,
        )
        if image.isNull():
            raise InputError("there is not enough memory for that image; make it smaller")
        image.setDevicePixelRatio(scale)
        image.fill(plot.backgroundBrush().color())
        painter = QPainter(image)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        area = QRectF(0, 0, options.width, options.height)
        plot.scene().render(painter, area, area)
        painter.end()
    finally:
        item.setGeometry(shown)
        item.layout.activate()
    return image


@contextlib.contextmanager
def function_figure(state: ModelView, options: FigureOptions) -> Iterator[FunctionPlot]:
    """A function plot laid out offscreen at the figure's size (never shown)."""
    plot = FunctionPlot(state, line_scale=options.scale)
    plot.set_scale(options.text_scale, options.scale)
    plot.set_components_visible(options.components)
    plot.samples.ask(options.samples)
    plot.band.set_visible(options.band)
    with _laid_out(plot, options):
        plot.fit_view()
        if options.x_range is not None:
            plot.setXRange(*options.x_range, padding=0)
        if options.y_range is not None:
            plot.setYRange(*options.y_range, padding=0)
            plot.follow_output = False  # the range asked for, even if the output leaves it
        yield plot


@contextlib.contextmanager
def loss_figure(state: ModelView, options: FigureOptions) -> Iterator[LossPlot]:
    """The loss plot as on screen (its x axis in steps or epochs, its legend), ending
    at the last step instead of leaving room to grow."""
    plot = LossPlot(state, line_scale=options.scale)
    plot.set_scale(options.text_scale, options.scale)
    with _laid_out(plot, options):
        plot.refresh()
        plot.end_at_data()
        yield plot


@contextlib.contextmanager
def _laid_out(widget: QWidget, options: FigureOptions) -> Iterator[None]:
    widget.setAttribute(Qt.WidgetAttribute.WA_DontShowOnScreen, True)
    widget.resize(options.width, options.height)
    widget.show()
    QApplication.processEvents()
    try:
        yield
    finally:
        widget.hide()
        widget.deleteLater()


def render(plot: QGraphicsView, options: FigureOptions) -> QImage:
    """The plot's scene painted into an image of width × scale by height × scale pixels.

    The scene, not the widget: QWidget.render of a QGraphicsView into a high-DPI image
    draws only a quadrant with text twice too large (seen with Qt 6.10).
    """
    scale = options.scale
    width, height = round(options.width * scale), round(options.height * scale)
    image = QImage(width, height, QImage.Format.Format_ARGB32_Premultiplied)
    if image.isNull():
        raise InputError(
            f"there is not enough memory for a {width} × {height} image; make it smaller"
        )
    image.setDevicePixelRatio(scale)
    image.fill(plot.backgroundBrush().color())
    painter = QPainter(image)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    source = plot.mapToScene(plot.viewport().rect()).boundingRect()
    plot.scene().render(painter, QRectF(0, 0, options.width, options.height), source)
    painter.end()
    return image


def png_bytes(image: QImage) -> bytes:
    data = QByteArray()
    buffer = QBuffer(data)
    buffer.open(QIODevice.OpenModeFlag.WriteOnly)
    # PySide6 6.10 types the format as bytes, but the binding takes only str (ValueError).
    if not image.save(buffer, "PNG"):  # type: ignore[call-overload]
        raise OSError("the image could not be encoded as PNG")
    return bytes(data.data())


def write_png(image: QImage, path: str | Path) -> None:
    atomic_write_bytes(path, png_bytes(image))


def svg_bytes(plot: pg.PlotWidget) -> bytes:
    from pyqtgraph.exporters import SVGExporter  # with QtSvg: not at launch

    exported = SVGExporter(plot.getPlotItem()).export(toBytes=True)
    return bytes(exported)


def write_svg(plot: pg.PlotWidget, path: str | Path) -> None:
    atomic_write_bytes(path, svg_bytes(plot))
