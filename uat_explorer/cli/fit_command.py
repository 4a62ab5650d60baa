"""`uat-explorer fit`: train headless, report, save, export."""

from __future__ import annotations

import argparse
import math
import sys
import time
from dataclasses import replace

from uat_explorer.cli import class_fit, common, exports
from uat_explorer.core import (
    ACTIVATIONS,
    LOSSES,
    MAX_NEURONS,
    OPTIMIZERS,
    InputError,
    Network,
    OptimizerSpec,
    Session,
    StopRule,
    TrainReport,
    random_network,
)
from uat_explorer.core.io.class_session import ClassSession, load_session
from uat_explorer.core.io.session import MAX_SEED, MAX_STEPS
from uat_explorer.core.nn.losses import loss_by_name
from uat_explorer.core.targets.classes import CLASS_PRESETS
from uat_explorer.core.targets.samples import TEST_MODES
from uat_explorer.core.targets.target import check_samples
from uat_explorer.core.teaching.race import MAX_RACE_STEPS
from uat_explorer.core.training.batches import check_batch_size
from uat_explorer.core.training.heldout import held_out_fit, true_error
from uat_explorer.core.training.penalty import PENALTIES, Penalty

DEFAULT_STEPS = 1000
DEFAULT_OPTIMIZER = "lm"
"""To fit to accuracy LM is 5–20× faster than Adam here; the window defaults to Adam,
which is nicer to watch."""
PROGRESS_AFTER = 1.0
MAX_RUN_STEPS = MAX_RACE_STEPS
"""One command's budget, as for a race: ten million steps is hours at 256 neurons."""


def add_parser(commands: common.Commands) -> None:
    fit = commands.add_parser("fit", help="train a network headless and report the fit")
    common.add_target_options(fit)
    fit.add_argument(
        "--classes",
        action="store_true",
        help="classify: --data holds x,label rows (2 to 6 classes); or a class preset as"
        f" --target ({', '.join(CLASS_PRESETS)})",
    )
    fit.add_argument("--neurons", type=int, help=f"hidden neurons, 1–{MAX_NEURONS} (16)")
    fit.add_argument("--activation", choices=list(ACTIVATIONS), help="neuron kind (sigmoid)")
    fit.add_argument(
        "--optimizer", choices=list(OPTIMIZERS), help=f"({DEFAULT_OPTIMIZER}: fastest to fit)"
    )
    fit.add_argument("--lr", type=float, help="learning rate for sgd, momentum, adam (0.01)")
    fit.add_argument("--loss", choices=list(LOSSES), help="loss to minimise (mse)")
    fit.add_argument(
        "--steps",
        type=int,
        help=f"steps to run, 0 to {MAX_RUN_STEPS:,} ({DEFAULT_STEPS}; 0 evaluates)",
    )
    fit.add_argument("--seed", type=int, help="seed of the initial weights (0)")
    fit.add_argument("--stop-mse", type=float, help="stop as soon as the MSE is at most this")
    fit.add_argument(
        "--batch-size",
        type=int,
        metavar="B",
        help="samples per step (mini-batches, shuffled each epoch from the seed; full batch)",
    )
    held = fit.add_argument_group("samples, not the function: noise, test points, weight decay")
    held.add_argument(
        "--noise", type=float, metavar="SD", help="Gaussian noise on the samples, from the seed (0)"
    )
    held.add_argument(
        "--test-fraction",
        type=float,
        metavar="F",
        help="share of the samples held out as test points, never trained on (0 … 0.9; 0)",
    )
    held.add_argument(
        "--test-split",
        choices=list(TEST_MODES),
        help="test points at random from the seed, or evenly between training points (random)",
    )
    held.add_argument(
        "--weight-decay",
        type=float,
        metavar="L",
        help="λ: minimise L + λ/2·‖θ‖² over w, b, v (c excluded; 0)",
    )
    held.add_argument("--penalty", choices=list(PENALTIES), help="l2 (λ/2·‖θ‖²) or l1 (λ·‖θ‖₁)")
    held.add_argument(
        "--early-stop",
        type=int,
        metavar="K",
        help="stop when the test loss has not improved for K steps",
    )
    held.add_argument(
        "--restore-best-test",
        action="store_true",
        help="at the end, keep the weights with the lowest test loss",
    )
    fit.add_argument(
        "--session-in", metavar="FILE", help="start from a saved session (flags override)"
    )
    fit.add_argument("--session-out", metavar="FILE", help="save the result as a session")
    fit.add_argument("--json", action="store_true", help="print one JSON object on stdout")
    exports.add_export_options(fit, gif="record the fit as an animated GIF")
    fit.set_defaults(handler=run)


def run(args: argparse.Namespace) -> int:
    exports.check_exports(args)
    opened = load_session(args.session_in) if args.session_in else None
    if class_fit.is_class_fit(args, opened):
        if opened is not None and not isinstance(opened, ClassSession):
            raise InputError(
                f"{args.session_in} is a curve session; a class fit starts afresh or from a"
                " class session"
            )
        return class_fit.run(args, opened)
    assert not isinstance(opened, ClassSession)  # is_class_fit takes every class session
    session = opened
    target = common.choose_target(args, session)
    domain = common.choose_domain(args, session, target)
    samples = check_samples(
        args.samples
        if args.samples is not None
        else session.samples
        if session
        else common.DEFAULT_SAMPLES
    )
    steps = args.steps if args.steps is not None else DEFAULT_STEPS
    if not 0 <= steps <= MAX_RUN_STEPS:
        raise InputError(f"--steps must be 0 or more and at most {MAX_RUN_STEPS:,}, got {steps}")
    if args.stop_mse is not None and not (math.isfinite(args.stop_mse) and args.stop_mse >= 0):
        raise InputError(f"--stop-mse must be a finite number ≥ 0, got {args.stop_mse}")
    network, seed, step = _choose_network(args, session, domain)
    base = session.optimizer if session else OptimizerSpec(DEFAULT_OPTIMIZER)
    optimizer = OptimizerSpec(
        args.optimizer or base.name, args.lr if args.lr is not None else base.learning_rate
    )
    loss = args.loss or (session.loss if session else "mse")
    if args.stop_mse is not None and loss != "mse":
        raise InputError("--stop-mse needs --loss mse")
    fit = Session(
        network=network,
        target=target,
        domain=domain,
        samples=samples,
        loss=loss,
        optimizer=optimizer,
        stop=_stop(args, session, min(step + steps, MAX_STEPS)),
        seed=seed,
        step=step,
        penalty=_penalty(args, session),
    )
    _held_out(args, session, fit)
    if session is not None and step == session.step:
        fit.history = session.history  # continuing: the run is appended to its history
    held = fit.sample_set()  # a target not finite on the domain fails here, before work
    x, _ = held.train
    if (fit.stop.test_patience or fit.stop.restore_best_test) and not held.has_test:
        raise InputError(
            "--early-stop and --restore-best-test watch the test loss: hold out test points"
            " with --test-fraction"
        )
    fit.batch_size = _batch_size(args, session, optimizer, x.size)
    started = time.perf_counter()
    if getattr(args, "export_gif", None):
        result, report = _record(fit, steps, args)
        interrupted = False
    else:
        # The timeline costs time every step; it is kept only when the session is saved.
        result, report, interrupted = _train(fit, steps, record=bool(args.session_out))
    seconds = time.perf_counter() - started
    if args.session_out:
        common.save_session(result, args.session_out)
    exported = exports.export_static(result, args)
    if getattr(args, "export_gif", None):
        exported["gif"] = args.export_gif
    output = (
        common.summary(result, report.metrics, result.step - step, seconds)
        | {
            "diverged": report.diverged is not None,
            "message": report.diverged or _stop_message(report.stopped),
            "optimizer": optimizer.name,
            "learning_rate": optimizer.learning_rate,
            "loss": report.loss,
            "loss_name": loss,
            "batch_size": fit.batch_size or x.size,
            "epochs": (result.step - step) * (fit.batch_size or x.size) / x.size,
            "exported": exported,
        }
        | _generalization(result, report)
    )
    if interrupted:
        output["message"] = f"interrupted at step {result.step}"
    common.print_summary(output, args.json)
    if report.diverged:
        print(f"uat-explorer: {report.diverged}", file=sys.stderr)
    if interrupted:
        kept = f"; {args.session_out} holds what was trained" if args.session_out else ""
        print(
            f"uat-explorer: interrupted after {result.step - step} of {steps} steps{kept}",
            file=sys.stderr,
        )
        return 130
    return 0


def _stop(args: argparse.Namespace, session: Session | None, max_steps: int) -> StopRule:
    """This command's budget and --stop-mse; early stopping from the flags, else the
    session's."""
    kept = session.stop if session is not None else StopRule()
    patience = args.early_stop if args.early_stop is not None else kept.test_patience
    if patience is not None and not 1 <= patience <= MAX_STEPS:
        raise InputError(f"--early-stop must be 1 to {MAX_STEPS:,} steps, got {patience}")
    return StopRule(
        max_steps=max_steps,
        loss_below=args.stop_mse,
        test_patience=patience,
        restore_best_test=args.restore_best_test or kept.restore_best_test,
    )


def _penalty(args: argparse.Namespace, session: Session | None) -> Penalty:
    kept = session.penalty if session is not None else Penalty()
    strength = args.weight_decay if args.weight_decay is not None else kept.strength
    if not (math.isfinite(strength) and strength >= 0):
        raise InputError(f"--weight-decay must be a number ≥ 0, got {strength}")
    return Penalty(args.penalty or kept.kind, strength)


def _held_out(args: argparse.Namespace, session: Session | None, fit: Session) -> None:
    """--noise, --test-fraction and --test-split (else the session's) into ``fit``."""
    if session is not None:
        fit.noise, fit.test_fraction = session.noise, session.test_fraction
        fit.test_mode = session.test_mode
    if args.noise is not None:
        if not (math.isfinite(args.noise) and args.noise >= 0):
            raise InputError(f"--noise must be a standard deviation ≥ 0, got {args.noise}")
        fit.noise = args.noise
    if args.test_fraction is not None:
        fit.test_fraction = args.test_fraction
    if args.test_split is not None:
        fit.test_mode = args.test_split


def _stop_message(stopped: str | None) -> str:
    """Why training ended before the budget, or what it kept at the end (restored)."""
    if not stopped:
        return ""
    if stopped.startswith("step budget"):
        return stopped if "restored" in stopped else ""
    return f"stopped early: {stopped}"


def _generalization(result: Session, report: TrainReport) -> dict[str, object]:
    """Train and test loss and MSE, the lowest test loss and its step (null without test
    points), the true error against the noise-free target, and what produced them. The
    test numbers are those of the saved weights in float64, as anyone checking them with
    the exported parameters on the exported test points gets."""
    test = held_out_fit(result.network, *result.test_data(), loss_by_name(result.loss).each)
    best = report.best_test
    return {
        "train_loss": report.loss,
        "train_mse": report.metrics.mse,
        "test_loss": None if test is None else test[0],
        "test_mse": None if test is None else test[1].mse,
        "best_test_step": None if best is None else best[0],
        "best_test_loss": None if best is None else best[1],
        "true_error": true_error(result.network, result.target, result.domain),
        "test_samples": int(result.test_data()[0].size),
        "noise": result.noise,
        "test_fraction": result.test_fraction,
        "test_split": result.test_mode,
        "weight_decay": result.penalty.strength,
        "penalty": result.penalty.kind,
        "early_stop": result.stop.test_patience,
        "restore_best_test": result.stop.restore_best_test,
    }


def _train(fit: Session, steps: int, record: bool) -> tuple[Session, TrainReport, bool]:
    """Train ``steps`` more steps, folding each stretch into the session's history as
    the window does (a rollback forgets the steps after it). Ctrl+C ends the training,
    not the command: what was trained is kept (the third value says so)."""
    trainer = fit.trainer(record=record)
    report = trainer.run(0)
    progress = common.ProgressLine(PROGRESS_AFTER)
    end = fit.step + steps
    interrupted = False
    try:
        while report.stopped is None and report.diverged is None and trainer.step < end:
            first = trainer.step
            report = trainer.run(end - trainer.step, seconds=0.25)
            fit.history.record(
                first, report.losses, report.epoch_losses, report.timeline, report.test_losses
            )
            done = trainer.step - fit.step
            progress.update(f"fit: step {done}/{steps}  mse {report.metrics.mse:.3e}")
    except KeyboardInterrupt:
        interrupted = True
        report = trainer.run(0)  # the loss and metrics of the weights the last stretch left
    progress.finish()
    fit.history.truncate(trainer.step)
    return replace(fit, network=trainer.network, step=trainer.step), report, interrupted


def _batch_size(
    args: argparse.Namespace, session: Session | None, optimizer: OptimizerSpec, samples: int
) -> int | None:
    """--batch-size, else the session's; LM trains full batch only."""
    if args.batch_size is not None:
        if not optimizer.uses_learning_rate:
            raise InputError(
                "Levenberg–Marquardt is full batch only: use --optimizer sgd, momentum or adam"
                " with --batch-size"
            )
        return check_batch_size(args.batch_size, samples)
    if session is None or session.batch_size is None or not optimizer.uses_learning_rate:
        return None
    return check_batch_size(min(session.batch_size, samples), samples)


def _record(fit: Session, steps: int, args: argparse.Namespace) -> tuple[Session, TrainReport]:
    from uat_explorer.export.animation import record_fit
    from uat_explorer.export.headless import ensure_application

    ensure_application()
    frames = args.gif_frames
    per_frame = max(1, math.ceil(steps / max(frames - 1, 1)))

    line = common.ProgressLine(PROGRESS_AFTER)

    def progress(done: int, total: int) -> bool:
        line.update(f"gif: frame {done}/{total}")
        return True

    recording = record_fit(fit, frames, per_frame, exports.figure_options(args), progress)
    line.finish()
    assert recording is not None  # None only when progress cancels, and it never does
    exports.write_gif(recording.images, args)
    return recording.session, recording.report


def _choose_network(
    args: argparse.Namespace, session: Session | None, domain: tuple[float, float]
) -> tuple[Network, int, int]:
    """The session's network unless a flag asks for new weights; returns (net, seed, step)."""
    fresh = args.neurons is not None or args.activation is not None or args.seed is not None
    if session is not None and not fresh:
        return session.network.copy(), session.seed, session.step
    count = (
        args.neurons
        if args.neurons is not None
        else (session.network.size if session else common.CLI_NEURONS)
    )
    if not 1 <= count <= MAX_NEURONS:
        raise InputError(f"--neurons must be between 1 and {MAX_NEURONS}, got {count}")
    seed = args.seed if args.seed is not None else (session.seed if session else 0)
    if not 0 <= seed <= MAX_SEED:
        raise InputError(f"--seed must be between 0 and {MAX_SEED}, got {seed}")
    return random_network([args.activation or "sigmoid"] * count, domain, seed), seed, 0
