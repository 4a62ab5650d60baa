"""`uat-explorer construct`: Nielsen's step approximation, reported and exported."""

from __future__ import annotations

import argparse
import time

from uat_explorer.cli.common import (
    CLI_NEURONS,
    DEFAULT_SAMPLES,
    add_target_options,
    choose_domain,
    choose_target,
    print_summary,
    save_session,
    summary,
)
from uat_explorer.cli.exports import (
    add_export_options,
    check_exports,
    export_static,
    figure_options,
    write_gif,
)
from uat_explorer.core import FitMetrics, Session, construct
from uat_explorer.core.construct import MODES
from uat_explorer.core.targets import check_samples


def add_parser(commands) -> None:
    build = commands.add_parser("construct", help="build Nielsen's step approximation")
    add_target_options(build)
    build.add_argument("--neurons", type=int, default=CLI_NEURONS, help="step neurons (16)")
    build.add_argument("--mode", choices=MODES, default="bumps", help="bumps (pairs of steps)")
    build.add_argument(
        "--activation", choices=["step", "sigmoid"], default="step", help="steps or steep sigmoids"
    )
    build.add_argument("--session-out", metavar="FILE", help="save the result as a session")
    build.add_argument("--json", action="store_true", help="print one JSON object on stdout")
    add_export_options(build, gif="animate the construction, one step or bump a frame")
    build.set_defaults(handler=run)


def run(args: argparse.Namespace) -> int:
    check_exports(args)
    target = choose_target(args, None)
    domain = choose_domain(args, None, target)
    samples = check_samples(args.samples if args.samples is not None else DEFAULT_SAMPLES)
    started = time.perf_counter()
    network = construct(target, domain, args.neurons, args.mode, args.activation)
    result = Session(network=network, target=target, domain=domain, samples=samples)
    x, t = result.training_data()
    metrics = FitMetrics.of(network(x), t)
    seconds = time.perf_counter() - started
    if args.session_out:
        save_session(result, args.session_out)
    exported = export_static(result, args)
    if args.export_gif:
        from uat_explorer.export.animation import record_construction
        from uat_explorer.export.headless import ensure_application

        ensure_application()
        images = record_construction(
            result, args.neurons, args.mode, args.activation, figure_options(args)
        )
        write_gif(images, args)
        exported["gif"] = args.export_gif
    output = summary(result, metrics, 0, seconds) | {
        "diverged": False,
        "message": f"{args.mode} of {args.activation} neurons",
        "exported": exported,
    }
    print_summary(output, args.json)
    return 0
