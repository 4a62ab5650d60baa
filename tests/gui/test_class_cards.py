"""The classes window's neuron cards and Timeline tab: a card per neuron with one v dial
per logit, a drag or a typed value changes that one weight as one undo step, a bad text
is refused with a message, an edit while training goes on training from the edited
weights, and the timeline's rows are the networks of their steps."""

from __future__ import annotations

import numpy as np
import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QColor, QPalette
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication, QLabel

from uat_explorer.core.nn.parameters import parameter_values
from uat_explorer.gui.classes.cards import LOGIT_SCALE, ClassCards
from uat_explorer.gui.classes.window import ClassesWindow
from uat_explorer.gui.widgets.value_dial import ValueDial


def make(qtbot, preset: str = "bands3") -> ClassesWindow:
    window = ClassesWindow()
    qtbot.addWidget(window)
    window.show()
    if preset != "bands3":
        window.choose_preset(preset)
    qtbot.waitUntil(lambda: len(window.cards.cards) == window.trainer.network.size)
    return window


def type_into(dial: ValueDial, text: str) -> None:
    dial.spin.lineEdit().selectAll()
    dial.spin.lineEdit().setText(text)
    QTest.keyClick(dial.spin, Qt.Key.Key_Return)


@pytest.mark.parametrize(
    ("preset", "heads"), [("interval2", ["inside"]), ("bands3", ["A", "B", "C"])]
)
def test_a_card_per_neuron_with_a_v_dial_per_logit_and_c_once(qtbot, preset, heads):
    window = make(qtbot, preset)
    cards = window.cards
    assert window.editors.currentWidget() is cards
    assert len(cards.cards) == 8
    for card in cards.cards:
        assert [dial.label.text() for dial in card.v] == [f"v → {h}" for h in heads]
    assert [dial.label.text() for dial in cards.c] == [f"c → {h}" for h in heads]
    network = window.trainer.network
    assert cards.cards[3].v[-1].value() == pytest.approx(network.v[3, -1], abs=1e-4)
    window.neurons.setValue(5)
    qtbot.waitUntil(lambda: len(cards.cards) == 5)
    colors = {dial.label.styleSheet() for dial in cards.cards[0].v}
    assert len(colors) == len(heads)  # each class its own colour


def test_dragging_a_v_dial_changes_that_weight_in_one_undo_step(qtbot):
    window = make(qtbot)
    before = window.trainer.network
    steps = window.file.undo_stack.count()
    dial = window.cards.cards[2].v[1]  # neuron 3's weight to class B's logit
    dial.dial.setSliderDown(True)
    for position in (100, 250, 400):
        dial.dial.setValue(position)
    dial.dial.setSliderDown(False)
    after = window.trainer.network
    assert after.v[2, 1] == LOGIT_SCALE.value(400)
    changed = parameter_values(after) != parameter_values(before)
    assert changed.sum() == 1  # that weight only
    assert window.file.undo_stack.count() == steps + 1  # one drag, one step
    window.file.undo_action.trigger()
    assert window.trainer.network == before
    assert window.cards.cards[2].v[1].value() == pytest.approx(before.v[2, 1], abs=1e-4)


def test_typing_a_weight_or_a_c_changes_it_and_undo_restores_it(qtbot):
    window = make(qtbot)
    before = window.trainer.network
    type_into(window.cards.cards[5].v[2], "-3.25")
    assert window.trainer.network.v[5, 2] == -3.25
    type_into(window.cards.c[0], "1.5")
    assert window.trainer.network.c[0] == 1.5
    window.file.undo_action.trigger()
    window.file.undo_action.trigger()
    assert window.trainer.network == before


@pytest.mark.parametrize("text", ["abc", "inf", "1e40", "nan"])
def test_a_bad_typed_value_is_refused_with_a_message_and_nothing_changes(qtbot, text):
    window = make(qtbot)
    before, steps = window.trainer.network, window.file.undo_stack.count()
    dial = window.cards.cards[0].w
    type_into(dial, text)
    assert "is not a weight" in window.message.text() and repr(text) in window.message.text()
    assert window.trainer.network == before and window.file.undo_stack.count() == steps
    assert dial.value() == pytest.approx(before.w[0], abs=1e-4)


def test_an_edit_while_training_goes_on_training_from_the_edited_weights(qtbot):
    window = make(qtbot)
    window.train.setChecked(True)
    qtbot.waitUntil(lambda: window.trainer.step > 20, timeout=20_000)
    type_into(window.cards.cards[1].b, "0.75")
    step = window.trainer.step
    assert not window.train.isChecked() and window.trainer.network.b[1] == 0.75
    texts = [window.file.undo_stack.text(i) for i in range(window.file.undo_stack.count())]
    assert texts[-2].startswith("Train") and texts[-1] == "Edit weight"
    qtbot.waitUntil(window.train.isChecked, timeout=5_000)  # once the dial rests
    qtbot.waitUntil(lambda: window.trainer.step > step + 20, timeout=20_000)
    window.train.setChecked(False)
    rows = window.timeline_tab.timeline.row_at(step)
    assert rows is not None
    segment, index = rows
    assert int(segment.steps[index]) == step  # the run went on from the edited step
    assert segment.weights[index, 1 * 5 + 1] == np.float32(0.75)  # b2 in card order


def test_clicking_or_hovering_a_card_focuses_its_neuron(qtbot):
    window = make(qtbot)
    cards: ClassCards = window.cards
    QTest.mouseClick(cards.cards[4], Qt.MouseButton.LeftButton)
    assert window.focus == 4 and cards.cards[4].property("selected")
    assert not cards.cards[0].property("selected")
    cards.cards[6].hovered.emit(6, True)
    assert window.focus == 6
    cards.cards[6].hovered.emit(6, False)
    assert window.focus == 4  # back to the one clicked
    window.graph_view.neuronClicked.emit(2)
    assert window.focus == 2 and cards.cards[2].property("selected")


def test_the_timeline_rows_of_training_are_the_networks_of_their_steps(qtbot):
    window = make(qtbot)
    window.train.setChecked(True)
    qtbot.waitUntil(lambda: len(window.history.steps) > 4, timeout=20_000)
    window.train.setChecked(False)
    [segment] = window.timeline_tab.timeline.segments
    assert np.array_equal(segment.steps, np.arange(window.trainer.step))
    problem = window.trainer.problem
    for step, theta in zip(window.history.steps[1:-1], window.history.thetas[1:-1], strict=True):
        card = np.empty_like(theta)
        card[problem.parameter_columns] = theta
        np.testing.assert_allclose(segment.weights[step], card, rtol=1e-6)
    window.tabs.setCurrentWidget(window.timeline_tab)
    view = window.timeline_tab.view
    qtbot.waitUntil(lambda: view.weights.rows == (2 + 3) * 8 + 3)
    assert view.weights.row_names[:5] == ["w1", "b1", "v1→A", "v1→B", "v1→C"]
    assert view.weights.row_names[-1] == "c→C"
    assert "v1→A … c→C" in window.timeline_tab.findChild(QLabel, "timelineLegendW").text()
    assert all(image.isVisible() for lane in view.lanes for image in lane.images[:1])
    assert view.gradients.images[0].image.shape[0] == 43
    window.neurons.setValue(4)  # fresh weights: a fresh timeline
    assert window.timeline_tab.timeline.rows == 0


def test_the_timeline_is_saved_with_the_session_and_undo_of_a_reset_brings_it_back(qtbot, tmp_path):
    window = make(qtbot)
    for _ in range(5):
        window.step_once()
    rows = window.timeline_tab.timeline.rows
    assert rows == 5
    assert window.save(str(tmp_path / "run.json"))
    window.neurons.setValue(6)  # fresh weights, a fresh timeline
    assert window.timeline_tab.timeline.rows == 0
    window.file.undo_action.trigger()
    assert window.timeline_tab.timeline.rows == rows
    other = make(qtbot)
    assert other.open(str(tmp_path / "run.json"))
    [segment] = other.timeline_tab.timeline.segments
    assert np.array_equal(segment.steps, np.arange(5)) and other.trainer.step == 5


def test_a_dark_palette_recolours_the_class_labels_for_it(qtbot):
    window = make(qtbot)
    label = window.cards.cards[0].v[0].label
    light = label.styleSheet()
    app = QApplication.instance()
    before = app.palette()
    try:
        app.setPalette(QPalette(QColor("#2b2b2b")))
        qtbot.waitUntil(lambda: label.styleSheet() != light, timeout=2000)
    finally:
        app.setPalette(before)
    qtbot.waitUntil(lambda: label.styleSheet() == light, timeout=2000)


def test_the_focused_neuron_is_shaded_in_the_backprop_graph(qtbot):
    window = make(qtbot)
    window.tabs.setCurrentWidget(window.graph_view)

    def shaded() -> set[int]:
        items = window.graph_view.items_by_key.values()
        return {item.neuron for item in items if item.brush().color().alpha() == 45}

    window.cards.cards[5].hovered.emit(5, True)
    assert shaded() == {5}
    window.cards.cards[5].hovered.emit(5, False)
    assert shaded() == {0}  # back to the card selected, the first until one is clicked


def test_an_edit_during_a_counted_run_goes_on_to_the_same_end_step(qtbot):
    """A lesson's Show me trains a given number of steps; an edit meanwhile pauses it and
    the run that goes on still stops at that step (it ran on without end before)."""
    window = make(qtbot)
    window.train_steps(3000)
    qtbot.waitUntil(lambda: window.trainer.step > 20, timeout=20_000)
    type_into(window.cards.cards[1].b, "0.75")
    qtbot.waitUntil(window.train.isChecked, timeout=5_000)  # once the dial rests
    qtbot.waitUntil(lambda: not window.train.isChecked(), timeout=60_000)
    assert window.trainer.step == 3000
    window.file.begin(None)
