"""Where a step starts and what its solution makes: sessions built from the lesson's
words ("empty", "example:five-bumps", "session:start.json", a partial session)."""

from __future__ import annotations

import copy
from dataclasses import replace

from uat_explorer.core.errors import InputError
from uat_explorer.core.io.examples import EXAMPLES, example
from uat_explorer.core.io.session import Session, default_session
from uat_explorer.core.lessons.lesson import Change, Lesson, Step
from uat_explorer.core.lessons.parser import LessonError, session_path
from uat_explorer.core.nn.network import Network, Neuron
from uat_explorer.core.targets.target import Target, check_domain
from uat_explorer.core.teaching.construct import construct
from uat_explorer.core.training.batches import check_batch_size
from uat_explorer.core.training.history import TrainingHistory
from uat_explorer.core.training.optimizers import OptimizerSpec
from uat_explorer.core.training.penalty import Penalty


def start_session(step: Step, lesson: Lesson, current: Session) -> Session:
    """The state a step starts from, its setup laid over it. ``current``: what the
    window (or the previous step) holds."""
    kind, _, name = step.start.partition(":")
    if step.start == "current":
        session = current.copy()
    elif step.start == "default":
        session = default_session()
    elif step.start == "empty":
        session = _fresh(replace(current.copy(), network=Network.from_neurons([], 0.0)))
    elif kind == "example":
        if name not in {e.name for e in EXAMPLES}:
            known = ", ".join(e.name for e in EXAMPLES)
            raise LessonError(f"line {step.line}: unknown example {name!r} (known: {known})")
        session = example(name).build()
    else:
        path = session_path(step.start, lesson.path, step.line)
        try:
            session = Session.load(path)
        except InputError as error:
            raise LessonError(f"line {step.line}: {path.name}: {error}") from None
    return apply_change(session, step.setup, step.line)


def _fresh(session: Session) -> Session:
    """Step 0 and no history: a new start, not a continuation."""
    fresh = replace(session, step=0, neuron_ids=None)
    fresh.history = TrainingHistory()
    return fresh


def apply_change(session: Session, change: Change, line: int = 0) -> Session:
    """``session`` with the change laid over it (training, if the change asks for it,
    is the caller's: ``train``). A change the session cannot take is a LessonError."""
    if change.empty:
        return session
    done = session.copy()
    try:
        if change.neurons is not None:
            neurons = [
                Neuron(
                    n.get("activation", "sigmoid"),
                    float(n.get("w", 1.0)),
                    float(n.get("b", 0.0)),
                    float(n.get("v", 1.0)),
                    bool(n.get("muted", False)),
                )
                for n in change.neurons
            ]
            done.network = Network.from_neurons(neurons, done.network.c)
            done.neuron_ids = None
        if change.target is not None:
            done.target = Target.from_text(change.target)
            natural = done.target.natural_domain()
            if change.domain is None and natural is not None:
                done.domain = natural
        if change.domain is not None:
            done.domain = check_domain(change.domain)
        if change.construct is not None:
            mode, count = change.construct
            done.network = construct(done.target, done.domain, count, mode)
            done.neuron_ids = None
        if change.c is not None:
            done.network.c = change.c
        if change.samples is not None:
            done.samples = change.samples
        done = _with_settings(done, change.settings)
        x, _ = done.training_data()
        done.batch_size = check_batch_size(done.batch_size, x.size)
    except InputError as error:
        raise LessonError(f"line {line}: {error}") from None
    return done


def _with_settings(session: Session, settings: dict[str, object]) -> Session:
    optimizer = session.optimizer
    name = str(settings.get("optimizer", optimizer.name))
    rate = settings.get("lr", optimizer.learning_rate)
    assert isinstance(rate, int | float)
    session.optimizer = OptimizerSpec(name, float(rate))
    if "loss" in settings:
        session.loss = str(settings["loss"])
    if "seed" in settings:
        seed = settings["seed"]
        assert isinstance(seed, int)
        session.seed = seed
    if "batch_size" in settings:
        size = settings["batch_size"]
        session.batch_size = size if isinstance(size, int) else None  # "full"
    return _with_held_out(session, settings)


def _with_held_out(session: Session, settings: dict[str, object]) -> Session:
    """Noise, test points, weight decay and early stopping (validated by the parser)."""
    for key in ("noise", "test_fraction"):
        if key in settings:
            value = settings[key]
            assert isinstance(value, int | float)
            setattr(session, key, float(value))
    if "test_mode" in settings:
        session.test_mode = str(settings["test_mode"])
    penalty = session.penalty
    decay = settings.get("weight_decay", penalty.strength)
    assert isinstance(decay, int | float)
    session.penalty = Penalty(str(settings.get("penalty", penalty.kind)), float(decay))
    stop = session.stop
    if "early_stop" in settings:
        patience = settings["early_stop"]
        steps = patience if isinstance(patience, int) and not isinstance(patience, bool) else None
        stop = replace(stop, test_patience=steps)
    if "restore_best_test" in settings:
        stop = replace(stop, restore_best_test=bool(settings["restore_best_test"]))
    session.stop = stop
    return session


def train(session: Session, steps: int) -> Session:
    """``session`` after ``steps`` more steps of training with its own settings."""
    if steps <= 0:
        return session
    trainer = session.trainer()
    report = trainer.run(steps)
    done = replace(session, network=trainer.network, step=trainer.step)
    done.history = copy.deepcopy(session.history)  # the start keeps its own curves
    done.history.record(
        session.step, report.losses, report.epoch_losses, report.timeline, report.test_losses
    )
    return done
