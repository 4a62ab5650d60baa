"""The landscape as a figure (PNG, SVG) and as a table (CSV), for the window and the CLI."""

from __future__ import annotations

from pathlib import Path

import numpy as np

from uat_explorer.core.io.export_data import write_table
from uat_explorer.export.figures import FigureOptions, _laid_out, render, write_png, write_svg
from uat_explorer.plots.landscape_plot import LandscapePlot


def landscape_rows(
    names: list[str], xs: np.ndarray, ys: np.ndarray | None, losses: np.ndarray
) -> tuple[list[str], list[tuple[float, ...]]]:
    """p1,p2,loss (one row per grid point) or p1,loss for a slice."""
    if ys is None:
        return [names[0], "loss"], list(zip(xs.tolist(), losses.tolist(), strict=True))
    across, up = np.meshgrid(xs, ys)
    columns = (across.ravel().tolist(), up.ravel().tolist(), losses.ravel().tolist())
    return [names[0], names[1], "loss"], list(zip(*columns, strict=True))


def write_landscape_csv(
    path: str | Path,
    names: list[str],
    xs: np.ndarray,
    ys: np.ndarray | None,
    losses: np.ndarray,
) -> None:
    header, rows = landscape_rows(names, xs, ys, losses)
    write_table(path, header, rows)


def write_landscape_figure(
    path: str | Path,
    names: list[str],
    xs: np.ndarray,
    ys: np.ndarray | None,
    losses: np.ndarray,
    point: tuple[float, float],
    options: FigureOptions,
    svg: bool = False,
    text_scale: float = 1.0,
) -> None:
    """The heat map (or curve) with the current point, drawn offscreen; text and lines
    ``text_scale`` times their size."""
    plot = LandscapePlot(line_scale=options.scale * text_scale)
    with _laid_out(plot, options):
        plot.set_scale(text_scale, options.scale)
        plot.set_mode(1 if ys is None else 2, names)
        if ys is None:
            plot.show_curve(xs, losses)
        else:
            plot.show_surface(xs, ys, losses)
        plot.autoRange(padding=0)
        plot.set_point(point, point)
        plot.grab()  # one paint sizes the axes to their labels
        if svg:
            write_svg(plot, path)
        else:
            write_png(render(plot, options), path)
