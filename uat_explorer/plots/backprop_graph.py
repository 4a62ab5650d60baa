"""The computational graph of one sample, drawn with its values and gradients.

Each operation is a box; a parameter (w, b, v, c) and the target t are drawn inside the
box of the operation they feed, so a neuron's whole chain fits one row and six neurons
stay readable at 1280 × 800. Node items are made once per graph shape and only their
texts change when the sample, the scope or the weights change, so choosing another sample
redraws in a few ms. A node shows its forward value once the forward pass reached it, and
∂L/∂node once the backward pass did (``values`` and ``grads``).
"""

from __future__ import annotations

from dataclasses import dataclass

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
from uat_explorer.core.teaching.graph import LEAVES, Graph, Node
from uat_explorer.plots.theme import neuron_color, plot_colors

POINTS = 9.0
"""The text's size in the scene; the view scales the whole graph to fit."""
LINE = 15.0
PAD = 5.0
WIDTH = 170.0
"""Wide enough for the longest line, e.g. "p₁ = v₁a₁ = −9.751×10⁻¹⁰" (160 at 9 pt); a
longer one (a summary, a huge exponent) is drawn narrower, never past the box."""
LINES = 4
HEIGHT = LINES * LINE + 2 * PAD
GAP_X, GAP_Y = 22.0, 10.0


@dataclass(frozen=True)
class Layout:
    """Where each box stands: operations by their depth left to right, a neuron's chain
    on its row; leaves have no box of their own but a line in the box they feed."""

    host: dict[str, str]
    """A leaf's key → the key of the box it is drawn in."""
    position: dict[str, tuple[int, float]]
    """A box's key → (column, row)."""

    @classmethod
    def of(cls, graph: Graph) -> Layout:
        host = {}
        for node in graph.nodes:
            if node.kind in LEAVES:
                host[node.key] = next(n.key for n in graph.nodes if node.key in n.inputs)
        boxes = [n for n in graph.nodes if n.key not in host]
        depth: dict[str, int] = {}

        def deep(node: Node) -> int:
            if node.key not in depth:
                computed = [graph.node(k) for k in node.inputs if k not in host]
                depth[node.key] = 1 + max(map(deep, computed), default=-1)
            return depth[node.key]

        rows = {j: float(k) for k, j in enumerate(graph.rows)}
        middle = (len(graph.rows) - 1 + (1 if graph.hidden else 0)) / 2
        position: dict[str, tuple[int, float]] = {}
        for node in boxes:
            row = rows[node.neuron] if node.neuron is not None else middle
            if node.kind == "summary":
                fed = next(n for n in graph.nodes if node.key in n.inputs)
                column = deep(fed) - 1
                row = float(len(graph.rows))
            else:
                column = deep(node)
            position[node.key] = (column, row if node.row is None else node.row)
        return cls(host, position)

    def box(self, key: str) -> str:
        return self.host.get(key, key)


class _NodeItem(QGraphicsRectItem):
    """A box with the node's name, its value and, once reached, its gradient."""

    def __init__(self, view: BackpropGraphView, key: str) -> None:
        super().__init__(0, 0, WIDTH, HEIGHT)
        self.view, self.key = view, key
        self.neuron: int | None = None
        self.node: Node | None = None
        self.leaf: Node | None = None  # the parameter (or target) drawn inside
        self.setAcceptHoverEvents(True)
        self.style_key: tuple[object, ...] | None = None
        font = QFont()
        font.setPointSizeF(POINTS)
        bold = QFont(font)
        bold.setBold(True)
        self.lines = [QGraphicsSimpleTextItem(self) for _ in range(LINES)]
        for k, item in enumerate(self.lines):
            item.setFont(bold if k == 0 else font)
            item.setPos(PAD + 1, PAD + LINE * k - 1)

    def hoverEnterEvent(self, event: QGraphicsSceneHoverEvent) -> None:
        """What the node computes forward, and its local derivative backward."""
        if self.node is not None:
            parts = [self.node.forward, self.node.backward]
            if self.leaf is not None:
                parts = [self.leaf.forward, self.leaf.chain, *parts]
            self.setToolTip("\n".join(parts))
        super().hoverEnterEvent(event)

    def mousePressEvent(self, event: QGraphicsSceneMouseEvent) -> None:
        if self.neuron is not None:
            self.view.neuronClicked.emit(self.neuron)
        self.view.nodeClicked.emit(self.leaf.key if self.leaf is not None else self.key)
        event.accept()

    def texts(self) -> list[str]:
        return [line.text() for line in self.lines]


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
        self.arrangement = Layout({}, {})
        self.edges: list[tuple[QGraphicsPathItem, str, str]] = []
        self.shape: tuple[tuple[str, ...], tuple[tuple[str, str], ...]] | None = None
        self.graph: Graph | None = None
        self.values_shown: set[str] = set()
        self.grads_shown: set[str] = set()
        self.current: str | None = None
        self.zoomed = False
        self.loss_symbol = "L"
        """What the gradients are of: L (a curve's loss), ℓ (one point's cross-entropy)."""
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
        leaves = {
            self.arrangement.host[n.key]: n for n in graph.nodes if n.key in self.arrangement.host
        }
        for node in graph.nodes:
            if node.key not in self.arrangement.host:
                leaf = leaves.get(node.key)
                self._paint_node(node, leaf, ids, selected, colors.foreground, colors.background)
        for path, source, target in self.edges:
            reached = source in self.values_shown and target in self.values_shown
            pen = QPen(colors.foreground if reached else QColor(128, 128, 128, 90), 1.3)
            pen.setCosmetic(True)
            path.setPen(pen)

    def _rebuild(self, graph: Graph) -> None:
        scene = self.scene()
        scene.clear()
        self.arrangement = Layout.of(graph)
        self.items_by_key = {}
        self.edges = []
        for key, (column, row) in self.arrangement.position.items():
            item = _NodeItem(self, key)
            item.setPos(column * (WIDTH + GAP_X), row * (HEIGHT + GAP_Y))
            item.setZValue(2)
            scene.addItem(item)
            self.items_by_key[key] = item
        for source, target in graph.edges:
            if source in self.arrangement.host:
                continue  # drawn inside the box it feeds
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
        scene.setSceneRect(scene.itemsBoundingRect().adjusted(-8, -8, 8, 8))
        self.fit()

    def fit(self) -> None:
        """The whole graph in view."""
        rect = self.scene().sceneRect()
        if not rect.isEmpty():
            self.fitInView(rect, Qt.AspectRatioMode.KeepAspectRatio)

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        self.fit()

    def text_height(self) -> float:
        """How tall a line of a node's text is on screen, in pixels."""
        return LINE * self.transform().m22()

    def _paint_node(
        self,
        node: Node,
        leaf: Node | None,
        ids: list[int],
        selected: int | None,
        ink: QColor,
        paper: QColor,
    ) -> None:
        item = self.items_by_key[node.key]
        item.neuron, item.leaf = node.neuron, leaf
        if node.neuron is not None and node.neuron < len(ids):
            accent = neuron_color(ids[node.neuron], paper)
        else:
            accent = QColor(ink)
        if node.muted:
            accent = QColor(140, 140, 140)
        fill = QColor(paper)
        if node.kind == "input" or (leaf is not None and leaf.kind == "data"):
            fill = QColor(255, 214, 0, 60)  # data comes from outside the network
        elif node.neuron is not None and node.neuron == selected:
            fill = QColor(accent)
            fill.setAlpha(45)
        text = QColor(140, 140, 140) if node.muted else ink
        here = self.current in (node.key, leaf.key if leaf is not None else None)
        style = (accent.rgba(), fill.rgba(), text.rgba(), here, node.kind)
        if style != item.style_key:  # pens and brushes change rarely; numbers every frame
            item.style_key = style
            pen = QPen(accent, 3.0 if here else 1.6)
            pen.setCosmetic(True)
            item.setPen(pen)
            item.setBrush(QBrush(fill))
            for line in item.lines:
                line.setBrush(QBrush(text))
        for line, content in zip(item.lines, self._lines(node, leaf), strict=True):
            _set_text(line, content)
        item.node = node  # its tooltip is written when the pointer arrives

    def _lines(self, node: Node, leaf: Node | None) -> list[str]:
        """Title and value; the leaf's value; ∂L/∂node; the leaf's gradient (in the
        batch, this sample's term of it: what the boxes multiply out to)."""
        valued = node.key in self.values_shown
        title = f"{node.label} = {fmt(node.value)}" if valued else node.label
        lines = [title, "", "", ""]
        if leaf is not None and leaf.key in self.values_shown:
            lines[1] = f"{leaf.label} = {fmt(leaf.value)}"
        if node.key in self.grads_shown:
            lines[2] = f"∂{self.loss_symbol}/∂{node.name} = {fmt(node.grad)}"
        if leaf is not None and leaf.key in self.grads_shown:
            grad = leaf.grad if leaf.term is None else leaf.term
            lines[3] = f"∂{self.loss_symbol}/∂{leaf.name} = {fmt(grad)}" + (
                "" if leaf.term is None else " (this)"
            )
        return [line for line in lines if line] + [""] * lines.count("")

    def scene_rect(self) -> QRectF:
        return self.scene().sceneRect()


def _set_text(item: QGraphicsSimpleTextItem, text: str) -> None:
    """The text, narrowed (never wrapped, never cut) if it is wider than the box."""
    if item.text() == text:
        return
    item.setText(text)
    room = WIDTH - 2 * PAD - 2
    width = item.boundingRect().width()
    item.setScale(min(1.0, room / width) if width > 0 else 1.0)
