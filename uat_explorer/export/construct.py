"""The construction's error against N (construct --sweep's figure), drawn offscreen with
the Construct panel's own plot."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtWidgets import QApplication

from uat_explorer.core.teaching.construct import SweepPoint
from uat_explorer.export.figures import FigureOptions, _laid_out, render, write_png
from uat_explorer.plots.error_plot import ErrorVsNeuronsPlot


def write_sweep_figure(
    points: list[SweepPoint], path: str | Path, options: FigureOptions, text_scale: float = 1.0
) -> None:
    """max |error| and RMSE against N as a PNG, text and lines ``text_scale`` times."""
    plot = ErrorVsNeuronsPlot(line_scale=options.scale)
    with _laid_out(plot, options):
        plot.set_scale(text_scale, options.scale)
        plot.show_sweep(points)
        plot.grab()  # one paint sizes the axes to their labels (0.001 is wider than 0.5)
        QApplication.processEvents()
        plot.fit_view()  # the legend's band for the laid-out height
        image = render(plot, options)
    write_png(image, path)
