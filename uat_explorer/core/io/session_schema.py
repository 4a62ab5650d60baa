"""The session file's fields, each written once: how it is saved and how it is read back.

Reading trusts nothing: each refusal names the field ("network.neurons[3].w must be a
finite number, got nan"), so a hand-edited or damaged file is easy to mend. A value the
app could not itself have written (a weight beyond ±1e30, a step past the limit) is
refused at open, and ``Session.save`` checks what it writes the same way, so a saved
file always reopens.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from uat_explorer.core.errors import InputError
from uat_explorer.core.fields import Fields, kind_of
from uat_explorer.core.io.view import read_view
from uat_explorer.core.nn.activations import ACTIVATIONS
from uat_explorer.core.nn.losses import LOSSES
from uat_explorer.core.nn.network import MAX_NEURONS, Network, Neuron
from uat_explorer.core.targets.expression import ExpressionError, parse_expression
from uat_explorer.core.targets.samples import (
    MAX_NOISE,
    MAX_TEST_FRACTION,
    TEST_MODES,
    held_out_count,
)
from uat_explorer.core.targets.target import (
    MAX_DOMAIN,
    MAX_SAMPLES,
    PRESETS,
    DataTarget,
    FormulaTarget,
    Target,
)
from uat_explorer.core.training.batches import check_batch_size
from uat_explorer.core.training.history import TrainingHistory
from uat_explorer.core.training.optimizers import (
    MAX_LEARNING_RATE,
    MIN_LEARNING_RATE,
    OPTIMIZERS,
    OptimizerSpec,
)
from uat_explorer.core.training.penalty import MAX_WEIGHT_DECAY, PENALTIES, Penalty
from uat_explorer.core.training.trainer import MAX_STEPS, PLATEAU_STEPS, StopRule

if TYPE_CHECKING:
    from uat_explorer.core.io.session import Session

VERSION = 4
READABLE = (1, 2, 3, 4)
"""Version 1 had no batch size and no history, version 2 no view, version 3 no noise,
test points, weight decay or early stopping; all still open, as they were."""
MAX_SEED = 2**32 - 1
MAX_NEURON_ID = 2**31 - 1
MAX_PARAMETER = 1e30
"""The largest |w|, |b|, |v|, |c| a session holds: training runs in float32 (up to 3.4e38),
and w·x must stay finite there for any x in the domain (|x| ≤ 1e6)."""


class SessionError(InputError):
    """A session file or dict that cannot be used, with the reason."""


class NotACurveSessionError(SessionError):
    """A class session where a curve session was expected: a front end may open it
    where classes are shown instead."""


@dataclass(frozen=True)
class _Field:
    """One top-level field: its key in the file, how the session writes it, and how it
    is read into the keyword ``attribute`` of ``Session`` (``since``: the first version
    that has it; older files get the dataclass default)."""

    key: str
    write: Callable[[Session], Any]
    read: Callable[[Fields], Any]
    attribute: str = ""
    since: int = 1


def _write_network(session: Session) -> dict[str, Any]:
    network = session.network
    ids = (
        session.neuron_ids
        if session.neuron_ids and len(session.neuron_ids) == network.size
        else None
    )
    return {
        "c": network.c,
        "neurons": [
            {"activation": n.activation, "w": n.w, "b": n.b, "v": n.v, "muted": n.muted}
            | ({} if ids is None else {"id": ids[j]})
            for j, n in enumerate(network.neurons())
        ],
    }


def _read_network(root: Fields) -> Network:
    net = root.child("network")
    neurons = [
        Neuron(
            activation=item.choice("activation", ACTIVATIONS),
            w=item.number("w", -MAX_PARAMETER, MAX_PARAMETER),
            b=item.number("b", -MAX_PARAMETER, MAX_PARAMETER),
            v=item.number("v", -MAX_PARAMETER, MAX_PARAMETER),
            muted=item.boolean("muted", default=False),
        )
        for item in net.list_of("neurons", MAX_NEURONS)
    ]
    return Network.from_neurons(neurons, net.number("c", -MAX_PARAMETER, MAX_PARAMETER))


def _read_ids(root: Fields) -> list[int] | None:
    """Every neuron's "id", or None if no neuron has one (older files)."""
    neurons = root.child("network").list_of("neurons", MAX_NEURONS)
    if not any(item.has("id") for item in neurons):
        return None
    ids = [item.integer("id", 0, MAX_NEURON_ID) for item in neurons]
    if len(set(ids)) != len(ids):
        raise SessionError("network.neurons: two neurons have the same id")
    return ids


def _write_target(session: Session) -> dict[str, Any]:
    target = session.target
    if isinstance(target, DataTarget):
        return {"name": target.name, "kind": "data", "x": target.x.tolist(), "y": target.y.tolist()}
    return {"name": target.name, "kind": "expression", "expression": target.text}


def _read_target(root: Fields) -> Target:
    fields = root.child("target")
    kind = fields.choice("kind", ("expression", "data"))
    name = fields.string("name")
    if kind == "expression":
        try:
            expression = parse_expression(fields.string("expression"))
        except ExpressionError as error:
            raise SessionError(f"target.expression: {error}") from None
        return FormulaTarget(name if name in PRESETS else "custom", expression)
    x = fields.numbers("x", MAX_SAMPLES)
    y = fields.numbers("y", MAX_SAMPLES)
    try:
        return Target.from_points(x, y, name)
    except InputError as error:
        raise SessionError(f"target: {error}") from None


def _read_optimizer(root: Fields) -> OptimizerSpec:
    fields = root.child("optimizer")
    return OptimizerSpec(
        fields.choice("name", OPTIMIZERS),
        fields.number("learning_rate", low=MIN_LEARNING_RATE, high=MAX_LEARNING_RATE),
    )


def _write_stop(session: Session) -> dict[str, Any]:
    stop = session.stop
    return {
        "max_steps": stop.max_steps,
        "loss_below": stop.loss_below,
        "plateau_steps": stop.plateau_steps,
        "test_patience": stop.test_patience,
        "restore_best_test": stop.restore_best_test,
    }


def _read_stop(root: Fields) -> StopRule:
    """Early stopping's two keys came with version 4; older files have neither."""
    stop = root.child("stop", optional=True)
    return StopRule(
        max_steps=stop.integer("max_steps", 0, MAX_STEPS, optional=True),
        loss_below=stop.number("loss_below", low=0.0, optional=True),
        plateau_steps=stop.integer("plateau_steps", 1, MAX_STEPS, optional=True)
        if stop.has("plateau_steps")
        else PLATEAU_STEPS,
        test_patience=stop.integer("test_patience", 1, MAX_STEPS, optional=True),
        restore_best_test=stop.boolean("restore_best_test", default=False),
    )


def _read_penalty(root: Fields) -> Penalty:
    fields = root.child("penalty")
    return Penalty(
        fields.choice("kind", PENALTIES), fields.number("weight_decay", 0.0, MAX_WEIGHT_DECAY)
    )


FIELDS: tuple[_Field, ...] = (
    _Field("network", _write_network, _read_network, "network"),
    _Field("target", _write_target, _read_target, "target"),
    _Field("domain", lambda s: list(s.domain), lambda r: r.pair("domain", MAX_DOMAIN), "domain"),
    _Field(
        "samples", lambda s: s.samples, lambda r: r.integer("samples", 2, MAX_SAMPLES), "samples"
    ),
    _Field("loss", lambda s: s.loss, lambda r: r.choice("loss", LOSSES), "loss"),
    _Field(
        "optimizer",
        lambda s: {"name": s.optimizer.name, "learning_rate": s.optimizer.learning_rate},
        _read_optimizer,
        "optimizer",
    ),
    _Field("stop", _write_stop, _read_stop, "stop"),
    _Field("seed", lambda s: s.seed, lambda r: r.integer("seed", 0, MAX_SEED), "seed"),
    _Field("step", lambda s: s.step, lambda r: r.integer("step", 0, MAX_STEPS), "step"),
    _Field(
        "batch_size",
        lambda s: s.batch_size,
        lambda r: r.integer("batch_size", 1, MAX_SAMPLES, optional=True),
        "batch_size",
        since=2,
    ),
    _Field("view", lambda s: s.view.to_dict(), lambda r: read_view(r.get("view")), "view", 3),
    # Version 4: what training is given (noisy samples, some held out) and what it
    # minimises besides the loss (weight decay); early stopping lives in "stop".
    _Field("noise", lambda s: s.noise, lambda r: r.number("noise", 0.0, MAX_NOISE), "noise", 4),
    _Field(
        "test_fraction",
        lambda s: s.test_fraction,
        lambda r: r.number("test_fraction", 0.0, MAX_TEST_FRACTION),
        "test_fraction",
        4,
    ),
    _Field(
        "test_mode",
        lambda s: s.test_mode,
        lambda r: r.choice("test_mode", TEST_MODES),
        "test_mode",
        4,
    ),
    _Field(
        "penalty",
        lambda s: {"kind": s.penalty.kind, "weight_decay": s.penalty.strength},
        _read_penalty,
        "penalty",
        4,
    ),
)
"""Every field but the neurons' ids (inside "network") and the history (read last: it is
checked against the step count)."""


def check_representable(network: Network) -> None:
    """A SessionError if a weight is beyond what a session holds."""
    for j, neuron in enumerate(network.neurons()):
        for key in ("w", "b", "v"):
            value = getattr(neuron, key)
            if not (math.isfinite(value) and abs(value) <= MAX_PARAMETER):
                raise SessionError(
                    f"network.neurons[{j}].{key} is {value:g}, beyond the ±{MAX_PARAMETER:g}"
                    " a session holds: train with a smaller learning rate, or reset the weights"
                )
    if not (math.isfinite(network.c) and abs(network.c) <= MAX_PARAMETER):
        raise SessionError(f"network.c is {network.c:g}, beyond ±{MAX_PARAMETER:g}")


def comparable(session: Session) -> list[Any]:
    """What two sessions must share to be equal: every field but how they came about
    (the history) and how they were shown (the view)."""
    return [field.write(session) for field in FIELDS if field.key != "view"] + [session.neuron_ids]


def session_to_dict(session: Session) -> dict[str, Any]:
    check_representable(session.network)
    data: dict[str, Any] = {"app": "uat-explorer", "version": VERSION}
    data |= {field.key: field.write(session) for field in FIELDS}
    data["history"] = session.history.to_dict()
    return data


def session_from_dict(cls: type[Session], data: Any) -> Session:
    try:
        return _read(cls, data)
    except SessionError:
        raise
    except InputError as error:  # a field's error, or a value the core refuses
        raise SessionError(str(error)) from None


def _read(cls: type[Session], data: Any) -> Session:
    root = Fields(data)
    if root.get("app") != "uat-explorer":
        raise SessionError(
            "not a UAT Explorer session: its 'app' field must be \"uat-explorer\","
            f" got {kind_of(root.get('app'))}"
        )
    if root.get("task") == "classes":
        raise NotACurveSessionError(
            'this is a classification session ("task": "classes"), not a curve session'
        )
    if not root.has("version"):
        raise SessionError("not a UAT Explorer session: it has no 'version' field")
    version = root.get("version")
    if isinstance(version, bool) or version not in READABLE:
        newer = isinstance(version, int) and not isinstance(version, bool) and version > VERSION
        raise SessionError(
            f"version: this file is version {kind_of(version)}"
            + ("; it was written by a newer UAT Explorer" if newer else "")
            + f"; this one reads versions {', '.join(map(str, READABLE))}"
        )
    values = {field.attribute: field.read(root) for field in FIELDS if version >= field.since}
    session = cls(**values, neuron_ids=_read_ids(root))
    if root.has("history"):
        session.history = TrainingHistory.from_dict(root.child("history"), session.step)
    try:  # the same check everywhere: a target must be finite where it is sampled
        x, _ = session.target.samples(session.domain, session.samples)
    except InputError as error:
        raise SessionError(f"target: {error}") from None
    try:
        training = x.size - held_out_count(x.size, session.test_fraction)
    except InputError as error:
        raise SessionError(f"test_fraction: {error}") from None
    try:
        session.batch_size = check_batch_size(session.batch_size, training)
    except InputError as error:
        raise SessionError(f"batch_size: {error}") from None
    return session
