"""The classifier as neuron cards: each neuron's colour, its w and b dials and one v dial
per logit in that class's colour (two classes: one, to the logit of the second), and the
output biases c once above them, all in one scrolling list. The curve cards' frame and
dials, one v per logit."""

from __future__ import annotations

import math

from PySide6.QtCore import QEvent, Qt, QTimer, Signal
from PySide6.QtGui import QValidator
from PySide6.QtWidgets import (
    QDoubleSpinBox,
    QFrame,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from uat_explorer.core.io.session_schema import MAX_PARAMETER
from uat_explorer.core.nn.classifier import ClassNetwork
from uat_explorer.core.nn.formula import number
from uat_explorer.gui.panels.neuron_stack import CARD_STYLE
from uat_explorer.gui.widgets.neuron_card import BIAS_SCALE, WEIGHT_SCALE, CardFrame
from uat_explorer.gui.widgets.value_dial import DialScale, ValueDial
from uat_explorer.plots.classes.class_plot import class_color
from uat_explorer.plots.theme import plot_colors
from uat_explorer.qt import props, when_shown

LOGIT_SCALE = DialScale(100.0, 5.0)
"""v and c move a logit, and a confident class needs logits of tens: ±100 on the dial."""
DIALS_PER_ROW = 5
"""w, b and three v fit the window's side; more classes wrap to a second row."""
SPIN_WIDTH = 56
"""Five spin boxes side by side within the window's side panel."""


class WeightSpin(QDoubleSpinBox):
    """Any text may be typed; Enter on one that is not a weight a session holds (abc,
    inf, 1e40) emits ``refused`` with the reason, and the value stays (the spin box
    shows it again)."""

    refused = Signal(str)

    def __init__(self) -> None:
        super().__init__()
        self._refused_text: str | None = None
        self.editingFinished.connect(self._check)

    def textFromValue(self, value: float) -> str:
        return f"{value:.4g}"

    def valueFromText(self, text: str) -> float:
        value = _weight(text)
        return self.value() if value is None else value

    def validate(self, text: str, pos: int) -> object:
        state = (
            QValidator.State.Acceptable
            if _weight(text) is not None
            else QValidator.State.Intermediate
        )
        return state, text, pos

    def fixup(self, text: str) -> str:
        """Qt's last word on a text it cannot take, before it shows the value again."""
        if _weight(text) is None:
            self._refused_text = text
        return text

    def _check(self) -> None:
        text, self._refused_text = self._refused_text, None
        if text is not None:
            self.refused.emit(
                f"{text!r} is not a weight: type a finite number within ±{MAX_PARAMETER:g}"
            )


def _weight(text: str) -> float | None:
    """The number ``text`` says, if a session can hold it."""
    try:
        value = float(text)
    except ValueError:
        return None
    return value if math.isfinite(value) and abs(value) <= MAX_PARAMETER else None


def weight_dial(symbol: str, tip: str, scale: DialScale, name: str) -> ValueDial:
    """A card's dial whose spin box says why it refuses a text; no gradient line (the
    window shows ∂ℓ/∂l for the chosen point instead)."""
    dial = ValueDial(symbol, tip, scale, name, spin=WeightSpin())
    dial.spin.setRange(-MAX_PARAMETER, MAX_PARAMETER)
    dial.spin.setMinimumWidth(SPIN_WIDTH)
    dial.gradient.hide()
    return dial


class ClassCard(CardFrame):
    """One neuron: ``edited(neuron, field, logit, value, gesture)`` when a dial is worked
    (field "w", "b" or "v"; ``logit`` the v's column); ``show`` displays silently."""

    edited = Signal(int, str, int, float, int)

    def __init__(self, neuron: int, heads: tuple[str, ...], parent: QWidget | None = None) -> None:
        super().__init__(neuron, parent)
        self.make_swatch()
        self.title.setText(f"{neuron + 1}")
        self.title.setToolTip(f"Neuron {neuron + 1}")
        self.position = props(QLabel(), objectName="stepPositionLabel")
        self.position.setToolTip("Step position s = −b/w: where this neuron switches")
        self.w = weight_dial(
            "w",
            "Input weight w: how steep the neuron is (negative flips it)",
            WEIGHT_SCALE,
            "weight",
        )
        self.b = weight_dial(
            "b", "Bias b: shifts the neuron along x (s = −b/w)", BIAS_SCALE, "bias"
        )
        self.v = [
            weight_dial(
                f"v → {head}",
                f"Output weight to class {head}'s logit: how much this neuron votes for {head}",
                LOGIT_SCALE,
                f"outputWeight{m}",
            )
            for m, head in enumerate(heads)
        ]
        header = QHBoxLayout()
        header.setSpacing(4)
        header.addWidget(self.swatch)
        header.addWidget(self.title)
        header.addWidget(self.position, 1)
        dials = QGridLayout()
        dials.setHorizontalSpacing(4)
        for k, dial in enumerate([self.w, self.b, *self.v]):
            dials.addWidget(dial, k // DIALS_PER_ROW, k % DIALS_PER_ROW)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(6, 4, 6, 4)
        layout.setSpacing(2)
        layout.addLayout(header)
        layout.addLayout(dials)
        for field, m, dial in (
            ("w", 0, self.w),
            ("b", 0, self.b),
            *(("v", m, d) for m, d in enumerate(self.v)),
        ):
            dial.edited.connect(
                lambda value, token, field=field, m=m: self.edited.emit(
                    self.neuron_id, field, m, value, token
                )
            )
        self.watch([c for dial in (self.w, self.b, *self.v) for c in dial.controls])
        self.color_swatch()

    def show_values(self, network: ClassNetwork) -> None:
        j = self.neuron_id
        w, b = float(network.w[j]), float(network.b[j])
        self.w.set_value(w)
        self.b.set_value(b)
        for m, dial in enumerate(self.v):
            dial.set_value(float(network.v[j, m]))
        self.position.setText("s = —" if w == 0 else f"s = {number(-b / w)}")


class ClassCards(QWidget):
    """A scrolling stack of ClassCards under the c dials. ``edited(network, gesture)``:
    the shown network with one weight changed (``gesture`` the same for one drag of one
    dial, so the window merges it into one undo step); ``refused(why)`` for a typed text
    that is no weight; ``focused(neuron)`` for the card hovered (or, after, the one
    clicked): the neuron the backprop graph draws in full."""

    edited = Signal(object, object)
    refused = Signal(str)
    focused = Signal(int)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        when_shown(self, self._apply)
        self.setObjectName("classesCards")
        self.network: ClassNetwork | None = None
        self.names: tuple[str, ...] = ()
        self.heads: tuple[str, ...] = ()
        """The class of each logit: one v dial per card, one c dial, for each."""
        self.cards: list[ClassCard] = []
        self.c: list[ValueDial] = []
        self.selected = 0
        self.list = props(QWidget(), objectName="classesCardList")
        self.list.setStyleSheet(CARD_STYLE)  # on the list: this widget hears palette changes
        self.list_layout = QVBoxLayout(self.list)
        self.list_layout.setContentsMargins(2, 2, 2, 2)
        self.list_layout.setSpacing(4)
        bias_row = QWidget(self.list)
        self.biases = QGridLayout(bias_row)
        self.biases.setContentsMargins(6, 0, 6, 0)
        self.biases.setHorizontalSpacing(4)
        self.biases.setColumnStretch(DIALS_PER_ROW, 1)  # the dials to the left
        self.list_layout.addWidget(bias_row)
        self.list_layout.addStretch(1)
        self.scroll_area = props(QScrollArea(), widgetResizable=True)
        self.scroll_area.setWidget(self.list)
        self.scroll_area.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.scroll_area.setFrameShape(QFrame.Shape.NoFrame)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.scroll_area, 1)

    def show_network(self, network: ClassNetwork, names: tuple[str, ...]) -> None:
        """The network's values on the dials (signals blocked: no edit), now if the cards
        are shown, else when they are (training would otherwise turn hidden dials)."""
        self.network, self.names = network, names
        if self.isVisible():
            self._apply()

    def _apply(self) -> None:
        """New cards only when the neurons or the classes change."""
        network, names = self.network, self.names
        if network is None:
            return
        heads = (names[1],) if network.c.size == 1 else names
        if len(self.cards) != network.size or heads != self.heads:
            self._rebuild(network.size, heads)
        for card in self.cards:
            card.show_values(network)
        for dial, value in zip(self.c, network.c, strict=True):
            dial.set_value(float(value))

    def _rebuild(self, size: int, heads: tuple[str, ...]) -> None:
        for old in [*self.cards, *self.c]:
            old.hide()
            old.deleteLater()
        self.heads = heads
        self.c = [
            weight_dial(
                f"c → {head}", f"Output bias of class {head}'s logit", LOGIT_SCALE, f"outputBias{m}"
            )
            for m, head in enumerate(heads)
        ]
        for m, dial in enumerate(self.c):
            self.biases.addWidget(dial, m // DIALS_PER_ROW, m % DIALS_PER_ROW)
            dial.edited.connect(lambda value, token, m=m: self._edited(-1, "c", m, value, token))
        self.cards = [ClassCard(j, heads, self.list) for j in range(size)]
        for j, card in enumerate(self.cards):
            self.list_layout.insertWidget(1 + j, card)  # after the c dials
            card.edited.connect(self._edited)
            card.hovered.connect(self._hovered)
            card.clicked.connect(self.select)
        for dial in [*self.c, *(d for card in self.cards for d in (card.w, card.b, *card.v))]:
            assert isinstance(dial.spin, WeightSpin)
            dial.spin.refused.connect(self.refused)
        self.color_heads()
        self.select(min(self.selected, size - 1), emit=False)

    def color_heads(self) -> None:
        """Each v and c label in its class's colour, readable on this palette."""
        background = plot_colors(self.palette()).background
        for dials in [self.c, *(card.v for card in self.cards)]:
            for m, dial in enumerate(dials):
                color = class_color(m + (len(self.heads) == 1), background)
                dial.label.setStyleSheet(f"color: {color.name()}; font-weight: bold;")

    def _edited(self, neuron: int, field: str, m: int, value: float, token: int) -> None:
        network = self.network
        if network is None:
            return
        changed = network.copy()
        if field == "c":
            changed.c[m] = value
        elif field == "v":
            changed.v[neuron, m] = value
        else:
            (changed.w if field == "w" else changed.b)[neuron] = value
        self.edited.emit(changed, (neuron, field, m, token))

    def _hovered(self, neuron: int, inside: bool) -> None:
        self.focused.emit(neuron if inside else self.selected)

    def select(self, neuron: int, emit: bool = True) -> None:
        """The neuron clicked (on its card or in the graph): its card's border shows it."""
        self.selected = neuron
        for j, card in enumerate(self.cards):
            card.show_selected(j == neuron)
        if emit:
            self.focused.emit(neuron)
        if 0 <= neuron < len(self.cards):
            self.scroll_area.ensureWidgetVisible(self.cards[neuron], 0, 10)

    def changeEvent(self, event: QEvent) -> None:
        palette_events = (QEvent.Type.PaletteChange, QEvent.Type.ApplicationPaletteChange)
        if event.type() in palette_events:
            QTimer.singleShot(0, self.restyle)  # after the event: nothing may raise inside it
        super().changeEvent(event)

    def restyle(self) -> None:
        """A new palette (light ↔ dark while running): the list's sheet again (a widget
        with a style sheet keeps the palette it was polished with), and the swatches and
        class colours in its shades."""
        self.list.setStyleSheet("")
        self.list.setStyleSheet(CARD_STYLE)
        for card in self.cards:
            card.color_swatch()
        self.color_heads()
