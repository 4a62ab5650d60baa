"""`uat-explorer render`: figures and data of a saved session, no training."""

from __future__ import annotations

import argparse
from functools import partial

from uat_explorer.cli import class_fit, common, exports
from uat_explorer.cli.text_scale import add_text_scale, text_scale
from uat_explorer.core import FitMetrics, InputError
from uat_explorer.core.io.class_session import ClassSession, load_session
from uat_explorer.core.teaching.backprop import check_sample, check_scope, middle_sample

BACKPROP_FPS = 8.0
"""A node every eighth of a second: six neurons' pass (~100 frames) in about 12 s."""


def add_parser(commands: common.Commands) -> None:
    render = common.session_command(
        commands, "render", "export figures and data of a saved session", "the session to render"
    )
    render.add_argument("--json", action="store_true", help="print one JSON object on stdout")
    group = render.add_argument_group("backpropagation (one sample's computational graph)")
    group.add_argument("--backprop-png", metavar="F", help="the graph, every value and gradient")
    group.add_argument("--backprop-svg", metavar="F", help="the same graph as SVG")
    group.add_argument("--gradients-csv", metavar="F", help="every parameter's gradient and update")
    group.add_argument(
        "--backprop-gif",
        metavar="F",
        help="the pass as an animation: each value forward, node by node, then each gradient",
    )
    group.add_argument(
        "--gif-fps",
        type=float,
        help=f"--backprop-gif's frames (nodes) per second ({BACKPROP_FPS:g})",
    )
    group.add_argument("--sample", type=int, help="which sample, 0-based (the middle one)")
    group.add_argument(
        "--scope", default="sample", help="sample: that sample's loss; batch: the training loss"
    )
    render.add_argument(
        "--timeline-png", metavar="F", help="the saved D/W/A/G timeline of training as PNG"
    )
    exports.add_export_options(render, gif=None)
    add_text_scale(render)
    render.set_defaults(handler=run)


def run(args: argparse.Namespace) -> int:
    tables = args.backprop_png or args.backprop_svg or args.gradients_csv
    backprop = tables or args.backprop_gif
    if not (
        args.export_png
        or args.export_svg
        or args.export_csv
        or args.export_params
        or backprop
        or args.timeline_png
    ):
        raise InputError(
            "say what to export: --export-png, --export-svg, --export-csv, --export-params,"
            " --backprop-png, --backprop-svg, --backprop-gif, --gradients-csv or --timeline-png"
        )
    if args.gif_fps is not None and not args.backprop_gif:
        raise InputError("--gif-fps is the speed of --backprop-gif: it needs --backprop-gif")
    fps = BACKPROP_FPS if args.gif_fps is None else args.gif_fps
    exports.check_exports(args)
    scale = text_scale(args)
    session = load_session(args.session)
    if isinstance(session, ClassSession):
        return _render_classes(session, args)
    if backprop:  # every setting is checked before anything is written
        check_scope(args.scope)
        count = session.training_data()[0].size
        sample = middle_sample(count) if args.sample is None else check_sample(args.sample, count)
    state = None
    if args.backprop_gif:  # its frames are known from the graph: refused before any work
        from uat_explorer.export.animation import backprop_frames, check_animation
        from uat_explorer.export.headless import ensure_application
        from uat_explorer.model.state import AppState

        ensure_application()
        state = AppState(session.copy())
        frames = backprop_frames(state, sample, args.scope)
        check_animation(frames, fps, exports.figure_options(args))
    exported = exports.export_static(session, args)
    if tables:
        exported |= exports.export_backprop(session, args, sample)
    if state is not None:
        from uat_explorer.export.animation import record_backprop_pass, write_gif

        images = record_backprop_pass(
            state, sample, args.scope, exports.figure_options(args), scale
        )
        write = partial(write_gif, images, args.backprop_gif, fps)
        exports.write_file(exported, "backprop_gif", args.backprop_gif, write)
    if args.timeline_png:
        from uat_explorer.export.timeline import write_timeline_png

        draw = partial(write_timeline_png, session, args.timeline_png, text_scale=scale)
        exports.write_figure(exported, "timeline", args.timeline_png, args, draw)
    x, t = session.training_data()
    metrics = FitMetrics.of(session.network(x), t)
    output = common.summary(session, metrics, 0, 0.0) | {
        "diverged": False,
        "message": "",
        "exported": exported,
    }
    common.print_summary(output, args.json)
    return 0


def _render_classes(session: ClassSession, args: argparse.Namespace) -> int:
    """A class session's figure, table and parameters; the curve-only views refuse."""
    curve_only = [
        flag
        for flag, value in (
            ("--backprop-png", args.backprop_png),
            ("--backprop-svg", args.backprop_svg),
            ("--backprop-gif", args.backprop_gif),
            ("--gradients-csv", args.gradients_csv),
            ("--timeline-png", args.timeline_png),
            ("--error-band", args.error_band),
        )
        if value
    ]
    if curve_only:
        raise InputError(f"{curve_only[0]} draws curve sessions; {args.session} holds classes")
    exported = class_fit.export_class_files(session, args)
    report = session.trainer().report()
    output = class_fit.summary(session, report, 0, 0.0) | {"exported": exported}
    class_fit.print_class_summary(output, args.json)
    return 0
