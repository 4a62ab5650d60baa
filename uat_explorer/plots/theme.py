"""Colours that stay readable on the system's light or dark palette."""

from __future__ import annotations

from dataclasses import dataclass

import pyqtgraph as pg
from PySide6.QtCore import QEvent
from PySide6.QtGui import QColor, QPalette

# Tableau 10 without its blue, which is the output's colour.
_NEURON_HEX = [
    "#f28e2b",
    "#e15759",
    "#59a14f",
    "#b07aa1",
    "#76b7b2",
    "#edc948",
    "#ff9da7",
    "#9c755f",
    "#bcbd22",
    "#bab0ac",
]


def neuron_color(neuron_id: int) -> QColor:
    """A neuron keeps its colour for life: the colour follows its id, not its position."""
    return QColor(_NEURON_HEX[neuron_id % len(_NEURON_HEX)])


@dataclass(frozen=True)
class PlotColors:
    background: QColor
    foreground: QColor
    target: QColor
    output: QColor
    error: QColor
    stroke: QColor


def plot_colors(palette: QPalette) -> PlotColors:
    base = palette.color(QPalette.ColorRole.Base)
    text = palette.color(QPalette.ColorRole.Text)
    dark = base.lightness() < 128
    return PlotColors(
        background=base,
        foreground=text,
        target=QColor("#d0d0d0" if dark else "#303030"),
        output=QColor("#6fa8ff" if dark else "#1f57b4"),
        error=QColor(255, 80, 80, 70 if dark else 55),
        stroke=QColor("#ffd54f" if dark else "#c2185b"),
    )


def style_plot(plot: pg.PlotWidget, colors: PlotColors) -> None:
    """Background, axes and legend text in the palette's colours."""
    plot.setBackground(colors.background)
    for name in ("left", "bottom"):
        axis = plot.getAxis(name)
        axis.setPen(colors.foreground)
        axis.setTextPen(colors.foreground)
    legend = plot.getPlotItem().legend
    if legend is not None:
        legend.setLabelTextColor(colors.foreground)
        for _sample, label in legend.items:
            label.setText(label.text)  # setLabelTextColor alone does not re-render


class ThemedPlot(pg.PlotWidget):
    """A plot that restyles itself when the system palette changes (light ↔ dark)."""

    def apply_theme(self) -> None:
        style_plot(self, plot_colors(self.palette()))

    def changeEvent(self, event: QEvent) -> None:
        palette_events = (QEvent.Type.PaletteChange, QEvent.Type.ApplicationPaletteChange)
        if event.type() in palette_events and getattr(self, "themed", False):
            self.apply_theme()
        super().changeEvent(event)
