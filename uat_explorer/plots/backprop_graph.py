"""The computational graph of one sample, drawn with its values and gradients.

Node items are made once per graph shape and only their texts change when the sample,
the scope or the weights change, so choosing another sample redraws in a few ms. A node
shows its forward value once the forward pass reached it, and ∂L/∂node once the backward
pass did; ``reveal`` sets how far each has gone.
"""

from __future__ import annotations

from PySide6.QtCore import QPointF, QRectF, Qt, Signal
from PySide6.QtGui import (
    QBrush,
    QColor,
    QFont,
    QPainter,
    QPainterPath,
    QPen,
    QResizeEvent,
)
from PySide6.QtWidgets import (
    QGraphicsPathItem,
    QGraphicsRectItem,
    QGraphicsScene,
    QGraphicsSceneHoverEvent,
    QGraphicsSceneMouseEvent,
    QGraphicsSimpleTextItem,
    QGraphicsView,
    QWidget,
)

from uat_explorer.core.teaching.backprop import fmt
from uat_explorer.core.teaching.graph import Graph, Node
from uat_explorer.plots.theme import neuron_color, plot_colors

COLUMN = 146
ROW = 108
WIDTH, HEIGHT = 126, 47


class _NodeItem(QGraphicsRectItem):
    """A box with the node's name, its value and, once reached, its gradient."""

    def __init__(self, view: BackpropGraphView, key: str) -> None:
        super().__init__(0, 0, WIDTH, HEIGHT)
        self.view, self.key = view, key
        self.neuron: int | None = None
        self.node: Node | None = None
        self.setAcceptHoverEvents(True)
        self.style_key: tuple[object, ...] | None = None
        font = QFont()
        font.setPointSizeF(9.0)
        bold = QFont(font)
        bold.setBold(True)
        self.title = QGraphicsSimpleTextItem(self)
        self.title.setFont(bold)
        self.value = QGraphicsSimpleTextItem(self)
        self.value.setFont(font)
        self.grad = QGraphicsSimpleTextItem(self)
        self.grad.setFont(font)
        for line, item in enumerate((self.title, self.value, self.grad)):
            item.setPos(6, 2 + 14.5 * line)

    def hoverEnterEvent(self, event: QGraphicsSceneHoverEvent) -> None:
        """What the node computes forward, and its local derivative backward."""
        if self.node is not None:
            self.setToolTip(f"{self.node.forward}\n{self.node.backward}")
        super().hoverEnterEvent(event)

    def mousePressEvent(self, event: QGraphicsSceneMouseEvent) -> None:
        if self.neuron is not None:
            self.view.neuronClicked.emit(self.neuron)
        self.view.nodeClicked.emit(self.key)
        event.accept()


class BackpropGraphView(QGraphicsView):
    """Draws a ``Graph``; emits the neuron of a clicked row and the clicked node's key."""

    neuronClicked = Signal(int)  # a neuron index
    nodeClicked = Signal(str)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("backpropGraph")
        self.setScene(QGraphicsScene(self))
        # No antialiasing of shapes (boxes are square; text keeps its own): a repaint
        # costs half as much, measured, and a new sample redraws within a frame.
        self.setRenderHint(QPainter.RenderHint.Antialiasing, False)
        self.setOptimizationFlags(
            QGraphicsView.OptimizationFlag.DontSavePainterState
            | QGraphicsView.OptimizationFlag.DontAdjustForAntialiasing
        )
        self.setDragMode(QGraphicsView.DragMode.ScrollHandDrag)
        self.setViewportUpdateMode(QGraphicsView.ViewportUpdateMode.BoundingRectViewportUpdate)
        self.items_by_key: dict[str, _NodeItem] = {}
        self.edges: list[tuple[QGraphicsPathItem, str, str]] = []
        self.shape: tuple[tuple[str, ...], tuple[tuple[str, str], ...]] | None = None
        self.graph: Graph | None = None
        self.values_shown: set[str] = set()
        self.grads_shown: set[str] = set()
        self.current: str | None = None
        self.zoomed = False
        self.setToolTip("Wheel: zoom. Drag: pan. Double click: the whole graph.")

    # -- content ---------------------------------------------------------------------------
    def show_graph(
        self,
        graph: Graph,
        ids: list[int],
        selected: int | None,
        values: set[str] | None = None,
        grads: set[str] | None = None,
        current: str | None = None,
    ) -> None:
        """Draw ``graph``; ``values``/``grads``: which nodes show them (None: all)."""
        self.graph = graph
        shape = (tuple(n.key for n in graph.nodes), tuple(graph.edges))
        if shape != self.shape:
            self._rebuild(graph)
            self.shape = shape
        every = {n.key for n in graph.nodes}
        self.values_shown = every if values is None else values
        self.grads_shown = every if grads is None else grads
        self.current = current
        colors = plot_colors(self.palette())
        self.setBackgroundBrush(QBrush(colors.background))
        for node in graph.nodes:
            self._paint_node(node, ids, selected, colors.foreground, colors.background)
        for path, source, target in self.edges:
            reached = source in self.values_shown and target in self.values_shown
            pen = QPen(colors.foreground if reached else QColor(128, 128, 128, 90), 1.3)
            pen.setCosmetic(True)
            path.setPen(pen)

    def _rebuild(self, graph: Graph) -> None:
        scene = self.scene()
        scene.clear()
        self.items_by_key = {}
        self.edges = []
        for node in graph.nodes:
            item = _NodeItem(self, node.key)
            column, row = graph.position(node.key)
            item.setPos(column * COLUMN, row * ROW)
            item.setZValue(2)
            scene.addItem(item)
            self.items_by_key[node.key] = item
        for source, target in graph.edges:
            a, b = self.items_by_key[source], self.items_by_key[target]
            start = a.pos() + QPointF(WIDTH, HEIGHT / 2)
            end = b.pos() + QPointF(0, HEIGHT / 2)
            curve = QPainterPath(start)
            middle = (start.x() + end.x()) / 2
            curve.cubicTo(middle, start.y(), middle, end.y(), end.x(), end.y())
            path = QGraphicsPathItem(curve)
            path.setZValue(1)
            scene.addItem(path)
            self.edges.append((path, source, target))
        scene.setSceneRect(scene.itemsBoundingRect().adjusted(-20, -20, 20, 20))
        self.fit()

    def fit(self) -> None:
        """The whole graph in view."""
        rect = self.scene().sceneRect()
        if not rect.isEmpty():
            self.fitInView(rect, Qt.AspectRatioMode.KeepAspectRatio)

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        self.fit()

    def _paint_node(
        self, node: Node, ids: list[int], selected: int | None, ink: QColor, paper: QColor
    ) -> None:
        item = self.items_by_key[node.key]
        item.neuron = node.neuron
        if node.neuron is not None and node.neuron < len(ids):
            accent = neuron_color(ids[node.neuron], paper)
        else:
            accent = QColor(ink)
        if node.muted:
            accent = QColor(140, 140, 140)
        fill = QColor(paper)
        if node.kind in ("input", "data"):
            fill = QColor(255, 214, 0, 60)  # data comes from outside the network
        elif node.neuron is not None and node.neuron == selected:
            fill = QColor(accent)
            fill.setAlpha(45)
        text = QColor(140, 140, 140) if node.muted else ink
        style = (accent.rgba(), fill.rgba(), text.rgba(), node.key == self.current, node.kind)
        if style != item.style_key:  # pens and brushes change rarely; numbers every frame
            item.style_key = style
            pen = QPen(accent, 3.0 if node.key == self.current else 1.6)
            pen.setCosmetic(True)
            if node.kind == "param":
                pen.setStyle(Qt.PenStyle.DashLine)
            item.setPen(pen)
            item.setBrush(QBrush(fill))
            for child in (item.title, item.value, item.grad):
                child.setBrush(QBrush(text))
        _set_text(item.title, node.label)
        _set_text(item.value, f"= {fmt(node.value)}" if node.key in self.values_shown else "")
        shown = node.key in self.grads_shown
        _set_text(item.grad, f"∂L/∂{node.name} = {fmt(node.grad)}" if shown else "")
        item.node = node  # its tooltip is written when the pointer arrives

    def scene_rect(self) -> QRectF:
        return self.scene().sceneRect()


def _set_text(item: QGraphicsSimpleTextItem, text: str) -> None:
    if item.text() != text:
        item.setText(text)
