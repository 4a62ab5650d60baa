"""The backprop graph as a PNG or SVG, and the gradient table as CSV, drawn offscreen with
the panel's own graph view: a scripted figure is the one on screen."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QBuffer, QByteArray, QIODevice, QRectF, QSize
from PySide6.QtGui import QImage, QPainter
from PySide6.QtSvg import QSvgGenerator

from uat_explorer.core.files import atomic_write_bytes
from uat_explorer.core.io.export_data import write_table
from uat_explorer.core.teaching.backprop import build_graph, gradient_rows
from uat_explorer.export.figures import FigureOptions, png_bytes
from uat_explorer.model.view import ModelView
from uat_explorer.plots.backprop_graph import BackpropGraphView

GRADIENT_HEADER = ["parameter", "value", "dL/dp_sample", "dL/dp_batch", "update"]


def _graph_view(state: ModelView, sample: int, scope: str) -> BackpropGraphView:
    trace = state.document.derived().trace
    index = state.document.index_of(state.view.selected)
    view = BackpropGraphView()
    graph = build_graph(trace, sample, scope, index, state.document.penalty)
    view.show_graph(graph, state.document.ids, index)
    return view


def _paint(view: BackpropGraphView, painter: QPainter, width: float, height: float) -> None:
    source = view.scene_rect()
    scale = min(width / source.width(), height / source.height())
    target = QRectF(0, 0, source.width() * scale, source.height() * scale)
    target.moveCenter(QRectF(0, 0, width, height).center())
    painter.fillRect(QRectF(0, 0, width, height), view.backgroundBrush())
    view.scene().render(painter, target, source)


def backprop_png(state: ModelView, sample: int, scope: str, options: FigureOptions) -> bytes:
    """The graph of ``sample`` with every value and gradient, as PNG bytes."""
    return png_bytes(backprop_image(state, sample, scope, options))


def backprop_image(state: ModelView, sample: int, scope: str, options: FigureOptions) -> QImage:
    """The graph of ``sample`` (``scope``: its own loss or the batch's) with every value
    and gradient, fitted into the figure's size."""
    view = _graph_view(state, sample, scope)
    image = QImage(
        round(options.width * options.scale),
        round(options.height * options.scale),
        QImage.Format.Format_ARGB32_Premultiplied,
    )
    image.setDevicePixelRatio(options.scale)
    painter = QPainter(image)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    painter.setRenderHint(QPainter.RenderHint.TextAntialiasing)
    _paint(view, painter, options.width, options.height)
    painter.end()
    view.deleteLater()
    return image


def backprop_svg(state: ModelView, sample: int, scope: str, options: FigureOptions) -> bytes:
    view = _graph_view(state, sample, scope)
    data = QByteArray()
    buffer = QBuffer(data)
    buffer.open(QIODevice.OpenModeFlag.WriteOnly)
    generator = QSvgGenerator()
    generator.setOutputDevice(buffer)
    generator.setSize(QSize(options.width, options.height))
    generator.setViewBox(QRectF(0, 0, options.width, options.height))
    generator.setTitle("Backpropagation, one sample")
    painter = QPainter(generator)
    _paint(view, painter, options.width, options.height)
    painter.end()
    view.deleteLater()
    return bytes(data.data())


def write_backprop(
    state: ModelView, path: str | Path, sample: int, scope: str, options: FigureOptions
) -> None:
    """PNG or SVG by the file's suffix, written atomically."""
    svg = Path(path).suffix.lower() == ".svg"
    make = backprop_svg if svg else backprop_png
    atomic_write_bytes(path, make(state, sample, scope, options))


def write_gradients(
    state: ModelView, path: str | Path, sample: int, scope: str, learning_rate: float
) -> None:
    """The gradient table: parameter, value, ∂L/∂p of the sample and of the batch, update,
    and with weight decay its share of the step (``weight_decay``)."""
    penalty = state.document.penalty
    rows = gradient_rows(state.document.derived().trace, sample, scope, learning_rate, penalty)
    if not penalty.active:
        write_table(path, GRADIENT_HEADER, [row[:-1] for row in rows])
        return
    write_table(path, [*GRADIENT_HEADER, "weight_decay"], rows)
