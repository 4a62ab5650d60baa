"""The `uat-explorer` command: the GUI with no arguments, headless `fit` and `construct`.

Exit codes: 0 success; 2 bad input (one line on stderr); 1 anything unexpected.
"""

from __future__ import annotations

import argparse
import json
import math
import sys
import time
import traceback
from collections.abc import Sequence
from dataclasses import replace
from typing import Any

from uat_explorer import __version__
from uat_explorer.core import (
    ACTIVATIONS,
    LOSSES,
    MAX_NEURONS,
    OPTIMIZERS,
    PRESETS,
    FitMetrics,
    InputError,
    Network,
    OptimizerSpec,
    Session,
    StopRule,
    Target,
    construct,
    load_csv,
    random_network,
)
from uat_explorer.core.construct import MODES
from uat_explorer.core.session import MAX_SEED
from uat_explorer.core.targets import check_domain, check_samples
from uat_explorer.core.threads import pin_blas_to_one_thread

DEFAULT_DOMAIN = (-math.pi, math.pi)
DEFAULT_NEURONS = 16
DEFAULT_SAMPLES = 256
DEFAULT_STEPS = 1000
FIT_DEFAULT_OPTIMIZER = "lm"
"""To fit to accuracy LM is 5–20× faster than Adam here; the GUI defaults to Adam, which
is better to watch."""
PROGRESS_AFTER = 1.0


class _Parser(argparse.ArgumentParser):
    """argparse, but its errors are one line, like ours."""

    def error(self, message: str) -> None:  # type: ignore[override]
        self.exit(2, f"{self.prog}: error: {message}\n")


def _build_parser() -> argparse.ArgumentParser:
    parser = _Parser(
        prog="uat-explorer",
        description="With no command, opens the window. Commands fit and construct run headless.",
    )
    parser.add_argument("--version", action="version", version=f"%(prog)s {__version__}")
    commands = parser.add_subparsers(dest="command", metavar="COMMAND", parser_class=_Parser)
    presets = ", ".join(PRESETS)

    fit = commands.add_parser("fit", help="train a network headless and report the fit")
    _target_options(fit, presets)
    fit.add_argument("--neurons", type=int, help=f"hidden neurons, 1–{MAX_NEURONS} (16)")
    fit.add_argument("--activation", choices=list(ACTIVATIONS), help="neuron kind (sigmoid)")
    fit.add_argument(
        "--optimizer", choices=list(OPTIMIZERS), help=f"({FIT_DEFAULT_OPTIMIZER}: fastest to fit)"
    )
    fit.add_argument("--lr", type=float, help="learning rate for sgd, momentum, adam (0.01)")
    fit.add_argument("--loss", choices=list(LOSSES), help="loss to minimise (mse)")
    fit.add_argument("--steps", type=int, help=f"steps to run ({DEFAULT_STEPS}; 0 evaluates)")
    fit.add_argument("--seed", type=int, help="seed of the initial weights (0)")
    fit.add_argument("--stop-mse", type=float, help="stop as soon as the MSE is at most this")
    fit.add_argument(
        "--session-in", metavar="FILE", help="start from a saved session (flags override)"
    )
    fit.add_argument("--session-out", metavar="FILE", help="save the result as a session")
    fit.add_argument("--json", action="store_true", help="print one JSON object on stdout")
    fit.set_defaults(handler=_fit)

    build = commands.add_parser("construct", help="build Nielsen's step approximation")
    _target_options(build, presets)
    build.add_argument("--neurons", type=int, default=DEFAULT_NEURONS, help="step neurons (16)")
    build.add_argument("--mode", choices=MODES, default="bumps", help="bumps (pairs)")
    build.add_argument(
        "--activation", choices=["step", "sigmoid"], default="step", help="steps or steep sigmoids"
    )
    build.add_argument("--session-out", metavar="FILE", help="save the result as a session")
    build.add_argument("--json", action="store_true", help="print one JSON object on stdout")
    build.set_defaults(handler=_construct)
    return parser


def _target_options(parser: argparse.ArgumentParser, presets: str) -> None:
    parser.add_argument("--target", metavar="EXPR", help=f"a preset ({presets}) or a formula in x")
    parser.add_argument("--data", metavar="FILE.csv", help="fit sampled points: columns x, y")
    parser.add_argument("--domain", type=float, nargs=2, metavar=("A", "B"), help="x range")
    parser.add_argument("--samples", type=int, help=f"training points ({DEFAULT_SAMPLES})")


def main(argv: Sequence[str] | None = None) -> int:
    try:
        args = _build_parser().parse_args(argv)
    except SystemExit as done:  # --help, --version, or a usage error already printed
        return int(done.code or 0)
    if args.command is None:
        from uat_explorer.gui.app import run_app

        return run_app()
    pin_blas_to_one_thread()
    try:
        return args.handler(args)
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


def _choose_target(args: argparse.Namespace, session: Session | None) -> Target:
    if args.data and args.target:
        raise InputError("give --target or --data, not both")
    if args.data:
        return load_csv(args.data)
    if args.target:
        return Target.from_text(args.target)
    if session is not None:
        return session.target
    raise InputError("say what to fit: --target sin, --target 'x**2', or --data points.csv")


def _choose_domain(args, session: Session | None, target: Target) -> tuple[float, float]:
    if args.domain:
        return check_domain(args.domain)
    if session is not None and args.target is None and args.data is None:
        return session.domain
    return target.natural_domain() or (session.domain if session else DEFAULT_DOMAIN)


def _fit(args: argparse.Namespace) -> int:
    session = Session.load(args.session_in) if args.session_in else None
    target = _choose_target(args, session)
    domain = _choose_domain(args, session, target)
    samples = check_samples(
        args.samples
        if args.samples is not None
        else session.samples
        if session
        else DEFAULT_SAMPLES
    )
    steps = args.steps if args.steps is not None else DEFAULT_STEPS
    if steps < 0:
        raise InputError(f"--steps must be 0 or more, got {steps}")
    network, seed, step = _choose_network(args, session, domain)
    base = session.optimizer if session else OptimizerSpec(FIT_DEFAULT_OPTIMIZER)
    optimizer = OptimizerSpec(
        args.optimizer or base.name, args.lr if args.lr is not None else base.learning_rate
    )
    fit = Session(
        network=network,
        target=target,
        domain=domain,
        samples=samples,
        loss=args.loss or (session.loss if session else "mse"),
        optimizer=optimizer,
        stop=StopRule(max_steps=step + steps, loss_below=None),
        seed=seed,
        step=step,
    )
    trainer = fit.trainer()
    if args.stop_mse is not None:
        if not args.stop_mse >= 0:
            raise InputError(f"--stop-mse must be a number ≥ 0, got {args.stop_mse}")
        if fit.loss != "mse":
            raise InputError("--stop-mse needs --loss mse")
        trainer.stop = StopRule(max_steps=step + steps, loss_below=args.stop_mse)
    started = time.perf_counter()
    report = trainer.run(0)
    shown_progress = False
    while trainer.step < step + steps and report.stopped is None and report.diverged is None:
        report = trainer.run(step + steps - trainer.step, seconds=0.25)
        elapsed = time.perf_counter() - started
        if elapsed > PROGRESS_AFTER:
            shown_progress = True
            print(
                f"\rfit: step {trainer.step - step}/{steps}  mse {report.metrics.mse:.3e}"
                f"  {elapsed:.1f} s",
                end="",
                file=sys.stderr,
                flush=True,
            )
    seconds = time.perf_counter() - started
    if shown_progress:
        print(file=sys.stderr)
    result = replace(fit, network=trainer.network, step=trainer.step)
    if args.session_out:
        _save(result, args.session_out)
    summary = _summary(result, report.metrics, trainer.step - step, seconds)
    early = report.stopped if report.stopped and "budget" not in report.stopped else None
    summary |= {
        "diverged": report.diverged is not None,
        "message": report.diverged or (f"stopped early: {early}" if early else ""),
        "optimizer": optimizer.name,
        "learning_rate": optimizer.learning_rate,
        "loss": report.loss,
        "loss_name": fit.loss,
    }
    _print(summary, args.json)
    if report.diverged:
        print(f"uat-explorer: {report.diverged}", file=sys.stderr)
    return 0


def _choose_network(args, session: Session | None, domain) -> tuple[Network, int, int]:
    """The session's network unless a flag asks for new weights; returns (net, seed, step)."""
    fresh = args.neurons is not None or args.activation is not None or args.seed is not None
    if session is not None and not fresh:
        return session.network.copy(), session.seed, session.step
    count = (
        args.neurons
        if args.neurons is not None
        else (session.network.size if session else DEFAULT_NEURONS)
    )
    if not 1 <= count <= MAX_NEURONS:
        raise InputError(f"--neurons must be between 1 and {MAX_NEURONS}, got {count}")
    seed = args.seed if args.seed is not None else (session.seed if session else 0)
    if not 0 <= seed <= MAX_SEED:
        raise InputError(f"--seed must be between 0 and {MAX_SEED}, got {seed}")
    kind = args.activation or "sigmoid"
    return random_network([kind] * count, domain, seed), seed, 0


def _construct(args: argparse.Namespace) -> int:
    target = _choose_target(args, None)
    domain = _choose_domain(args, None, target)
    samples = check_samples(args.samples if args.samples is not None else DEFAULT_SAMPLES)
    started = time.perf_counter()
    network = construct(target, domain, args.neurons, args.mode, args.activation)
    x, t = target.samples(domain, samples)
    metrics = FitMetrics.of(network(x), t)
    seconds = time.perf_counter() - started
    result = Session(network=network, target=target, domain=domain, samples=samples)
    if args.session_out:
        _save(result, args.session_out)
    summary = _summary(result, metrics, 0, seconds)
    summary |= {"diverged": False, "message": f"{args.mode} of {args.activation} neurons"}
    _print(summary, args.json)
    return 0


def _save(session: Session, path: str) -> None:
    try:
        session.save(path)
    except OSError as error:
        raise InputError(f"cannot write {path}: {error.strerror or error}") from None


def _summary(session: Session, metrics: FitMetrics, steps: int, seconds: float) -> dict[str, Any]:
    kinds = sorted(set(session.network.activations))
    return {
        "target": session.target.text,
        "domain": list(session.domain),
        "samples": session.samples,
        "neurons": session.network.size,
        "activation": kinds[0] if len(kinds) == 1 else "mixed",
        "steps": steps,
        "total_steps": session.step,
        "seconds": seconds,
        **metrics.to_dict(),
    }


def _print(summary: dict[str, Any], as_json: bool) -> None:
    if as_json:
        print(json.dumps(summary))
        return
    low, high = summary["domain"]
    print(f"target      {summary['target']} on [{low:.6g}, {high:.6g}]")
    print(f"network     {summary['neurons']} {summary['activation']} neurons")
    if "optimizer" in summary:
        print(
            f"training    {summary['steps']} steps of {summary['optimizer']}"
            f" in {summary['seconds']:.3f} s"
        )
    print(
        f"fit         mse {summary['mse']:.4g}  rmse {summary['rmse']:.4g}"
        f"  max |error| {summary['max_abs_error']:.4g}  R² {summary['r2']:.6g}"
    )
    if summary["message"]:
        print(f"note        {summary['message']}")
