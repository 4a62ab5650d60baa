"""`uat-explorer fit` on classes: --data FILE.csv --classes, or a class preset as --target."""

from __future__ import annotations

import argparse
import sys
import time
from functools import partial
from typing import Any

from uat_explorer.cli import common
from uat_explorer.cli.exports import write_figure, write_file, writing
from uat_explorer.core import MAX_NEURONS, InputError, OptimizerSpec
from uat_explorer.core.io.class_export import write_class_parameters, write_class_table
from uat_explorer.core.io.class_session import ClassSession
from uat_explorer.core.io.session import MAX_SEED
from uat_explorer.core.nn.classifier import random_classifier
from uat_explorer.core.targets.classes import (
    CLASS_PRESETS,
    PRESET_POINTS,
    ClassTarget,
    class_preset,
    load_class_csv,
)
from uat_explorer.core.targets.target import check_domain, check_samples
from uat_explorer.core.teaching.race import MAX_RACE_STEPS
from uat_explorer.core.training.batches import check_batch_size
from uat_explorer.core.training.classtrainer import ClassReport

CURVE_ONLY = {
    "loss": "--loss",
    "stop_mse": "--stop-mse",
    "noise": "--noise",
    "test_fraction": "--test-fraction",
    "test_split": "--test-split",
    "weight_decay": "--weight-decay",
    "penalty": "--penalty",
    "early_stop": "--early-stop",
    "export_gif": "--export-gif",
    "error_band": "--error-band",
}
"""Flags of curve fits that mean nothing for classes (the loss is the cross-entropy,
the points are the labelled ones, the figure has no error band or animation yet)."""
CHUNK = 500
"""Steps between progress lines (and chances to be interrupted)."""
DEFAULT_STEPS = 1000


def is_class_fit(args: argparse.Namespace, session: object) -> bool:
    """Classes: --classes, a class preset as --target, or a class session to continue."""
    return bool(args.classes or args.target in CLASS_PRESETS or isinstance(session, ClassSession))


def run(args: argparse.Namespace, start: ClassSession | None) -> int:
    for key, flag in CURVE_ONLY.items():
        if getattr(args, key, None) not in (None, False):
            raise InputError(f"{flag} is for curve fits, not for classes")
    if args.restore_best_test:
        raise InputError("--restore-best-test is for curve fits, not for classes")
    session = _session(args, start)
    steps = args.steps if args.steps is not None else DEFAULT_STEPS
    if not 0 <= steps <= MAX_RACE_STEPS:
        raise InputError(f"--steps must be 0 or more and at most {MAX_RACE_STEPS:,}, got {steps}")
    first = session.step
    started = time.perf_counter()
    report, interrupted = _train(session, steps)
    seconds = time.perf_counter() - started
    exported = _export(session, args)
    output = summary(session, report, session.step - first, seconds) | {"exported": exported}
    if report.diverged:
        output["message"] = report.diverged
    if interrupted:
        output["message"] = f"interrupted at step {session.step}"
    print_class_summary(output, args.json)
    if report.diverged:
        print(f"uat-explorer: {report.diverged}", file=sys.stderr)
    return 130 if interrupted else 0


def _target(args: argparse.Namespace, seed: int) -> ClassTarget:
    if args.data and args.target:
        raise InputError("give --target or --data, not both")
    if args.data:
        if args.samples is not None:
            raise InputError("--samples sets a class preset's points; a file brings its own")
        return load_class_csv(args.data)
    if args.target:
        if args.target not in CLASS_PRESETS:
            known = ", ".join(CLASS_PRESETS)
            raise InputError(f"--classes needs --data FILE.csv or a class preset ({known})")
        count = check_samples(args.samples) if args.samples is not None else PRESET_POINTS
        return class_preset(args.target, seed, count)
    raise InputError("say what to classify: --data points.csv --classes, or --target bands3")


def _session(args: argparse.Namespace, start: ClassSession | None) -> ClassSession:
    """The session to continue, or a fresh one from the flags; flags override."""
    seed = args.seed if args.seed is not None else (start.seed if start else 0)
    if not 0 <= seed <= MAX_SEED:
        raise InputError(f"--seed must be between 0 and {MAX_SEED}, got {seed}")
    new_target = bool(args.data or args.target) or start is None
    target = start.target if start is not None and not new_target else _target(args, seed)
    if args.domain:
        domain = check_domain(args.domain)
    elif start is not None and not new_target:
        domain = start.domain
    else:
        domain = target.natural_domain()
    base = start.optimizer if start else OptimizerSpec("adam", 0.01)
    optimizer = OptimizerSpec(
        args.optimizer or base.name, args.lr if args.lr is not None else base.learning_rate
    )
    fresh = new_target or args.neurons is not None or args.activation is not None
    if start is not None and not (fresh or args.seed is not None):
        network, step = start.network.copy(), start.step
    else:
        count = args.neurons if args.neurons is not None else common.CLI_NEURONS
        if not 1 <= count <= MAX_NEURONS:
            raise InputError(f"--neurons must be between 1 and {MAX_NEURONS}, got {count}")
        kinds = [args.activation or "sigmoid"] * count
        network, step = random_classifier(kinds, domain, target.classes, seed), 0
    session = ClassSession(network, target, domain, optimizer, seed, step)
    size = args.batch_size if args.batch_size is not None else (start.batch_size if start else None)
    session.batch_size = check_batch_size(size, session.training_data()[0].size)
    return session


def _train(session: ClassSession, steps: int) -> tuple[ClassReport, bool]:
    """``steps`` more steps into ``session``; Ctrl+C keeps what was trained."""
    trainer = session.trainer()
    report = trainer.report()
    progress = common.ProgressLine()
    interrupted = False
    try:
        while trainer.step - session.step < steps and report.diverged is None:
            report = trainer.run(min(CHUNK, steps - (trainer.step - session.step)))
            progress.update(f"fit: step {trainer.step}  cross-entropy {report.loss:.4g}")
    except KeyboardInterrupt:
        interrupted = True
        report = trainer.report()
    progress.finish()
    session.network, session.step = trainer.network, trainer.step
    return report, interrupted


def _export(session: ClassSession, args: argparse.Namespace) -> dict[str, str]:
    written: dict[str, str] = {}
    if args.session_out:
        writing(args.session_out, lambda: session.save(args.session_out))
    written |= export_class_files(session, args)
    return written


def export_class_files(session: ClassSession, args: argparse.Namespace) -> dict[str, str]:
    """--export-csv, --export-params, --export-png and --export-svg of a class session."""
    written: dict[str, str] = {}
    if args.export_csv:
        write_file(
            written, "csv", args.export_csv, partial(write_class_table, args.export_csv, session)
        )
    if args.export_params:
        path = args.export_params
        write_file(written, "params", path, partial(write_class_parameters, path, session))
    if args.export_png or args.export_svg:
        from uat_explorer.export.class_figures import write_class_png, write_class_svg

        for key, path, write in (
            ("png", args.export_png, write_class_png),
            ("svg", args.export_svg, write_class_svg),
        ):
            if path:
                write_figure(written, key, path, args, partial(write, session, path))
    return written


def summary(
    session: ClassSession, report: ClassReport, steps: int, seconds: float
) -> dict[str, Any]:
    kinds = sorted(set(session.network.activations))
    x, _ = session.training_data()
    return {
        "task": "classes",
        "target": session.target.text,
        "classes": list(session.target.names),
        "domain": list(session.domain),
        "samples": int(x.size),
        "neurons": session.network.size,
        "activation": kinds[0] if len(kinds) == 1 else "mixed",
        "steps": steps,
        "total_steps": session.step,
        "seconds": seconds,
        "optimizer": session.optimizer.name,
        "learning_rate": session.optimizer.learning_rate,
        "batch_size": session.batch_size or int(x.size),
        "epochs": steps * (session.batch_size or x.size) / x.size,
        "accuracy": report.accuracy,
        "cross_entropy": report.loss,
        "loss_name": "cross_entropy",
        "diverged": report.diverged is not None,
        "message": "",
    }


def print_class_summary(result: dict[str, Any], as_json: bool) -> None:
    if as_json:
        common.print_json(result)
        return
    low, high = result["domain"]
    print(f"target      {result['target']} on [{low:.6g}, {high:.6g}]")
    print(f"classes     {', '.join(result['classes'])}")
    print(f"network     {result['neurons']} {result['activation']} neurons")
    if result["steps"]:
        steps = f"{result['steps']} steps of {result['optimizer']}"
        print(f"training    {steps} in {result['seconds']:.3f} s")
    print(
        f"fit         accuracy {result['accuracy']:.4f}"
        f"  cross-entropy {result['cross_entropy']:.4g}"
    )
    if result.get("message"):
        print(f"note        {result['message']}")
    for kind, path in result.get("exported", {}).items():
        print(f"wrote       {path} ({kind})")
