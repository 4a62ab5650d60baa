"""A classification session: the classifier, its labelled points and how it trains.

Its file is version 5 with ``"task": "classes"``: an older UAT Explorer refuses it as
newer instead of misreading it, and curve sessions keep being written as version 4,
byte for byte as before. Every refusal names the field, as for curve sessions.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
from numpy.typing import NDArray

from uat_explorer.core.errors import InputError
from uat_explorer.core.fields import Fields
from uat_explorer.core.io.json_file import read_json, write_json
from uat_explorer.core.io.session import MAX_FILE_BYTES, Session
from uat_explorer.core.io.session_schema import MAX_PARAMETER, MAX_SEED, SessionError
from uat_explorer.core.nn.activations import ACTIVATIONS
from uat_explorer.core.nn.classifier import ClassNetwork, outputs_for
from uat_explorer.core.nn.network import MAX_NEURONS
from uat_explorer.core.targets.classes import MAX_CLASSES, ClassTarget
from uat_explorer.core.targets.target import MAX_DOMAIN, MAX_SAMPLES
from uat_explorer.core.training.batches import check_batch_size
from uat_explorer.core.training.class_history import ClassHistory
from uat_explorer.core.training.classtrainer import ClassTrainer, check_class_optimizer
from uat_explorer.core.training.optimizers import (
    MAX_LEARNING_RATE,
    MIN_LEARNING_RATE,
    OPTIMIZERS,
    OptimizerSpec,
)
from uat_explorer.core.training.timeline import Timeline
from uat_explorer.core.training.trainer import MAX_STEPS

CLASS_VERSION = 5
TASK = "classes"


@dataclass
class ClassSession:
    """The classifier, the labelled points it learns, and its training settings."""

    network: ClassNetwork
    target: ClassTarget
    domain: tuple[float, float]
    optimizer: OptimizerSpec = field(default_factory=OptimizerSpec)
    seed: int = 0
    step: int = 0
    batch_size: int | None = None
    history: ClassHistory = field(default_factory=ClassHistory, compare=False)
    sample: int | None = None
    """The followed point, an index among the training points (None: the middle one)."""
    timeline: Timeline = field(default_factory=Timeline, compare=False)
    """W, G and A of the steps trained (shared by copies: it only grows by training). An
    optional key of version 5: files from before it open with none, and an app from
    before it opens these files without it."""

    def __post_init__(self) -> None:
        check_class_optimizer(self.optimizer)
        if self.network.classes != self.target.classes:
            raise InputError(
                f"the network has outputs for {self.network.classes} classes but the"
                f" target has {self.target.classes}"
            )

    def training_data(self) -> tuple[NDArray[np.float64], NDArray[np.intp]]:
        """The labelled points inside the domain."""
        return self.target.samples(self.domain)

    def trainer(self) -> ClassTrainer:
        x, labels = self.training_data()
        return ClassTrainer(
            self.network, x, labels, self.optimizer, self.batch_size, self.seed, self.step
        )

    def to_dict(self) -> dict[str, Any]:
        net = self.network
        weights = np.concatenate([net.w, net.b, net.v.reshape(-1), net.c])
        if not (np.isfinite(weights).all() and np.abs(weights).max() <= MAX_PARAMETER):
            raise SessionError(
                f"network: a weight is beyond the ±{MAX_PARAMETER:g} a session holds: train"
                " with a smaller learning rate, or reset the weights"
            )
        optimizer = {"name": self.optimizer.name, "learning_rate": self.optimizer.learning_rate}
        return {
            "app": "uat-explorer",
            "version": CLASS_VERSION,
            "task": TASK,
            "network": {"c": net.c.tolist(), "neurons": neuron_records(net)},
            "target": {
                "name": self.target.name,
                "names": list(self.target.names),
                "x": self.target.x.tolist(),
                "labels": self.target.labels.tolist(),
            },
            "domain": list(self.domain),
            "optimizer": optimizer,
            "seed": self.seed,
            "step": self.step,
            "batch_size": self.batch_size,
            "sample": self.sample,
            "history": self.history.to_dict(),
        } | ({"timeline": self.timeline.to_dict()} if self.timeline.rows else {})

    @classmethod
    def from_dict(cls, data: Any) -> ClassSession:
        """A SessionError naming the field if ``data`` is not a usable class session."""
        try:
            return _read(cls, Fields(data))
        except SessionError:
            raise
        except InputError as error:
            raise SessionError(str(error)) from None

    def save(self, path: str | Path) -> None:
        """Atomically, and only what reopens (read back before the file is replaced)."""
        data = self.to_dict()
        ClassSession.from_dict(json.loads(json.dumps(data)))
        write_json(path, data)


def neuron_records(network: ClassNetwork) -> list[dict[str, Any]]:
    """Each neuron as the file and the exported parameters write it: v one number per
    logit."""
    return [
        {
            "activation": network.activations[j],
            "w": float(network.w[j]),
            "b": float(network.b[j]),
            "v": network.v[j].tolist(),
            "muted": bool(network.muted[j]),
        }
        for j in range(network.size)
    ]


def _read(cls: type[ClassSession], root: Fields) -> ClassSession:
    if root.get("task") != TASK or root.get("version") != CLASS_VERSION:
        raise SessionError(f'not a class session: it needs "task": "{TASK}" and version 5')
    fields = root.child("target")
    names = fields.get("names")
    if not (
        isinstance(names, list)
        and len(names) <= MAX_CLASSES
        and all(isinstance(name, str) and name for name in names)
        and len(set(names)) == len(names)
    ):
        raise fields.fail("names", f"must be a list of up to {MAX_CLASSES} distinct class names")
    x = fields.numbers("x", MAX_SAMPLES)
    labels = fields.numbers("labels", MAX_SAMPLES)
    if not np.array_equal(labels, np.round(labels)):
        raise fields.fail("labels", "must be whole class numbers")
    target = ClassTarget.from_labels(x, labels.astype(np.intp), names, fields.string("name"))
    outputs = outputs_for(target.classes)
    net = root.child("network")
    items = net.list_of("neurons", MAX_NEURONS)
    v = [_outputs(item, "v", outputs) for item in items]
    network = ClassNetwork(
        w=[item.number("w", -MAX_PARAMETER, MAX_PARAMETER) for item in items],
        b=[item.number("b", -MAX_PARAMETER, MAX_PARAMETER) for item in items],
        v=np.reshape(v, (len(items), outputs)),
        c=_outputs(net, "c", outputs),
        activations=[item.choice("activation", ACTIVATIONS) for item in items],
        muted=[item.boolean("muted", default=False) for item in items],
    )
    optimizer = root.child("optimizer")
    session = cls(
        network=network,
        target=target,
        domain=root.pair("domain", MAX_DOMAIN),
        optimizer=OptimizerSpec(
            optimizer.choice("name", OPTIMIZERS),
            optimizer.number("learning_rate", MIN_LEARNING_RATE, MAX_LEARNING_RATE),
        ),
        seed=root.integer("seed", 0, MAX_SEED),
        step=root.integer("step", 0, MAX_STEPS),
        batch_size=root.integer("batch_size", 1, MAX_SAMPLES, optional=True),
    )
    try:
        x, _ = session.training_data()
        session.batch_size = check_batch_size(session.batch_size, x.size)
    except InputError as error:
        raise SessionError(f"target: {error}") from None
    session.sample = root.integer("sample", 0, x.size - 1, optional=True)
    if root.has("history"):
        width = outputs + network.size * (2 + outputs)
        session.history = ClassHistory.from_dict(root.child("history"), session.step, width)
    if root.has("timeline"):
        session.timeline = Timeline.from_dict(root.child("timeline"), session.step, outputs)
    return session


def _outputs(fields: Fields, key: str, count: int) -> NDArray[np.float64]:
    values = fields.numbers(key, count)
    if values.size != count or np.any(np.abs(values) > MAX_PARAMETER):
        raise fields.fail(key, f"must be a list of {count} numbers within ±{MAX_PARAMETER:g}")
    return values


def load_session(path: str | Path) -> Session | ClassSession:
    """A curve or a class session, whichever the file holds."""
    data = read_json(path, MAX_FILE_BYTES, "session", SessionError)
    if isinstance(data, dict) and data.get("task") == TASK:
        return ClassSession.from_dict(data)
    return Session.from_dict(data)
