"""The one source of truth for the window: the session plus what only the view needs.

Widgets never change each other. They call an intent method here (``edit_neuron``,
``add_neurons``, ...), which announces itself (``aboutToEdit``: training pauses) and
pushes an undo command; the command changes the session through the ``apply_*``
methods, and those emit the signals widgets redraw from. Loss, metrics, gradients and
the backprop trace are derived values, cached per revision (``derived()``).
"""

from __future__ import annotations

import itertools
from collections.abc import Sequence
from dataclasses import dataclass, replace
from typing import Any

import numpy as np
from PySide6.QtCore import QObject, Signal
from PySide6.QtGui import QUndoStack

from uat_explorer.core import (
    MAX_NEURONS,
    FitMetrics,
    Network,
    Neuron,
    Session,
    Target,
    default_session,
    random_network,
)
from uat_explorer.core.nn.gradients import Gradients
from uat_explorer.core.nn.initialize import resize_network
from uat_explorer.core.targets.target import check_domain, check_samples
from uat_explorer.core.training.batches import BatchSchedule, check_batch_size
from uat_explorer.core.training.loss_history import LossHistory
from uat_explorer.core.training.timeline import Timeline, TimelineRows
from uat_explorer.model.commands import (
    EditNeuron,
    EditOutputBias,
    InsertNeurons,
    RemoveNeuron,
    ReplaceNetwork,
    SetTarget,
)
from uat_explorer.model.derived import DerivedValues, evaluate, from_training

DEFAULT_PACE = 2
"""Steps per frame at start: Adam fits the opening sin(x) in ~600 steps, so at 60 frames
a second the first fit unfolds over about five seconds, slow enough to watch."""


@dataclass(frozen=True)
class DivergedRun:
    """Where a run blew up: its losses from ``restored_step`` (whose weights came back)
    to the last finite one."""

    steps: np.ndarray
    losses: np.ndarray
    restored_step: int


class AppState(QObject):
    """Session, neuron identities, selection, solo, and the undo stack.

    Each neuron has a stable id (its colour and its card follow it when others are
    added or removed); ``selected`` and ``solo`` are ids, or None.
    """

    structureChanged = Signal()  # neurons added, removed or replaced: rebuild cards, curves
    neuronChanged = Signal(int)  # one neuron's values (by index)
    weightsChanged = Signal()  # every neuron's values at once, same structure (training)
    outputBiasChanged = Signal()
    targetChanged = Signal()  # the target or the domain
    selectionChanged = Signal()
    soloChanged = Signal()
    settingsChanged = Signal()  # training settings (saved with the session)
    paceChanged = Signal()  # steps per frame: how training is watched (not saved)
    stepChanged = Signal()  # the training step count (and so the loss history)
    changed = Signal()  # after any change to the session: derived views refresh
    derivedChanged = Signal()  # loss, metrics, gradients may differ: read derived() again
    aboutToEdit = Signal()  # an intent is about to change the model (training pauses)
    probeChanged = Signal()  # the sample the backprop views look at
    liveRebuildChanged = Signal(bool)  # a drag rebuilds the network at every tick
    message = Signal(str)  # something the person should read (a refused edit, a limit)

    def __init__(self, session: Session | None = None, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._ids = itertools.count()
        self.undo_stack = QUndoStack(self)
        self.session = session or default_session()
        self._adopt_ids()
        self.selected: int | None = None
        self.solo: int | None = None
        self._training_data: tuple[np.ndarray, np.ndarray] | None = None
        self.steps_per_frame = DEFAULT_PACE  # 0: as many as fit (a view setting, not saved)
        self.diverged_run: DivergedRun | None = None
        self.probe_sample: int | None = None  # the sample backprop is shown on, if any
        self.probe_scope = "sample"  # backprop's loss: "sample" (ℓ of it) or "batch" (L)
        self.live_rebuild = False
        self.revision = 0  # bumped by every model change: training knows when to reload
        self._derived: DerivedValues | None = None
        self.changed.connect(self.derivedChanged)

    # -- reading ---------------------------------------------------------------------
    @property
    def network(self) -> Network:
        return self.session.network

    @property
    def history(self) -> LossHistory:
        """The loss at every step (thinned), kept in the session."""
        return self.session.history.loss

    @property
    def epoch_history(self) -> LossHistory:
        """Mini-batches: the full-batch loss at each epoch's end."""
        return self.session.history.epochs

    @property
    def timeline(self) -> Timeline:
        return self.session.history.timeline

    def batch_schedule(self) -> BatchSchedule | None:
        """Which samples each step uses (None: all of them, every step; LM is full batch)."""
        return self.session.batch_schedule(self.training_data()[0].size)

    @property
    def target(self) -> Target:
        return self.session.target

    @property
    def domain(self) -> tuple[float, float]:
        return self.session.domain

    def index_of(self, neuron_id: int | None) -> int | None:
        return self.ids.index(neuron_id) if neuron_id in self.ids else None

    @property
    def selected_index(self) -> int | None:
        return self.index_of(self.selected)

    def training_data(self) -> tuple[np.ndarray, np.ndarray]:
        """The points the error is measured on (and training fits): cached per target."""
        if self._training_data is None:
            self._training_data = self.session.training_data()
        return self._training_data

    def derived(self) -> DerivedValues:
        """Loss, metrics, gradients and trace of the current weights: computed once per
        revision, or handed over by training."""
        if self._derived is None or self._derived.revision != self.revision:
            x, t = self.training_data()
            self._derived = evaluate(self.revision, self.network, x, t, self.session.loss)
        return self._derived

    def new_ids(self, count: int) -> list[int]:
        return [next(self._ids) for _ in range(count)]

    @property
    def ids(self) -> list[int]:
        """Each neuron's stable id, in network order; kept in the session, so a neuron's
        colour survives save, open and crash recovery."""
        ids = self.session.neuron_ids
        assert ids is not None
        return ids

    @ids.setter
    def ids(self, ids: list[int]) -> None:
        self.session.neuron_ids = ids

    def _adopt_ids(self) -> None:
        """Use the session's ids if it has valid ones, else number its neurons afresh;
        new ids always come after every id in use."""
        ids = self.session.neuron_ids
        if ids is None or len(ids) != self.network.size or len(set(ids)) != len(ids):
            self.session.neuron_ids = self.new_ids(self.network.size)
        else:
            start = max(ids, default=-1) + 1
            self._ids = itertools.count(max(start, next(self._ids)))

    # -- view-only state (not undoable, not saved) -------------------------------------
    def select(self, neuron_id: int | None) -> None:
        if neuron_id != self.selected:
            self.selected = neuron_id
            self.selectionChanged.emit()

    def select_index(self, index: int | None) -> None:
        self.select(self.ids[index] if index is not None and 0 <= index < len(self.ids) else None)

    def select_relative(self, step: int) -> None:
        """The next (step 1) or previous (−1) neuron, wrapping; the first if none is."""
        size = self.network.size
        if size:
            index = self.selected_index
            self.select_index(0 if index is None else (index + step) % size)

    def set_probe_sample(self, index: int | None) -> None:
        """Which sample the backprop views show (None: none is shown); clipped to the
        samples there are."""
        if index is not None:
            index = max(0, min(index, self.training_data()[0].size - 1))
        if index != self.probe_sample:
            self.probe_sample = index
            self.probeChanged.emit()

    def set_live_rebuild(self, on: bool) -> None:
        """A gesture (dragging the construction's neuron count) replaces the network at
        every tick: views may let their per-neuron parts (cards, curves) catch up at the
        end, as long as the output itself follows."""
        if on != self.live_rebuild:
            self.live_rebuild = on
            self.liveRebuildChanged.emit(on)

    def set_probe_scope(self, scope: str) -> None:
        if scope != self.probe_scope:
            self.probe_scope = scope
            self.probeChanged.emit()

    def set_solo(self, neuron_id: int | None) -> None:
        if neuron_id != self.solo:
            self.solo = neuron_id
            self.soloChanged.emit()

    # -- intents: each one undo step ------------------------------------------------------
    def edit_neuron(self, index: int, gesture: object = None, **values: Any) -> None:
        """Change w, b, v, activation or muted of one neuron; edits of one gesture merge."""
        self.aboutToEdit.emit()
        before = self.network.neuron(index)
        after = replace(before, **values)
        if after != before:
            self.undo_stack.push(EditNeuron(self, index, before, after, gesture))

    def edit_output_bias(self, value: float, gesture: object = None) -> None:
        self.aboutToEdit.emit()
        if value != self.network.c:
            self.undo_stack.push(EditOutputBias(self, self.network.c, value, gesture))

    def add_neurons(self, neurons: Sequence[Neuron], text: str, index: int | None = None) -> bool:
        """Insert neurons (at the end by default), or say why not: the size limit."""
        self.aboutToEdit.emit()
        if self.network.size + len(neurons) > MAX_NEURONS:
            self.message.emit(
                f"The network already has {self.network.size} neurons; UAT Explorer supports"
                f" up to {MAX_NEURONS}. Remove some to add more."
            )
            return False
        at = self.network.size if index is None else index
        command = InsertNeurons(self, at, list(neurons), self.new_ids(len(neurons)), text)
        self.undo_stack.push(command)
        self.select(command.ids[0])
        return True

    def remove_neuron(self, index: int) -> None:
        self.aboutToEdit.emit()
        self.undo_stack.push(RemoveNeuron(self, index))

    def duplicate_neuron(self, index: int) -> None:
        self.add_neurons([self.network.neuron(index)], "Duplicate neuron", index + 1)

    def _selected_or_say(self) -> int | None:
        index = self.selected_index
        if index is None:
            self.message.emit("Select a neuron first: click its card or its curve.")
        return index

    def remove_selected(self) -> None:
        index = self._selected_or_say()
        if index is not None:
            self.remove_neuron(index)

    def duplicate_selected(self) -> None:
        index = self._selected_or_say()
        if index is not None:
            self.duplicate_neuron(index)

    def toggle_mute_selected(self) -> None:
        index = self._selected_or_say()
        if index is not None:
            self.edit_neuron(index, muted=not self.network.muted[index])

    def replace_network(
        self, network: Network, text: str, step: int | None = None, gesture: object = None
    ) -> None:
        """Swap in a whole new network (randomize, an example, a fit) as one undo step;
        replacements with the same ``gesture`` (one drag) merge into one."""
        self.aboutToEdit.emit()
        if network.size > MAX_NEURONS:
            self.message.emit(f"A network may have at most {MAX_NEURONS} neurons.")
            return
        self.undo_stack.push(ReplaceNetwork(self, network, text, step=step, gesture=gesture))

    def apply_gradient_step(self, gradients: Gradients, learning_rate: float, text: str) -> None:
        """One step of gradient descent by hand, p ← p − lr·∂L/∂p for every parameter
        (a muted neuron's gradient is 0, so it stays), as one undo step."""
        network = self.network.copy()
        network.w = network.w - learning_rate * gradients.w
        network.b = network.b - learning_rate * gradients.b
        network.v = network.v - learning_rate * gradients.v
        network.c = network.c - learning_rate * gradients.c
        self.replace_network(network, text)

    def record_training_run(self, before: Network, before_step: int) -> None:
        """A run already shown (weights and steps from ``before`` to now) becomes one undo
        step: undo returns to the weights before it."""
        steps = self.session.step - before_step
        if steps == 0 and before == self.network:
            return
        self.undo_stack.push(
            ReplaceNetwork(
                self,
                self.network,
                f"Train {steps} steps",
                before=before,
                applied=True,
                step=self.session.step,
                before_step=before_step,
            )
        )

    def set_target(
        self,
        target: Target,
        domain: tuple[float, float] | None = None,
        gesture: object = None,
        text: str = "Change target",
    ) -> None:
        """Use a new target (and domain: a data target brings its own). Raises InputError,
        with the reason, if the pair cannot be used: nothing changes then."""
        self.aboutToEdit.emit()
        if domain is None:
            domain = (target.natural_domain() if target.is_data else None) or self.domain
        domain = check_domain(domain)
        replace(self.session, target=target, domain=domain).training_data()
        if target == self.target and domain == self.domain:
            return
        self.undo_stack.push(SetTarget(self, target, domain, gesture, text))

    def set_domain(self, low: float, high: float) -> None:
        """Raises InputError if the target cannot be sampled there."""
        self.set_target(self.target, (low, high), text="Change domain")

    def load_session(self, session: Session, text: str) -> None:
        """Replace network, target and domain together as one undo step (an example)."""
        self.undo_stack.beginMacro(text)
        self.replace_network(session.network, text)
        self.set_target(session.target, session.domain)
        self.undo_stack.endMacro()

    def set_neuron_count(self, count: int, activation: str) -> None:
        """Add neurons of ``activation`` (seeded, spread over the domain) or drop the last."""
        if not 0 <= count <= MAX_NEURONS:
            self.message.emit(f"The neuron count must be between 0 and {MAX_NEURONS}.")
            return
        if count != self.network.size:
            network = resize_network(
                self.network, count, activation, self.domain, self.session.seed
            )
            self.replace_network(network, f"Set neuron count to {count}")

    def reinitialize(self, seed: int | None = None) -> None:
        """Fresh weights from ``seed`` (the session's own if None): the same seed always
        gives the same weights. The step count starts again at 0."""
        self.aboutToEdit.emit()
        if seed is not None:
            self.update_settings(seed=seed)
        network = random_network(self.network.activations, self.domain, self.session.seed)
        network.muted[:] = self.network.muted
        text = "Reset weights" if seed is None else f"New seed {self.session.seed}"
        self.replace_network(network, text, step=0)

    # -- training settings: not undo steps, but part of the session -------------------------
    def update_settings(self, **values: object) -> None:
        """Set session fields: optimizer, loss, stop or seed. They travel with the session
        and reach a running training at once."""
        changed = {k: v for k, v in values.items() if getattr(self.session, k) != v}
        for key, value in changed.items():
            setattr(self.session, key, value)
        if "loss" in changed:
            self._invalidate()
        if changed:
            self.settingsChanged.emit()

    def set_samples(self, count: int) -> None:
        """Raises InputError (nothing changes) if the target cannot be sampled so."""
        if count == self.session.samples:
            return
        data = replace(self.session, samples=check_samples(count)).training_data()
        self.session.samples = count
        self._training_data = data
        self._clip_probe()
        self._clip_batch()
        self._invalidate()
        self.settingsChanged.emit()
        self.targetChanged.emit()
        self.changed.emit()

    def set_steps_per_frame(self, steps: int) -> None:
        """The pace of training (0: as fast as the machine goes): how it is watched, not
        what is learnt, so it is not saved and does not mark the document modified."""
        if steps != self.steps_per_frame:
            self.steps_per_frame = steps
            self.paceChanged.emit()

    def set_diverged_run(self, run: DivergedRun | None) -> None:
        """The losses of a run that blew up (kept on the loss plot after the rollback)."""
        if run is not None or self.diverged_run is not None:
            self.diverged_run = run
            self.stepChanged.emit()

    def reset(self, session: Session) -> None:
        """Start over with another session: new ids, an empty undo history."""
        self.aboutToEdit.emit()
        self.undo_stack.clear()
        self.diverged_run = None
        self._touch()  # training must reload: a different network, maybe the same size
        self.session = session
        self._adopt_ids()
        self._training_data = None
        self._clip_probe()
        self.targetChanged.emit()
        self._structure_changed()
        self.settingsChanged.emit()

    # -- applying changes (called by undo commands, and by training) -----------------------
    def apply_step(self, step: int) -> None:
        """Set the step count; going back forgets the loss history from there on."""
        if step != self.session.step:
            self.session.step = step
            self.session.history.truncate(step)
            self.stepChanged.emit()

    def _clip_probe(self) -> None:
        """The probed sample stays one that exists when the samples change."""
        if self.probe_sample is not None:
            last = self.training_data()[0].size - 1
            if self.probe_sample > last:
                self.probe_sample = last
                self.probeChanged.emit()

    def _clip_batch(self) -> None:
        """A batch as large as the samples (or larger) is the full batch."""
        size = self.session.batch_size
        if size is not None and size >= self.training_data()[0].size:
            self.session.batch_size = None
            self.settingsChanged.emit()

    def _invalidate(self) -> None:
        """The derived values no longer hold (the loss or the samples changed)."""
        self._derived = None
        self.derivedChanged.emit()

    def _touch(self) -> None:
        """A change of the model itself: a new revision, and nothing derived holds (views
        hear ``derivedChanged`` with ``changed``, once the change is complete)."""
        self.revision += 1
        self._derived = None

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
        self.ids = list(ids)
        self._structure_changed()

    def apply_target(self, target: Target, domain: tuple[float, float]) -> None:
        self._touch()
        self.session.target = target
        self.session.domain = domain
        self._training_data = None
        self._clip_probe()
        self._clip_batch()
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

    def apply_training_frame(
        self,
        network: Network,
        step: int,
        loss: float,
        metrics: FitMetrics,
        gradients: Gradients,
    ) -> None:
        """A frame of training: the worker's weights and what it computed of them, so
        nothing is recomputed here."""
        x, t = self.training_data()
        known = from_training(-1, network, x, t, self.session.loss, loss, metrics, gradients)
        self.apply_weights(network, known)
        self.apply_step(step)

    def record_losses(self, first_step: int, losses: np.ndarray) -> None:
        """The loss of every step from ``first_step`` on, for the loss curve."""
        self.history.extend(first_step, losses)

    def record_epochs(self, steps: np.ndarray, losses: np.ndarray) -> None:
        """Full-batch losses at epochs' ends (steps need not be consecutive)."""
        self.epoch_history.add(steps, losses)

    def record_timeline(self, rows: TimelineRows) -> None:
        self.timeline.extend(rows)

    def set_batch_size(self, size: int | None) -> None:
        """None: full batch. Raises InputError (nothing changes) beyond the samples."""
        size = check_batch_size(size, self.training_data()[0].size)
        if size != self.session.batch_size:
            self.session.batch_size = size
            self.settingsChanged.emit()

    def _structure_changed(self) -> None:
        """Neurons came or went: a selection or solo of a neuron now gone is dropped (and
        only then said: views redraw for the new structure anyway)."""
        dropped_selection = self.selected is not None and self.selected not in self.ids
        dropped_solo = self.solo is not None and self.solo not in self.ids
        if dropped_selection:
            self.selected = None
        if dropped_solo:
            self.solo = None
        self.structureChanged.emit()
        if dropped_selection:
            self.selectionChanged.emit()
        if dropped_solo:
            self.soloChanged.emit()
        self.outputBiasChanged.emit()
        self.changed.emit()
