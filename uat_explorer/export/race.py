"""The race's loss curves as a figure, drawn offscreen like every other figure."""

from __future__ import annotations

from pathlib import Path

from uat_explorer.core.teaching.race import RaceRun
from uat_explorer.export.figures import FigureOptions, _laid_out, render, write_png, write_svg
from uat_explorer.plots.race_plot import RaceLossPlot


def write_race_figure(
    path: str | Path,
    runs: list[RaceRun],
    options: FigureOptions,
    svg: bool = False,
    text_scale: float = 1.0,
) -> None:
    """The loss curves, text and lines ``text_scale`` times their size."""
    plot = RaceLossPlot(line_scale=options.scale)
    with _laid_out(plot, options):
        plot.set_scale(text_scale, options.scale)
        plot.show_runs(runs)
        plot.grab()  # one paint sizes the axes to their labels
        if svg:
            write_svg(plot, path)
        else:
            write_png(render(plot, options), path)
