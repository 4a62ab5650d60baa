"""One neuron as a card: its colour, activation, three dials, and what it does."""

from __future__ import annotations

import math

from PySide6.QtCore import QEvent, QObject, QSignalBlocker, Qt, Signal
from PySide6.QtGui import QEnterEvent, QMouseEvent, QPalette
from PySide6.QtWidgets import (
    QComboBox,
    QFrame,
    QHBoxLayout,
    QLabel,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from uat_explorer.core import ACTIVATIONS, Neuron
from uat_explorer.core.nn.formula import number
from uat_explorer.gui.widgets.value_dial import DialScale, ValueDial
from uat_explorer.plots.theme import neuron_color
from uat_explorer.qt import props

WEIGHT_SCALE = DialScale(1000.0, 8.0)
BIAS_SCALE = DialScale(1000.0, 8.0)
OUTPUT_SCALE = DialScale(10.0, 3.0)
CARD_HEIGHT = 136


class CardFrame(QFrame):
    """What every neuron card shares: a frame whose border marks the selected neuron, the
    neuron's colour swatch and number, and hover and clicks (on the card or any control
    ``watch`` is given) reported by neuron id. The curve's cards and the classes
    window's put their own controls inside."""

    hovered = Signal(int, bool)
    clicked = Signal(int)

    def __init__(self, neuron_id: int, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("neuronCard")
        self.neuron_id = neuron_id
        self.setFrameShape(QFrame.Shape.StyledPanel)
        self.setProperty("selected", False)

    def make_swatch(self) -> None:
        self.swatch = props(QLabel(), objectName="colorSwatch")
        self.swatch.setFixedSize(14, 14)
        self.swatch.setToolTip("This neuron's colour: its curve in the plot has the same colour")
        self.title = QLabel()

    def color_swatch(self) -> None:
        """The neuron's colour in the shade its curve has on this palette's background."""
        color = neuron_color(self.neuron_id, self.palette().color(QPalette.ColorRole.Base))
        self.swatch.setStyleSheet(f"background: {color.name()}; border-radius: 3px;")

    def watch(self, children: list[QWidget]) -> None:
        """Working one of ``children`` selects the neuron, like a click on the card."""
        for child in children:
            child.installEventFilter(self)

    def show_selected(self, on: bool) -> None:
        if self.property("selected") != on:
            self.setProperty("selected", on)
            self.style().unpolish(self)
            self.style().polish(self)

    def enterEvent(self, event: QEnterEvent) -> None:
        self.hovered.emit(self.neuron_id, True)
        super().enterEvent(event)

    def leaveEvent(self, event: QEvent) -> None:
        self.hovered.emit(self.neuron_id, False)
        super().leaveEvent(event)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() in (QEvent.Type.MouseButtonPress, QEvent.Type.FocusIn):
            self.clicked.emit(self.neuron_id)
        return False

    def mousePressEvent(self, event: QMouseEvent) -> None:
        self.clicked.emit(self.neuron_id)
        super().mousePressEvent(event)


class NeuronCard(CardFrame):
    """Emits what the person asks for; ``show_neuron`` displays model values silently."""

    edited = Signal(int, str, object, int)  # neuron id, field, value, gesture token
    removeRequested = Signal(int)
    duplicateRequested = Signal(int)
    soloToggled = Signal(int, bool)

    def __init__(self, neuron_id: int, parent: QWidget | None = None) -> None:
        """A light frame of the final height; ``build`` adds the dials when needed."""
        super().__init__(neuron_id, parent)
        self.built = False
        self._shown: tuple[int, Neuron] | None = None
        self.stale = True  # the model moved on since the values were shown (NeuronStack)
        self._solo = False
        self.setFixedHeight(CARD_HEIGHT)

    def build(self) -> None:
        """Create the controls (3 ms a card: done for visible cards first, see NeuronStack)."""
        if self.built:
            return
        self.built = True
        hidden = self.isHidden()  # its own flag: isVisible() is False before the window shows
        self.setVisible(False)  # polish and lay out once at the end, not per child
        self.make_swatch()
        self.activation = props(QComboBox(), objectName="activationCombo")
        for kind in ACTIVATIONS.values():
            self.activation.addItem(kind.label, kind.name)
            self.activation.setItemData(
                self.activation.count() - 1, kind.tip, Qt.ItemDataRole.ToolTipRole
            )
        self.activation.setToolTip("Activation function of this neuron")
        self.position = props(QLabel(), objectName="stepPositionLabel")
        self.position.setToolTip("Step position s = −b/w: where this neuron switches on")
        self.mute = self._tool(
            "M",
            "muteButton",
            "Mute: leave this neuron out of the sum (and out of training) without deleting it",
            checkable=True,
        )
        self.solo = self._tool(
            "S",
            "soloButton",
            "Solo: show only this neuron's curve; the output still sums every unmuted neuron",
            checkable=True,
        )
        self.duplicate = self._tool("D", "duplicateButton", "Duplicate this neuron (Ctrl+D)")
        self.remove = self._tool("✕", "removeButton", "Remove this neuron (Delete)")
        self.w = ValueDial(
            "w",
            "Input weight w: how steep the neuron is (negative flips it)",
            WEIGHT_SCALE,
            "weight",
        )
        self.b = ValueDial("b", "Bias b: shifts the neuron along x (s = −b/w)", BIAS_SCALE, "bias")
        self.v = ValueDial(
            "v",
            "Output weight v: height of this neuron's contribution",
            OUTPUT_SCALE,
            "outputWeight",
        )

        header = QHBoxLayout()
        header.setSpacing(4)
        for widget in (self.swatch, self.title, self.activation):
            header.addWidget(widget)
        header.addWidget(self.position, 1)
        for button in (self.mute, self.solo, self.duplicate, self.remove):
            header.addWidget(button)
        dials = QHBoxLayout()
        for dial in (self.w, self.b, self.v):
            dials.addWidget(dial)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(6, 4, 6, 4)
        layout.setSpacing(2)
        layout.addLayout(header)
        layout.addLayout(dials)

        self.activation.activated.connect(
            lambda _: self.edited.emit(
                self.neuron_id, "activation", self.activation.currentData(), 0
            )
        )
        self.mute.toggled.connect(lambda on: self.edited.emit(self.neuron_id, "muted", on, 0))
        self.solo.toggled.connect(lambda on: self.soloToggled.emit(self.neuron_id, on))
        self.duplicate.clicked.connect(lambda: self.duplicateRequested.emit(self.neuron_id))
        self.remove.clicked.connect(lambda: self.removeRequested.emit(self.neuron_id))
        for field, dial in (("w", self.w), ("b", self.b), ("v", self.v)):
            dial.edited.connect(
                lambda value, token, field=field: self.edited.emit(
                    self.neuron_id, field, value, token
                )
            )
        self.watch(
            [self.activation, *(d for dial in (self.w, self.b, self.v) for d in dial.controls)]
        )
        self.color_swatch()
        if self._shown is not None:
            self._apply()
        self.show_solo(self._solo)
        self.setVisible(not hidden)

    def _tool(self, text: str, name: str, tip: str, checkable: bool = False) -> QToolButton:
        button = props(QToolButton(), objectName=name, text=text, toolTip=tip)
        button.setCheckable(checkable)
        button.setAutoRaise(True)
        return button

    def show_neuron(self, index: int, neuron: Neuron) -> None:
        """Display model values; blocked signals mean no edit, no undo step, no loop."""
        self._shown = (index, neuron)
        self.stale = False
        if self.built:
            self._apply()

    def _apply(self) -> None:
        assert self._shown is not None
        index, neuron = self._shown
        self.title.setText(f"{index + 1}")
        self.title.setToolTip(f"Neuron {index + 1}")
        with QSignalBlocker(self.activation), QSignalBlocker(self.mute):
            self.activation.setCurrentIndex(self.activation.findData(neuron.activation))
            self.activation.setToolTip(ACTIVATIONS[neuron.activation].tip)
            self.mute.setChecked(neuron.muted)
        self.w.set_value(neuron.w)
        self.b.set_value(neuron.b)
        self.v.set_value(neuron.v)
        s = neuron.step_position
        self.position.setText("s = —" if math.isnan(s) else f"s = {number(s)}")
        self.title.setEnabled(not neuron.muted)

    def show_gradients(self, w: float, b: float, v: float, largest: float) -> None:
        """The batch gradient's pull on each dial (nothing until the card is built)."""
        if self.built:
            self.w.show_gradient("w", w, largest)
            self.b.show_gradient("b", b, largest)
            self.v.show_gradient("v", v, largest)

    def show_solo(self, on: bool) -> None:
        self._solo = on
        if not self.built:
            return
        with QSignalBlocker(self.solo):
            self.solo.setChecked(on)
