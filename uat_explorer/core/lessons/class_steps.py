"""Steps taken in the classes window: a start on a class preset's points, the settings a
step changes there (network size and kind, optimizer, rate, batch, seed), and their
training, so a lesson can teach probabilities and cross-entropy as it teaches curves.

A class step's start is ``classes:PRESET`` (or "current" after a class step); its setup
and solution hold only ``settings`` and ``train_steps``.
"""

from __future__ import annotations

from dataclasses import replace

from uat_explorer.core.errors import InputError
from uat_explorer.core.io.class_session import ClassSession
from uat_explorer.core.lessons.lesson import CLASS_START, NETWORK_KEYS, Change, Step
from uat_explorer.core.lessons.parser import LessonError
from uat_explorer.core.nn.classifier import random_classifier
from uat_explorer.core.targets.classes import class_preset
from uat_explorer.core.training.batches import check_batch_size
from uat_explorer.core.training.class_history import ClassHistory
from uat_explorer.core.training.optimizers import OptimizerSpec

START_NEURONS = 8


def class_start(preset: str) -> ClassSession:
    """The preset's points (from seed 0) and a fresh network of START_NEURONS sigmoids."""
    target = class_preset(preset)
    domain = target.natural_domain()
    network = random_classifier(["sigmoid"] * START_NEURONS, domain, target.classes, 0)
    return ClassSession(network, target, domain)


def step_start_classes(step: Step, current: ClassSession | None) -> ClassSession:
    """A class step's start: its preset's points afresh, or (a "current" start) the state
    the class step before ended in; its setup laid over either."""
    if step.start.startswith(CLASS_START) or current is None:
        start = class_start(step.start.removeprefix(CLASS_START))
    else:
        start = current
    return apply_class_change(start, step.setup, step.line)


def apply_class_change(session: ClassSession, change: Change, line: int = 0) -> ClassSession:
    """``session`` with the change's settings laid over it; a new network when its size,
    kind or seed changes. A setting the classes cannot take is a LessonError."""
    settings = change.settings
    if not settings:
        return session
    optimizer = session.optimizer
    try:
        spec = OptimizerSpec(
            str(settings.get("optimizer", optimizer.name)),
            float(settings.get("lr", optimizer.learning_rate)),
        )  # the session refuses Levenberg–Marquardt
        done = replace(session, optimizer=spec, history=session.history.copy())
        if any(key in settings for key in NETWORK_KEYS):
            net = session.network
            kinds = set(net.activations)
            kind = str(settings.get("activation", kinds.pop() if len(kinds) == 1 else "sigmoid"))
            size = int(settings.get("neurons", net.size))
            seed = int(settings.get("seed", session.seed))
            network = random_classifier([kind] * size, session.domain, session.target.classes, seed)
            done = replace(done, network=network, seed=seed, step=0, history=ClassHistory())
        if "batch_size" in settings:
            size = settings["batch_size"]
            x, _ = session.training_data()
            done.batch_size = check_batch_size(size if isinstance(size, int) else None, x.size)
        return done
    except InputError as error:
        raise LessonError(f"line {line}: {error}") from None


def train_classes(session: ClassSession, steps: int) -> ClassSession:
    """``session`` after ``steps`` more steps of training with its own settings."""
    if steps <= 0:
        return session
    trainer = session.trainer()
    report = trainer.run(steps)
    history = session.history.copy()
    history.record(report.step, report.loss, report.accuracy, trainer.theta.astype(float))
    return replace(session, network=trainer.network, step=trainer.step, history=history)
