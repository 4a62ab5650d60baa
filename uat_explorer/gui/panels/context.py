"""What a dock's panel is built from: the model, the training it can drive, and the
function plot it may mark (``PanelContext``); ``DockPanel`` keeps them for it."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, Protocol, runtime_checkable

from PySide6.QtWidgets import QComboBox, QLayout, QVBoxLayout, QWidget

from uat_explorer.gui.workers.training_controller import TrainingController
from uat_explorer.model.state import AppState
from uat_explorer.plots.function.plot import FunctionPlot


@dataclass(frozen=True)
class PanelContext:
    state: AppState
    training: TrainingController
    plot: FunctionPlot


class DockPanel(QWidget):
    """A panel of the window, named ``name`` (its objectName, for tests and scripts)."""

    def __init__(self, context: PanelContext, name: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName(name)
        self.state, self.training, self.plot = context.state, context.training, context.plot

    def stack(self, controls: QLayout, *rows: QWidget) -> None:
        """Controls at the top, then ``rows`` one under the other; the last (the panel's
        view) takes the room that is left."""
        layout = QVBoxLayout(self)
        layout.setContentsMargins(6, 4, 6, 4)
        layout.addLayout(controls)
        for row in rows[:-1]:
            layout.addWidget(row)
        layout.addWidget(rows[-1], 1)


@runtime_checkable
class KeepsChoices(Protocol):
    """A panel whose choices a saved session (and a lesson step) brings back:
    ``choices()`` as plain JSON values under the name ``choice_key`` (see
    ``core.io.view.CHOICES``), ``restore_choices`` takes what it finds."""

    choice_key: str

    def choices(self) -> dict[str, Any]: ...

    def restore_choices(self, choices: dict[str, Any]) -> None: ...


@runtime_checkable
class Scales(Protocol):
    """A panel that draws its own text and lines: presentation mode resizes them."""

    def set_scale(self, scale: float) -> None: ...


def select_quietly(combo: QComboBox, options: Mapping[str, object], value: object) -> None:
    """Show the item whose option is ``value`` without emitting (a panel restoring its
    choices redraws once, after all of them)."""
    text = next((t for t, option in options.items() if option == value), None)
    if text is not None:
        combo.blockSignals(True)
        combo.setCurrentText(text)
        combo.blockSignals(False)
