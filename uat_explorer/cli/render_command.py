"""`uat-explorer render`: figures and data of a saved session, no training."""

from __future__ import annotations

import argparse

from uat_explorer.cli.common import print_summary, summary
from uat_explorer.cli.exports import add_export_options, export_static
from uat_explorer.core import FitMetrics, InputError, Session


def add_parser(commands) -> None:
    render = commands.add_parser("render", help="export figures and data of a saved session")
    render.add_argument("--session", metavar="FILE", required=True, help="the session to render")
    render.add_argument("--json", action="store_true", help="print one JSON object on stdout")
    add_export_options(render, gif=None)
    render.set_defaults(handler=run)


def run(args: argparse.Namespace) -> int:
    if not (args.export_png or args.export_svg or args.export_csv or args.export_params):
        raise InputError(
            "say what to export: --export-png, --export-svg, --export-csv or --export-params"
        )
    session = Session.load(args.session)
    exported = export_static(session, args)
    x, t = session.training_data()
    metrics = FitMetrics.of(session.network(x), t)
    output = summary(session, metrics, 0, 0.0) | {
        "diverged": False,
        "message": "",
        "exported": exported,
    }
    print_summary(output, args.json)
    return 0
