"""A class session's figure as PNG or SVG, drawn offscreen at any size."""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path

from uat_explorer.core.io.class_session import ClassSession
from uat_explorer.export.figures import FigureOptions, _laid_out, render, write_png, write_svg
from uat_explorer.plots.classes.class_plot import ClassPlot


@contextlib.contextmanager
def class_figure(session: ClassSession, options: FigureOptions) -> Iterator[ClassPlot]:
    """The class plot of ``session`` laid out offscreen at the figure's size."""
    plot = ClassPlot(line_scale=options.scale * options.text_scale)
    plot.set_scale(options.text_scale, options.scale)
    with _laid_out(plot, options):
        plot.show_fit(session.network, session.target, session.domain)
        yield plot


def write_class_png(session: ClassSession, path: str | Path, options: FigureOptions) -> None:
    with class_figure(session, options) as plot:
        image = render(plot, options)
    write_png(image, path)


def write_class_svg(session: ClassSession, path: str | Path, options: FigureOptions) -> None:
    with class_figure(session, replace(options, scale=1.0)) as plot:
        write_svg(plot, path)
