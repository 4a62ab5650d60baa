"""The `uat-explorer` command: the window, or headless `fit`, `construct`, `render`,
`landscape` and `compare`; `--install-desktop-entry` puts the app in a Linux menu.

Exit codes: 0 success; 2 bad input (one line on stderr); 1 anything unexpected; 130
interrupted. Every file a command writes is checked first and written only if the whole
command succeeds.
"""

from __future__ import annotations

import argparse
import importlib
import sys
import traceback
from collections.abc import Sequence

from uat_explorer import __version__

COMMANDS = {
    "fit": "fit_command",
    "construct": "construct_command",
    "render": "render_command",
    "landscape": "landscape_command",
    "compare": "race_command",
    "lesson": "lesson_command",
}
"""Each command's module, imported only to parse a command line: opening the window (and
starting a worker) needs none of them."""


def build_parser() -> argparse.ArgumentParser:
    from uat_explorer.cli.common import Parser

    parser = Parser(
        prog="uat-explorer",
        usage="uat-explorer [FILE] | uat-explorer {fit,construct,render,landscape,compare,lesson}"
        " ..."
        " | uat-explorer --install-desktop-entry",
        description="With no command, opens the window (and FILE, a session .json, a lesson"
        " .lesson.md or a target .csv, if given). The commands run headless.",
    )
    parser.add_argument("--version", action="version", version=f"%(prog)s {__version__}")
    entry = parser.add_mutually_exclusive_group()
    entry.add_argument(
        "--install-desktop-entry",
        action="store_true",
        help="Linux: add the app to this user's menu, with its icon and its file types"
        " (sessions and lessons open in it on a double click)",
    )
    entry.add_argument(
        "--uninstall-desktop-entry",
        action="store_true",
        help="remove what --install-desktop-entry added",
    )
    # How a frozen bundle (PyInstaller) starts its helper processes: its executable is
    # the app and has no `python -c`. Not for people, so not in --help.
    entry.add_argument("--worker", nargs=2, metavar=("PORT", "ROLE"), help=argparse.SUPPRESS)
    entry.add_argument("--export-job", metavar="FILE", help=argparse.SUPPRESS)
    commands = parser.add_subparsers(dest="command", metavar="COMMAND", parser_class=Parser)
    for module in COMMANDS.values():
        importlib.import_module(f"uat_explorer.cli.{module}").add_parser(commands)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    if len(argv) <= 1 and not (argv and (argv[0] in COMMANDS or argv[0].startswith("-"))):
        from uat_explorer.qt_start import import_qt_quickly

        import_qt_quickly()
        from uat_explorer.gui.app import run_app

        return run_app(argv[0] if argv else None)
    from uat_explorer.cli.common import quiet_numbers
    from uat_explorer.cli.outputs import check_outputs
    from uat_explorer.core import InputError
    from uat_explorer.core.files import all_or_nothing
    from uat_explorer.core.workers.threads import pin_blas_to_one_thread

    parser = build_parser()
    try:
        args = parser.parse_args(argv)
        if args.command and not _no_flags(args):
            parser.error(f"{args.command} is a command of its own: give it without the flags")
    except SystemExit as done:  # --help, --version, or a usage error already printed
        return int(done.code or 0)
    pin_blas_to_one_thread()
    try:
        if not args.command:
            return _no_command(args)
        check_outputs(args)
        with quiet_numbers(), all_or_nothing():
            code: int = args.handler(args)
        return code
    except InputError as error:
        print(f"uat-explorer: error: {error}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print("uat-explorer: interrupted", file=sys.stderr)
        return 130
    except Exception:
        traceback.print_exc()
        print("uat-explorer: internal error (the trace above says where)", file=sys.stderr)
        return 1


def _no_flags(args: argparse.Namespace) -> bool:
    return not (
        args.install_desktop_entry or args.uninstall_desktop_entry or args.worker or args.export_job
    )


def _no_command(args: argparse.Namespace) -> int:
    """The top-level flags that act on their own."""
    from uat_explorer.cli import desktop_entry
    from uat_explorer.core import InputError

    if args.install_desktop_entry:
        return desktop_entry.install()
    if args.uninstall_desktop_entry:
        return desktop_entry.uninstall()
    if args.worker:
        from uat_explorer.core.workers.process import SERVERS, connect_and_serve

        port, role = args.worker
        if not port.isdigit() or role not in SERVERS:
            raise InputError(f"--worker wants a port and one of {', '.join(SERVERS)}")
        connect_and_serve(int(port), role)
        return 0
    if args.export_job:
        from uat_explorer.export.offline import main as export_job

        export_job(args.export_job)
        return 0
    raise InputError("say what to do: a COMMAND, or a FILE to open (see --help)")
