"""Everything a person would want back tomorrow: one object, one versioned JSON file.

The fields and how each is written and read back are in ``session_schema``; reading and
writing files carefully in ``json_file``.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

import numpy as np

from uat_explorer.core.io.json_file import read_json, write_json
from uat_explorer.core.io.session_schema import (
    MAX_PARAMETER,
    MAX_SEED,
    VERSION,
    SessionError,
    comparable,
    session_from_dict,
    session_to_dict,
)
from uat_explorer.core.io.view import ViewSettings
from uat_explorer.core.nn.network import Network
from uat_explorer.core.targets.samples import SampleSet
from uat_explorer.core.targets.target import PRESETS, Target
from uat_explorer.core.training.batches import BatchSchedule
from uat_explorer.core.training.history import TrainingHistory
from uat_explorer.core.training.optimizers import OptimizerSpec
from uat_explorer.core.training.penalty import NO_PENALTY, Penalty
from uat_explorer.core.training.trainer import MAX_STEPS, PLATEAU_STEPS, StopRule, Trainer

__all__ = [
    "MAX_PARAMETER",
    "MAX_SEED",
    "MAX_STEPS",
    "VERSION",
    "Session",
    "SessionError",
    "default_session",
]

STARTING_NEURONS = 6
"""What the window opens with: few enough to see each one, enough to fit sin(x)."""
DEFAULT_SEED = 1
MAX_FILE_BYTES = 20 * 1024 * 1024


PROBLEM_FIELDS = ("target", "domain", "samples", "noise", "test_fraction", "test_mode")
"""What a problem is (an example brings them all): what is fitted and the points given."""


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
    view: ViewSettings = field(default_factory=ViewSettings, compare=False)
    """How the window showed it (workspace, panels, their choices); the window fills it
    when it saves."""
    noise: float = 0.0
    """The standard deviation of the Gaussian noise on the samples (from the seed)."""
    test_fraction: float = 0.0
    """The share of the samples held out as test points, never trained on."""
    test_mode: str = "random"
    """How they are chosen: "random" (from the seed) or "between" (evenly spread)."""
    penalty: Penalty = NO_PENALTY
    """Weight decay: what the optimizer adds to the loss it minimises."""

    def sample_set(self) -> SampleSet:
        """The samples with their noise and their split into training and test points;
        an InputError if the target cannot be sampled so."""
        x, clean = self.target.samples(self.domain, self.samples)
        return SampleSet.draw(x, clean, self.noise, self.test_fraction, self.test_mode, self.seed)

    def training_data(self) -> tuple[np.ndarray, np.ndarray]:
        """The points training fits: every sample but the test points, noise included."""
        return self.sample_set().train

    def test_data(self) -> tuple[np.ndarray, np.ndarray]:
        """The held-out points (empty arrays when there are none)."""
        return self.sample_set().held

    def batch_schedule(self, samples: int) -> BatchSchedule | None:
        """Which of the ``samples`` each step uses; None: all of them, every step (the
        full batch, and always for Levenberg–Marquardt)."""
        size = self.batch_size
        if size is None or size >= samples or not self.optimizer.uses_learning_rate:
            return None
        return BatchSchedule(samples, size, self.seed)

    def trainer(self, record: bool = False) -> Trainer:
        """A trainer for this session; ``record``: keep the W/A/G rows of every step."""
        samples = self.sample_set()
        x, t = samples.train
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
            test=samples.held,
            penalty=self.penalty,
        )

    def with_problem_of(self, other: Session, seed: int) -> Session:
        """This session's network and training settings on ``other``'s problem: its
        target, domain and samples (count, noise, held-out points), drawn from ``seed``."""
        problem = {name: getattr(other, name) for name in PROBLEM_FIELDS}
        return replace(self, seed=seed, **problem)

    def copy(self) -> Session:
        ids = None if self.neuron_ids is None else list(self.neuron_ids)
        return replace(self, network=self.network.copy(), neuron_ids=ids)

    def __eq__(self, other: object) -> bool:
        """Equal sessions hold the same network, target and settings; the history is
        a record of how they came about, not part of what they are."""
        if not isinstance(other, Session):
            return NotImplemented
        return comparable(self) == comparable(other)

    __hash__ = None  # type: ignore[assignment]

    def to_dict(self) -> dict[str, Any]:
        """The session as JSON-ready data; a SessionError if a weight is beyond what a
        session holds."""
        return session_to_dict(self)

    @classmethod
    def from_dict(cls, data: Any) -> Session:
        """A SessionError naming the field if ``data`` is not a usable session."""
        return session_from_dict(cls, data)

    def save(self, path: str | Path) -> None:
        """Atomically, and only what reopens: the data is read back as ``load`` would
        before the file is replaced (a refusal names the field; the old file stays)."""
        data = self.to_dict()
        session_from_dict(Session, data)
        write_json(path, data)

    @classmethod
    def load(cls, path: str | Path) -> Session:
        return cls.from_dict(read_json(path, MAX_FILE_BYTES, "session", SessionError))


STARTING_NETWORK = {
    "w": [
        1.6257083244385295,
        -2.2736012192793993,
        -2.1305950400531692,
        2.086043755970889,
        -1.926213686910758,
        -2.250254856511288,
    ],
    "b": [
        4.2399939764062005,
        -2.713353762080798,
        -1.7507246909838898,
        -1.8763096990409445,
        2.722041609056882,
        5.746610829064184,
    ],
    "v": [
        0.24447794255884575,
        0.01621648247300911,
        -0.11939496861611316,
        -0.3192127930564086,
        -0.10499829255322449,
        0.0033240312772619073,
    ],
}
"""``random_network(["sigmoid"] * STARTING_NEURONS, sin's domain, DEFAULT_SEED)``, written
out: numpy.random's first import took 6–9 ms of the window's launch (a test checks that
the two agree)."""


def default_session() -> Session:
    """What the app opens on: a curve to fit and a few neurons already stacked."""
    target = Target.preset("sin")
    domain = PRESETS["sin"].domain
    network = Network(
        w=np.array(STARTING_NETWORK["w"]),
        b=np.array(STARTING_NETWORK["b"]),
        v=np.array(STARTING_NETWORK["v"]),
        c=0.0,
        activations=["sigmoid"] * STARTING_NEURONS,
    )
    return Session(
        network=network,
        target=target,
        domain=domain,
        seed=DEFAULT_SEED,
        stop=StopRule(plateau_steps=PLATEAU_STEPS),
    )
