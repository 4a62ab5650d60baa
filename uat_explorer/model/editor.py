"""The editor: every change a person asks for, each one undo step.

Widgets never change each other, nor the document directly. They call an intent here
(``edit_neuron``, ``add_neurons``, ``gradient_step``, …), which announces itself
(``aboutToEdit``: training pauses) and pushes an undo command; the command changes the
document through its ``apply_*`` methods, and those emit the signals views redraw from.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import replace
from typing import Any

import numpy as np
from PySide6.QtCore import QObject, Signal
from PySide6.QtGui import QUndoStack

from uat_explorer.core.errors import InputError
from uat_explorer.core.io.session import MAX_PARAMETER, Session
from uat_explorer.core.nn.gradients import Gradients
from uat_explorer.core.nn.initialize import random_network, resize_network
from uat_explorer.core.nn.network import MAX_NEURONS, Network, Neuron
from uat_explorer.core.nn.parameters import (
    parameter_index,
    parameter_names,
    parameter_values,
    with_parameters,
)
from uat_explorer.core.targets.target import Target, check_domain, check_samples
from uat_explorer.core.training.batches import check_batch_size
from uat_explorer.model.commands import (
    EditNeuron,
    EditOutputBias,
    InsertNeurons,
    RemoveNeuron,
    ReplaceNetwork,
    SetTarget,
)
from uat_explorer.model.document import Document
from uat_explorer.model.view_state import ViewState


class Editor(QObject):
    """Owns the undo stack; ``message`` carries a sentence for the person (a refused edit,
    a limit reached)."""

    aboutToEdit = Signal()  # an intent is about to change the model (training pauses)
    message = Signal(str)
    steppedByHand = Signal(object)  # a gradient step by hand, from this Network

    def __init__(self, document: Document, view: ViewState, parent: QObject | None = None):
        super().__init__(parent)
        self.document, self.view = document, view
        self.undo_stack = QUndoStack(self)

    # -- neurons ----------------------------------------------------------------------------
    def edit_neuron(self, index: int, gesture: object = None, **values: Any) -> None:
        """Change w, b, v, activation or muted of one neuron; edits of one gesture merge."""
        self.aboutToEdit.emit()
        before = self.document.network.neuron(index)
        after = replace(before, **values)
        if after != before:
            self.undo_stack.push(EditNeuron(self.document, index, before, after, gesture))

    def edit_output_bias(self, value: float, gesture: object = None) -> None:
        self.aboutToEdit.emit()
        c = self.document.network.c
        if value != c:
            self.undo_stack.push(EditOutputBias(self.document, c, value, gesture))

    def add_neurons(self, neurons: Sequence[Neuron], text: str, index: int | None = None) -> bool:
        """Insert neurons (at the end by default) and select the first, or say why not."""
        self.aboutToEdit.emit()
        size = self.document.network.size
        if size + len(neurons) > MAX_NEURONS:
            self.message.emit(
                f"The network already has {size} neurons; UAT Explorer supports up to"
                f" {MAX_NEURONS}. Remove some to add more."
            )
            return False
        ids = self.document.new_ids(len(neurons))
        at = size if index is None else index
        self.undo_stack.push(InsertNeurons(self.document, at, list(neurons), ids, text))
        self.view.select(ids[0])
        return True

    def remove_neuron(self, index: int) -> None:
        self.aboutToEdit.emit()
        self.undo_stack.push(RemoveNeuron(self.document, index))

    def duplicate_neuron(self, index: int) -> None:
        self.add_neurons([self.document.network.neuron(index)], "Duplicate neuron", index + 1)

    def _selected_or_say(self) -> int | None:
        index = self.view.selected_index
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
            self.edit_neuron(index, muted=not self.document.network.muted[index])

    # -- whole networks -----------------------------------------------------------------------
    def replace_network(
        self, network: Network, text: str, step: int | None = None, gesture: object = None
    ) -> None:
        """Swap in a whole new network (randomize, an example, a fit) as one undo step;
        replacements with the same ``gesture`` (one drag) merge into one."""
        self.aboutToEdit.emit()
        if network.size > MAX_NEURONS:
            self.message.emit(f"A network may have at most {MAX_NEURONS} neurons.")
            return
        self.undo_stack.push(
            ReplaceNetwork(self.document, network, text, step=step, gesture=gesture)
        )

    def set_parameters(self, values: dict[str, float], text: str, gesture: object = None) -> None:
        """Set parameters by their card names (w1, b1, v1, …, c), each held to the
        ±MAX_PARAMETER a session holds (and said when one is)."""
        held = {n: float(np.clip(v, -MAX_PARAMETER, MAX_PARAMETER)) for n, v in values.items()}
        clipped = [n for n in values if held[n] != values[n]]
        if any(not math.isfinite(v) for v in held.values()):
            self.message.emit("Those values are not numbers, so nothing changed.")
            return
        if clipped:
            self.message.emit(
                f"{', '.join(clipped)} held at ±{MAX_PARAMETER:g}, the largest a session holds."
            )
        self.replace_network(with_parameters(self.document.network, held), text, gesture=gesture)

    def gradient_step(
        self,
        gradients: Gradients,
        learning_rate: float,
        text: str,
        names: Sequence[str] | None = None,
    ) -> None:
        """One step of gradient descent by hand, p ← p − lr·∂L/∂p, on every parameter (a
        muted neuron's gradient is 0, so it stays) or on ``names`` only, as one undo step;
        with weight decay the step is the optimizer's, −lr·(∂L/∂p + λp) (c: −lr·∂L/∂c).
        Raises InputError, and nothing changes, if the step leaves the numbers."""
        network = self.document.network
        size = network.size
        chosen = list(parameter_names(size)) if names is None else list(names)
        values = parameter_values(network)
        flat = gradients.flat()
        penalty = self.document.session.penalty
        if penalty.active:
            flat = flat + penalty.share(values, network.muted)
        with np.errstate(all="ignore"):  # a step out of range is refused, not warned of
            moved = {
                n: values[parameter_index(n, size)] - learning_rate * flat[parameter_index(n, size)]
                for n in chosen
            }
            finite = all(math.isfinite(v) and abs(v) <= MAX_PARAMETER for v in moved.values())
        if not finite:
            raise InputError(
                "That step would leave the numbers a session holds: the gradient is not"
                " finite here, or the learning rate is too large. Nothing changed."
            )
        self.replace_network(with_parameters(network, moved), text)
        self.steppedByHand.emit(network)

    def record_training_run(self, before: Network, before_step: int) -> None:
        """A run already shown (weights and steps from ``before`` to now) becomes one undo
        step: undo returns to the weights before it."""
        document = self.document
        steps = document.step - before_step
        if steps == 0 and before == document.network:
            return
        self.undo_stack.push(
            ReplaceNetwork(
                document,
                document.network,
                f"Train {steps} steps",
                before=before,
                applied=True,
                step=document.step,
                before_step=before_step,
            )
        )

    def set_neuron_count(self, count: int, activation: str) -> None:
        """Add neurons of ``activation`` (seeded, spread over the domain) or drop the last."""
        if not 0 <= count <= MAX_NEURONS:
            self.message.emit(f"The neuron count must be between 0 and {MAX_NEURONS}.")
            return
        document = self.document
        if count != document.network.size:
            network = resize_network(
                document.network, count, activation, document.domain, document.session.seed
            )
            self.replace_network(network, f"Set neuron count to {count}")

    def reinitialize(self, seed: int | None = None) -> None:
        """Fresh weights from ``seed`` (the session's own if None): the same seed always
        gives the same weights. The step count starts again at 0."""
        self.aboutToEdit.emit()
        document = self.document
        if seed is not None:
            self.update_settings(seed=seed)
        network = random_network(
            document.network.activations, document.domain, document.session.seed
        )
        network.muted[:] = document.network.muted
        text = "Reset weights" if seed is None else f"New seed {document.session.seed}"
        self.replace_network(network, text, step=0)

    # -- the target ---------------------------------------------------------------------------
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
        document = self.document
        if domain is None:
            domain = (target.natural_domain() if target.is_data else None) or document.domain
        domain = check_domain(domain)
        # a data target brings its own scatter: it takes no added noise unless asked
        quiet = target.is_data and not document.target.is_data and document.session.noise > 0
        noise = 0.0 if quiet else document.session.noise
        replace(document.session, target=target, domain=domain, noise=noise).sample_set()
        if target == document.target and domain == document.domain:
            return
        self.undo_stack.push(SetTarget(document, target, domain, gesture, text))
        if quiet:
            document.apply_settings(noise=0.0)
            self.message.emit("Data points bring their own noise: the added noise is now 0.")

    def set_domain(self, low: float, high: float) -> None:
        """Raises InputError if the target cannot be sampled there."""
        self.set_target(self.document.target, (low, high), text="Change domain")

    def load_session(self, session: Session, text: str) -> None:
        """Replace network, target and domain together as one undo step (an example): a
        new problem, so training starts again at step 0 (its loss curve with it). Its
        samples come too: their count, noise and held-out points (and, when it has noise
        or test points, its seed, which draws them); training settings stay. Raises
        InputError (nothing changes) if the problem cannot be sampled."""
        self.aboutToEdit.emit()
        document = self.document
        seed = session.seed if session.sample_set().altered else document.session.seed
        problem = document.session.with_problem_of(session, seed)
        samples = problem.sample_set()
        self.undo_stack.beginMacro(text)
        self.replace_network(session.network, text, step=0)
        self.set_target(session.target, session.domain)
        self.undo_stack.endMacro()
        document.apply_samples(problem.samples, samples)
        document.apply_settings(
            noise=problem.noise,
            test_fraction=problem.test_fraction,
            test_mode=problem.test_mode,
            seed=seed,
        )

    def load_state(self, session: Session, text: str) -> None:
        """A whole state (a lesson step's start): network, step count, target and domain
        as one undo step, so Ctrl+Z returns to the person's own work; the samples and the
        training settings with them (settings are not undo steps anywhere): noise, test
        points and weight decay too."""
        self.undo_stack.beginMacro(text)
        self.replace_network(session.network, text, step=session.step)
        self.set_target(session.target, session.domain)
        self.undo_stack.endMacro()
        self.set_samples(session.samples)
        self.update_settings(seed=session.seed)  # before the noise and split it draws
        self.set_sampling(session.noise, session.test_fraction, session.test_mode)
        self.update_settings(
            optimizer=session.optimizer,
            loss=session.loss,
            stop=session.stop,
            penalty=session.penalty,
            batch_size=check_batch_size(session.batch_size, self.document.sample_count),
        )

    # -- training settings: not undo steps, but part of the session -------------------------
    def update_settings(self, **values: object) -> None:
        """Set session fields: optimizer, loss, stop or seed."""
        self.document.apply_settings(**values)

    def set_samples(self, count: int) -> None:
        """Raises InputError (nothing changes) if the target cannot be sampled so."""
        document = self.document
        if count == document.session.samples:
            return
        samples = replace(document.session, samples=check_samples(count)).sample_set()
        document.apply_samples(count, samples)

    def set_sampling(
        self,
        noise: float | None = None,
        test_fraction: float | None = None,
        test_mode: str | None = None,
    ) -> None:
        """The samples' noise, test fraction or test mode (None: as they are). Raises
        InputError (nothing changes) if the samples cannot be drawn so: noise below 0 or
        not finite, or too few points left to train on."""
        session = self.document.session
        sd = session.noise if noise is None else noise
        fraction = session.test_fraction if test_fraction is None else test_fraction
        mode = session.test_mode if test_mode is None else test_mode
        replace(session, noise=sd, test_fraction=fraction, test_mode=mode).sample_set()
        self.document.apply_settings(noise=sd, test_fraction=fraction, test_mode=mode)

    def set_batch_size(self, size: int | None) -> None:
        """None: full batch. Raises InputError (nothing changes) beyond the samples."""
        self.document.apply_settings(batch_size=check_batch_size(size, self.document.sample_count))

    def reset(self, session: Session) -> None:
        """Start over with another session: new ids, an empty undo history."""
        self.aboutToEdit.emit()
        self.undo_stack.clear()
        self.document.replace_session(session)
