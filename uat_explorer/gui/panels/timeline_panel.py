"""The Timeline panel: D, W, A and G of every step, live, as in the diagram of learning.

Rows come from training (the worker records every step; the model keeps them thinned).
The last column is always now: the current weights and the cache's gradient. Clicking a
step shows that step's network as a ghost on the function plot; Esc or Live returns.
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np
from PySide6.QtCore import Qt
from PySide6.QtGui import QCursor, QImage, QKeySequence, QShortcut
from PySide6.QtWidgets import QHBoxLayout, QLabel, QPushButton, QToolTip, QWidget

from uat_explorer.core.files import atomic_write_bytes
from uat_explorer.core.io.export_data import write_table
from uat_explorer.core.nn.network import Network
from uat_explorer.core.nn.parameters import parameter_names
from uat_explorer.core.training.timeline import RECENT, Timeline, TimelineRows, now_row
from uat_explorer.export.figures import FigureOptions, FigureSize, png_bytes
from uat_explorer.export.timeline import timeline_image
from uat_explorer.gui.panels.context import DockPanel, PanelContext
from uat_explorer.gui.widgets.notice import NoticeLabel
from uat_explorer.gui.widgets.plot_export import ChosenSize, Export, ExportButton, widget_svg
from uat_explorer.model.state import AppState
from uat_explorer.plots.in_view import in_view
from uat_explorer.plots.timeline_plot import LiveRow, TimelineView
from uat_explorer.qt import debounced, props, throttled, when_shown


def network_of(rows: TimelineRows, index: int) -> Network:
    """The network of one stored row (weights in card order, the row's layout)."""
    weights = rows.weights[index].astype(np.float64)
    activations, muted = rows.layout
    size = len(activations)
    return Network(
        weights[0 : 3 * size : 3],
        weights[1 : 3 * size : 3],
        weights[2 : 3 * size : 3],
        float(weights[-1]),
        list(activations),
        list(muted),
    )


def live_row(state: AppState) -> LiveRow:
    """Now: the current weights, the cache's gradient and mean |activation|."""
    derived, step = state.document.derived(), state.document.session.step
    schedule = state.document.batch_schedule()
    batch = schedule.size if schedule is not None else 0
    return LiveRow(
        step,
        now_row(state.document.network, derived.gradients.flat(), derived.trace.a, step, batch),
    )


def history_table(
    timeline: Timeline, which: str, live: TimelineRows | None = None
) -> tuple[list[str], list[list[object]]]:
    """step, then one column per parameter (the widest layout's names; blank where a
    segment has fewer): the W or G history as stored, and ``live``, now (the weights and
    the gradient of the step about to be taken), as its last row unless it is stored."""
    segments = list(timeline.segments)
    last = max((int(s.steps[-1]) for s in segments if s.size), default=None)
    if live is not None and live.size and (last is None or int(live.steps[-1]) > last):
        segments.append(live)
    widest = max((len(s.layout[0]) for s in segments), default=0)
    names = parameter_names(widest)
    rows: list[list[object]] = []
    for segment in segments:
        size = len(segment.layout[0])
        values = segment.weights if which == "weights" else segment.gradients
        for step, row in zip(segment.steps.tolist(), values.tolist(), strict=True):
            cells: list[object] = [""] * len(names)
            for k in range(3 * size):
                cells[k] = row[k]
            cells[-1] = row[-1]
            rows.append([step, *cells])
    return ["step", *names], rows


class TimelinePanel(DockPanel):
    def __init__(self, context: PanelContext, parent: QWidget | None = None) -> None:
        super().__init__(context, "timelinePanel", parent)
        when_shown(self, self.refresh)
        state = self.state
        self.scale = 1.0
        self.view = TimelineView()
        self.live = props(QPushButton("Live"), objectName="timelineLiveButton")
        self.live.setToolTip("Back to the current step (Esc)")
        self.live.setEnabled(False)
        self.scrub = props(QLabel(), objectName="timelineScrubLabel")
        self.scrub.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.note = props(QLabel(), objectName="timelineNoteLabel", wordWrap=True)
        self.message = NoticeLabel("timelineMessageLabel")
        self.export = ExportButton(
            "timeline",
            [
                Export("PNG image…", "png", "timeline.png", self.export_png, self.sized_image),
                Export("SVG image…", "svg", "timeline.svg", lambda p: widget_svg(self.view, p)),
                Export("Weights history (CSV)…", "csv", "weights.csv", self._csv("weights")),
                Export("Gradients history (CSV)…", "csv", "gradients.csv", self._csv("gradients")),
            ],
            self.message.say,
            object_name="timelineExportButton",
        )
        # The note shares the buttons' row, and the scrubbed step's line shows only while
        # there is one: a short dock (or presentation mode's larger text) keeps the lanes.
        top = QHBoxLayout()
        top.addWidget(self.note, 1)
        top.addWidget(self.live, 0, Qt.AlignmentFlag.AlignTop)
        top.addWidget(self.export, 0, Qt.AlignmentFlag.AlignTop)
        self.scrub.hide()
        self.stack(top, self.scrub, self.message, self.view)

        self.scrubbed: int | None = None
        self._refresh_soon = throttled(self.refresh, 250, self)
        self._view_moved = debounced(self.refresh, 200, self)
        for signal in (
            state.document.stepChanged,
            state.document.derivedChanged,
            state.document.structureChanged,
            state.document.settingsChanged,
        ):
            signal.connect(self._refresh_soon)
        self.view.stepClicked.connect(self.scrub_to)
        self.live.clicked.connect(self.go_live)
        QShortcut(
            QKeySequence(Qt.Key.Key_Escape),
            self,
            self.go_live,
            context=Qt.ShortcutContext.WidgetWithChildrenShortcut,
        )
        self.view.data.getViewBox().sigRangeChangedManually.connect(lambda *_: self._view_moved())
        self._zoomed = False
        self.view.data.getViewBox().sigRangeChangedManually.connect(self._user_zoomed)

    def _user_zoomed(self, *_args: object) -> None:
        self._zoomed = True

    def came_into_view(self) -> None:
        """Its dock shown, or its tab brought to the front (the registry calls this)."""
        self.refresh()

    def refresh(self) -> None:
        """Redraw the lanes (only while shown): stored rows plus now."""
        if not in_view(self):
            return
        state = self.state
        live = live_row(state)
        steps = None
        if self._zoomed:
            low, high = self.view.data.getViewBox().viewRange()[0]
            steps = (low, high)
        matrix = state.document.derived().trace.a if state.document.network.size else None
        x = state.document.training_data()[0]
        self.view.show_timeline(
            state.document.timeline, live, state.document.session.seed, x.size, matrix, steps
        )
        schedule = state.document.batch_schedule()
        batches = (
            "every step uses every sample (full batch)"
            if schedule is None
            else f"each step uses {schedule.size} of {schedule.samples} samples,"
            f" {schedule.batches_per_epoch} batches an epoch"
        )
        stride = state.document.timeline.stride
        kept = (
            "every step"
            if stride == 1
            else f"the last {RECENT:,} steps, and every {stride}th before"
        )
        self.note.setText(
            f"D: {batches}. Shown: {kept}. Click a step to see its network on the plot."
        )

    def scrub_to(self, step: float) -> None:
        """Show the stored step nearest ``step`` as a ghost on the function plot."""
        found = self.state.document.timeline.row_at(round(step))
        if found is None:
            return
        rows, index = found
        at = int(rows.steps[index])
        net = network_of(rows, index)
        self.scrubbed = at
        self.plot.show_ghost(net)
        self.view.set_cursor(at + 0.5)
        names = parameter_names(net.size)
        values = rows.weights[index]
        shown = ", ".join(
            f"{n} = {v:.3g}" for n, v in list(zip(names, values.tolist(), strict=True))[:6]
        )
        steps, losses = self.state.document.history.arrays()
        near = int(np.argmin(np.abs(steps - at))) if steps.size else None
        loss = f", loss {losses[near]:.4g}" if near is not None else ""
        text = f"step {at:,}{loss}: {shown}{' …' if len(names) > 6 else ''}"
        self.scrub.setText(text)
        self.scrub.show()
        self.live.setEnabled(True)
        QToolTip.showText(QCursor.pos(), text, self)

    def go_live(self) -> None:
        self.scrubbed = None
        self.plot.show_ghost(None)
        self.view.set_cursor(None)
        self.scrub.setText("")
        self.scrub.hide()
        self.live.setEnabled(False)
        if self._zoomed:
            self._zoomed = False
            self.refresh()

    def _csv(self, which: str) -> Callable[[str], None]:
        def write(path: str) -> None:
            live = live_row(self.state).rows
            header, rows = history_table(self.state.document.timeline, which, live)
            write_table(path, header, rows)

        return write

    def sized_image(self, size: FigureSize) -> QImage:
        """The lanes at an Export button's size (a slide's, or as shown)."""
        return self.image(size.options((self.view.width(), self.view.height())))

    def image(self, options: FigureOptions | None = None) -> QImage:
        """The lanes drawn offscreen at ``options``' size (None: the Export buttons'
        chosen size), with the panel's presentation scale: what the Export writes."""
        if options is None:
            return self.sized_image(ChosenSize.size)
        state = self.state
        document = state.document
        matrix = document.derived().trace.a if document.network.size else None
        samples = document.training_data()[0].size
        return timeline_image(
            document.timeline,
            live_row(state),
            document.session.seed,
            samples,
            matrix,
            options,
            self.scale,
        )

    def export_png(self, path: str, options: FigureOptions | None = None) -> None:
        """The timeline as a PNG of ``options``' size (see ``image``)."""
        atomic_write_bytes(path, png_bytes(self.image(options)))

    def set_scale(self, scale: float) -> None:
        """Presentation mode: the lanes' text and lines ``scale`` times their size."""
        self.scale = scale
        self.view.set_scale(scale)
        self._refresh_soon()
