"""`uat-explorer compare`: race learning rates (or optimizers) from a session's weights."""

from __future__ import annotations

import argparse
import math
import time
from functools import partial

import numpy as np

from uat_explorer.cli.common import (
    Commands,
    ProgressLine,
    print_json,
    refuse_if_too_long,
    session_command,
)
from uat_explorer.cli.exports import (
    add_figure_outputs,
    export_figures,
    figure_options,
    write_file,
)
from uat_explorer.cli.text_scale import text_scale
from uat_explorer.core import OPTIMIZERS, InputError, OptimizerSpec, Session
from uat_explorer.core.io.export_data import write_table
from uat_explorer.core.teaching.race import (
    DEFAULT_RATES,
    check_race_steps,
    race,
    race_specs,
    race_table,
    race_trainer,
)


def add_parser(commands: Commands) -> None:
    compare = session_command(
        commands, "compare", "train copies of a session's network under several learning rates"
    )
    compare.add_argument(
        "--lr",
        type=float,
        nargs="+",
        default=list(DEFAULT_RATES),
        metavar="RATE",
        help="learning rates, one run each (0.001 0.01 0.1 1)",
    )
    compare.add_argument(
        "--optimizer",
        nargs="+",
        metavar="NAME",
        help=f"one for every run or one per rate: {', '.join(OPTIMIZERS)} (the session's)",
    )
    compare.add_argument("--steps", type=int, default=2000, help="steps per run (2000)")
    compare.add_argument(
        "--target-loss",
        type=float,
        help="report when each run first reached this loss (the session's stop loss, or 0.001)",
    )
    gif = add_figure_outputs(
        compare,
        csv="step, then each run's loss",
        png="the loss curves as PNG",
        json="print one JSON object on stdout",
        animation="the curves growing (an animation)",
    )
    gif.add_argument("--export-gif", metavar="F", help="the loss curves growing, as a GIF")
    gif.add_argument("--gif-frames", type=int, help=f"frames ({GIF_FRAMES})")
    gif.add_argument("--gif-fps", type=float, help=f"frames per second ({GIF_FPS:g})")
    compare.set_defaults(handler=run)


GIF_FRAMES, GIF_FPS = 60, 15.0


PROBE_STEPS = 30


def _refuse_long_races(
    session: Session,
    x: np.ndarray,
    t: np.ndarray,
    specs: list[OptimizerSpec],
    steps: int,
    batch_size: int | None,
) -> None:
    """Time a few steps of each run first and refuse a race that would not finish."""
    seconds = 0.0
    for spec in specs:
        trainer = race_trainer(session.network, x, t, session.loss, spec, steps, batch_size)
        started = time.perf_counter()
        report = trainer.run(min(PROBE_STEPS, steps), seconds=1.0)
        per_step = (time.perf_counter() - started) / max(report.steps_run, 1)
        seconds += per_step * steps
    refuse_if_too_long(
        seconds,
        f"{len(specs)} runs of {steps:,} steps ({session.network.size} neurons, {x.size:,}"
        " samples)",
        "use fewer --steps, fewer runs, or a session with fewer samples",
    )


def _check_gif(args: argparse.Namespace) -> tuple[int, float]:
    """--gif-frames and --gif-fps, which only --export-gif uses, checked before any run."""
    if not args.export_gif:
        for key in ("gif_frames", "gif_fps"):
            if getattr(args, key) is not None:
                flag = "--" + key.replace("_", "-")
                raise InputError(f"{flag} is for the animation: it needs --export-gif")
        return 0, 0.0
    from uat_explorer.export.animation import check_animation

    frames = GIF_FRAMES if args.gif_frames is None else args.gif_frames
    fps = GIF_FPS if args.gif_fps is None else args.gif_fps
    check_animation(frames, fps, figure_options(args))
    return frames, fps


def run(args: argparse.Namespace) -> int:
    check_race_steps(args.steps)
    scale = text_scale(args)
    if args.export_png or args.export_svg or args.export_gif:
        options = figure_options(args)
    frames, fps = _check_gif(args)
    session = Session.load(args.session)
    specs = race_specs(args.optimizer or [session.optimizer.name], args.lr)
    target = args.target_loss
    if target is None:
        target = session.stop.loss_below or 1e-3
    if not (math.isfinite(target) and target >= 0):
        raise InputError(f"--target-loss must be a number ≥ 0, got {target}")
    x, t = session.training_data()
    batch = session.batch_schedule(x.size)
    size = batch.size if batch is not None else None
    _refuse_long_races(session, x, t, specs, args.steps, size)
    line = ProgressLine()

    def progress(run: int, step: int) -> None:
        line.update(f"compare: run {run + 1}/{len(specs)}, step {step:,}/{args.steps:,}")

    runs = race(
        session.network,
        x,
        t,
        session.loss,
        specs,
        args.steps,
        target,
        size,
        session.seed,
        progress,
        session.test_data(),
        session.penalty,
    )
    line.finish()
    exported: dict[str, str] = {}
    if args.export_csv:
        header, rows = race_table(runs)
        write_file(
            exported, "csv", args.export_csv, partial(write_table, args.export_csv, header, rows)
        )
    if args.export_png or args.export_svg:
        from uat_explorer.export.race import write_race_figure

        exported |= export_figures(
            args,
            lambda path, svg: write_race_figure(path, runs, options, svg=svg, text_scale=scale),
        )
    if args.export_gif:
        from uat_explorer.export.animation import record_race, write_gif
        from uat_explorer.export.headless import ensure_application

        ensure_application()
        images = record_race(runs, frames, options, scale)
        write_file(
            exported, "gif", args.export_gif, partial(write_gif, images, args.export_gif, fps)
        )
    result = {
        "steps": args.steps,
        "target_loss": target,
        "runs": [run.to_dict() for run in runs],
        "exported": exported,
    }
    if args.json:
        print_json(result)
        return 0
    print(f"race        {len(runs)} runs of {args.steps:,} steps, target loss {target:g}")
    for run in runs:
        reached = "never" if run.reached_step is None else f"step {run.reached_step:,}"
        note = "" if run.diverged_step is None else f"  diverged at step {run.diverged_step:,}"
        test = "" if run.test_loss is None else f" test loss {run.test_loss:<10.4g}"
        print(f"{run.label:28s} final loss {run.final_loss:<10.4g}{test} target: {reached}{note}")
    for kind, path in exported.items():
        print(f"wrote       {path} ({kind})")
    return 0
