"""--export-* options shared by fit, construct and render."""

from __future__ import annotations

import argparse
from collections.abc import Callable
from dataclasses import replace
from functools import partial
from typing import TYPE_CHECKING

from uat_explorer.cli.text_scale import add_text_scale, text_scale
from uat_explorer.core import InputError, Session
from uat_explorer.core.io.export_data import curves_table, write_parameters, write_table

if TYPE_CHECKING:  # imported where used: the figures need Qt, and not every command does
    from PIL import Image

    from uat_explorer.export.figures import FigureOptions


def add_export_options(parser: argparse.ArgumentParser, gif: str | None) -> None:
    group = parser.add_argument_group("exports (figures render offscreen, as in the window)")
    group.add_argument("--export-png", metavar="F", help="the function plot as PNG")
    group.add_argument("--export-svg", metavar="F", help="the function plot as SVG")
    group.add_argument(
        "--export-csv", metavar="F", help="x, target, output and each neuron's contribution"
    )
    group.add_argument("--export-params", metavar="F", help="the network's parameters as JSON")
    if gif:
        group.add_argument("--export-gif", metavar="F", help=gif)
        group.add_argument("--gif-frames", type=int, default=60, help="frames (60)")
        group.add_argument("--gif-fps", type=float, default=15.0, help="frames per second (15)")
    add_size_options(group)
    group.add_argument("--error-band", action="store_true", help="shade the error in figures")
    group.add_argument(
        "--no-neurons",
        action="store_true",
        help="leave each neuron's curve out of figures (with many, only their sum reads)",
    )


def add_size_options(group: argparse._ArgumentGroup) -> None:
    group.add_argument("--width", type=int, default=1000, help="figure width in pixels (1000)")
    group.add_argument("--height", type=int, default=620, help="figure height in pixels (620)")
    group.add_argument("--scale", type=float, default=1.0, help="pixel scale, e.g. 2 (1)")
    add_text_scale(group)


def add_figure_outputs(
    parser: argparse.ArgumentParser, csv: str, png: str, json: str, animation: str
) -> argparse._ArgumentGroup:
    """--export-csv, --export-png, --export-svg, --json, the figure's size and text scale:
    what every command that draws one figure offers. Returns the group of its animation,
    titled ``animation``, for the command's --export-gif and frame options."""
    parser.add_argument("--export-csv", metavar="F", help=csv)
    parser.add_argument("--export-png", metavar="F", help=png)
    parser.add_argument("--export-svg", metavar="F", help="the same as SVG")
    parser.add_argument("--json", action="store_true", help=json)
    add_size_options(parser.add_argument_group("figure size"))
    add_text_scale(parser)
    return parser.add_argument_group(animation)


def figure_options(args: argparse.Namespace) -> FigureOptions:
    from uat_explorer.export.figures import FigureOptions

    return FigureOptions(
        args.width,
        args.height,
        args.scale,
        components=not getattr(args, "no_neurons", False),
        band=getattr(args, "error_band", False),
        text_scale=text_scale(args),
    )


def check_exports(args: argparse.Namespace) -> None:
    """Every export setting, checked before any training or any file is written."""
    figures = args.export_png or args.export_svg or getattr(args, "export_gif", None)
    if figures or getattr(args, "backprop_png", None) or getattr(args, "backprop_svg", None):
        options = figure_options(args)
        if getattr(args, "export_gif", None):
            from uat_explorer.export.animation import check_animation

            check_animation(args.gif_frames, args.gif_fps, options)


def writing(path: str, write: Callable[[], None]) -> None:
    """Run a write; an OSError (no such folder, no permission, disk full) is bad input."""
    try:
        write()
    except OSError as error:
        raise InputError(f"cannot write {path}: {error.strerror or error}") from None


def write_file(written: dict[str, str], key: str, path: str, write: Callable[[], None]) -> None:
    """One output written, and noted under ``key`` in what the command reports it wrote."""
    writing(path, write)
    written[key] = path


def write_figure(
    written: dict[str, str],
    key: str,
    path: str,
    args: argparse.Namespace,
    draw: Callable[[FigureOptions], None],
) -> None:
    """A figure drawn offscreen by the app's own widgets, so the application comes first,
    then the size and text scale the command line chose: ``draw(options)`` writes it."""
    from uat_explorer.export.headless import ensure_application

    ensure_application()
    write_file(written, key, path, partial(draw, figure_options(args)))


def export_static(session: Session, args: argparse.Namespace) -> dict[str, str]:
    """Write every requested PNG, SVG, CSV and parameters file; report where."""
    written: dict[str, str] = {}
    if args.export_csv:
        header, rows = curves_table(session)
        write_file(
            written, "csv", args.export_csv, partial(write_table, args.export_csv, header, rows)
        )
    if args.export_params:
        path = args.export_params
        write_file(written, "params", path, partial(write_parameters, path, session.network))
    if args.export_png or args.export_svg:
        from uat_explorer.export.figures import function_figure, render, write_png, write_svg
        from uat_explorer.export.headless import ensure_application
        from uat_explorer.model.state import AppState

        options = figure_options(args)
        ensure_application()
        state = AppState(session.copy())
        if args.export_png:
            with function_figure(state, options) as plot:
                image = render(plot, options)
            writing(args.export_png, lambda: write_png(image, args.export_png))
            written["png"] = args.export_png
        if args.export_svg:
            with function_figure(state, replace(options, scale=1.0)) as plot:
                writing(args.export_svg, lambda: write_svg(plot, args.export_svg))
            written["svg"] = args.export_svg
    return written


def write_gif(images: list[Image.Image], args: argparse.Namespace) -> None:
    from uat_explorer.export.animation import write_gif as write

    writing(args.export_gif, lambda: write(images, args.export_gif, args.gif_fps))


def export_backprop(session: Session, args: argparse.Namespace, sample: int) -> dict[str, str]:
    """The backprop graph (PNG, SVG) and the gradient table (CSV) of one sample."""
    from uat_explorer.export.backprop import write_backprop, write_gradients
    from uat_explorer.export.headless import ensure_application
    from uat_explorer.model.state import AppState

    ensure_application()
    state = AppState(session.copy())
    written: dict[str, str] = {}
    options = figure_options(args)
    for key, path in (("backprop_png", args.backprop_png), ("backprop_svg", args.backprop_svg)):
        if path:
            chosen = replace(options, scale=1.0) if key == "backprop_svg" else options
            writing(path, partial(write_backprop, state, path, sample, args.scope, chosen))
            written[key] = path
    if args.gradients_csv:
        rate = session.optimizer.learning_rate
        path = args.gradients_csv
        write = partial(write_gradients, state, path, sample, args.scope, rate)
        write_file(written, "gradients_csv", path, write)
    return written


def export_figures(args: argparse.Namespace, draw: Callable[[str, bool], None]) -> dict[str, str]:
    """--export-png and --export-svg of a command's own figure: ``draw(path, svg)``."""
    written: dict[str, str] = {}
    for kind in ("png", "svg"):
        path = getattr(args, f"export_{kind}")
        if path:
            from uat_explorer.export.headless import ensure_application

            ensure_application()
            writing(path, partial(draw, path, kind == "svg"))
            written[kind] = path
    return written
