"""The stack of neuron cards, with buttons to add neurons and the output bias dial."""

from __future__ import annotations

from PySide6.QtCore import QEvent, QObject, Qt, QTimer, Signal
from PySide6.QtGui import QShowEvent
from PySide6.QtWidgets import (
    QFrame,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from uat_explorer.core import ACTIVATIONS, MAX_NEURONS
from uat_explorer.core.nn.initialize import new_bump, new_neuron
from uat_explorer.gui.widgets.neuron_card import OUTPUT_SCALE, NeuronCard
from uat_explorer.gui.widgets.value_dial import ValueDial
from uat_explorer.model.state import AppState
from uat_explorer.plots.in_view import in_view
from uat_explorer.qt import props, throttled

CARD_STYLE = """
QFrame#neuronCard { border: 1px solid palette(mid); border-radius: 5px; }
QFrame#neuronCard[selected="true"] { border: 2px solid palette(highlight); }
"""


BUILD_BATCH = 4
FIRST_CARDS = 64
"""Cards made at once for a new structure; the rest of a larger one are added CARD_BATCH
an event-loop turn (File → Open of 256 neurons spent 44 ms making and showing their
cards in one go, measured)."""
CARD_BATCH = 48


class NeuronStack(QWidget):
    """Keeps one card per neuron id in network order; cards are reused, never rebuilt
    for a mere change of values.

    A card's controls cost ~3 ms, so 256 at once would freeze the window for seconds.
    Cards in view are built at once; the rest follow a few per event-loop turn.
    """

    neuronHovered = Signal(int, bool)

    def __init__(self, state: AppState, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("neuronStack")
        self.state = state
        self.cards: dict[int, NeuronCard] = {}
        self.setStyleSheet(CARD_STYLE)

        self.add_buttons: dict[str, QPushButton] = {}
        grid = QGridLayout()
        grid.setSpacing(3)
        for i, (name, label) in enumerate((k.name, k.label) for k in ACTIVATIONS.values()):
            button = props(QPushButton(f"+ {label}"), objectName=f"add{label.title()}Button")
            button.setToolTip(
                f"Add a {label} neuron where no neuron switches on yet (Ctrl+{i + 1})"
            )
            button.clicked.connect(lambda _=False, name=name: self.add(name))
            grid.addWidget(button, 0, i)
            self.add_buttons[name] = button
        bump = props(QPushButton("+ Bump (two steps)"), objectName="addBumpButton")
        bump.setToolTip(
            "Add a bump: two step neurons with opposite output weights (Ctrl+B)."
            " Bumps side by side can trace any curve."
        )
        bump.clicked.connect(self.add_bump)
        grid.addWidget(bump, 1, 0, 1, 4)
        self.add_buttons["bump"] = bump

        self.bias = ValueDial(
            "c", "Output bias c: lifts the whole output curve", OUTPUT_SCALE, "outputBias"
        )
        self.bias.edited.connect(
            lambda value, token: state.editor.edit_output_bias(value, ("c", token))
        )
        self.count = props(QLabel(), objectName="neuronCountLabel")
        header = QHBoxLayout()
        header.addWidget(self.bias)
        header.addWidget(self.count, 1)

        self.list = props(QWidget(), objectName="neuronList")
        self.list_layout = QVBoxLayout(self.list)
        self.list_layout.setContentsMargins(2, 2, 2, 2)
        self.list_layout.setSpacing(4)
        self.list_layout.addStretch(1)
        self.scroll_area = props(QScrollArea(), widgetResizable=True)
        self.scroll_area.setWidget(self.list)
        self.scroll_area.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.scroll_area.setFrameShape(QFrame.Shape.NoFrame)

        self._builder = props(QTimer(self), singleShot=True, interval=0)
        self._builder.timeout.connect(self._build_batch)
        self.scroll_area.verticalScrollBar().valueChanged.connect(self._build_visible)
        self.scroll_area.viewport().installEventFilter(self)  # a taller dock shows more cards

        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 4, 4, 4)
        layout.addLayout(grid)
        layout.addLayout(header)
        layout.addWidget(self.scroll_area, 1)

        state.document.structureChanged.connect(self._structure_changed)
        state.view.liveRebuildChanged.connect(self._live_rebuild)
        self._behind = False  # cards wait for the end of a live rebuild
        self._waiting_ids: list[int] = []  # neurons whose cards the builder adds next
        state.document.neuronChanged.connect(self.show_neuron)
        state.document.weightsChanged.connect(self.show_all)
        state.document.outputBiasChanged.connect(self._show_bias)
        state.view.selectionChanged.connect(self.show_selection)
        state.view.soloChanged.connect(self.show_solo)
        self._gradients_throttled = throttled(self.show_gradients, 250, self)
        state.document.derivedChanged.connect(self._gradients_throttled)
        self.sync_cards()
        self.bias.set_value(state.document.network.c)

    # -- intents --------------------------------------------------------------------------
    def add(self, activation: str) -> None:
        neuron = new_neuron(activation, self.state.document.network, self.state.document.domain)
        self.state.editor.add_neurons([neuron], f"Add {ACTIVATIONS[activation].label} neuron")

    def add_bump(self) -> None:
        self.state.editor.add_neurons(
            new_bump(self.state.document.network, self.state.document.domain), "Add bump"
        )

    def _edited(self, neuron_id: int, field: str, value: object, token: int) -> None:
        index = self.state.document.index_of(neuron_id)
        if index is None:
            return
        self.state.view.select(neuron_id)
        gesture = (neuron_id, field, token) if token else None
        self.state.editor.edit_neuron(index, gesture, **{field: value})

    def _remove(self, neuron_id: int) -> None:
        index = self.state.document.index_of(neuron_id)
        if index is not None:
            self.state.editor.remove_neuron(index)

    def _duplicate(self, neuron_id: int) -> None:
        index = self.state.document.index_of(neuron_id)
        if index is not None:
            self.state.editor.duplicate_neuron(index)

    def _solo(self, neuron_id: int, on: bool) -> None:
        self.state.view.set_solo(neuron_id if on else None)

    # -- showing the model -----------------------------------------------------------------
    def _new_card(self, neuron_id: int) -> NeuronCard:
        card = NeuronCard(neuron_id, self.list)
        card.edited.connect(self._edited)
        card.removeRequested.connect(self._remove)
        card.duplicateRequested.connect(self._duplicate)
        card.soloToggled.connect(self._solo)
        card.hovered.connect(self.neuronHovered)
        card.clicked.connect(self.state.view.select)
        return card

    def _structure_changed(self) -> None:
        if self.state.view.live_rebuild:
            self._behind = True  # 256 cards per drag tick would cost tens of ms
            return
        self.sync_cards()

    def _live_rebuild(self, on: bool) -> None:
        if not on and self._behind:
            self._behind = False
            self.sync_cards()

    def sync_cards(self) -> None:
        """Match the cards to the network's neurons: create, drop and reorder as needed."""
        ids = self.state.document.ids
        present = set(ids)
        gone_ids = [neuron_id for neuron_id in self.cards if neuron_id not in present]
        new_ids = [neuron_id for neuron_id in ids if neuron_id not in self.cards]
        for old, new in zip(gone_ids, new_ids, strict=False):
            self._reuse(old, new)
        for neuron_id in gone_ids[len(new_ids) :]:
            gone = self.cards.pop(neuron_id)
            self.list_layout.removeWidget(gone)
            gone.hide()
            gone.deleteLater()
        self._waiting_ids = []
        for position, neuron_id in enumerate(ids):
            card = self.cards.get(neuron_id)
            if card is None and position >= FIRST_CARDS and not self.cards.keys() & ids[position:]:
                self._waiting_ids = ids[position:]  # the builder adds them, a batch a turn
                break
            if card is None:
                card = self.cards[neuron_id] = self._new_card(neuron_id)
            if self.list_layout.indexOf(card) != position:
                self.list_layout.removeWidget(card)
                self.list_layout.insertWidget(position, card)
                card.show()  # a child added to a visible widget stays hidden until shown
        self.show_all()
        self.show_solo()
        self.show_selection()
        self.list_layout.activate()
        self._build_visible()
        self._builder.start()

    def _reuse(self, old: int, new: int) -> None:
        """The card of a neuron that is gone serves a new one (its values shown anew, its
        colour the new neuron's): opening a 256-neuron session over another replaces every
        id, and hiding 256 cards to create 256 more held the window ~0.1 s."""
        card = self.cards.pop(old)
        card.neuron_id, card.stale = new, True
        if card.built:
            card.color_swatch()
        self.cards[new] = card

    def _in_view(self) -> list[NeuronCard]:
        """The cards one can see: none while the dock is a tab behind another (it saved
        ~0.6 ms of a training frame), or before it has a geometry (all would look in view)."""
        if not in_view(self.scroll_area):
            return []
        top = self.scroll_area.verticalScrollBar().value()
        bottom = top + self.scroll_area.viewport().height()
        return [c for c in self.cards.values() if c.y() < bottom and c.y() + c.height() > top]

    def _refresh(self, card: NeuronCard) -> None:
        """Show the model's values on a card that has fallen behind."""
        if card.stale:
            index = self.state.document.index_of(card.neuron_id)
            if index is not None:
                card.show_neuron(index, self.state.document.network.neuron(index))

    def _build_visible(self) -> None:
        shown = self._in_view()
        for card in shown:
            card.build()
            self._refresh(card)
        if shown:
            self.show_gradients(shown)

    def show_gradients(self, cards: list[NeuronCard] | None = None) -> None:
        """Each visible card's pull of gradient descent on its dials, from the cache."""
        if not in_view(self) or self._behind:
            return
        gradients = self.state.document.derived().gradients
        flat = gradients.flat()
        largest = float(abs(flat).max()) if flat.size else 0.0
        for card in cards if cards is not None else self._in_view():
            index = self.state.document.index_of(card.neuron_id)
            if index is not None:
                card.show_gradients(
                    float(gradients.w[index]),
                    float(gradients.b[index]),
                    float(gradients.v[index]),
                    largest,
                )
        self.bias.show_gradient("c", gradients.c, largest)

    @property
    def complete(self) -> bool:
        """Every neuron has its card, with its controls built."""
        return not self._waiting_ids and all(card.built for card in self.cards.values())

    def _add_waiting(self) -> None:
        """The next cards of a large session, at the end of the list in network order."""
        batch, self._waiting_ids = self._waiting_ids[:CARD_BATCH], self._waiting_ids[CARD_BATCH:]
        for neuron_id in batch:
            card = self.cards[neuron_id] = self._new_card(neuron_id)
            self.list_layout.addWidget(card)
            card.show()
        self.show_all()
        self.show_solo()
        self.show_selection()

    def _build_batch(self) -> None:
        if self._waiting_ids:
            self._add_waiting()
            self._builder.start()
            return
        self._build_visible()
        waiting = [card for card in self.cards.values() if not card.built]
        for card in waiting[:BUILD_BATCH]:
            card.build()
        if len(waiting) > BUILD_BATCH:
            self._builder.start()

    def restyle(self) -> None:
        """A new palette (light ↔ dark while running): a widget with a style sheet keeps
        the colours it was polished with and hears of no palette change, so the window
        calls this and the sheet is applied again."""
        self.setStyleSheet("")
        self.setStyleSheet(CARD_STYLE)
        for card in self.cards.values():
            if card.built:
                card.color_swatch()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.Resize and watched is self.scroll_area.viewport():
            # After this turn: during the first resize no card is laid out yet, so all
            # 256 would look "in view" and be built at once (3 s, measured).
            QTimer.singleShot(0, self._build_visible)
        return False

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        self.list_layout.activate()
        self._build_visible()
        self.show_gradients()

    def came_into_view(self) -> None:
        """Its tab brought to the front (Qt sends no show event): the cards in view catch
        up with the values and gradients they skipped."""
        self._show_bias()
        self._build_visible()

    def _show_bias(self) -> None:
        """c on its dial; behind a tab not every frame (a spin box's setValue lays out
        and repaints its text: ~0.15 ms), caught up when it comes into view."""
        if in_view(self.bias):
            self.bias.set_value(self.state.document.network.c)

    def show_neuron(self, index: int) -> None:
        card = self.cards.get(self.state.document.ids[index])
        if card is not None:  # not yet added: it will show the value then
            card.show_neuron(index, self.state.document.network.neuron(index))

    def show_all(self) -> None:
        """New values for every card; only those in view redraw now, the others when
        they come into view (a training frame would otherwise go on hidden dials)."""
        if self._behind:
            return
        for card in self.cards.values():
            card.stale = True
        for card in self._in_view():
            self._refresh(card)
        size = self.state.document.network.size
        self.count.setText(f"{size} neuron{'s' * (size != 1)} (at most {MAX_NEURONS})")

    def show_selection(self) -> None:
        for neuron_id, card in self.cards.items():
            card.show_selected(neuron_id == self.state.view.selected)
        selected = self.state.view.selected
        if selected is not None and selected in self.cards:
            self.scroll_area.ensureWidgetVisible(self.cards[selected], 0, 20)

    def show_solo(self) -> None:
        for neuron_id, card in self.cards.items():
            card.show_solo(neuron_id == self.state.view.solo)
