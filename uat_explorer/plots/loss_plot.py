"""The loss over the whole run, on a log scale: is it still falling?"""

from __future__ import annotations

import math

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QGraphicsItem, QGraphicsView, QWidget

from uat_explorer.core.nn.losses import loss_by_name
from uat_explorer.model.view import ModelView
from uat_explorer.plots.in_view import hidden_in_window
from uat_explorer.plots.lines.grid import grid_under_curves
from uat_explorer.plots.lines.thinning import peak_thinned
from uat_explorer.plots.log_axis import DecadeAxis, GrowingRange
from uat_explorer.plots.test_loss import TestLossSeries
from uat_explorer.plots.theme import ThemedPlot, plot_colors, style_plot
from uat_explorer.qt import throttled

SMALLEST = 1e-300
"""Losses are clipped here for the log axis: a perfect fit has loss 0."""
LARGEST = 1e300
"""And here: the last finite loss of a diverged run can be near the float limit."""


class LossPlot(ThemedPlot):
    def __init__(
        self, state: ModelView, parent: QWidget | None = None, line_scale: float = 1.0
    ) -> None:
        self.line_scale = line_scale
        super().__init__(parent, axisItems={"left": DecadeAxis("left")})
        self.setObjectName("lossPlot")
        self.setViewportUpdateMode(QGraphicsView.ViewportUpdateMode.BoundingRectViewportUpdate)
        self.state = state
        self.setMinimumHeight(120)
        self.setLogMode(x=False, y=True)
        grid_under_curves(self.getPlotItem(), 0.15)
        self.setLabel("bottom", "step")
        self.setLabel("left", "loss")
        for name in ("bottom", "left"):
            axis = self.getAxis(name)
            axis.enableAutoSIPrefix(False)  # log ticks, not "(x1e+27)"
            # A log grid is many lines; replaying them took ~7 ms of an ~11 ms paint.
            # The range moves in jumps, so the axes can paint from a pixmap.
            axis.setStyle(maxTickLevel=1)
            axis.setCacheMode(QGraphicsItem.CacheMode.DeviceCoordinateCache)
        self.curve = self.plot(name="loss", antialias=False)
        # Thousands of jagged points: a min/max envelope is drawn instead (it keeps every
        # spike: _draw_curve), without antialiasing. Measured: 25 ms a paint -> bench_gui.
        # Mini-batches: each step's loss is one batch's (noisy); the full-batch loss at
        # each epoch's end is the smooth truth underneath.
        self.epoch_curve = self.plot(name="loss per epoch (all samples)", symbol="o", symbolSize=5)
        self.show_steps = self.show_epochs = True
        # A run that blew up stays in view (its weights were rolled back): the learner
        # must see the loss explode to learn what too big a learning rate does.
        self.diverged_curve = self.plot(name="diverged run", antialias=False)
        self.test_series = TestLossSeries(self, state)
        self.restored_mark = pg.ScatterPlotItem(size=11, symbol="o")
        self.restored_mark.setZValue(5)
        self.addItem(self.restored_mark)
        self.restored_label = pg.TextItem("weights restored here", anchor=(0, 1.2))
        self.addItem(self.restored_label, ignoreBounds=True)
        self.threshold = pg.InfiniteLine(angle=0, movable=False)
        self.threshold.setZValue(-1)
        self.addItem(self.threshold)
        self.hint = pg.TextItem("Press Train (Space) and watch the loss fall", anchor=(0.5, 0.5))
        self.addItem(self.hint, ignoreBounds=True)
        self.legend = self.addLegend(offset=(-8, 8))
        self._legend_key: tuple[str, ...] | None = None
        self.in_epochs = state.view.loss_in_epochs  # x in passes over the data, not steps
        self.setToolTip(
            "The training loss at every step (log scale). The dashed line is the"
            " stop threshold, when one is set."
        )
        self.view_box = self.getViewBox()
        self.view_box.disableAutoRange()
        self.view_box.sigRangeChangedManually.connect(self._user_moved_view)
        self.view_box.sigResized.connect(self._draw_curve)  # more columns, more points
        self._series = (np.zeros(0), np.zeros(0))  # (x, loss) of every step kept
        self.follow, self.growth = True, GrowingRange()
        # 10 Hz is plenty for a loss curve, and none while out of view (a tab behind
        # another): the window refreshes a panel as it comes into view.
        self._throttled = throttled(self._refresh_in_view, 100, self)
        state.document.stepChanged.connect(self._throttled)
        state.document.settingsChanged.connect(self.show_threshold)
        state.document.settingsChanged.connect(self._throttled)  # the loss's name, epochs
        state.view.lossAxisChanged.connect(self._axis_changed)
        self.themed = True
        self.apply_theme()
        self.refresh()
        self.show_threshold()

    def came_into_view(self) -> None:
        """Its dock shown, or its tab brought to the front (the registry calls this)."""
        self.refresh()

    def _refresh_in_view(self) -> None:
        if not hidden_in_window(self):
            self.refresh()

    def set_series(self, steps: bool, epochs: bool) -> None:
        """Which curves show: the loss of every step, the loss at each epoch's end."""
        self.show_steps, self.show_epochs = steps, epochs
        self.curve.setVisible(steps)
        self.refresh()

    def _axis_changed(self) -> None:
        """The x axis in epochs (passes over the training data) or in steps."""
        self.in_epochs = self.state.view.loss_in_epochs
        self.follow, self.growth = True, GrowingRange(1.0 if self.in_epochs else 10.0)
        self.refresh()

    def _x(self, steps: np.ndarray) -> np.ndarray:
        """Steps on the x axis, or the epochs they complete (a full batch: one a step)."""
        if not self.in_epochs:
            return steps
        schedule = self.state.document.batch_schedule()
        return steps / schedule.batches_per_epoch if schedule is not None else steps

    def refresh(self) -> None:
        document = self.state.document
        data_term = ", data term" if document.penalty.active else ""  # not λ/2·‖θ‖²
        self._label("bottom", "epoch" if self.in_epochs else "step")
        self._label("left", f"training loss ({loss_by_name(document.loss).short}{data_term})")
        epoch_steps, epoch_losses = document.epoch_history.arrays()
        shown = self.show_epochs and epoch_steps.size > 0
        self.epoch_curve.setVisible(shown)
        self.epoch_curve.setData(
            self._x(epoch_steps) if shown else [],
            np.clip(epoch_losses, SMALLEST, LARGEST) if shown else [],
        )
        kept_steps, kept_losses = document.history.arrays()
        self._show_diverged_run()
        run = document.diverged_run
        steps, losses = kept_steps, kept_losses
        if run is not None:  # the view spans the run that blew up too
            steps = np.concatenate([steps, run.steps])
            losses = np.concatenate([losses, run.losses])
        losses = np.concatenate([losses, self.test_series.refresh(self._x)])
        self.hint.setVisible(steps.size == 0)
        self._show_legend(kept_steps.size > 0, shown, run is not None and run.steps.size > 0)
        if steps.size == 0:
            self._series = (np.zeros(0), np.zeros(0))
            self.curve.setData([], [])
            self.hint.setPos(50, -1.5)
            self.follow = True
            self.growth.reset()
            self.setRange(xRange=(0, 100), yRange=(-3, 0), padding=0)
            return
        self._series = (self._x(kept_steps), np.clip(kept_losses, SMALLEST, LARGEST))
        if self.follow:
            end = float(self._x(np.array([steps.max()]))[0])
            self._keep_in_view(end, np.clip(losses, SMALLEST, LARGEST))
        self._draw_curve()

    def _draw_curve(self, *_args: object) -> None:
        """The loss of every step, thinned to what the plot shows of the x range in view
        (again whenever the view moves)."""
        pixels = round(self.view_box.width())
        self.curve.setData(*peak_thinned(*self._series, self.view_box.viewRange()[0], pixels))

    def _label(self, side: str, text: str) -> None:
        """A new label only: setting one repaints the axis from scratch, ticks and all
        (~4 ms of a ~8 ms frame, measured), where the axis otherwise paints from its
        cached pixmap."""
        if self.getAxis(side).labelText != text:
            self.setLabel(side, text)

    def _show_legend(self, steps: bool, epochs: bool, diverged: bool) -> None:
        """An entry for each series drawn, none before there is one."""
        entries = [
            (self.curve, "loss at each step" if epochs else "training loss", steps),
            (self.epoch_curve, "loss per epoch (all samples)", epochs),
            (self.diverged_curve, "diverged run (rolled back)", diverged),
            (self.test_series.curve, self.test_series.curve.name(), self.test_series.shown),
        ]
        shown = [(item, name) for item, name, on in entries if on and item.isVisible()]
        key = tuple(name for _item, name in shown)
        if key == self._legend_key:
            return
        self._legend_key = key
        self.legend.clear()
        for item, name in shown:
            self.legend.addItem(item, name)
        self.legend.setVisible(bool(shown))
        style_plot(self, plot_colors(self.palette()))

    def end_at_data(self) -> None:
        """The x axis from 0 to the last step drawn (a figure's range, not the live one's
        room to grow)."""
        steps, _ = self.state.document.history.arrays()
        run = self.state.document.diverged_run
        ends = [float(steps.max())] if steps.size else []
        if run is not None and run.steps.size:
            ends.append(float(run.steps.max()))
        if ends and max(ends) > 0:
            self.setXRange(0, float(self._x(np.array([max(ends)]))[0]), padding=0.01)
            self._draw_curve()

    def _show_diverged_run(self) -> None:
        run = self.state.document.diverged_run
        shown = run is not None and run.steps.size > 0
        for item in (self.diverged_curve, self.restored_mark, self.restored_label):
            item.setVisible(shown)
        if run is None or not shown:
            self.diverged_curve.setData([], [])
            self.restored_mark.setData([], [])
            return
        losses = np.clip(run.losses, SMALLEST, LARGEST)
        self.diverged_curve.setData(self._x(run.steps), losses)
        restored = float(losses[np.argmin(np.abs(run.steps - run.restored_step))])
        at = float(self._x(np.array([run.restored_step]))[0])
        self.restored_mark.setData([at], [math.log10(restored)])
        self.restored_label.setPos(at, math.log10(restored))

    def _keep_in_view(self, last_step: float, losses: np.ndarray) -> None:
        """Grow the range in jumps (``GrowingRange``)."""
        if self.growth.grow(last_step, np.log10(losses.min()), np.log10(losses.max())):
            assert self.growth.decades is not None
            self.view_box.setRange(
                xRange=(0, self.growth.x_end), yRange=self.growth.decades, padding=0.02
            )

    def _user_moved_view(self, *_args: object) -> None:
        self.follow = False  # until the history starts again
        self._draw_curve()

    def show_threshold(self) -> None:
        level = self.state.document.stop.loss_below
        self.threshold.setVisible(level is not None and level > 0)
        if level:
            self.threshold.setValue(math.log10(level))  # the axis holds log10(loss)

    def apply_theme(self) -> None:
        colors = plot_colors(self.palette())
        style_plot(self, colors)
        scale = self.line_scale
        self.curve.setPen(pg.mkPen(colors.output, width=2 * scale))
        self.epoch_curve.setPen(pg.mkPen(colors.foreground, width=1.5 * scale))
        self.epoch_curve.setSymbolBrush(pg.mkBrush(colors.data))
        self.epoch_curve.setSymbolPen(pg.mkPen(colors.foreground, width=0.8 * scale))
        dash = Qt.PenStyle.DashLine
        self.threshold.setPen(pg.mkPen(colors.target, width=1.2 * scale, style=dash))
        self.diverged_curve.setPen(pg.mkPen(colors.diverged, width=2 * scale, style=dash))
        self.restored_mark.setPen(pg.mkPen(colors.diverged, width=2 * scale))
        self.restored_mark.setBrush(pg.mkBrush(colors.background))
        self.restored_label.setColor(colors.diverged)
        self.hint.setColor(colors.foreground)
        self.test_series.apply_theme(colors, scale)
