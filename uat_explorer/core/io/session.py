"""Everything a person would want back tomorrow, as versioned JSON.

``from_dict`` trusts nothing: each refusal names the field ("neurons[3].w must be a finite
number, got nan"), so a hand-edited or damaged file is easy to mend. ``save`` is atomic.
"""

from __future__ import annotations

import json
import math
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

import numpy as np

from uat_explorer.core.errors import InputError
from uat_explorer.core.files import atomic_write_text, read_regular
from uat_explorer.core.nn.activations import ACTIVATIONS
from uat_explorer.core.nn.initialize import random_network
from uat_explorer.core.nn.losses import LOSSES
from uat_explorer.core.nn.network import MAX_NEURONS, Network, Neuron
from uat_explorer.core.targets.expression import ExpressionError, parse_expression
from uat_explorer.core.targets.target import (
    MAX_DOMAIN,
    MAX_SAMPLES,
    PRESETS,
    DataTarget,
    FormulaTarget,
    Target,
)
from uat_explorer.core.training.batches import BatchSchedule, check_batch_size
from uat_explorer.core.training.history import TrainingHistory
from uat_explorer.core.training.optimizers import MAX_LEARNING_RATE, OPTIMIZERS, OptimizerSpec
from uat_explorer.core.training.trainer import PLATEAU_STEPS, StopRule, Trainer

VERSION = 2
READABLE = (1, 2)
"""Version 1 had no batch size and no history; it still opens."""
STARTING_NEURONS = 6
"""What the window opens with: few enough to see each one, enough to fit sin(x)."""
DEFAULT_SEED = 1
MAX_FILE_BYTES = 20 * 1024 * 1024
MAX_SEED = 2**32 - 1
MAX_STEPS = 10**12
MAX_NEURON_ID = 2**31 - 1
MAX_PARAMETER = 1e30
"""The largest |w|, |b|, |v|, |c| a session holds: training runs in float32 (up to 3.4e38),
and w·x must stay finite there for any x in the domain (|x| ≤ 1e6)."""


class SessionError(InputError):
    """A session file or dict that cannot be used, with the reason."""


@dataclass
class Session:
    """The network, what it fits and how it trains: one object, one file."""

    network: Network
    target: Target
    domain: tuple[float, float]
    samples: int = 200
    loss: str = "mse"
    optimizer: OptimizerSpec = field(default_factory=OptimizerSpec)
    stop: StopRule = field(default_factory=StopRule)
    seed: int = 0
    step: int = 0
    neuron_ids: list[int] | None = None
    """Each neuron's identity (its colour follows it), saved so it lives on across
    save, open and crash recovery; None: the window numbers them afresh."""
    batch_size: int | None = None
    """Samples per step of stochastic gradient descent; None: every step uses all."""
    history: TrainingHistory = field(default_factory=TrainingHistory, compare=False)
    """The loss curve and timeline so far (shared by copies: it only grows by training)."""

    def training_data(self) -> tuple[np.ndarray, np.ndarray]:
        return self.target.samples(self.domain, self.samples)

    def batch_schedule(self, samples: int) -> BatchSchedule | None:
        """Which of the ``samples`` each step uses; None: all of them, every step (the
        full batch, and always for Levenberg–Marquardt)."""
        size = self.batch_size
        if size is None or size >= samples or not self.optimizer.uses_learning_rate:
            return None
        return BatchSchedule(samples, size, self.seed)

    def trainer(self, record: bool = False) -> Trainer:
        """A trainer for this session; ``record``: keep the W/A/G rows of every step."""
        x, t = self.training_data()
        return Trainer(
            self.network,
            x,
            t,
            self.loss,
            self.optimizer,
            self.stop,
            self.step,
            self.batch_size,
            self.seed,
            record,
        )

    def copy(self) -> Session:
        ids = None if self.neuron_ids is None else list(self.neuron_ids)
        return replace(self, network=self.network.copy(), neuron_ids=ids)

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, Session):
            return NotImplemented
        return self.to_dict() == other.to_dict()

    __hash__ = None  # type: ignore[assignment]

    def to_dict(self) -> dict[str, Any]:
        """The session as JSON-ready data; a SessionError if a weight is beyond what a
        session holds (so a save never writes a file that could not be opened again)."""
        _check_representable(self.network)
        ids = (
            self.neuron_ids
            if self.neuron_ids and len(self.neuron_ids) == self.network.size
            else None
        )
        target: dict[str, Any] = {"name": self.target.name}
        if isinstance(self.target, DataTarget):
            target |= {"kind": "data", "x": self.target.x.tolist(), "y": self.target.y.tolist()}
        else:
            target |= {"kind": "expression", "expression": self.target.text}
        return {
            "app": "uat-explorer",
            "version": VERSION,
            "network": {
                "c": self.network.c,
                "neurons": [
                    {"activation": n.activation, "w": n.w, "b": n.b, "v": n.v, "muted": n.muted}
                    | ({} if ids is None else {"id": ids[j]})
                    for j, n in enumerate(self.network.neurons())
                ],
            },
            "target": target,
            "domain": list(self.domain),
            "samples": self.samples,
            "loss": self.loss,
            "optimizer": {
                "name": self.optimizer.name,
                "learning_rate": self.optimizer.learning_rate,
            },
            "stop": {
                "max_steps": self.stop.max_steps,
                "loss_below": self.stop.loss_below,
                "plateau_steps": self.stop.plateau_steps,
            },
            "seed": self.seed,
            "step": self.step,
            "batch_size": self.batch_size,
            "history": self.history.to_dict(),
        }

    @classmethod
    def from_dict(cls, data: Any) -> Session:
        root = _Fields(data, "")
        if root.get("app") != "uat-explorer":
            raise SessionError(
                "not a UAT Explorer session: its 'app' field must be \"uat-explorer\","
                f" got {_kind(root.get('app'))}"
            )
        version = root.get("version")
        if version is None:
            raise SessionError("not a UAT Explorer session: it has no 'version' field")
        if version not in READABLE:
            newer = isinstance(version, int) and version > VERSION
            raise SessionError(
                f"version: this file is version {version!r}"
                + ("; it was written by a newer UAT Explorer" if newer else "")
                + f"; this one reads version {VERSION}"
            )
        net = root.child("network")
        neurons_field = net.list_of("neurons", MAX_NEURONS)
        neurons = [
            Neuron(
                activation=item.choice("activation", ACTIVATIONS),
                w=item.number("w", -MAX_PARAMETER, MAX_PARAMETER),
                b=item.number("b", -MAX_PARAMETER, MAX_PARAMETER),
                v=item.number("v", -MAX_PARAMETER, MAX_PARAMETER),
                muted=item.boolean("muted", default=False),
            )
            for item in neurons_field
        ]
        network = Network.from_neurons(neurons, net.number("c", -MAX_PARAMETER, MAX_PARAMETER))
        neuron_ids = _read_ids(neurons_field)
        low, high = root.pair("domain", MAX_DOMAIN)
        optimizer = root.child("optimizer")
        stop = root.child("stop", optional=True)
        session = cls(
            network=network,
            target=_read_target(root.child("target")),
            domain=(low, high),
            samples=root.integer("samples", 2, MAX_SAMPLES),
            loss=root.choice("loss", LOSSES),
            optimizer=OptimizerSpec(
                optimizer.choice("name", OPTIMIZERS),
                optimizer.number("learning_rate", low=0.0, high=MAX_LEARNING_RATE, open_low=True),
            ),
            stop=StopRule(
                max_steps=stop.integer("max_steps", 0, MAX_STEPS, optional=True),
                loss_below=stop.number("loss_below", low=0.0, optional=True),
                plateau_steps=stop.integer("plateau_steps", 1, MAX_STEPS, optional=True)
                if "plateau_steps" in stop.data
                else PLATEAU_STEPS,
            ),
            seed=root.integer("seed", 0, MAX_SEED),
            step=root.integer("step", 0, MAX_STEPS),
            neuron_ids=neuron_ids,
        )
        if version >= 2:
            session.batch_size = root.integer("batch_size", 1, MAX_SAMPLES, optional=True)
            if "history" in root.data:
                try:
                    session.history = TrainingHistory.from_dict(root.get("history"))
                except InputError as error:
                    raise SessionError(str(error)) from None
        try:  # the same check everywhere: a target must be finite where it is sampled
            x, _ = session.training_data()
        except InputError as error:
            raise SessionError(f"target: {error}") from None
        try:
            session.batch_size = check_batch_size(session.batch_size, x.size)
        except InputError as error:
            raise SessionError(f"batch_size: {error}") from None
        return session

    def save(self, path: str | Path) -> None:
        text = json.dumps(self.to_dict(), indent=1, allow_nan=False)
        atomic_write_text(path, text + "\n")

    @classmethod
    def load(cls, path: str | Path) -> Session:
        path = Path(path)
        try:
            raw = read_regular(path, MAX_FILE_BYTES, "session")
        except InputError as error:
            raise SessionError(str(error)) from None
        try:
            data = json.loads(raw.decode("utf-8"))
        except UnicodeDecodeError:
            raise SessionError(f"{path.name} is not a session file (not text)") from None
        except json.JSONDecodeError as error:
            raise SessionError(
                f"{path.name} is not valid JSON (line {error.lineno}, column {error.colno}:"
                f" {error.msg})"
            ) from None
        except ValueError as error:
            raise SessionError(f"{path.name} is not a usable session: {error}") from None
        except RecursionError:
            raise SessionError(f"{path.name} is nested too deeply to be a session") from None
        return cls.from_dict(data)


def default_session() -> Session:
    """What the app opens on: a curve to fit and a few neurons already stacked."""
    target = Target.preset("sin")
    domain = PRESETS["sin"].domain
    network = random_network(["sigmoid"] * STARTING_NEURONS, domain, seed=DEFAULT_SEED)
    return Session(
        network=network,
        target=target,
        domain=domain,
        seed=DEFAULT_SEED,
        stop=StopRule(plateau_steps=PLATEAU_STEPS),
    )


def _check_representable(network: Network) -> None:
    for j, neuron in enumerate(network.neurons()):
        for key in ("w", "b", "v"):
            value = getattr(neuron, key)
            if not (math.isfinite(value) and abs(value) <= MAX_PARAMETER):
                raise SessionError(
                    f"network.neurons[{j}].{key} is {value:g}, beyond the ±{MAX_PARAMETER:g}"
                    " a session holds: undo the step that made it so, or reset the weights"
                )
    if not (math.isfinite(network.c) and abs(network.c) <= MAX_PARAMETER):
        raise SessionError(f"network.c is {network.c:g}, beyond ±{MAX_PARAMETER:g}")


def _read_ids(neurons: list[_Fields]) -> list[int] | None:
    """Every neuron's "id", or None if no neuron has one (older files)."""
    if not any("id" in item.data for item in neurons):
        return None
    ids = [item.integer("id", 0, MAX_NEURON_ID) for item in neurons]
    if len(set(ids)) != len(ids):
        raise SessionError("network.neurons: two neurons have the same id")
    return ids


def _read_target(fields: _Fields) -> Target:
    kind = fields.choice("kind", ("expression", "data"))
    name = fields.string("name")
    if kind == "expression":
        text = fields.string("expression")
        try:
            expression = parse_expression(text)
        except ExpressionError as error:
            raise SessionError(f"target.expression: {error}") from None
        if name not in PRESETS:
            name = "custom"
        return FormulaTarget(name, expression)
    x = fields.numbers("x", MAX_SAMPLES)
    y = fields.numbers("y", MAX_SAMPLES)
    try:
        return Target.from_points(x, y, name)
    except InputError as error:
        raise SessionError(f"target: {error}") from None


class _Fields:
    """Typed reads from one JSON object; errors carry the dotted path of the field."""

    def __init__(self, data: Any, path: str) -> None:
        if not isinstance(data, dict):
            where = path or "the file"
            raise SessionError(f"{where} must be a JSON object, got {_kind(data)}")
        self.data, self.path = data, path

    def _name(self, key: str) -> str:
        return f"{self.path}.{key}" if self.path else key

    def get(self, key: str) -> Any:
        return self.data.get(key)

    def _required(self, key: str) -> Any:
        if key not in self.data:
            raise SessionError(f"{self._name(key)} is missing")
        return self.data[key]

    def child(self, key: str, optional: bool = False) -> _Fields:
        if optional and self.data.get(key) is None:
            return _Fields({}, self._name(key))
        return _Fields(self._required(key), self._name(key))

    def _list(self, key: str, limit: int, what: str) -> tuple[str, list[Any]]:
        """The field's name and its list, checked to be a list of at most ``limit``."""
        items = self._required(key)
        name = self._name(key)
        if not isinstance(items, list):
            raise SessionError(f"{name} must be a list{what}, got {_kind(items)}")
        if len(items) > limit:
            raise SessionError(f"{name} has {len(items)} entries; the limit is {limit}")
        return name, items

    def list_of(self, key: str, limit: int) -> list[_Fields]:
        name, items = self._list(key, limit, "")
        return [_Fields(item, f"{name}[{i}]") for i, item in enumerate(items)]

    def number(
        self,
        key: str,
        low: float = -math.inf,
        high: float = math.inf,
        open_low: bool = False,
        optional: bool = False,
    ) -> Any:
        if optional and self.data.get(key) is None:
            return None
        value = self._required(key)
        name = self._name(key)
        if isinstance(value, bool) or not isinstance(value, int | float):
            raise SessionError(f"{name} must be a number, got {_kind(value)}")
        value = float(value)
        if not math.isfinite(value):
            raise SessionError(f"{name} must be a finite number, got {value}")
        if value < low or value > high or (open_low and value == low):
            raise SessionError(f"{name} must lie in {'(' if open_low else '['}{low:g}, {high:g}]")
        return value

    def integer(self, key: str, low: int, high: int, optional: bool = False) -> Any:
        if optional and self.data.get(key) is None:
            return None
        value = self._required(key)
        name = self._name(key)
        if isinstance(value, bool) or not isinstance(value, int):
            raise SessionError(f"{name} must be a whole number, got {_kind(value)}")
        if not low <= value <= high:
            raise SessionError(f"{name} must lie between {low} and {high}, got {value}")
        return value

    def boolean(self, key: str, default: bool) -> bool:
        value = self.data.get(key, default)
        if not isinstance(value, bool):
            raise SessionError(f"{self._name(key)} must be true or false, got {_kind(value)}")
        return value

    def string(self, key: str) -> str:
        value = self._required(key)
        if not isinstance(value, str):
            raise SessionError(f"{self._name(key)} must be text, got {_kind(value)}")
        return value

    def choice(self, key: str, choices: Any) -> str:
        value = self.string(key)
        if value not in choices:
            raise SessionError(
                f"{self._name(key)} must be one of {', '.join(choices)}; got {value!r}"
            )
        return value

    def pair(self, key: str, limit: float) -> tuple[float, float]:
        value = self._required(key)
        name = self._name(key)
        if not (isinstance(value, list) and len(value) == 2):
            raise SessionError(f"{name} must be a list of two numbers [start, end]")
        pair = _Fields({"start": value[0], "end": value[1]}, name)
        low = pair.number("start", -limit, limit)
        high = pair.number("end", -limit, limit)
        if not low < high:
            raise SessionError(f"{name}: the start must be less than the end")
        return low, high

    def numbers(self, key: str, limit: int) -> np.ndarray:
        name, values = self._list(key, limit, " of numbers")
        for i, value in enumerate(values):
            if isinstance(value, bool) or not isinstance(value, int | float):
                raise SessionError(f"{name}[{i}] must be a number, got {_kind(value)}")
            if not math.isfinite(value):
                raise SessionError(f"{name}[{i}] must be a finite number, got {value}")
        return np.array(values, dtype=np.float64)


def _kind(value: Any) -> str:
    if value is None:
        return "null"
    if isinstance(value, bool):
        return str(value).lower()
    if isinstance(value, str):
        return f"text {value[:20]!r}"
    if isinstance(value, float | int):
        return repr(value)
    if isinstance(value, dict):
        return "an object"
    if isinstance(value, list):
        return "a list"
    return type(value).__name__
