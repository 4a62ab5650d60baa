"""--text-scale S: a figure as presentation mode draws it, its text and lines S times
their size (1 to 3, the window's range). Every command that draws takes it."""

from __future__ import annotations

import argparse
import math

from uat_explorer.core.errors import InputError
from uat_explorer.core.io.view import MAX_SCALE, MIN_SCALE

Container = argparse.ArgumentParser | argparse._ArgumentGroup


def add_text_scale(parser: Container) -> None:
    """The option, once (a parser that already has it keeps its own)."""
    if parser.get_default("text_scale") is None:
        parser.add_argument(
            "--text-scale",
            type=float,
            default=1.0,
            metavar="S",
            help=f"text and lines S times their size, {MIN_SCALE:g} to {MAX_SCALE:g}, as in"
            " presentation mode (1)",
        )


def text_scale(args: argparse.Namespace) -> float:
    """The chosen scale, or an InputError naming the option and its range."""
    value = float(getattr(args, "text_scale", 1.0))
    if not (math.isfinite(value) and MIN_SCALE <= value <= MAX_SCALE):
        raise InputError(
            f"--text-scale must be between {MIN_SCALE:g} and {MAX_SCALE:g}, got {value:g}"
        )
    return value
