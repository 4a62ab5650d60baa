"""A step's task, checked against a session: pure functions, each saying what is still
wrong in the student's terms ("2 of 3 points within 0.05; at x = 0.7 the output is
0.62, it should be 1").

Most checks read the network as it is. ``trains_to`` and ``diverges`` train a copy from
the current state with the current settings (the window runs them in a worker).
``accuracy_above`` and ``cross_entropy_below`` read a class session (a step in the
classes window); the others a curve session.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass, replace
from typing import Any

import numpy as np

from uat_explorer.core.io.class_session import ClassSession
from uat_explorer.core.io.session import Session
from uat_explorer.core.lessons.lesson import Check
from uat_explorer.core.nn.formula import number
from uat_explorer.core.nn.losses import LOSSES, loss_by_name
from uat_explorer.core.nn.network import MAX_NEURONS
from uat_explorer.core.teaching.construct import measurement_grid
from uat_explorer.core.training.trainer import StopRule

MAX_POINTS = 1001
MAX_CHECK_STEPS = 200_000

Fail = Callable[[str, str], Exception]


@dataclass(frozen=True)
class CheckResult:
    """``message`` says what is still wrong, or that the task is done; ``score`` is the
    number a challenge keeps the best of (lower is better)."""

    passed: bool
    message: str
    score: float | None = None


@dataclass(frozen=True)
class _Kind:
    keys: dict[str, Callable[[Any, str, Fail], Any]]
    """Each key's reader: (value, key, fail) -> the value, checked."""
    optional: frozenset[str]
    evaluate: Callable[[dict[str, Any], Any], CheckResult]
    """(values, session) -> the result: a Session, or a ClassSession for a class check."""
    describe: Callable[[dict[str, Any]], str]
    trains: bool = False
    classes: bool = False
    """It reads a class session (a step in the classes window)."""


def _above(low: float) -> Callable[[Any, str, Fail], float]:
    def read(value: Any, key: str, fail: Fail) -> float:
        if (
            isinstance(value, bool)
            or not isinstance(value, int | float)
            or not (math.isfinite(value) and value > low)
        ):
            raise fail(key, f"{key} must be a number > {low:g}, got {value!r}")
        return float(value)

    return read


_positive = _above(0.0)
_above_one = _above(1.0)


def _count(low: int, high: int) -> Callable[[Any, str, Fail], int]:
    def read(value: Any, key: str, fail: Fail) -> int:
        if isinstance(value, bool) or not isinstance(value, int) or not low <= value <= high:
            raise fail(key, f"{key} must be a whole number from {low} to {high:,}, got {value!r}")
        return value

    return read


def _finite(value: Any, key: str, fail: Fail) -> float:
    if isinstance(value, bool) or not isinstance(value, int | float) or not math.isfinite(value):
        raise fail(key, f"{key} must be a number, got {value!r}")
    return float(value)


def _points(value: Any, key: str, fail: Fail) -> list[tuple[float, float]]:
    if not isinstance(value, list) or not 1 <= len(value) <= 50:
        raise fail(key, f"{key} must be a list of 1 to 50 points [x, y]")
    points = []
    for point in value:
        if not (isinstance(point, list) and len(point) == 2):
            raise fail(key, f"{key}: each point is [x, y], got {point!r}")
        points.append((_finite(point[0], key, fail), _finite(point[1], key, fail)))
    return points


def _loss_name(value: Any, key: str, fail: Fail) -> str:
    if value not in LOSSES:
        raise fail(key, f"{key} must be one of {', '.join(LOSSES)}, got {value!r}")
    return str(value)


def _batch(value: Any, key: str, fail: Fail) -> int | None:
    if value == "full":
        return None
    return _count(1, 20_000)(value, key, fail)


def _n(value: float) -> str:
    return number(value, 3)


def _output_at(values: dict[str, Any], session: Session) -> CheckResult:
    points, tolerance = values["points"], values["tolerance"]
    xs = np.array([p[0] for p in points])
    want = np.array([p[1] for p in points])
    with np.errstate(all="ignore"):
        got = session.network(xs)
    close = np.abs(got - want) <= tolerance
    count = len(points)
    if close.all():
        every = {1: "The point is", 2: "Both points are"}.get(count, f"All {count} points are")
        return CheckResult(True, f"{every} within {_n(tolerance)}.")
    k = int(np.argmin(close))
    return CheckResult(
        False,
        f"{int(close.sum())} of {count} points within {_n(tolerance)}; at x = {_n(xs[k])} the"
        f" output is {_n(float(got[k]))}, it should be {_n(float(want[k]))}.",
    )


def _step_at(values: dict[str, Any], session: Session) -> CheckResult:
    j, x, tolerance = values["neuron"], values["x"], values["tolerance"]
    network = session.network
    if j > network.size:
        return CheckResult(False, f"There is no neuron {j} yet: add one.")
    w, b = float(network.w[j - 1]), float(network.b[j - 1])
    if w == 0:
        return CheckResult(False, f"Neuron {j} is flat (w = 0): it switches on nowhere.")
    s = -b / w
    if abs(s - x) <= tolerance:
        return CheckResult(True, f"Neuron {j} switches on at x = {_n(s)}.")
    return CheckResult(
        False,
        f"Neuron {j} switches on at s = −b/w = {_n(s)}; it should at {_n(x)} (± {_n(tolerance)}).",
    )


def _loss_below(values: dict[str, Any], session: Session) -> CheckResult:
    name = values.get("loss", session.loss)
    x, t = session.training_data()
    with np.errstate(all="ignore"):
        residual = session.network(x) - t
        loss = float(np.mean(loss_by_name(name).each(residual)))
    label = name.upper()
    if loss < values["value"]:
        return CheckResult(True, f"The loss ({label}) is {_n(loss)}, below {_n(values['value'])}.")
    return CheckResult(
        False, f"The loss ({label}) is {_n(loss)}; bring it below {_n(values['value'])}."
    )


def _neurons_used(session: Session) -> int:
    return int(np.count_nonzero(~session.network.muted))


def _too_many(values: dict[str, Any], session: Session) -> str | None:
    limit = values.get("neurons_at_most")
    used = _neurons_used(session)
    if limit is not None and used > limit:
        return f"{used} neurons are in use; the task allows at most {limit} (mute or remove some)."
    return None


def _max_error_below(values: dict[str, Any], session: Session) -> CheckResult:
    """Over the domain, as the Construct panel measures it (the samples alone can miss a
    jump between two of them); over the points themselves for a data target."""
    x, t = session.training_data()
    target = session.target
    if not target.is_data:
        x = np.concatenate([measurement_grid(session.domain), x])
        t = np.asarray(target(x), dtype=np.float64)
    with np.errstate(all="ignore"):
        error = np.abs(session.network(x) - t)
    worst = float(np.max(error)) if np.isfinite(error).all() else math.inf
    epsilon = values["epsilon"]
    too_many = _too_many(values, session)
    if worst > epsilon:
        k = int(np.argmax(error))
        return CheckResult(
            False,
            f"max |error| is {_n(worst)} (at x = {_n(float(x[k]))}); it should be at most"
            f" ε = {_n(epsilon)}.",
        )
    if too_many:
        return CheckResult(False, too_many)
    used = _neurons_used(session)
    return CheckResult(True, f"max |error| {_n(worst)} ≤ ε = {_n(epsilon)} with {used} neurons.")


def _train(session: Session, steps: int, loss_below: float | None = None) -> tuple[Any, Any]:
    trainer = session.trainer()
    trainer.stop = StopRule(max_steps=session.step + steps, loss_below=loss_below)
    report = trainer.run(steps)
    return trainer, report


def _trains_to(values: dict[str, Any], session: Session) -> CheckResult:
    target, steps = values["loss"], values["steps"]
    trainer, report = _train(session, steps, loss_below=target)
    done = trainer.step - session.step
    if report.diverged:
        return CheckResult(
            False, f"Training from here diverges at step {done:,}: the learning rate is too high."
        )
    if report.loss <= target:
        return CheckResult(True, f"Training reaches {_n(report.loss)} in {done:,} steps.")
    return CheckResult(
        False,
        f"Training {steps:,} steps from here reaches {_n(report.loss)}, not yet"
        f" {_n(target)}: change the settings and try again.",
    )


def _diverges(values: dict[str, Any], session: Session) -> CheckResult:
    steps = values["steps"]
    _, report = _train(session, steps)
    if report.diverged:
        return CheckResult(True, f"Training blows up at step {report.diverged_step:,}.")
    return CheckResult(
        False,
        f"Training {steps:,} steps from here stays finite (loss {_n(report.loss)}): the learning"
        " rate is not too high yet.",
    )


NO_TEST_POINTS = "There are no test points yet: hold some out (Target panel, Held out)."


def _test_loss_turned_up(values: dict[str, Any], session: Session) -> CheckResult:
    """The test loss of the session's run rose to ``factor`` times its lowest, which came
    earlier: the network has begun to fit the noise."""
    if not session.sample_set().has_test:
        return CheckResult(False, NO_TEST_POINTS)
    steps, losses = session.history.test.arrays()
    if steps.size < 2:
        return CheckResult(False, "Train for a while: the test loss has no history yet.")
    k = int(np.argmin(losses))
    lowest, now, factor = float(losses[k]), float(losses[-1]), values["factor"]
    at = f"its lowest, {_n(lowest)}, at step {int(steps[k]):,}"
    if now >= factor * lowest:
        return CheckResult(
            True,
            f"The test loss is {_n(now)}, {_n(now / lowest)} times {at}: while the training"
            " loss kept falling, the network fitted the noise.",
        )
    return CheckResult(
        False,
        f"The test loss is {_n(now)}, {at}; train on until it is {_n(factor)} times that.",
    )


def _trains_test_below(values: dict[str, Any], session: Session) -> CheckResult:
    """Training ``steps`` from here with the current settings (weight decay, early
    stopping and its restore included) ends with a test loss below ``loss``."""
    if not session.sample_set().has_test:
        return CheckResult(False, NO_TEST_POINTS)
    steps, mark = values["steps"], values["loss"]
    trainer = session.trainer()
    trainer.stop = replace(
        session.stop, max_steps=session.step + steps, loss_below=None, plateau_steps=None
    )
    report = trainer.run(steps)
    test = report.test_loss if report.test_loss is not None else math.inf
    done = f"Training {trainer.step - session.step:,} steps from here ends with test loss"
    if report.diverged is None and test < mark:
        return CheckResult(True, f"{done} {_n(test)}, below {_n(mark)}.")
    return CheckResult(
        False,
        f"{done} {_n(test)}; it should end below {_n(mark)}: weight decay or early stopping"
        " keep the curve from chasing the noise.",
    )


def _batch_size(values: dict[str, Any], session: Session) -> CheckResult:
    want, have = values["value"], session.batch_size
    say = "the full batch" if want is None else f"{want} samples a step"
    if want == have:
        return CheckResult(True, f"Training uses {say}.")
    now = "the full batch" if have is None else f"{have} samples a step"
    return CheckResult(False, f"Training uses {now}; the task is {say}.")


def _mean_deviation_below(values: dict[str, Any], session: Session) -> CheckResult:
    points, mark = values["points"], values["value"]
    x = np.linspace(*session.domain, points)
    with np.errstate(all="ignore"):
        deviation = float(np.mean(np.abs(session.network(x) - session.target(x))))
    if not math.isfinite(deviation):
        deviation = math.inf
    too_many = _too_many(values, session)
    score = f"Mean deviation {_n(deviation)} on {points} points"
    if deviation > mark:
        return CheckResult(False, f"{score}; the pass mark is {_n(mark)}.", deviation)
    if too_many:
        return CheckResult(False, too_many, deviation)
    return CheckResult(True, f"{score}: passed (the mark is {_n(mark)}).", deviation)


def _class_numbers(session: ClassSession) -> tuple[float, float, int]:
    """Cross-entropy, accuracy and how many points are misclassified, now."""
    report = session.trainer().report()
    x, _ = session.training_data()
    return report.loss, report.accuracy, round((1.0 - report.accuracy) * x.size)


def _accuracy_above(values: dict[str, Any], session: ClassSession) -> CheckResult:
    _, accuracy, wrong = _class_numbers(session)
    asked = values["accuracy"]
    said = f"Accuracy {accuracy:.3f} ({wrong} point{'s' * (wrong != 1)} misclassified)"
    if accuracy < asked:
        return CheckResult(False, f"{said}; {_n(asked)} is asked. The ringed points are wrong.")
    return CheckResult(True, f"{said}: passed ({_n(asked)} was asked).")


def _cross_entropy_below(values: dict[str, Any], session: ClassSession) -> CheckResult:
    loss, _, _ = _class_numbers(session)
    asked = values["loss"]
    if not loss < asked:
        return CheckResult(False, f"Cross-entropy {_n(loss)}; below {_n(asked)} is asked.")
    return CheckResult(True, f"Cross-entropy {_n(loss)}: passed (below {_n(asked)} was asked).")


def _fraction(value: Any, key: str, fail: Fail) -> float:
    if isinstance(value, bool) or not isinstance(value, int | float) or not 0 < value <= 1:
        raise fail(key, f"{key} must be a number in (0, 1], got {value!r}")
    return float(value)


def _points_text(points: list[tuple[float, float]]) -> str:
    return ", ".join(f"({_n(x)}, {_n(y)})" for x, y in points)


def _limit_text(values: dict[str, Any]) -> str:
    limit = values.get("neurons_at_most")
    return "" if limit is None else f" with at most {limit} neurons"


CHECKS: dict[str, _Kind] = {
    "output_at": _Kind(
        {"points": _points, "tolerance": _positive},
        frozenset(),
        _output_at,
        lambda v: (
            f"Make the output pass through {_points_text(v['points'])}, each within"
            f" {_n(v['tolerance'])}."
        ),
    ),
    "step_at": _Kind(
        {"neuron": _count(1, MAX_NEURONS), "x": _finite, "tolerance": _positive},
        frozenset(),
        _step_at,
        lambda v: (
            f"Make neuron {v['neuron']} switch on at x = {_n(v['x'])}"
            f" (within {_n(v['tolerance'])})."
        ),
    ),
    "loss_below": _Kind(
        {"value": _positive, "loss": _loss_name},
        frozenset({"loss"}),
        _loss_below,
        lambda v: (
            f"Bring the loss{' (' + v['loss'].upper() + ')' if 'loss' in v else ''} below"
            f" {_n(v['value'])}."
        ),
    ),
    "max_error_below": _Kind(
        {"epsilon": _positive, "neurons_at_most": _count(0, MAX_NEURONS)},
        frozenset({"neurons_at_most"}),
        _max_error_below,
        lambda v: f"Reach max |error| ≤ ε = {_n(v['epsilon'])}{_limit_text(v)}.",
    ),
    "trains_to": _Kind(
        {"loss": _positive, "steps": _count(1, MAX_CHECK_STEPS)},
        frozenset(),
        _trains_to,
        lambda v: (
            f"Choose settings with which {v['steps']:,} steps of training reach a loss"
            f" of {_n(v['loss'])}."
        ),
        trains=True,
    ),
    "diverges": _Kind(
        {"steps": _count(1, MAX_CHECK_STEPS)},
        frozenset(),
        _diverges,
        lambda v: f"Find a learning rate with which training blows up within {v['steps']:,} steps.",
        trains=True,
    ),
    "batch_size": _Kind(
        {"value": _batch},
        frozenset(),
        _batch_size,
        lambda v: (
            "Train on the full batch."
            if v["value"] is None
            else f"Train in mini-batches of {v['value']} samples."
        ),
    ),
    "test_loss_turned_up": _Kind(
        {"factor": _above_one},
        frozenset({"factor"}),
        _test_loss_turned_up,
        lambda v: f"Train until the test loss has turned up to {_n(v['factor'])} times its lowest.",
    ),
    "trains_test_below": _Kind(
        {"loss": _positive, "steps": _count(1, MAX_CHECK_STEPS)},
        frozenset(),
        _trains_test_below,
        lambda v: (
            f"Choose settings with which {v['steps']:,} steps of training end with a test"
            f" loss below {_n(v['loss'])}."
        ),
        trains=True,
    ),
    "mean_deviation_below": _Kind(
        {
            "value": _positive,
            "points": _count(2, MAX_POINTS),
            "neurons_at_most": _count(0, MAX_NEURONS),
        },
        frozenset({"points", "neurons_at_most"}),
        _mean_deviation_below,
        lambda v: (
            f"Bring the mean deviation from the target on {v['points']} points below"
            f" {_n(v['value'])}{_limit_text(v)}."
        ),
    ),
    "accuracy_above": _Kind(
        {"accuracy": _fraction},
        frozenset(),
        _accuracy_above,
        lambda v: f"Classify at least {v['accuracy']:.0%} of the points correctly.",
        classes=True,
    ),
    "cross_entropy_below": _Kind(
        {"loss": _positive},
        frozenset(),
        _cross_entropy_below,
        lambda v: f"Bring the cross-entropy below {_n(v['loss'])}.",
        classes=True,
    ),
}
CURVE_CHECKS = tuple(name for name, kind in CHECKS.items() if not kind.classes)
"""The checks of a step on the curve document (the others are for the classes window)."""
DEFAULTS: dict[str, dict[str, Any]] = {
    "mean_deviation_below": {"points": 101},
    "test_loss_turned_up": {"factor": 1.5},
}


def validate_check(table: dict[str, Any], fail: Fail) -> Check:
    """The check a lesson block's [check] table describes; ``fail(key, message)`` makes
    the error (with the key's line) for anything wrong."""
    kind_name = str(table["kind"])
    kind = CHECKS[kind_name]
    values: dict[str, Any] = dict(DEFAULTS.get(kind_name, {}))
    for key, value in table.items():
        if key == "kind":
            continue
        if key not in kind.keys:
            known = ", ".join(kind.keys)
            raise fail(key, f"{kind_name} has no {key!r} (it takes {known})")
        values[key] = kind.keys[key](value, key, fail)
    missing = [k for k in kind.keys if k not in values and k not in kind.optional]
    if missing:
        raise fail("kind", f"{kind_name} needs {', '.join(missing)}")
    return Check(kind_name, values)


def evaluate(check: Check, session: Session | ClassSession) -> CheckResult:
    """Whether ``session`` does what the check asks, and what is still wrong if not."""
    kind = CHECKS[check.kind]
    if kind.classes != isinstance(session, ClassSession):
        where = "the classes window" if kind.classes else "the curve window"
        return CheckResult(False, f"This step's task is done in {where}.")
    return kind.evaluate(check.values, session)


def for_classes(check: Check) -> bool:
    """Whether the check reads a class session."""
    return CHECKS[check.kind].classes


def describe(check: Check) -> str:
    """The task in words (for a handout)."""
    return CHECKS[check.kind].describe(check.values)


def trains(check: Check) -> bool:
    """Whether checking trains a copy (seconds of work: the window runs it in a worker)."""
    return CHECKS[check.kind].trains
