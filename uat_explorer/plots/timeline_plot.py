"""The D/W/A/G diagram of learning, over time: four lanes sharing one step axis.

D, the data each step learns from (yellow, as in the diagram: it comes from outside the
network); W, every weight; A, every neuron's mean |activation| (W reacting to D); G,
every gradient (how W changes itself to reduce the error on D). Stored rows are resampled
onto at most ``COLUMNS`` columns of the visible steps, so drawing costs the same after a
million steps as after a hundred.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import QPointF, QRectF, Qt, QTimer, Signal
from PySide6.QtGui import QColor, QFont, QFontMetricsF, QPainter, QPainterPath, QPen
from PySide6.QtWidgets import QGridLayout, QLabel, QWidget

from uat_explorer.core.nn.formula import number
from uat_explorer.core.nn.parameters import parameter_names
from uat_explorer.core.training.batches import BatchSchedule
from uat_explorer.core.training.timeline import Timeline, TimelineRows, joined_rows
from uat_explorer.plots.theme import BASE_POINTS, ThemedPlot, plot_colors, scaled_font

COLUMNS = 800
"""Columns drawn across the visible steps: about one per pixel of a wide dock."""
SAMPLE_BINS = 64
"""Rows of the D lane: samples grouped by index."""
GRADIENT_DECADES = 6
"""G's colour covers this many decades of |g| below the largest."""

LANES = {
    "D": ("#ffe100", "data: the samples each step learns from (from outside)"),
    "W": ("#1f77b4", "weights w1 b1 v1 … c (blue −, red +)"),
    "A": ("#2ca02c", "activations: each neuron's mean |a| (W reacting to D)"),
    "G": ("#d62728", "gradients: how W changes to cut the error (signed log |g|)"),
}


DATA_COLORS = pg.ColorMap([0.0, 1.0], [(245, 245, 240), (224, 176, 0)])
"""D: unused samples pale, used ones the diagram's yellow."""
BAR_WIDTH = 10
BAR_AXIS = 52
"""Pixels of each lane's colour scale and of its numbers: the same in every lane, so the
four share their step axis."""
LEFT_AXIS = 46
"""Pixels of a lane's letter and row names at scale 1."""
LETTER_POINTS = 13.0
"""A lane's letter (D, W, A, G) at scale 1."""


@dataclass
class LiveRow:
    """The current step, not yet stored: the weights now and the cache's gradient."""

    step: int
    rows: TimelineRows


class DiagramLegend(QWidget):
    """D and W feed A, A gives G, G makes the next W: the post's diagram, small."""

    SIZE = 150

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("timelineDiagram")
        self.scale = 1.0
        self.painted: list[str] = []
        """The letters last drawn (for tests): the lanes' own, D, W, A and G."""
        self.setFixedSize(self.SIZE, self.SIZE)
        self.setToolTip(
            "D (data) and W (weights) give A (activations: the forward pass); A and D give"
            " G (gradients: backpropagation); G changes W for the next step. Each step's D"
            " is its batch of samples."
        )

    def set_scale(self, scale: float) -> None:
        self.scale = scale
        self.setFixedSize(round(self.SIZE * scale), round(self.SIZE * scale))
        self.update()

    def paintEvent(self, _event: object) -> None:
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        painter.scale(self.scale, self.scale)  # drawn at 150 × 150, shown at the scale
        spots = {
            "D": QPointF(30, 28),
            "W": QPointF(120, 28),
            "A": QPointF(75, 75),
            "G": QPointF(75, 125),
        }
        text = self.palette().color(self.foregroundRole())
        pen = QPen(text, 1.6)
        painter.setPen(pen)
        for start, end in (("D", "A"), ("W", "A"), ("A", "G")):
            _arrow(painter, spots[start], spots[end], 15)
        path = QPainterPath(spots["G"] + QPointF(15, 0))
        path.cubicTo(QPointF(140, 125), QPointF(145, 70), spots["W"] + QPointF(5, 15))
        painter.drawPath(path)
        _arrow(painter, QPointF(128, 52), spots["W"] + QPointF(3, 15), 0)
        font = QFont(self.font())
        font.setBold(True)
        font.setPointSizeF(BASE_POINTS * 1.3)  # the painter's scale grows it
        painter.setFont(font)
        self.painted = list(spots)
        for letter, centre in spots.items():
            color = QColor(LANES[letter][0])
            painter.setPen(QPen(color.darker(130), 2))
            painter.setBrush(color.lighter(170) if letter != "D" else QColor("#ffe680"))
            painter.drawEllipse(centre, 14, 14)
            painter.setPen(QColor("#202020"))
            painter.drawText(
                QRectF(centre.x() - 14, centre.y() - 14, 28, 28),
                Qt.AlignmentFlag.AlignCenter,
                letter,  # the letters of the lanes and of the text beside them
            )
        painter.end()


def _arrow(painter: QPainter, start: QPointF, end: QPointF, inset: float) -> None:
    """A line from ``start`` to ``end`` (stopping ``inset`` short of both) with a head."""
    dx, dy = end.x() - start.x(), end.y() - start.y()
    length = math.hypot(dx, dy) or 1.0
    ux, uy = dx / length, dy / length
    a = QPointF(start.x() + ux * inset, start.y() + uy * inset)
    b = QPointF(end.x() - ux * inset, end.y() - uy * inset)
    painter.drawLine(a, b)
    for turn in (0.45, -0.45):
        c, s = math.cos(turn), math.sin(turn)
        back = QPointF(b.x() - 8 * (ux * c - uy * s), b.y() - 8 * (uy * c + ux * s))
        painter.drawLine(b, back)


class LanePlot(ThemedPlot):
    """One lane: images of (rows × columns), one per layout segment, over steps, with its
    colour scale on the right and as many row names on the left as its height holds."""

    clicked = Signal(float)  # the step clicked

    def __init__(self, letter: str, name: str, colormap: str | pg.ColorMap) -> None:
        super().__init__()
        self.setObjectName(name)
        self.letter = letter
        self.colormap = pg.colormap.get(colormap) if isinstance(colormap, str) else colormap
        self.images: list[pg.ImageItem] = []
        self.breaks: list[pg.InfiniteLine] = []
        self.getViewBox().invertY(True)
        self.getViewBox().setMouseEnabled(x=True, y=False)
        self.setMenuEnabled(False)
        self.hideButtons()
        self.setMinimumHeight(70)
        self.step_line = pg.InfiniteLine(angle=90, movable=False)
        self.step_line.setZValue(20)
        self.step_line.setVisible(False)
        self.addItem(self.step_line, ignoreBounds=True)
        self.bar = pg.ColorBarItem(
            values=(0, 1),
            colorMap=self.colormap,
            interactive=False,
            width=BAR_WIDTH,
            colorMapMenu=False,
        )
        layout = self.getPlotItem().layout
        layout.addItem(self.bar, 2, 5)  # right of the lane, as ColorBarItem puts itself
        layout.setColumnFixedWidth(4, 4)
        self.bar.axis.setWidth(BAR_AXIS)
        self.scale_ticks: list[tuple[float, str]] = []
        self.row_names: list[str] | None = None
        self.rows = 1
        self.ends: tuple[str, str] | None = None
        self.scene().sigMouseClicked.connect(self._clicked)
        # New height, new room for row names: after the resize, not inside it.
        self.getViewBox().sigResized.connect(lambda *_: QTimer.singleShot(0, self.relabel))
        self.themed = True
        self.apply_theme()

    def _clicked(self, event: Any) -> None:
        if event.button() != Qt.MouseButton.LeftButton:
            return
        point = self.getViewBox().mapSceneToView(event.scenePos())
        self.clicked.emit(point.x())

    def apply_theme(self) -> None:
        super().apply_theme()
        colors = plot_colors(self.palette())
        size = LETTER_POINTS * self.text_scale
        color = LANES[self.letter][0]
        self.setLabel("left", f"<b style='color:{color}; font-size:{size:.1f}pt'>{self.letter}</b>")
        axis = self.bar.axis
        axis.setPen(colors.foreground)
        axis.setTextPen(colors.foreground)
        axis.setStyle(
            tickFont=scaled_font(self.text_scale), tickTextOffset=int(3 * self.text_scale)
        )
        self.bar.axis.setWidth(round(BAR_AXIS * self.text_scale))
        self.getAxis("left").setWidth(self.label_width())  # its letter and row names
        self.bar.layout.setColumnFixedWidth(1, BAR_WIDTH * self.line_scale)
        self.step_line.setPen(pg.mkPen(colors.diverged, width=1.5 * self.line_scale))
        for line in self.breaks:
            line.setPen(self._break_pen())

    def _break_pen(self) -> Any:
        return pg.mkPen("#888", width=2 * self.line_scale, style=Qt.PenStyle.DashLine)

    def set_scale(self, text: float, pixels: float = 1.0) -> None:
        super().set_scale(text, pixels)
        self.relabel()

    def show_scale(self, levels: tuple[float, float], ticks: list[tuple[float, str]]) -> None:
        """The colour scale: ``levels`` the values at its ends, ``ticks`` (value, text)."""
        self.bar.setLevels(levels)
        self.scale_ticks = ticks
        self.relabel()

    def show_blocks(
        self,
        blocks: list[tuple[float, float, np.ndarray]],
        levels: tuple[float, float],
        rows: int,
        names: list[str] | None,
        ends: tuple[str, str] | None = None,
    ) -> None:
        """Each block: (first step, last step, image rows × columns). ``names`` name the
        rows; or ``ends`` label the first and the last (the D lane's sample indices)."""
        while len(self.images) < len(blocks):
            image = pg.ImageItem(axisOrder="row-major")
            image.setColorMap(self.colormap)
            self.addItem(image)
            self.images.append(image)
        for image, block in zip(self.images, blocks + [None] * len(self.images), strict=False):
            if block is None or block[2].size == 0:  # no neurons: no A rows to draw
                image.setVisible(False)
                continue
            first, last, data = block
            image.setVisible(True)
            image.setImage(data, autoLevels=False, levels=levels)
            image.setRect(QRectF(first, 0, max(last - first, 1.0), data.shape[0]))
        for line in self.breaks:
            self.removeItem(line)
        self.breaks = []
        for first, _, _ in blocks[1:]:
            line = pg.InfiniteLine(first, angle=90, pen=self._break_pen())
            self.addItem(line, ignoreBounds=True)
            self.breaks.append(line)
        self.rows = max(rows, 1)
        self.setYRange(0, self.rows, padding=0)
        self.row_names, self.ends = names, ends
        self.getAxis("left").setWidth(self.label_width())
        self.relabel()

    def relabel(self) -> None:
        """Row names every k-th row, k as small as the lane's height allows without two
        labels touching; the end labels kept a half line inside, never cut."""
        axis = self.getAxis("left")
        line = QFontMetricsF(scaled_font(self.text_scale)).height()
        height = max(float(self.getViewBox().height()), 1.0)
        # pyqtgraph drops labels that fill more than 80 % of an axis: one in 1.5 lines.
        room = max(1, math.floor(height / (1.5 * line)))
        inset = min(self.rows / 2, 0.6 * line * self.rows / height)  # half a label, in rows

        def inside(row: float) -> float:
            return min(max(row, inset), self.rows - inset)

        if self.ends is not None:
            first, last = self.ends
            ends = [(inside(0), first), (inside(self.rows), last)]
            axis.setTicks([ends[:room], []])
        elif self.row_names:
            every = max(1, math.ceil(len(self.row_names) / room))
            named = [(inside(k + 0.5), n) for k, n in enumerate(self.row_names) if k % every == 0]
            axis.setTicks([named, []])
        else:
            axis.setTicks(None)
        # The scale's numbers (its ends and middle first), the ends half a label inside.
        low, high = self.bar.levels()
        share = 0.6 * line / height * (high - low)
        chosen = self.scale_ticks if room >= len(self.scale_ticks) else self.scale_ticks[:3]
        if room < 3 and len(chosen) == 3:
            chosen = [chosen[0], chosen[2]]  # a short lane: its two ends
        ticks = [(min(max(value, low + share), high - share), text) for value, text in chosen]
        self.bar.axis.setTicks([ticks, []])

    def label_width(self) -> int:
        """Pixels the left axis needs: the letter (drawn upright along the axis), the widest
        row name, and the ticks between (at least LEFT_AXIS times the text scale)."""
        letter = QFont()
        letter.setPointSizeF(LETTER_POINTS * self.text_scale)
        letter.setBold(True)
        names = QFontMetricsF(scaled_font(self.text_scale))
        every = [*(self.row_names or []), *(self.ends or ())]  # not only those shown now
        widest = max((names.horizontalAdvance(text) for text in every), default=0.0)
        need = QFontMetricsF(letter).height() + widest + 14 * self.text_scale
        return max(round(LEFT_AXIS * self.text_scale), math.ceil(need))

    def labels_shown(self) -> list[str]:
        """The row labels as set (for tests): the left axis's ticks."""
        ticks = self.getAxis("left")._tickLevels
        return [text for _, text in ticks[0]] if ticks else []


class TimelineView(QWidget):
    """The four lanes, the diagram, and the current step's activation matrix."""

    stepClicked = Signal(float)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("timelineView")
        self.data = LanePlot("D", "timelineDataPlot", DATA_COLORS)
        self.weights = LanePlot("W", "timelineWeightsPlot", "CET-D1")
        self.activity = LanePlot("A", "timelineActivationsPlot", "viridis")
        self.gradients = LanePlot("G", "timelineGradientsPlot", "CET-D1")
        self.lanes = [self.data, self.weights, self.activity, self.gradients]
        self.data_columns = DataColumns()
        self.matrix = ThemedPlot(objectName="timelineActivationMatrix")
        self.matrix.setMenuEnabled(False)
        self.matrix.hideButtons()
        self.matrix.setToolTip("A now: each neuron's |activation| (a row) at every sample")
        self.scale = 1.0
        self.names_for: Callable[[int], list[str]] = parameter_names
        """The W and G rows' names for H neurons (a classifier's: one v per logit)."""
        self._title_matrix()
        self.matrix.getViewBox().invertY(True)
        self.matrix_image = pg.ImageItem(axisOrder="row-major")
        self.matrix_image.setColorMap(pg.colormap.get("viridis"))
        self.matrix.addItem(self.matrix_image)
        self.diagram = DiagramLegend()
        self.matrix.setFixedWidth(DiagramLegend.SIZE)  # under the diagram: the lanes get the width
        layout = QGridLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setHorizontalSpacing(4)
        layout.setVerticalSpacing(0)
        # The diagram beside D, W and A, the matrix beside G: neither asks more height
        # than the lanes it stands beside.
        layout.addWidget(self.diagram, 0, 0, 6, 1, Qt.AlignmentFlag.AlignTop)
        layout.addWidget(self.matrix, 6, 0, 2, 1)
        for row, (lane, letter) in enumerate(zip(self.lanes, "DWAG", strict=True)):
            legend = QLabel(f"<b style='color:{LANES[letter][0]}'>{letter}</b> {LANES[letter][1]}")
            legend.setObjectName(f"timelineLegend{letter}")
            legend.setWordWrap(True)
            layout.addWidget(legend, 2 * row, 1)
            layout.addWidget(lane, 2 * row + 1, 1)
            lane.clicked.connect(self.stepClicked)
            if lane is not self.data:
                lane.setXLink(self.data)
        for row, stretch in ((1, 2), (3, 3), (5, 2), (7, 4)):  # G holds the step axis too
            layout.setRowStretch(row, stretch)
        layout.setColumnStretch(1, 1)
        self.gradients.setLabel("bottom", "step")
        # Rows to read in each lane; G's height holds the step axis as well.
        self.set_least_heights(True)
        for lane in (self.data, self.weights, self.activity):
            lane.hideAxis("bottom")  # one step axis, under G
        self.matrix.themed = True
        self.matrix.apply_theme()

    def set_least_heights(self, on: bool) -> None:
        """Each lane at least a few rows high (on screen), or as small as asked (a figure
        of a chosen size)."""
        least = ((self.data, 36), (self.weights, 50), (self.activity, 40), (self.gradients, 85))
        for lane, height in least:
            lane.setMinimumHeight(height if on else 0)
        self.matrix.setMinimumHeight(60 if on else 0)

    def align_lanes(self) -> None:
        """One left axis width for the four lanes (the widest one's need): their steps
        stay one under the other."""
        width = max(lane.label_width() for lane in self.lanes)
        for lane in self.lanes:
            lane.getAxis("left").setWidth(width)

    def _title_matrix(self) -> None:
        self.matrix.setTitle("A now", size=f"{8 * self.scale:.1f}pt")

    def set_scale(self, scale: float, pixels: float = 1.0) -> None:
        """Every text and line of the lanes, the diagram and the matrix ``scale`` times
        its size (lines ``scale × pixels``); the lanes' captions follow the app's font."""
        self.scale = scale
        for plot in (*self.lanes, self.matrix):
            plot.set_scale(scale, pixels)
        self.diagram.set_scale(scale)
        self.align_lanes()
        self._title_matrix()
        self.matrix.setFixedWidth(round(DiagramLegend.SIZE * scale))

    def set_cursor(self, step: float | None) -> None:
        for lane in self.lanes:
            lane.step_line.setVisible(step is not None)
            if step is not None:
                lane.step_line.setValue(step)

    def show_timeline(
        self,
        timeline: Timeline,
        live: LiveRow | None,
        seed: int,
        samples: int,
        matrix: np.ndarray | None,
        steps: tuple[float, float] | None = None,
    ) -> None:
        """Draw the stored rows (and the live one) over ``steps`` (None: all of them)."""
        segments = list(timeline.segments)
        if live is not None:
            tail = segments[-1] if segments else None
            same = tail is not None and (tail.layout, tail.batch) == (
                live.rows.layout,
                live.rows.batch,
            )
            if same and tail is not None:
                joined = joined_rows([tail, live.rows])
                assert joined is not None
                segments[-1] = joined
            else:
                segments.append(live.rows)
        segments = [s for s in segments if s.size]
        if not segments:
            for lane in self.lanes:
                lane.show_blocks([], (0, 1), 1, None)
            return
        first = float(segments[0].steps[0])
        last = float(segments[-1].steps[-1])
        low, high = steps if steps is not None else (first, last)
        low, high = max(low, first), min(high, last)
        if high < low:
            low, high = first, last
        columns = _columns(low, high)
        w_blocks, g_blocks, a_blocks, d_blocks = [], [], [], []
        w_top = max(float(np.percentile(np.abs(s.weights), 99)) for s in segments) or 1.0
        g_top = max(float(np.abs(s.gradients).max()) for s in segments)
        a_top = max(float(s.activity.max(initial=0.0)) for s in segments) or 1.0
        for k, segment in enumerate(segments):
            end = float(segments[k + 1].steps[0]) if k + 1 < len(segments) else math.inf
            mine = columns[(columns >= segment.steps[0]) & (columns < end)]
            if mine.size == 0:
                continue
            pick = np.searchsorted(segment.steps, mine, side="right") - 1
            pick = np.clip(pick, 0, segment.size - 1)
            span = (float(mine[0]), float(mine[-1]) + 1.0)
            w_blocks.append((*span, segment.weights[pick].T))
            g_blocks.append((*span, _signed_log(segment.gradients[pick].T, g_top)))
            a_blocks.append((*span, segment.activity[pick].T))
            schedule = (
                BatchSchedule(samples, segment.batch, seed) if 0 < segment.batch < samples else None
            )
            d_blocks.append((*span, self.data_columns.image(mine, schedule, samples)))
        size = len(segments[-1].layout[0])
        names = self.names_for(size)
        neurons = [f"{j + 1}" for j in range(size)]
        ends = ("0", f"{samples - 1}")
        self.data.show_blocks(d_blocks, (0, 1), min(samples, SAMPLE_BINS), None, ends)
        self.weights.show_blocks(w_blocks, (-w_top, w_top), len(names), names)
        self.activity.show_blocks(a_blocks, (0, a_top), size, neurons)
        self.gradients.show_blocks(g_blocks, (-1, 1), len(names), names)
        self.data.show_scale((0, 1), [(0, "0 %"), (1, "100 %")])
        self.weights.show_scale((-w_top, w_top), _symmetric_ticks(w_top, w_top))
        self.activity.show_scale((0, a_top), [(0, "0"), (a_top, number(a_top))])
        self.gradients.show_scale((-1, 1), _gradient_ticks(g_top))
        self.align_lanes()
        self.data.setXRange(low, high + 1, padding=0.01)
        if matrix is not None and matrix.size:
            self.matrix_image.setImage(
                np.abs(matrix),
                autoLevels=False,
                levels=(0, max(float(np.abs(matrix).max()), 1e-12)),
            )
            self.matrix.setRange(
                xRange=(0, matrix.shape[1]), yRange=(0, matrix.shape[0]), padding=0
            )
            rows = matrix.shape[0]  # neurons 1 and H, at their rows: a few pixels each
            named = [(0.5, "1")] + ([(rows - 0.5, f"{rows}")] if rows > 1 else [])
            self.matrix.getAxis("left").setTicks([named, []])


def _symmetric_ticks(top: float, at: float) -> list[tuple[float, str]]:
    """−top, 0 and +top at −at, 0 and +at on a colour scale."""
    return [(-at, number(-top)), (0.0, "0"), (at, number(top))]


def _gradient_ticks(top: float) -> list[tuple[float, str]]:
    """G's scale is signed log |g| over GRADIENT_DECADES below the largest ``top``: its
    ends are ±top, its middle 0 (|g| below top/10⁶), halfway ±top/10³."""
    if top <= 0:
        return [(0.0, "0")]
    half = top * 10 ** (-GRADIENT_DECADES / 2)
    return [
        *_symmetric_ticks(top, 1.0),
        (-0.5, number(-half)),
        (0.5, number(half)),
    ]


def _columns(low: float, high: float) -> np.ndarray:
    """The steps drawn: every step when few, else every k-th (k a power of two, so the
    columns stay put while training adds steps), and always ``high``, the last."""
    start, end = math.floor(low), math.ceil(high)
    if end - start + 1 <= COLUMNS:
        return np.arange(start, end + 1, dtype=np.int64)
    k = 2 ** math.ceil(math.log2((end - start + 1) / COLUMNS))
    columns = np.arange(-(-start // k) * k, end + 1, k, dtype=np.int64)
    return columns if columns[-1] == end else np.append(columns, end)


def _signed_log(gradients: np.ndarray, top: float) -> np.ndarray:
    """sign(g)·(log₁₀|g| above ``top``/10⁶, scaled to 0 … 1): gradients span decades."""
    if top <= 0:
        return np.zeros_like(gradients)
    with np.errstate(divide="ignore"):
        magnitude = (np.log10(np.abs(gradients)) - math.log10(top)) / GRADIENT_DECADES + 1
    signed: np.ndarray = np.sign(gradients) * np.clip(magnitude, 0, 1)
    return signed


class DataColumns:
    """D, one column per drawn step: the share of each bin of samples that step used.
    Columns are kept (a step's batch never changes), so a redraw computes only the new
    ones: a step's shuffle costs ~60 µs, and a thinned timeline spans many epochs."""

    LIMIT = 8192

    def __init__(self) -> None:
        self._known: dict[tuple[int, int, int, int], np.ndarray] = {}

    def image(self, steps: np.ndarray, schedule: BatchSchedule | None, samples: int) -> np.ndarray:
        bins = min(samples, SAMPLE_BINS)
        if schedule is None:
            return np.ones((bins, steps.size), np.float32)
        if len(self._known) > self.LIMIT:
            self._known.clear()
        per_bin = np.bincount(np.arange(samples) * bins // samples, minlength=bins)
        image = np.empty((bins, steps.size), np.float32)
        for column, step in enumerate(steps.tolist()):
            key = (schedule.samples, schedule.size, schedule.seed, step)
            known = self._known.get(key)
            if known is None:
                used = schedule.indices(step) * bins // samples
                known = self._known[key] = np.bincount(used, minlength=bins) / per_bin
            image[:, column] = known
        return image
