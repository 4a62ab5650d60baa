"""What the commands share: target options, defaults, and the summary they print."""

from __future__ import annotations

import argparse
import contextlib
import json
import math
import re
import sys
import time
import warnings
from collections.abc import Iterator
from typing import Any, TypeAlias

import numpy as np

from uat_explorer.core import PRESETS, FitMetrics, InputError, Session, Target, load_csv
from uat_explorer.core.targets.classes import CLASS_PRESETS
from uat_explorer.core.targets.target import check_domain

DEFAULT_DOMAIN = (-math.pi, math.pi)
CLI_NEURONS = 16
"""A scripted fit or construction: enough neurons to fit most 1-D curves closely."""
DEFAULT_SAMPLES = 256


class Parser(argparse.ArgumentParser):
    """argparse, but its errors are one line, like ours, and a negative number in
    scientific notation (--range -1e-3 1e-3) is a number, not an option."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._negative_number_matcher = _NEGATIVE

    def error(self, message: str) -> None:  # type: ignore[override]
        self.exit(2, f"{self.prog}: error: {message}\n")


_NEGATIVE = re.compile(r"^-(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?$|^-(?:inf|nan)$")


@contextlib.contextmanager
def quiet_numbers() -> Iterator[None]:
    """No numpy or library RuntimeWarning reaches the terminal: every result a command
    reports is checked for being finite and said in words instead."""
    with warnings.catch_warnings(), np.errstate(all="ignore"):
        warnings.simplefilter("ignore", RuntimeWarning)
        yield


def finite_or_none(value: Any) -> Any:
    """JSON without NaN or Infinity (strict parsers refuse them): such numbers are null."""
    if isinstance(value, float):
        return value if math.isfinite(value) else None
    if isinstance(value, dict):
        return {k: finite_or_none(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [finite_or_none(v) for v in value]
    return value


def print_json(result: dict[str, Any]) -> None:
    print(json.dumps(finite_or_none(result), allow_nan=False))


Commands: TypeAlias = "argparse._SubParsersAction[Parser]"
"""Where each command adds its parser: ``build_parser``'s subcommands."""


def session_command(
    commands: Commands, name: str, help: str, session: str = "the session"
) -> Parser:
    """A command that reads a saved session: its parser, with ``--session FILE``."""
    parser = commands.add_parser(name, help=help)
    parser.add_argument("--session", metavar="FILE", required=True, help=session)
    return parser


def add_target_options(parser: argparse.ArgumentParser) -> None:
    presets = ", ".join(PRESETS)
    parser.add_argument("--target", metavar="EXPR", help=f"a preset ({presets}) or a formula in x")
    parser.add_argument("--data", metavar="FILE.csv", help="fit sampled points: columns x, y")
    parser.add_argument("--domain", type=float, nargs=2, metavar=("A", "B"), help="x range")
    parser.add_argument("--samples", type=int, help=f"training points ({DEFAULT_SAMPLES})")


def choose_target(args: argparse.Namespace, session: Session | None) -> Target:
    if args.data and args.target:
        raise InputError("give --target or --data, not both")
    if args.data:
        return load_csv(args.data)
    if args.target:
        if args.target in CLASS_PRESETS:
            raise InputError(
                f"{args.target} is a class preset: `fit --target {args.target}` classifies;"
                " this command draws curves"
            )
        return Target.from_text(args.target)
    if session is not None:
        return session.target
    raise InputError("say what to fit: --target sin, --target 'x**2', or --data points.csv")


def choose_domain(
    args: argparse.Namespace, session: Session | None, target: Target
) -> tuple[float, float]:
    if args.domain:
        return check_domain(args.domain)
    if session is not None and args.target is None and args.data is None:
        return session.domain
    return target.natural_domain() or (session.domain if session else DEFAULT_DOMAIN)


def save_session(session: Session, path: str) -> None:
    try:
        session.save(path)
    except OSError as error:
        raise InputError(f"cannot write {path}: {error.strerror or error}") from None


def summary(session: Session, metrics: FitMetrics, steps: int, seconds: float) -> dict[str, Any]:
    kinds = sorted(set(session.network.activations))
    return {
        "target": session.target.text,
        "domain": list(session.domain),
        "samples": int(session.training_data()[0].size),
        "neurons": session.network.size,
        "activation": kinds[0] if len(kinds) == 1 else ("mixed" if kinds else "none"),
        "steps": steps,
        "total_steps": session.step,
        "seconds": seconds,
        **metrics.to_dict(),
    }


def print_summary(result: dict[str, Any], as_json: bool) -> None:
    if as_json:
        print_json(result)
        return
    low, high = result["domain"]
    print(f"target      {result['target']} on [{low:.6g}, {high:.6g}]")
    print(f"network     {result['neurons']} {result['activation']} neurons")
    if "optimizer" in result:
        print(
            f"training    {result['steps']} steps of {result['optimizer']}"
            f" in {result['seconds']:.3f} s"
        )
    print(
        f"fit         mse {result['mse']:.4g}  rmse {result['rmse']:.4g}"
        f"  max |error| {result['max_abs_error']:.4g}  R² {result['r2']:.6g}"
    )
    if result.get("test_mse") is not None:
        print(
            f"test        mse {result['test_mse']:.4g} on {result['test_samples']} held-out"
            f" points  (lowest test loss {result['best_test_loss']:.4g}"
            f" at step {result['best_test_step']:,})"
        )
    if result.get("true_error") is not None:
        print(f"true error  {result['true_error']:.4g} (mean squared, against the target)")
    if result.get("message"):
        print(f"note        {result['message']}")
    for kind, path in result.get("exported", {}).items():
        print(f"wrote       {path} ({kind})")


class ProgressLine:
    """Progress on stderr for work longer than ``after`` seconds: one line rewritten in
    place on a terminal; a plain line now and then in a log, where \r is only clutter."""

    def __init__(self, after: float = 1.0) -> None:
        self.after = after
        self.started = time.perf_counter()
        self.last = -math.inf
        self.shown = False
        self.terminal = sys.stderr.isatty()

    def update(self, text: str) -> None:
        now = time.perf_counter()
        elapsed = now - self.started
        if elapsed < self.after or now - self.last < (0.2 if self.terminal else 5.0):
            return
        self.last, self.shown = now, True
        line = f"{text}  {elapsed:.1f} s"
        if self.terminal:
            print(f"\r{line}", end="", file=sys.stderr, flush=True)
        else:
            print(line, file=sys.stderr, flush=True)

    def finish(self) -> None:
        if self.shown and self.terminal:
            print(file=sys.stderr)


MAX_JOB_SECONDS = 600.0
"""A command estimated to take longer than ten minutes is refused before it starts."""


def refuse_if_too_long(seconds: float, what: str, smaller: str) -> None:
    """An InputError with the estimate if ``seconds`` (measured on a first part of the
    work, scaled up) is beyond MAX_JOB_SECONDS."""
    if seconds > MAX_JOB_SECONDS:
        raise InputError(
            f"{what} would take about {_duration(seconds)} on this machine (the limit is"
            f" {_duration(MAX_JOB_SECONDS)}): {smaller}"
        )


def _duration(seconds: float) -> str:
    if seconds >= 7200:
        return f"{seconds / 3600:.0f} hours"
    if seconds >= 120:
        return f"{seconds / 60:.0f} minutes"
    return f"{seconds:.0f} seconds"
