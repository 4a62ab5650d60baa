"""The document: the session, its neurons' identities, and the values derived from it.

It only changes through its ``apply_*`` and ``record_*`` methods (undo commands and
training call them) and says what changed through its signals; it knows no undo stack,
no selection and no widget. Loss, metrics, gradients and the backprop trace are cached
per revision (``derived()``), so no view recomputes them.
"""

from __future__ import annotations

import itertools
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, Generic, TypeVar, cast

import numpy as np
from PySide6.QtCore import QObject, Signal

from uat_explorer.core.io.session import Session, default_session
from uat_explorer.core.nn.network import Network, Neuron
from uat_explorer.core.targets.samples import SampleSet
from uat_explorer.core.targets.target import Target
from uat_explorer.core.training.batches import BatchSchedule
from uat_explorer.core.training.heldout import true_error
from uat_explorer.core.training.loss_history import LossHistory
from uat_explorer.core.training.penalty import Penalty
from uat_explorer.core.training.timeline import Timeline
from uat_explorer.core.training.trainer import StopRule
from uat_explorer.core.workers.training import Progress
from uat_explorer.model.derived import DerivedValues, evaluate, from_training


@dataclass(frozen=True)
class DivergedRun:
    """Where a run blew up: its losses from ``restored_step`` (whose weights came back)
    to the last finite one."""

    steps: np.ndarray
    losses: np.ndarray
    restored_step: int


T = TypeVar("T")

SAMPLING = {"noise", "test_fraction", "test_mode"}
"""Settings that change the samples training sees."""


class _Read(Generic[T]):
    """A read-only attribute of the document that is its session's (``path``: a dotted
    attribute path from the session); changes go through the ``apply_*`` methods."""

    def __init__(self, path: str) -> None:
        self.path = path.split(".")

    def __get__(self, document: Document, owner: type[Document]) -> T:
        value: Any = document.session
        for name in self.path:
            value = getattr(value, name)
        return cast(T, value)


class Document(QObject):
    """The session plus a stable id per neuron (its colour and its card follow it when
    others are added or removed); ``revision`` counts changes of the model itself."""

    structureChanged = Signal()  # neurons added, removed or replaced: rebuild cards, curves
    neuronChanged = Signal(int)  # one neuron's values (by index)
    weightsChanged = Signal()  # every neuron's values at once, same structure (training)
    outputBiasChanged = Signal()
    targetChanged = Signal()  # the target, the domain or the samples
    samplesChanged = Signal()  # the training samples are others: indices into them moved
    settingsChanged = Signal()  # training settings (saved with the session)
    stepChanged = Signal()  # the training step count (and so the loss history)
    changed = Signal()  # after any change to the session: derived views refresh
    derivedChanged = Signal()  # loss, metrics, gradients may differ: read derived() again
    replaced = Signal()  # another session altogether (new, open, restore)

    def __init__(self, session: Session | None = None, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._ids = itertools.count()
        self.session = session or default_session()
        self._adopt_ids()
        self._samples: SampleSet | None = None
        self.data_revision = 0  # bumped whenever the training samples are others
        self.diverged_run: DivergedRun | None = None
        self.revision = 0  # bumped by every model change: training knows when to reload
        self._derived: DerivedValues | None = None
        self.changed.connect(self.derivedChanged)

    # -- reading (the session's own values, read-only) ------------------------------------
    network = _Read[Network]("network")
    target = _Read[Target]("target")
    domain = _Read[tuple[float, float]]("domain")
    step = _Read[int]("step")
    stop = _Read[StopRule]("stop")
    loss = _Read[str]("loss")
    """The loss's name (mse, mae, huber)."""
    penalty = _Read[Penalty]("penalty")
    """Weight decay: what training minimises besides the loss."""
    history = _Read[LossHistory]("history.loss")
    """The loss at every step (thinned), kept in the session."""
    epoch_history = _Read[LossHistory]("history.epochs")
    """Mini-batches: the full-batch loss at each epoch's end."""
    test_history = _Read[LossHistory]("history.test")
    """The loss on the held-out points at every step (thinned)."""
    timeline = _Read[Timeline]("history.timeline")

    @property
    def ids(self) -> list[int]:
        """Each neuron's stable id, in network order; kept in the session, so a neuron's
        colour survives save, open and crash recovery."""
        ids = self.session.neuron_ids
        assert ids is not None
        return ids

    def index_of(self, neuron_id: int | None) -> int | None:
        return self.ids.index(neuron_id) if neuron_id in self.ids else None

    def sample_set(self) -> SampleSet:
        """The samples, their noise and which are held out: cached per target and
        sampling settings."""
        if self._samples is None:
            self._samples = self.session.sample_set()
        return self._samples

    def training_data(self) -> tuple[np.ndarray, np.ndarray]:
        """The points the error is measured on (and training fits): every sample but
        the held-out ones, noise included."""
        return self.sample_set().train

    def test_data(self) -> tuple[np.ndarray, np.ndarray]:
        """The held-out points (empty arrays when there are none)."""
        return self.sample_set().held

    @property
    def sample_count(self) -> int:
        return int(self.training_data()[0].size)

    def batch_schedule(self) -> BatchSchedule | None:
        """Which samples each step uses (None: all of them, every step; LM is full batch)."""
        return self.session.batch_schedule(self.sample_count)

    def derived(self) -> DerivedValues:
        """Loss, metrics, gradients and trace of the current weights: computed once per
        revision, or handed over by training."""
        if self._derived is None or self._derived.revision != self.revision:
            self._derived = evaluate(
                self.revision, self.network, self.sample_set(), self.session.loss, self._truth
            )
        return self._derived

    def _truth(self, network: Network) -> float:
        return true_error(network, self.session.target, self.session.domain)

    def new_ids(self, count: int) -> list[int]:
        return [next(self._ids) for _ in range(count)]

    def _adopt_ids(self) -> None:
        """Use the session's ids if it has valid ones, else number its neurons afresh;
        new ids always come after every id in use."""
        ids = self.session.neuron_ids
        if ids is None or len(ids) != self.network.size or len(set(ids)) != len(ids):
            self.session.neuron_ids = self.new_ids(self.network.size)
        else:
            start = max(ids, default=-1) + 1
            self._ids = itertools.count(max(start, next(self._ids)))

    # -- applying changes (called by undo commands, the editor and training) ----------------
    def replace_session(self, session: Session) -> None:
        """Another session altogether: new ids, nothing derived or diverged kept."""
        self.diverged_run = None
        self._touch()  # training must reload: a different network, maybe the same size
        self.session = session
        self._adopt_ids()
        self._samples_changed()
        self.replaced.emit()
        self.targetChanged.emit()
        self.structureChanged.emit()
        self.outputBiasChanged.emit()
        self.settingsChanged.emit()
        self.stepChanged.emit()
        self.changed.emit()

    def apply_settings(self, **values: object) -> None:
        """Set session fields (optimizer, loss, stop, seed, batch_size, penalty, and the
        samples' noise and split, already checked): they travel with the session and
        reach a running training at once."""
        changed = {k: v for k, v in values.items() if getattr(self.session, k) != v}
        for key, value in changed.items():
            setattr(self.session, key, value)
        if changed.keys() & SAMPLING or ("seed" in changed and self.sample_set().altered):
            self._samples_changed()  # the noise and the split are drawn from the seed
            self._invalidate()
            self.settingsChanged.emit()
            self.targetChanged.emit()
            self.changed.emit()
            return
        if "loss" in changed:
            self._invalidate()
        if changed:
            self.settingsChanged.emit()

    def apply_samples(self, count: int, samples: SampleSet) -> None:
        """``count`` samples, already checked (``samples`` is what they give)."""
        self.session.samples = count
        self._samples_changed(samples)
        self._invalidate()
        self.settingsChanged.emit()
        self.targetChanged.emit()
        self.changed.emit()

    def apply_step(self, step: int) -> None:
        """Set the step count; going back forgets the loss history from there on."""
        if step != self.session.step:
            self.session.step = step
            self.session.history.truncate(step)
            self.stepChanged.emit()

    def apply_neuron(self, index: int, neuron: Neuron) -> None:
        self._touch()
        self.network.set_neuron(index, neuron)
        self.neuronChanged.emit(index)
        self.changed.emit()

    def apply_output_bias(self, value: float) -> None:
        self._touch()
        self.network.c = value
        self.outputBiasChanged.emit()
        self.changed.emit()

    def apply_insert(self, index: int, neurons: list[Neuron], ids: list[int]) -> None:
        self._touch()
        self.network.insert(index, neurons)
        self.ids[index:index] = ids
        self._structure_changed()

    def apply_remove(self, index: int, count: int = 1) -> None:
        self._touch()
        self.network.remove(index, count)
        del self.ids[index : index + count]
        self._structure_changed()

    def apply_network(self, network: Network, ids: list[int]) -> None:
        """Swap in a network; with the same ids it is a weights-only change (cheap)."""
        if ids == self.ids and network.activations == self.network.activations:
            self.apply_weights(network.copy())
            return
        self._touch()
        self.session.network = network.copy()
        self.session.neuron_ids = list(ids)
        self._structure_changed()

    def apply_target(self, target: Target, domain: tuple[float, float]) -> None:
        self._touch()
        self.session.target = target
        self.session.domain = domain
        self._samples_changed()
        self.targetChanged.emit()
        self.changed.emit()

    def apply_weights(self, network: Network, known: DerivedValues | None = None) -> None:
        """New values for the same neurons: no undo entry. ``known``: their derived values,
        already computed elsewhere (by training), stored under the new revision."""
        self._touch()
        self.session.network = network
        if known is not None:
            known.revision = self.revision
            self._derived = known
        self.weightsChanged.emit()
        self.outputBiasChanged.emit()
        self.changed.emit()

    def apply_training(self, frames: Sequence[Progress]) -> None:
        """Training's replies since the last frame: every step's loss (and the epochs'
        ends, the timeline rows) into the history, and the newest weights shown with what
        the worker computed of them, so nothing is recomputed here."""
        for frame in frames:
            self.session.history.record(
                frame.first_step,
                frame.losses,
                frame.epoch_losses,
                frame.timeline,
                frame.test_losses,
            )
        last = frames[-1]
        test = (
            None
            if last.test_loss is None or last.test_metrics is None
            else (last.test_loss, last.test_metrics)
        )
        known = from_training(
            -1,
            last.network,
            self.sample_set(),
            self.session.loss,
            last.loss,
            last.metrics,
            last.gradients,
            test,
            self._truth,
        )
        self.apply_weights(last.network, known)
        self.apply_step(last.step)

    def set_diverged_run(self, run: DivergedRun | None) -> None:
        """The losses of a run that blew up (kept on the loss plot after the rollback)."""
        if run is not None or self.diverged_run is not None:
            self.diverged_run = run
            self.stepChanged.emit()

    # -- bookkeeping ----------------------------------------------------------------------
    def _samples_changed(self, samples: SampleSet | None = None) -> None:
        """Other samples: a batch as large as them (or larger) is the full batch."""
        self._samples = samples
        self.data_revision += 1
        size = self.session.batch_size
        if size is not None and size >= self.sample_count:
            self.session.batch_size = None
            self.settingsChanged.emit()
        self.samplesChanged.emit()

    def _invalidate(self) -> None:
        """The derived values no longer hold (the loss or the samples changed)."""
        self._derived = None
        self.derivedChanged.emit()

    def _touch(self) -> None:
        """A change of the model itself: a new revision, and nothing derived holds (views
        hear ``derivedChanged`` with ``changed``, once the change is complete)."""
        self.revision += 1
        self._derived = None

    def _structure_changed(self) -> None:
        self.structureChanged.emit()
        self.outputBiasChanged.emit()
        self.changed.emit()
