"""Undo commands: every edit of the session is one of these on the QUndoStack.

A command stores exact before/after values, so undo restores bit-for-bit; it knows only
the document it changes (as in Qt's undoframework example, the document knows no
commands). Edits that
carry the same ``gesture`` (one drag of a dial, one stretch of typing) merge into one
undo step.
"""

from __future__ import annotations

from typing import Generic, TypeVar

from PySide6.QtGui import QUndoCommand

from uat_explorer.core.nn.network import Network, Neuron
from uat_explorer.core.targets.target import Target
from uat_explorer.model.document import Document

_NAMES = {"w": "input weight", "b": "bias", "v": "output weight"}
Value = TypeVar("Value")


class GestureEdit(QUndoCommand, Generic[Value]):
    """A value going from ``before`` to ``after`` through ``apply``; a later edit of the
    same kind with the same key (one gesture) merges into this one."""

    kind = 0

    def __init__(self, text: str, before: Value, after: Value, key: object) -> None:
        super().__init__(text)
        self.before, self.after, self.key = before, after, key

    def apply(self, value: Value) -> None:
        raise NotImplementedError

    def id(self) -> int:
        return self.kind

    def mergeWith(self, other: QUndoCommand) -> bool:
        if not isinstance(other, type(self)) or self.key is None or other.key != self.key:
            return False
        self.after = other.after
        self.setObsolete(self.after == self.before)
        return True

    def redo(self) -> None:
        self.apply(self.after)

    def undo(self) -> None:
        self.apply(self.before)


class EditNeuron(GestureEdit[Neuron]):
    kind = 1

    def __init__(
        self, document: Document, index: int, before: Neuron, after: Neuron, gesture: object
    ) -> None:
        key = None if gesture is None else (index, gesture)
        super().__init__(_describe(index, before, after), before, after, key)
        self.document, self.index = document, index

    def apply(self, value: Neuron) -> None:
        self.document.apply_neuron(self.index, value)


def _describe(index: int, before: Neuron, after: Neuron) -> str:
    name = f"neuron {index + 1}"
    if after.activation != before.activation:
        return f"Make {name} {after.activation}"
    if after.muted != before.muted:
        return f"{'Mute' if after.muted else 'Unmute'} {name}"
    changed = [key for key in _NAMES if getattr(after, key) != getattr(before, key)]
    return f"Change {' and '.join(_NAMES[k] for k in changed)} of {name}"


class EditOutputBias(GestureEdit[float]):
    kind = 2

    def __init__(self, document: Document, before: float, after: float, gesture: object) -> None:
        super().__init__("Change output bias c", before, after, gesture)
        self.document = document

    def apply(self, value: float) -> None:
        self.document.apply_output_bias(value)


class InsertNeurons(QUndoCommand):
    def __init__(
        self, document: Document, index: int, neurons: list[Neuron], ids: list[int], text: str
    ) -> None:
        super().__init__(text)
        self.document, self.index, self.neurons, self.ids = document, index, neurons, ids

    def redo(self) -> None:
        self.document.apply_insert(self.index, self.neurons, self.ids)

    def undo(self) -> None:
        self.document.apply_remove(self.index, len(self.neurons))


class RemoveNeuron(QUndoCommand):
    def __init__(self, document: Document, index: int) -> None:
        super().__init__(f"Remove neuron {index + 1}")
        self.document, self.index = document, index
        self.neuron = document.network.neuron(index)
        self.neuron_id = document.ids[index]

    def redo(self) -> None:
        self.document.apply_remove(self.index)

    def undo(self) -> None:
        self.document.apply_insert(self.index, [self.neuron], [self.neuron_id])


class ReplaceNetwork(QUndoCommand):
    """A whole network at once, and optionally the step count with it (training, reset).
    ``applied=True`` records a change already on screen (a training run), so the first
    redo does nothing."""

    def __init__(
        self,
        document: Document,
        network: Network,
        text: str,
        before: Network | None = None,
        applied: bool = False,
        step: int | None = None,
        before_step: int | None = None,
        gesture: object = None,
    ) -> None:
        super().__init__(text)
        self.document = document
        self.gesture = gesture
        self.step = step
        self.before_step = document.step if before_step is None else before_step
        self.before = (before or document.network).copy()
        self.before_ids = list(document.ids)
        self.after = network.copy()
        # Neurons keep their ids (colours, cards, curves) as far as the two layouts agree:
        # a construction dragged from 255 to 256 neurons adds one card, not 256.
        kept = 0
        for old, new in zip(self.before.activations, network.activations, strict=False):
            if old != new:
                break
            kept += 1
        self.after_ids = self.before_ids[:kept] + document.new_ids(network.size - kept)
        self._skip = applied

    def id(self) -> int:
        return 4 if self.gesture is not None else -1

    def mergeWith(self, other: QUndoCommand) -> bool:
        """One drag (of the construction's neuron count) is one undo step."""
        if not isinstance(other, ReplaceNetwork) or other.gesture != self.gesture:
            return False
        self.after, self.after_ids = other.after, other.after_ids
        self.setText(other.text())
        return True

    def redo(self) -> None:
        if self._skip:
            self._skip = False
            return
        self.document.apply_network(self.after, self.after_ids)
        if self.step is not None:
            self.document.apply_step(self.step)

    def undo(self) -> None:
        self.document.apply_network(self.before, self.before_ids)
        if self.step is not None:
            self.document.apply_step(self.before_step)


class SetTarget(GestureEdit[tuple[Target, tuple[float, float]]]):
    """Target and domain together: a data target brings its own domain."""

    kind = 3

    def __init__(
        self,
        document: Document,
        target: Target,
        domain: tuple[float, float],
        gesture: object,
        text: str = "Change target",
    ) -> None:
        super().__init__(text, (document.target, document.domain), (target, domain), gesture)
        self.document = document

    def apply(self, value: tuple[Target, tuple[float, float]]) -> None:
        self.document.apply_target(*value)
