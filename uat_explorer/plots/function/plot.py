"""The main plot: target, network output and each neuron's contribution, with overlays
(samples, the probed sample, the batch, a ghost of the past, the error signal, the error
band, a drawn stroke), each one class of its own.

Items are made once and updated with ``setData``. Each neuron's contribution is cached
as one row, so turning a dial recomputes one row and a sum, not the whole network.
Contributions are drawn on a coarser grid than the output: painting, not arithmetic,
is what limits the frame rate with many curves.
"""

from __future__ import annotations

import math
from collections.abc import Callable

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QPen
from PySide6.QtWidgets import QGraphicsItem, QGraphicsView, QWidget

from uat_explorer.core.nn.network import Network
from uat_explorer.core.targets.target import DataTarget
from uat_explorer.model.view import ModelView
from uat_explorer.plots.cached_text import CachedSample
from uat_explorer.plots.function.band import BandOverlay
from uat_explorer.plots.function.batch import BatchOverlay
from uat_explorer.plots.function.error_signal import ErrorSignalOverlay
from uat_explorer.plots.function.ghost import GhostOverlay
from uat_explorer.plots.function.held_out import HeldOutOverlay
from uat_explorer.plots.function.neurons import NeuronCurves
from uat_explorer.plots.function.overlay import Overlay
from uat_explorer.plots.function.probe import ProbeOverlay
from uat_explorer.plots.function.samples import SamplesOverlay
from uat_explorer.plots.function.stroke import DrawingViewBox, StrokeOverlay
from uat_explorer.plots.lines.grid import grid_under_curves
from uat_explorer.plots.lines.view_bounds import ViewBounds
from uat_explorer.plots.lines.wide import SweptCurve
from uat_explorer.plots.theme import PlotColors, ThemedPlot, neuron_color, plot_colors, style_plot
from uat_explorer.qt import connect

OUTPUT_POINTS = 1001
COMPONENT_STRIDE = 5
"""Neuron curves use every 5th output point (201, both ends included): one forward pass
serves both, and painting, the real cost, scales with points drawn."""


class OutputCurve(ViewBounds, SweptCurve):
    """The network's output: new every frame, across the view, its bounds the view's."""


class _GroupLegendProxy(pg.PlotDataItem):
    """Stands for all neuron curves in the legend; clicking it shows or hides them all."""

    def __init__(self, toggle: Callable[[bool], None]) -> None:
        self._toggle: Callable[[bool], None] | None = None
        super().__init__()
        self._toggle = toggle

    def setVisible(self, visible: bool) -> None:
        super().setVisible(visible)
        if self._toggle is not None:
            self._toggle(visible)


class FunctionPlot(ThemedPlot):
    neuronClicked = Signal(int)
    sampleClicked = Signal(int)  # a training sample's index
    componentsShown = Signal(bool)

    def __init__(
        self, state: ModelView, parent: QWidget | None = None, line_scale: float = 1.0
    ) -> None:
        self.line_scale = line_scale  # exports at 2× scale draw lines 2× as wide
        self.components_visible = True
        self._components_stale = False
        self._curves_before_rebuild: bool | None = None  # shown before a live rebuild
        self._styled_muted: tuple[bool, ...] | None = None
        self.follow_output = True
        self.hovered: int | None = None
        self._output_drawn = -1  # the document revision the output curve shows
        self.view_box = DrawingViewBox()
        super().__init__(parent, viewBox=self.view_box)
        self.setObjectName("functionPlot")
        # One clip rectangle per repaint. pyqtgraph's default (minimal updates) clips to a
        # region of many rectangles, and stroking 128 curves against it took 36 ms a dial
        # turn instead of 13 (measured).
        self.setViewportUpdateMode(QGraphicsView.ViewportUpdateMode.BoundingRectViewportUpdate)
        self.state = state
        self.setMinimumSize(320, 240)
        grid_under_curves(self.getPlotItem(), 0.15)
        for name in ("left", "bottom"):
            self.getAxis(name).setStyle(maxTickLevel=1)  # no sub-minor grid: tidier, faster
            self.getAxis(name).enableAutoSIPrefix(False)  # 0.5, not 500 × 0.001
        self.setLabel("bottom", "x")
        self.setLabel("left", "y")
        self.legend = self.addLegend(offset=(10, 10), sampleType=CachedSample)
        self.target_item = self.plot(name="target")
        # The output is new every frame: a bare curve, not a PlotDataItem, whose setData
        # re-styles its curve and scatter and checks its data each time (~0.3 ms a frame
        # of a window training with every panel, ~60 µs bare; measured in the run).
        self.output_item = OutputCurve(name="network output")
        self.addItem(self.output_item)
        self.output_item.setZValue(10)
        self.target_item.setZValue(8)
        # The target, axes and grid stay still while a dial turns: painting them from a
        # pixmap saves ~2 ms of the ~12 ms frame (measured with 32 neurons).
        cached = QGraphicsItem.CacheMode.DeviceCoordinateCache
        self.target_item.curve.setCacheMode(cached)
        for name in ("left", "bottom"):
            self.getAxis(name).setCacheMode(cached)
        self.neurons = NeuronCurves()
        self.neurons.clicked.connect(
            lambda index: self.neuronClicked.emit(self.state.document.ids[index])
        )
        self.addItem(self.neurons, ignoreBounds=True)  # _fit_y holds the curves shown
        self.neurons.setZValue(1)
        self._legend_proxy = _GroupLegendProxy(self.set_components_visible)
        self.legend.addItem(self._legend_proxy, "neurons (one colour each)")
        self.colors: PlotColors = plot_colors(self.palette())
        self.themed = True
        self.x_fine = self.x_coarse = np.zeros(0)
        self._grids = 0  # how many grids x_fine has had
        self._built_for: tuple[int, int] | None = None  # (revision, grid) of the rows
        self.parts_fine: np.ndarray = np.zeros((0, 0), np.float32)  # drawn: float32
        self.samples = SamplesOverlay(self, state, self.sampleClicked)
        self.held_out = HeldOutOverlay(self, state)
        self.probe = ProbeOverlay(self, state)
        self.batch = BatchOverlay(self, state)
        self.ghost = GhostOverlay(self, state)
        self.error_signal = ErrorSignalOverlay(self, state)
        self.band = BandOverlay(self, state, self.output_item, self.target_item)
        self.stroke = StrokeOverlay(self, state, self.view_box)
        self.overlays: list[Overlay] = [
            self.samples,
            self.held_out,
            self.probe,
            self.batch,
            self.ghost,
            self.error_signal,
            self.band,
            self.stroke,
        ]
        self.view_box.sigRangeChangedManually.connect(self._user_moved_view)
        self.view_box.disableAutoRange()
        document = state.document
        for signal, slot in (
            (document.structureChanged, self.rebuild_components),
            (document.neuronChanged, self.update_neuron),
            (document.weightsChanged, self.refresh_network),
            (document.outputBiasChanged, self._output_bias_changed),
            (document.targetChanged, self.refresh_target),
        ):
            signal.connect(slot)
        connect(self.restyle_components, state.view.selectionChanged, state.view.soloChanged)
        state.view.liveRebuildChanged.connect(self._live_rebuild)
        self.apply_theme()
        self.refresh_target()

    # -- data -----------------------------------------------------------------------------
    def refresh_target(self) -> None:
        """New target or domain: new grids, every curve recomputed, the view refitted."""
        low, high = self.state.document.domain
        self.x_fine = np.linspace(low, high, OUTPUT_POINTS)
        self._grids += 1  # the rows must be recomputed on it
        self.x_coarse = self.x_fine[::COMPONENT_STRIDE]
        target = self.state.document.target
        if isinstance(target, DataTarget):
            inside = (target.x >= low) & (target.x <= high)
            self.target_item.setData(target.x[inside], target.y[inside])
        else:
            self.target_item.setData(self.x_fine, target(self.x_fine))
        if self.band.visible:
            self.band.refresh()
        self.rebuild_components()
        self.fit_view()

    def fit_view(self) -> None:
        """Show the whole domain and both curves, and follow the output again."""
        self.follow_output = True
        self.setXRange(*self.state.document.domain, padding=0.02)
        self._fit_y(expand_only=False)

    def _fit_y(self, expand_only: bool) -> None:
        """Fit y to the target and the output. With ``expand_only`` the range grows when
        the output leaves it and never shrinks, so the axes stay still while a dial turns
        (and a steady range spares regenerating axes and grid every frame)."""
        curves = [
            self.output_item.yData,
            self.target_item.yData,
            self._shown_components(),
            self._noisy_samples(),
        ]
        bounds = [_finite_bounds(c) for c in curves if c is not None and c.size]
        found = [b for b in bounds if b is not None]
        if not found:
            return
        low, high = min(b[0] for b in found), max(b[1] for b in found)
        if expand_only:
            view_low, view_high = self.view_box.viewRange()[1]
            if view_low <= low and high <= view_high:
                return
            low, high = min(low, view_low), max(high, view_high)
        pad = 0.08 * max(high - low, 1e-9)
        self.view_box.setYRange(low - pad, high + pad, padding=0)

    def _noisy_samples(self) -> np.ndarray | None:
        """With noise or held-out points the samples are drawn: the range holds them."""
        samples = self.state.document.sample_set()
        return samples.t if samples.altered else None

    def _shown_components(self) -> np.ndarray | None:
        """The neuron curves on screen (not hidden, muted or out of solo), as drawn
        (every COMPONENT_STRIDE-th point): the range holds them too."""
        if not self.components_visible or self.parts_fine.size == 0:
            return None
        network, solo = self.state.document.network, self.state.view.solo
        if solo is None and not network.muted.any():
            return self.parts_fine[:, ::COMPONENT_STRIDE]  # a view: nothing copied
        ids = self.state.document.ids
        rows = [i for i, nid in enumerate(ids) if not network.muted[i] and solo in (None, nid)]
        return self.parts_fine[rows, ::COMPONENT_STRIDE] if rows else None

    def rebuild_components(self) -> None:
        """A new structure: every row recomputed and restyled; once for a new session,
        whose target and structure change in one revision (twice cost ~8 ms at 256)."""
        built_for = (self.state.document.revision, self._grids)
        if built_for == self._built_for:
            return
        self._built_for = built_for
        self._styled_muted = None  # refresh_network restyles every curve, once
        self.refresh_network()

    def refresh_network(self) -> None:
        network = self.state.document.network
        self.parts_fine = network.drawn(self.x_fine)[1]  # float32: see drawn
        self._components_stale = True
        self._draw_components()
        muted = tuple(network.muted)
        if muted != self._styled_muted:  # styles change with mutes, not with every frame
            self.restyle_components()
        self.update_output()

    def _draw_components(self) -> None:
        """Hidden neuron curves are not fed: they catch up when shown again."""
        if not (self.components_visible and self._components_stale):
            return
        self.neurons.set_rows(self.x_coarse, self.parts_fine[:, ::COMPONENT_STRIDE])
        self._components_stale = False

    def update_neuron(self, index: int) -> None:
        network = self.state.document.network
        self.parts_fine[index] = network.contribution(index, self.x_fine)
        if self.components_visible:
            self.neurons.set_row(index, self.parts_fine[index, ::COMPONENT_STRIDE])
            self._style_component(index)
        else:
            self._components_stale = True
        self.update_output()

    def _output_bias_changed(self) -> None:
        """c moved the output. New weights (every training frame) or neurons say so too,
        after the output was drawn for them: drawing it twice cost ~0.6 ms a frame."""
        if self._output_drawn != self.state.document.revision:
            self.update_output()

    def update_output(self) -> None:
        self._output_drawn = self.state.document.revision
        self.output_item.setData(
            self.x_fine, self.state.document.network.c + self.parts_fine.sum(axis=0)
        )
        self.band.follow_output()
        if self.follow_output:
            self._fit_y(expand_only=True)

    # -- appearance -------------------------------------------------------------------------
    def _style_component(self, index: int) -> None:
        neuron_id = self.state.document.ids[index]
        muted = bool(self.state.document.network.muted[index])
        solo = self.state.view.solo
        emphasised = neuron_id in (self.hovered, self.state.view.selected)
        pen = QPen(neuron_color(neuron_id, self.colors.background))
        pen.setCosmetic(True)
        # 1 px: Qt's raster engine has a fast path for one-pixel lines; at 1.6 px the
        # general stroker made a training frame with 32 neurons ~50 % slower (measured).
        pen.setWidthF((3.5 if emphasised else 1.0) * self.line_scale)
        self.neurons.set_style(index, pen, not muted and solo in (None, neuron_id), emphasised)

    def restyle_components(self) -> None:
        self.neurons.setVisible(self.components_visible)
        self._styled_muted = tuple(self.state.document.network.muted)
        if self.components_visible:  # hidden: restyled when shown again
            for index in range(len(self.state.document.ids)):
                self._style_component(index)

    def _user_moved_view(self, *_args: object) -> None:
        self.follow_output = False  # the person chose a view; "Fit plot" gives it back

    def highlight(self, neuron_id: int, on: bool) -> None:
        self.hovered = neuron_id if on else None
        index = self.state.document.index_of(neuron_id)
        if index is not None and self.components_visible:
            self._style_component(index)

    def set_components_visible(self, visible: bool) -> None:
        if visible != self.components_visible:
            self.components_visible = visible
            self._draw_components()
            self.restyle_components()
            self.componentsShown.emit(visible)

    def _live_rebuild(self, on: bool) -> None:
        """During a live rebuild only the output follows; the neuron curves (up to 256)
        come back at the end."""
        if on:
            self._curves_before_rebuild = self.components_visible
            self.set_components_visible(False)
        elif self._curves_before_rebuild is not None:
            self.set_components_visible(self._curves_before_rebuild)
            self._curves_before_rebuild = None

    def show_ghost(self, network: Network | None) -> None:
        """A past network's output, dotted, on the output's grid (None: hide it)."""
        self.ghost.show(network, self.x_fine)

    def apply_theme(self) -> None:
        colors = self.colors = plot_colors(self.palette())
        style_plot(self, colors)
        if self.neurons.y.size:
            self.restyle_components()  # neuron shades suit the background
        scale = self.line_scale
        dash = Qt.PenStyle.DashLine
        self.target_item.setPen(pg.mkPen(colors.target, width=2.2 * scale, style=dash))
        self.output_item.setPen(pg.mkPen(colors.output, width=3.5 * scale))
        for overlay in self.overlays:
            overlay.apply_theme(colors, scale)
        self._legend_proxy.setPen(pg.mkPen(colors.foreground, width=1.6 * scale))
        for sample, _label in self.legend.items:
            sample.update()  # painted from pixmaps: the new pens show once redrawn


def _finite_bounds(values: np.ndarray) -> tuple[float, float] | None:
    """(min, max) of the finite values, None if there are none (a diverged curve)."""
    low, high = float(values.min()), float(values.max())
    if math.isfinite(low) and math.isfinite(high):
        return low, high
    finite = values[np.isfinite(values)]
    return (float(finite.min()), float(finite.max())) if finite.size else None
