"""`uat-explorer landscape`: the loss over one or two parameters of a saved session."""

from __future__ import annotations

import argparse
import time
from functools import partial

import numpy as np

from uat_explorer.cli import common, exports
from uat_explorer.cli.text_scale import text_scale
from uat_explorer.core import InputError, Session
from uat_explorer.core.nn.parameters import parameter_value, parse_parameter
from uat_explorer.core.teaching.landscape import Landscape, check_grid, check_range, default_range

DEFAULT_GRID = 101


def add_parser(commands: common.Commands) -> None:
    land = common.session_command(
        commands, "landscape", "the training loss over one or two parameters (a grid or a slice)"
    )
    land.add_argument(
        "--params",
        nargs="+",
        metavar="P",
        required=True,
        help="one or two parameters named like the cards: w1 b1 v1 … c",
    )
    land.add_argument(
        "--grid", type=int, default=DEFAULT_GRID, help=f"points per axis ({DEFAULT_GRID})"
    )
    land.add_argument(
        "--range",
        type=float,
        nargs="+",
        metavar="X0 X1 [Y0 Y1]",
        help="the parameters' ranges (default: each value ± max(2, 2·|value|))",
    )
    gif = exports.add_figure_outputs(
        land,
        csv="p1,p2,loss per grid point (p1,loss)",
        png="the heat map (or curve) as PNG",
        json="print a JSON summary on stdout",
        animation="the path while training (an animation)",
    )
    gif.add_argument(
        "--export-gif",
        metavar="F",
        help="train --steps steps from the session (its optimizer, rate and batches) and"
        " animate the parameters' path over the landscape",
    )
    gif.add_argument("--steps", type=int, help="training steps of the path (200)")
    gif.add_argument("--gif-frames", type=int, help="frames at most, one every few steps (60)")
    gif.add_argument("--gif-fps", type=float, help="frames per second (15)")
    land.set_defaults(handler=run)


PATH_STEPS, PATH_FRAMES, PATH_FPS = 200, 60, 15.0
PATH_GRID = 61
"""Points per axis of each frame's landscape when --grid is not given: a frame's map is
computed anew (the other weights move), 61² of them in a few ms."""


def _check_path(args: argparse.Namespace) -> tuple[int, int, float]:
    """--steps, --gif-frames and --gif-fps, which only --export-gif uses."""
    from uat_explorer.export.animation import MAX_PATH_STEPS, check_animation

    if not args.export_gif:
        for key in ("steps", "gif_frames", "gif_fps"):
            if getattr(args, key) is not None:
                flag = "--" + key.replace("_", "-")
                raise InputError(f"{flag} is for the path's animation: it needs --export-gif")
        return 0, 0, 0.0
    steps = PATH_STEPS if args.steps is None else args.steps
    frames = PATH_FRAMES if args.gif_frames is None else args.gif_frames
    fps = PATH_FPS if args.gif_fps is None else args.gif_fps
    if not 1 <= steps <= MAX_PATH_STEPS:
        raise InputError(f"--steps must be between 1 and {MAX_PATH_STEPS:,}, got {steps}")
    check_animation(frames, fps, exports.figure_options(args))
    return steps, min(frames, steps + 1), fps  # no frame without a step


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
    progress = common.ProgressLine()
    started = time.perf_counter()
    for rows, values in landscape.bands(xs, ys):
        losses[rows] = values
        if rows.start == 0:
            share = rows.stop / ys.size
            common.refuse_if_too_long(
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
    scale = text_scale(args)
    if args.export_png or args.export_svg:
        options = exports.figure_options(args)
    path_steps, path_frames, path_fps = _check_path(args)
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

        path = args.export_csv
        exports.write_file(
            exported, "csv", path, partial(write_landscape_csv, path, names, xs, ys, losses)
        )
    here = float(landscape.curve([values[0]])[0])
    point = (values[0], values[1] if ys is not None else here)
    if args.export_png or args.export_svg:
        from uat_explorer.export.landscape import write_landscape_figure

        exported |= exports.export_figures(
            args,
            lambda path, svg: write_landscape_figure(
                path, names, xs, ys, losses, point, options, svg=svg, text_scale=scale
            ),
        )
    if args.export_gif:
        from uat_explorer.export.animation import record_landscape_path, write_gif
        from uat_explorer.export.headless import ensure_application

        ensure_application()
        grid = PATH_GRID if args.grid == DEFAULT_GRID else points
        recording = record_landscape_path(
            session,
            names,
            path_steps,
            path_frames,
            exports.figure_options(args),
            grid,
            None if args.range is None else ranges,
            scale,
        )
        path = args.export_gif
        exports.write_file(
            exported, "gif", path, partial(write_gif, recording.images, path, path_fps)
        )
    at = np.unravel_index(int(np.nanargmin(losses)), losses.shape)
    lowest = {names[0]: float(xs[at[-1]])} | (
        {names[1]: float(ys[at[0]])} if ys is not None else {}
    )
    result: dict[str, object] = {
        "params": names,
        "values": values,
        "ranges": [list(r) for r in ranges],
        "grid": points,
        "lowest_loss": float(np.nanmin(losses)),
        "lowest_at": lowest,
        "exported": exported,
    }
    if args.export_gif:
        result["path"] = {
            "steps": int(recording.steps[-1] - recording.steps[0]),
            "frames": len(recording.images),
            "end": dict(zip(names, recording.path[-1].tolist(), strict=False)),
            "stopped": recording.stopped,
        }
    if args.json:
        common.print_json(result)
    else:
        where = ", ".join(f"{k} = {v:.4g}" for k, v in lowest.items())
        print(f"landscape   loss over {' and '.join(names)} ({points} points per axis)")
        print(f"lowest      {result['lowest_loss']:.4g} at {where}")
        if args.export_gif:
            end = ", ".join(
                f"{k} = {v:.4g}" for k, v in zip(names, recording.path[-1], strict=False)
            )
            note = f" ({recording.stopped})" if recording.stopped else ""
            print(f"path        {len(recording.images)} frames, ended at {end}{note}")
        for kind, path in exported.items():
            print(f"wrote       {path} ({kind})")
    return 0
