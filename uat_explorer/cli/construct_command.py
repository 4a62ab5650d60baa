"""`uat-explorer construct`: Nielsen's step approximation, reported and exported."""

from __future__ import annotations

import argparse
import math
import time
from functools import partial

import numpy as np

from uat_explorer.cli import common, exports
from uat_explorer.cli.text_scale import add_text_scale, text_scale
from uat_explorer.core import MAX_NEURONS, FitMetrics, InputError, Network, Session, construct
from uat_explorer.core.io.export_data import write_table
from uat_explorer.core.io.session_schema import MAX_PARAMETER
from uat_explorer.core.targets.target import check_samples
from uat_explorer.core.teaching.construct import (
    MEASURED_ON,
    MODES,
    SIGMOID_SPAN,
    built_of,
    fitted_slope,
    smallest_count,
    sweep_points,
)


def add_parser(commands: common.Commands) -> None:
    build = commands.add_parser("construct", help="build Nielsen's step approximation")
    common.add_target_options(build)
    build.add_argument("--neurons", type=int, default=common.CLI_NEURONS, help="step neurons (16)")
    build.add_argument("--mode", choices=MODES, default="bumps", help="bumps (pairs of steps)")
    build.add_argument(
        "--activation", choices=["step", "sigmoid"], default="step", help="steps or steep sigmoids"
    )
    build.add_argument(
        "--steepness",
        type=float,
        help=f"sigmoids mode: each rise this many sample spacings wide, {MIN_STEEPNESS:g} to"
        f" {MAX_STEEPNESS:g} (1)",
    )
    build.add_argument(
        "--sweep",
        type=int,
        nargs=2,
        metavar=("A", "B"),
        help="report the error for every N from A to B (the theorem, measured)",
    )
    build.add_argument(
        "--epsilon",
        type=float,
        help="build the smallest N whose max |error| over the domain is at most this",
    )
    build.add_argument("--session-out", metavar="FILE", help="save the result as a session")
    build.add_argument("--json", action="store_true", help="print one JSON object on stdout")
    exports.add_export_options(build, gif="animate the construction, one step or bump a frame")
    add_text_scale(build)
    build.set_defaults(handler=run)


MIN_STEEPNESS, MAX_STEEPNESS = 1e-3, 1e4
"""Rises from a thousandth of a sample spacing (a step, to the eye) to ten thousand."""


def _check_numbers(args: argparse.Namespace) -> None:
    """Every number and every combination, before any work: an option that would have no
    effect is refused, never ignored."""
    if args.sweep is not None:
        low, high = args.sweep
        if not 1 <= low <= high <= MAX_NEURONS:
            raise InputError(f"--sweep A B needs 1 ≤ A ≤ B ≤ {MAX_NEURONS}, got {low} {high}")
        if args.mode == "bumps" and low == high and low % 2:
            raise InputError(
                f"bumps come in pairs of steps: --sweep {low} {high} holds no even count"
            )
        for key in ("export_svg", "export_params", "export_gif", "session_out", "epsilon"):
            if getattr(args, key, None) is not None:
                flag = "--" + key.replace("_", "-")
                raise InputError(
                    f"{flag} does not go with --sweep (a sweep writes --export-csv and"
                    " --export-png: the table and the error against N)"
                )
    if args.epsilon is not None and not (math.isfinite(args.epsilon) and args.epsilon > 0):
        raise InputError(f"--epsilon must be a number > 0, got {args.epsilon}")
    if args.steepness is not None and args.mode != "sigmoids":
        raise InputError("--steepness is the rise of steep sigmoids: it needs --mode sigmoids")
    steepness = 1.0 if args.steepness is None else args.steepness
    if not (math.isfinite(steepness) and MIN_STEEPNESS <= steepness <= MAX_STEEPNESS):
        raise InputError(
            f"--steepness must be between {MIN_STEEPNESS:g} and {MAX_STEEPNESS:g} sample"
            f" spacings, got {steepness:g} (the weights would not be finite)"
        )
    args.steepness = steepness


def run(args: argparse.Namespace) -> int:
    exports.check_exports(args)
    scale = text_scale(args)
    _check_numbers(args)
    target = common.choose_target(args, None)
    domain = common.choose_domain(args, None, target)
    samples = check_samples(args.samples if args.samples is not None else common.DEFAULT_SAMPLES)
    base = Session(network=Network.from_neurons([]), target=target, domain=domain, samples=samples)
    x, t = base.training_data()
    spacing = float(x.max() - x.min()) / max(x.size - 1, 1)
    transition = args.steepness * spacing if args.mode == "sigmoids" else None
    if transition is not None and not SIGMOID_SPAN / transition <= MAX_PARAMETER:
        raise InputError(
            f"--steepness {args.steepness:g} on these samples (spacing {spacing:.3g}) makes"
            f" weights beyond ±{MAX_PARAMETER:g}: choose a wider rise"
        )
    if args.sweep is not None:
        return _sweep(args, base, x, t, transition, scale)
    started = time.perf_counter()
    count, reached, chosen = args.neurons, None, None
    if args.epsilon is not None:
        points = list(
            sweep_points(target, domain, x, t, range(1, MAX_NEURONS + 1), args.mode, transition)
        )
        found = smallest_count(points, args.epsilon)
        reached = found is not None
        chosen = found or min(points, key=lambda p: p.max_abs_error)
        count = chosen.neurons
    network = construct(target, domain, count, args.mode, args.activation, transition)
    result = Session(network=network, target=target, domain=domain, samples=samples)
    metrics = FitMetrics.of(network(x), t)
    seconds = time.perf_counter() - started
    if args.session_out:
        common.save_session(result, args.session_out)
    exported = exports.export_static(result, args)
    if args.export_gif:
        from uat_explorer.export.animation import record_construction
        from uat_explorer.export.headless import ensure_application

        ensure_application()
        options = exports.figure_options(args)
        images = record_construction(
            result, count, args.mode, args.activation, options, transition, scale
        )
        exports.write_gif(images, args)
        exported["gif"] = args.export_gif
    output = common.summary(result, metrics, 0, seconds) | {
        "diverged": False,
        "message": f"{args.mode} of {args.activation} neurons",
        "exported": exported,
    }
    if reached is not None and chosen is not None:
        # The window's Find N says the same: the N, what it builds, the error over the domain.
        output |= {
            "epsilon": args.epsilon,
            "reached": reached,
            "mode": args.mode,
            "max_abs_error_over_domain": chosen.max_abs_error,
        }
        worst = f"max |error| {chosen.max_abs_error:.4g} {MEASURED_ON}"
        output["message"] = (
            f"N = {count} ({built_of(args.mode, count)}): {worst} ≤ ε = {args.epsilon:g}"
            if reached
            else f"no construction of at most {MAX_NEURONS} neurons reaches ε ="
            f" {args.epsilon:g}; the best, N = {count} ({built_of(args.mode, count)}), {worst}"
        )
    common.print_summary(output, args.json)
    return 0


def _sweep(
    args: argparse.Namespace,
    base: Session,
    x: np.ndarray,
    t: np.ndarray,
    transition: float | None,
    scale: float = 1.0,
) -> int:
    """The error of the construction for every N in A … B, as JSON, CSV and a figure."""
    low, high = args.sweep
    points = list(
        sweep_points(base.target, base.domain, x, t, range(low, high + 1), args.mode, transition)
    )
    exported: dict[str, str] = {}
    if args.export_csv:
        rows = [(p.neurons, p.max_abs_error, p.rmse) for p in points]
        header = ["neurons", "max_abs_error", "rmse"]
        exports.write_file(
            exported, "csv", args.export_csv, partial(write_table, args.export_csv, header, rows)
        )
    if args.export_png:
        from uat_explorer.export.construct import write_sweep_figure

        draw = partial(write_sweep_figure, points, args.export_png, text_scale=scale)
        exports.write_figure(exported, "png", args.export_png, args, draw)
    slope = fitted_slope(points)
    result = {
        "target": base.target.text,
        "mode": args.mode,
        "measured": MEASURED_ON,
        "sweep": [
            {"neurons": p.neurons, "max_abs_error": p.max_abs_error, "rmse": p.rmse} for p in points
        ],
        "slope": slope if math.isfinite(slope) else None,
        "exported": exported,
    }
    if args.json:
        common.print_json(result)
    else:
        print(f"neurons  max |error|  rmse   ({args.mode}, {MEASURED_ON})")
        for p in points:
            print(f"{p.neurons:7d}  {p.max_abs_error:11.4g}  {p.rmse:.4g}")
        if math.isfinite(slope):
            print(f"max error ∝ N^{slope:.2f}")
        for kind, path in exported.items():
            print(f"wrote       {path} ({kind})")
    return 0
