"""The one source of truth for the window: the session plus what only the view needs.

Widgets never change each other. They call an intent method here (``edit_neuron``,
``add_neurons``, ...), which pushes an undo command; the command changes the session
through the ``apply_*`` methods, and those emit the signals widgets redraw from.
"""

from __future__ import annotations

import itertools
from collections.abc import Callable, Sequence
from dataclasses import replace

import numpy as np
from PySide6.QtCore import QObject, Signal
from PySide6.QtGui import QUndoStack

from uat_explorer.core import (
    LOSSES,
    MAX_NEURONS,
    FitMetrics,
    Network,
    Neuron,
    Session,
    Target,
    default_session,
    random_network,
)
from uat_explorer.core.history import LossHistory
from uat_explorer.core.initialize import resize_network
from uat_explorer.core.targets import check_domain, check_samples
from uat_explorer.gui.commands import (
    EditNeuron,
    EditOutputBias,
    InsertNeurons,
    RemoveNeuron,
    ReplaceNetwork,
    SetTarget,
)


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
    settingsChanged = Signal()  # training settings
    stepChanged = Signal()  # the training step count (and so the loss history)
    changed = Signal()  # after any change to the session: derived views refresh
    message = Signal(str)  # something the person should read (a refused edit, a limit)

    def __init__(self, session: Session | None = None, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._ids = itertools.count()
        self.undo_stack = QUndoStack(self)
        self.session = session or default_session()
        self.ids = self.new_ids(self.network.size)
        self.selected: int | None = None
        self.solo: int | None = None
        self._training_data: tuple[np.ndarray, np.ndarray] | None = None
        self.history = LossHistory()
        self.steps_per_frame = 0  # 0: as many as fit (a view setting, not saved)
        self.revision = 0  # bumped by every model change: training knows when to reload
        self.before_edit: Callable[[], None] = lambda: None  # training pauses here

    # -- reading ---------------------------------------------------------------------
    @property
    def network(self) -> Network:
        return self.session.network

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

    def metrics(self) -> FitMetrics:
        x, t = self.training_data()
        return FitMetrics.of(self.network(x), t)

    def loss_value(self) -> float:
        """The training loss (MSE, MAE or Huber, as set) of the current weights."""
        x, t = self.training_data()
        residual = self.network(x) - t
        return LOSSES[self.session.loss].value_and_grad(residual, np.empty_like(residual))

    def new_ids(self, count: int) -> list[int]:
        return [next(self._ids) for _ in range(count)]

    # -- view-only state (not undoable, not saved) -------------------------------------
    def select(self, neuron_id: int | None) -> None:
        if neuron_id != self.selected:
            self.selected = neuron_id
            self.selectionChanged.emit()

    def select_index(self, index: int | None) -> None:
        self.select(self.ids[index] if index is not None and 0 <= index < len(self.ids) else None)

    def set_solo(self, neuron_id: int | None) -> None:
        if neuron_id != self.solo:
            self.solo = neuron_id
            self.soloChanged.emit()

    # -- intents: each one undo step ------------------------------------------------------
    def edit_neuron(self, index: int, gesture: object = None, **values: object) -> None:
        """Change w, b, v, activation or muted of one neuron; edits of one gesture merge."""
        self.before_edit()
        before = self.network.neuron(index)
        after = replace(before, **values)
        if after != before:
            self.undo_stack.push(EditNeuron(self, index, before, after, gesture))

    def edit_output_bias(self, value: float, gesture: object = None) -> None:
        self.before_edit()
        if value != self.network.c:
            self.undo_stack.push(EditOutputBias(self, self.network.c, value, gesture))

    def add_neurons(self, neurons: Sequence[Neuron], text: str, index: int | None = None) -> bool:
        """Insert neurons (at the end by default), or say why not: the size limit."""
        self.before_edit()
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
        self.before_edit()
        self.undo_stack.push(RemoveNeuron(self, index))

    def duplicate_neuron(self, index: int) -> None:
        self.add_neurons([self.network.neuron(index)], "Duplicate neuron", index + 1)

    def replace_network(self, network: Network, text: str, step: int | None = None) -> None:
        """Swap in a whole new network (randomize, an example, a fit) as one undo step."""
        self.before_edit()
        if network.size > MAX_NEURONS:
            self.message.emit(f"A network may have at most {MAX_NEURONS} neurons.")
            return
        self.undo_stack.push(ReplaceNetwork(self, network, text, step=step))

    def set_target(
        self,
        target: Target,
        domain: tuple[float, float] | None = None,
        gesture: object = None,
        text: str = "Change target",
    ) -> None:
        """Use a new target (and domain: a data target brings its own). Raises InputError,
        with the reason, if the pair cannot be used: nothing changes then."""
        self.before_edit()
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
        self.before_edit()
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
        if changed:
            self.settingsChanged.emit()

    def set_samples(self, count: int) -> None:
        """Raises InputError (nothing changes) if the target cannot be sampled so."""
        if count == self.session.samples:
            return
        data = replace(self.session, samples=check_samples(count)).training_data()
        self.session.samples = count
        self._training_data = data
        self.settingsChanged.emit()
        self.targetChanged.emit()
        self.changed.emit()

    def set_steps_per_frame(self, steps: int) -> None:
        if steps != self.steps_per_frame:
            self.steps_per_frame = steps
            self.settingsChanged.emit()

    def reset(self, session: Session) -> None:
        """Start over with another session: new ids, an empty undo history."""
        self.before_edit()
        self.undo_stack.clear()
        self.history.clear()
        self.revision += 1  # training must reload: a different network, maybe the same size
        self.session = session
        self.ids = self.new_ids(session.network.size)
        self._training_data = None
        self.targetChanged.emit()
        self._structure_changed()
        self.settingsChanged.emit()

    # -- applying changes (called by undo commands, and by training) -----------------------
    def apply_step(self, step: int) -> None:
        """Set the step count; going back forgets the loss history from there on."""
        if step != self.session.step:
            self.session.step = step
            self.history.truncate(step)
            self.stepChanged.emit()

    def apply_neuron(self, index: int, neuron: Neuron) -> None:
        self.revision += 1
        self.network.set_neuron(index, neuron)
        self.neuronChanged.emit(index)
        self.changed.emit()

    def apply_output_bias(self, value: float) -> None:
        self.revision += 1
        self.network.c = value
        self.outputBiasChanged.emit()
        self.changed.emit()

    def apply_insert(self, index: int, neurons: list[Neuron], ids: list[int]) -> None:
        self.revision += 1
        self.network.insert(index, neurons)
        self.ids[index:index] = ids
        self._structure_changed()

    def apply_remove(self, index: int, count: int = 1) -> None:
        self.revision += 1
        self.network.remove(index, count)
        del self.ids[index : index + count]
        self._structure_changed()

    def apply_network(self, network: Network, ids: list[int]) -> None:
        """Swap in a network; with the same ids it is a weights-only change (cheap)."""
        if ids == self.ids and network.activations == self.network.activations:
            self.apply_weights(network.copy())
            return
        self.revision += 1
        self.session.network = network.copy()
        self.ids = list(ids)
        self._structure_changed()

    def apply_target(self, target: Target, domain: tuple[float, float]) -> None:
        self.revision += 1
        self.session.target = target
        self.session.domain = domain
        self._training_data = None
        self.targetChanged.emit()
        self.changed.emit()

    def apply_weights(self, network: Network) -> None:
        """New values for the same neurons (a training frame): no undo entry."""
        self.revision += 1
        self.session.network = network
        self.weightsChanged.emit()
        self.outputBiasChanged.emit()
        self.changed.emit()

    def _structure_changed(self) -> None:
        """Neurons came or went: a selection or solo of a neuron now gone is dropped."""
        if self.selected not in self.ids:
            self.selected = None
        if self.solo not in self.ids:
            self.solo = None
        self.structureChanged.emit()
        self.selectionChanged.emit()
        self.soloChanged.emit()
        self.outputBiasChanged.emit()
        self.changed.emit()
