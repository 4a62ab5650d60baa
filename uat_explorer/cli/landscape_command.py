"""`uat-explorer landscape`: the loss over one or two parameters of a saved session."""

from __future__ import annotations

import argparse
import time

import numpy as np

from uat_explorer.cli.common import Commands, ProgressLine, print_json, refuse_if_too_long
from uat_explorer.cli.exports import add_figure_outputs, export_figures, figure_options, writing
from uat_explorer.core import InputError, Session
from uat_explorer.core.nn.parameters import parameter_value, parse_parameter
from uat_explorer.core.teaching.landscape import Landscape, check_grid, check_range, default_range


def add_parser(commands: Commands) -> None:
    land = commands.add_parser(
        "landscape", help="the training loss over one or two parameters (a grid or a slice)"
    )
    land.add_argument("--session", metavar="FILE", required=True, help="the session")
    land.add_argument(
        "--params",
        nargs="+",
        metavar="P",
        required=True,
        help="one or two parameters named like the cards: w1 b1 v1 … c",
    )
    land.add_argument("--grid", type=int, default=101, help="points per axis (101)")
    land.add_argument(
        "--range",
        type=float,
        nargs="+",
        metavar="X0 X1 [Y0 Y1]",
        help="the parameters' ranges (default: each value ± max(2, 2·|value|))",
    )
    add_figure_outputs(
        land,
        csv="p1,p2,loss per grid point (p1,loss)",
        png="the heat map (or curve) as PNG",
        json="print a JSON summary on stdout",
    )
    land.set_defaults(handler=run)


def _ranges(args: argparse.Namespace, values: list[float]) -> list[tuple[float, float]]:
    if args.range is None:
        return [default_range(v) for v in values]
    if len(args.range) != 2 * len(values):
        raise InputError(
            f"--range needs {2 * len(values)} numbers for {len(values)} parameter(s),"
            f" got {len(args.range)}"
        )
    pairs = zip(args.range[::2], args.range[1::2], strict=True)
    return [check_range(low, high) for low, high in pairs]


def _grid(landscape: Landscape, xs: np.ndarray, ys: np.ndarray) -> np.ndarray:
    """The grid band by band, with progress past a second; refused after its first band
    if the whole would take too long."""
    losses = np.empty((ys.size, xs.size))
    progress = ProgressLine()
    started = time.perf_counter()
    for rows, values in landscape.bands(xs, ys):
        losses[rows] = values
        if rows.start == 0:
            share = rows.stop / ys.size
            refuse_if_too_long(
                (time.perf_counter() - started) / share,
                f"a {xs.size} × {ys.size} grid over {landscape.x.size:,} samples",
                "use a smaller --grid, or fewer samples",
            )
        progress.update(f"landscape: row {rows.stop}/{ys.size}")
    progress.finish()
    return losses


def run(args: argparse.Namespace) -> int:
    names = args.params
    if len(names) > 2:
        raise InputError(f"--params takes one or two names, got {len(names)}")
    points = check_grid(args.grid)
    if args.export_png or args.export_svg:
        options = figure_options(args)
    session = Session.load(args.session)
    for name in names:
        parse_parameter(name, session.network.size)
    values = [parameter_value(session.network, name) for name in names]
    ranges = _ranges(args, values)
    x, t = session.training_data()
    landscape = Landscape(session.network, x, t, session.loss, names)
    xs = np.linspace(*ranges[0], points)
    ys = np.linspace(*ranges[1], points) if len(names) == 2 else None
    losses = landscape.curve(xs) if ys is None else _grid(landscape, xs, ys)
    if not np.isfinite(losses).all():
        raise InputError(
            "the loss is not finite over this range (the output overflows there):"
            " choose a narrower --range"
        )
    exported: dict[str, str] = {}
    if args.export_csv:
        from uat_explorer.export.landscape import write_landscape_csv

        writing(
            args.export_csv, lambda: write_landscape_csv(args.export_csv, names, xs, ys, losses)
        )
        exported["csv"] = args.export_csv
    here = float(landscape.curve([values[0]])[0])
    point = (values[0], values[1] if ys is not None else here)
    if args.export_png or args.export_svg:
        from uat_explorer.export.landscape import write_landscape_figure

        exported |= export_figures(
            args,
            lambda path, svg: write_landscape_figure(
                path, names, xs, ys, losses, point, options, svg=svg
            ),
        )
    at = np.unravel_index(int(np.nanargmin(losses)), losses.shape)
    lowest = {names[0]: float(xs[at[-1]])} | (
        {names[1]: float(ys[at[0]])} if ys is not None else {}
    )
    result = {
        "params": names,
        "values": values,
        "ranges": [list(r) for r in ranges],
        "grid": points,
        "lowest_loss": float(np.nanmin(losses)),
        "lowest_at": lowest,
        "exported": exported,
    }
    if args.json:
        print_json(result)
    else:
        where = ", ".join(f"{k} = {v:.4g}" for k, v in lowest.items())
        print(f"landscape   loss over {' and '.join(names)} ({points} points per axis)")
        print(f"lowest      {result['lowest_loss']:.4g} at {where}")
        for kind, path in exported.items():
            print(f"wrote       {path} ({kind})")
    return 0
