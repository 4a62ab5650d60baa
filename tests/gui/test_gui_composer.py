"""The composer window, driven through its objectNames like a user script would."""

from __future__ import annotations

import contextlib
from collections.abc import Iterator

import numpy as np
import pytest
from gui_helpers import cards, click_curve, curve, drag, drawn_output, tabs_built
from PySide6.QtCore import Qt
from PySide6.QtGui import QAction, QColor, QPalette
from PySide6.QtWidgets import (
    QApplication,
    QComboBox,
    QDial,
    QDoubleSpinBox,
    QLabel,
    QLineEdit,
    QPushButton,
    QTabBar,
    QToolButton,
    QWidget,
)

from uat_explorer.core import MAX_NEURONS, Network, Neuron, Session, Target, default_session
from uat_explorer.core.io.examples import EXAMPLES
from uat_explorer.gui import MainWindow
from uat_explorer.gui.widgets.neuron_card import WEIGHT_SCALE


def assert_plot_matches_core(window: MainWindow) -> None:
    """Drawn in float32 (issue 23: half the work a frame), so to 1e-5 of the curves'
    scale, where a pixel of an 800-pixel plot is 1e-3 of it."""
    net = window.state.document.network
    x, y = drawn_output(window)
    parts = net.forward(x)[1]
    scale = max(1.0, float(np.abs(parts).max()), float(np.abs(net(x)).max()))
    np.testing.assert_allclose(y, net(x), rtol=0, atol=1e-5 * scale)
    curves = window.plot.neurons
    assert curves.y.shape[0] == net.size  # one curve a neuron
    np.testing.assert_allclose(curves.y, net.forward(curves.x)[1], rtol=0, atol=1e-5 * scale)


def test_opens_on_a_meaningful_default(window):
    assert len(cards(window)) == window.state.document.network.size >= 3
    target = curve(window, "target")
    np.testing.assert_allclose(target.yData, np.sin(target.xData))
    assert_plot_matches_core(window)
    assert "MSE" in window.findChild(QLabel, "errorLabel").text()


def test_adding_neurons_adds_cards_and_curves(window, qtbot):
    before = window.state.document.network.size
    for name in ("addStepButton", "addSigmoidButton", "addReluButton", "addTanhButton"):
        qtbot.mouseClick(window.findChild(QPushButton, name), Qt.MouseButton.LeftButton)
    window.findChild(QPushButton, "addBumpButton").click()
    assert window.state.document.network.size == before + 6
    assert len(cards(window)) == before + 6
    assert window.plot.neurons.y.shape[0] == before + 6
    assert window.state.document.network.activations[-6:] == [
        "step",
        "sigmoid",
        "relu",
        "tanh",
        "step",
        "step",
    ]
    bump = window.state.document.network.v[-2:]
    assert bump[0] == -bump[1] != 0
    assert_plot_matches_core(window)


@pytest.mark.parametrize(
    ("dial", "field"), [("weightDial", "w"), ("biasDial", "b"), ("outputWeightDial", "v")]
)
def test_each_dial_changes_the_model_and_the_drawn_superposition(window, dial, field):
    card = cards(window)[2]
    before = window.state.document.network.neuron(2)
    card.findChild(QDial, dial).setValue(400)
    after = window.state.document.network.neuron(2)
    assert getattr(after, field) != getattr(before, field)
    assert (
        getattr(after, field)
        == card.findChild(QDoubleSpinBox, dial.replace("Dial", "Spin")).value()
    )
    assert_plot_matches_core(window)


def test_typed_values_update_the_dial_and_back_without_loops(window):
    card = cards(window)[0]
    spin = card.findChild(QDoubleSpinBox, "weightSpin")
    dial = card.findChild(QDial, "weightDial")
    count = window.state.editor.undo_stack.count()
    spin.setValue(3.5)
    assert window.state.document.network.w[0] == 3.5
    assert dial.value() == WEIGHT_SCALE.position(3.5)
    assert window.state.editor.undo_stack.count() == count + 1
    spin.setValue(5000.0)  # beyond the dial's range: the dial shows its end, the value stays
    assert window.state.document.network.w[0] == 5000.0
    assert dial.value() == dial.maximum()
    dial.setValue(-200)
    assert window.state.document.network.w[0] == WEIGHT_SCALE.value(-200)
    assert spin.value() == pytest.approx(WEIGHT_SCALE.value(-200))
    assert_plot_matches_core(window)


def test_output_bias_spin(window):
    spin = window.findChild(QDoubleSpinBox, "outputBiasSpin")
    spin.setValue(0.75)
    assert window.state.document.network.c == 0.75
    x, y = drawn_output(window)
    np.testing.assert_allclose(y, window.state.document.network(x), rtol=1e-5)  # float32


def test_one_drag_is_one_undo_step_and_undo_is_exact(window):
    stack = window.state.editor.undo_stack
    card = cards(window)[1]
    dial = card.findChild(QDial, "biasDial")
    exact = window.state.document.network.neuron(1)
    count = stack.count()
    dial.setSliderDown(True)
    for position in range(0, 600, 37):
        dial.setValue(position)
    dial.setSliderDown(False)
    assert stack.count() == count + 1
    dragged = window.state.document.network.neuron(1)
    assert dragged.b == WEIGHT_SCALE.value(592)
    stack.undo()
    assert window.state.document.network.neuron(1) == exact  # bit-exact, not rounded to the dial
    assert card.findChild(QDoubleSpinBox, "biasSpin").value() == pytest.approx(exact.b, abs=1e-4)
    assert_plot_matches_core(window)
    stack.redo()
    assert window.state.document.network.neuron(1) == dragged
    assert_plot_matches_core(window)


def test_undo_and_redo_across_add_remove_and_activation(window):
    stack = window.state.editor.undo_stack
    original = window.state.document.network.copy()
    ids = list(window.state.document.ids)
    cards(window)[3].findChild(QToolButton, "removeButton").click()
    assert window.state.document.network.size == original.size - 1
    assert window.plot.neurons.y.shape[0] == original.size - 1  # its curve is gone
    assert_plot_matches_core(window)
    combo = cards(window)[0].findChild(QComboBox, "activationCombo")
    combo.setCurrentIndex(combo.findData("relu"))
    combo.activated.emit(combo.currentIndex())
    assert window.state.document.network.activations[0] == "relu"
    stack.undo()
    stack.undo()
    assert window.state.document.network == original
    assert window.state.document.ids == ids  # the same neurons: same colours, same cards
    assert_plot_matches_core(window)


def test_bad_expression_shows_a_message_and_keeps_the_last_valid_target(window, qtbot):
    edit = window.findChild(QLineEdit, "targetExpressionEdit")
    edit.setFocus()
    edit.clear()
    qtbot.keyClicks(edit, "x**2")
    assert window.state.document.target.text == "x**2"
    qtbot.keyClicks(edit, " + os")
    message = window.findChild(QLabel, "targetMessageLabel")
    assert message.isVisible() and "unknown name 'os'" in message.text()
    assert "border" in edit.styleSheet()
    assert window.state.document.target.text == "x**2"  # the last valid one stays drawn
    target = curve(window, "target")
    np.testing.assert_allclose(target.yData, target.xData**2)
    edit.setText("log(x)")
    edit.textEdited.emit("log(x)")
    assert "NaN at x" in message.text() and window.state.document.target.text == "x**2"


def test_typing_a_formula_is_one_undo_step(window, qtbot):
    edit = window.findChild(QLineEdit, "targetExpressionEdit")
    edit.setFocus()
    edit.clear()
    count = window.state.editor.undo_stack.count()
    qtbot.keyClicks(edit, "x*3")
    assert window.state.editor.undo_stack.count() == count + 1
    window.state.editor.undo_stack.undo()
    assert window.state.document.target.name == "sin"


def test_presets_and_domain(window):
    combo = window.findChild(QComboBox, "targetPresetCombo")
    combo.setCurrentIndex(combo.findData("nielsen"))
    combo.activated.emit(combo.currentIndex())
    assert window.state.document.target.name == "nielsen" and window.state.document.domain == (
        0.0,
        1.0,
    )
    low = window.findChild(QDoubleSpinBox, "domainFromSpin")
    low.setValue(0.25)
    low.editingFinished.emit()
    assert window.state.document.domain == (0.25, 1.0)
    assert curve(window, "target").xData[0] == 0.25
    low.setValue(3.0)
    low.editingFinished.emit()
    assert window.state.document.domain == (0.25, 1.0)
    assert "must be less than" in window.findChild(QLabel, "targetMessageLabel").text()


def test_drawing_a_target_makes_sampled_data(window, qtbot):
    draw = window.findChild(QPushButton, "drawTargetButton")
    draw.click()
    viewport = window.plot.viewport()
    w, h = viewport.width(), viewport.height()
    points = [(w * (0.2 + 0.6 * i / 40), h * (0.5 + 0.3 * np.sin(i / 6))) for i in range(41)]
    drag(viewport, points)
    target = window.state.document.target
    assert target.is_data and target.name == "drawn"
    assert target.x.size == 200 and np.ptp(target.y) > 0
    assert not draw.isChecked()
    assert window.state.document.training_data()[0].size > 50


def test_loading_a_csv_target(window, tmp_path):
    path = tmp_path / "pts.csv"
    path.write_text("x,y\n0,0\n1,1\n2,4\n")
    assert window.target_panel.load_csv_file(path)
    assert window.state.document.target.is_data and window.state.document.domain == (0.0, 2.0)
    bad = tmp_path / "bad.csv"
    bad.write_text("x,y\n0,zero\n")
    assert not window.target_panel.load_csv_file(bad)
    assert "'zero' is not a number" in window.findChild(QLabel, "targetMessageLabel").text()
    assert window.state.document.target.name == "pts.csv"


@pytest.mark.parametrize("example", EXAMPLES, ids=[e.name for e in EXAMPLES])
def test_examples_load(window, example):
    action = window.findChild(QAction, f"example-{example.name}")
    action.trigger()
    expected = example.build()
    assert window.state.document.network == expected.network
    assert window.state.document.target.text == expected.target.text
    assert len(cards(window)) == expected.network.size
    assert_plot_matches_core(window)
    window.state.editor.undo_stack.undo()
    assert window.state.document.target.name == "sin"


def test_the_two_steps_example_is_nielsens(window):
    window.load_example("mixed-steps")
    net = window.state.document.network
    assert net.activations == ["step", "step"] and list(net.v) == [1.5, -0.5]
    assert np.allclose(net.step_positions(), [0.4, 0.6])


def test_hover_highlights_and_clicking_a_curve_selects(window):
    plot = window.plot
    first_id = window.state.document.ids[0]
    window.stack.neuronHovered.emit(first_id, True)
    assert plot.neurons.pen(0).widthF() > 3
    window.stack.neuronHovered.emit(first_id, False)
    assert plot.neurons.pen(0).widthF() < 2
    third = window.state.document.ids[2]
    click_curve(plot, 2)
    assert window.state.view.selected == third
    assert cards(window)[2].property("selected") is True
    assert "Neuron 3" in window.formula.neuron.text()


def test_formula_has_the_numbers_plugged_in(window):
    window.load_example("mixed-steps")
    text = window.findChild(QWidget, "networkFormula").toPlainText()
    assert text == "y = 1.5·H(1000·x − 400) − 0.5·H(1000·x − 600)"


def test_mute_and_solo(window):
    card = cards(window)[0]
    card.findChild(QToolButton, "muteButton").click()
    assert window.state.document.network.muted[0]
    assert not window.plot.neurons.shown(0)
    assert_plot_matches_core(window)
    cards(window)[1].findChild(QToolButton, "soloButton").click()
    ids = window.state.document.ids
    visible = [nid for index, nid in enumerate(ids) if window.plot.neurons.shown(index)]
    assert visible == [ids[1]]


def test_delete_key_removes_the_selected_neuron(window, qtbot):
    window.state.view.select_index(1)
    removed = window.state.document.ids[1]
    window.findChild(QAction, "deleteNeuronAction").trigger()
    assert removed not in window.state.document.ids


def test_the_neuron_limit_is_stated_not_frozen(qtbot):
    big = Network.from_neurons([Neuron("sigmoid", 1.0, 0.0, 0.01)] * (MAX_NEURONS - 1))
    w = MainWindow(Session(network=big, target=Target.preset("sin"), domain=(-1.0, 1.0)))
    qtbot.addWidget(w)
    tabs_built(w)
    w.findChild(QPushButton, "addBumpButton").click()  # two more would be 257
    assert w.state.document.network.size == MAX_NEURONS - 1
    assert "supports up to 256" in w.statusBar().currentMessage()
    w.findChild(QPushButton, "addStepButton").click()
    assert w.state.document.network.size == MAX_NEURONS
    qtbot.waitUntil(lambda: w.stack.complete, timeout=20_000)  # the cards come in batches
    assert len(cards(w)) == MAX_NEURONS


def test_shortcuts_are_listed(window):
    from uat_explorer.gui.widgets.shortcuts_dialog import shortcut_rows

    keys = {(action, keys) for _, action, keys in shortcut_rows(window.menuBar())}
    assert ("Undo", "Ctrl+Z") in keys
    assert any(action == "Redo" and "Ctrl+Shift+Z" in k for action, k in keys)
    assert ("Delete Neuron", "Del") in keys and ("New", "Ctrl+N") in keys


def test_every_control_has_a_tooltip(window):
    """Every panel, the ones built when first shown too, and the race window."""
    for dock in window.docks.values():
        dock.show()
    QApplication.processEvents()
    window.show_compare()  # a child of the window: found with it
    missing = [
        f"{kind.__name__} {widget.objectName()!r}"
        for kind in (QPushButton, QToolButton, QDial, QDoubleSpinBox, QComboBox, QLineEdit)
        for widget in window.findChildren(kind)
        # Qt's own parts (spin box editors, a tab bar's arrows) are not ours to name
        if not widget.objectName().startswith("qt_")
        and not isinstance(widget.parent(), QTabBar)
        and not widget.toolTip()
    ]
    assert missing == []


@contextlib.contextmanager
def dark_palette() -> Iterator[None]:
    """The application in a dark palette, and back after."""
    app = QApplication.instance()
    original = app.palette()
    dark = QPalette(original)
    dark.setColor(QPalette.ColorRole.Base, QColor(30, 30, 30))
    dark.setColor(QPalette.ColorRole.Text, QColor(230, 230, 230))
    try:
        app.setPalette(dark)
        app.processEvents()
        yield
    finally:
        app.setPalette(original)


def test_dark_palette_is_followed(window):
    with dark_palette():
        assert window.plot.colors.background.lightness() < 128
        assert window.plot.colors.target.lightness() > 128


def _sample_colour(plot, row: int) -> QColor:
    """The colour at the middle of the legend's line for entry ``row``, as painted."""
    sample = plot.legend.items[row][0]
    centre = plot.mapFromScene(sample.mapToScene(10, 11))
    return QColor(plot.viewport().grab().toImage().pixel(centre))


def test_the_legend_s_cached_samples_follow_a_dark_palette(window):
    plot = window.plot
    names = [label.text for _sample, label in plot.legend.items]
    row = names.index("network output")
    before = _sample_colour(plot, row)
    assert before == plot.colors.output
    with dark_palette():
        assert plot.colors.output != before
        assert _sample_colour(plot, row) == plot.colors.output


def test_a_hidden_curve_s_cached_legend_sample_shows_it_hidden(window):
    plot = window.plot
    row = [label.text for _sample, label in plot.legend.items].index("network output")
    assert _sample_colour(plot, row) == plot.colors.output
    plot.output_item.setVisible(False)
    QApplication.processEvents()
    assert _sample_colour(plot, row) != plot.colors.output  # the closed eye instead


def test_new_restores_the_default(window, dialogs):
    window.findChild(QPushButton, "addStepButton").click()
    window.files.new()
    assert dialogs and "not saved" in dialogs[0][1]
    assert window.state.document.network == default_session().network
    assert window.state.editor.undo_stack.count() == 0


def test_cards_of_a_big_network_are_built_in_the_background(qtbot):
    big = Network.from_neurons([Neuron("sigmoid", 1.0, 0.0, 0.01)] * 200)
    w = MainWindow(Session(network=big, target=Target.preset("sin"), domain=(-1.0, 1.0)))
    qtbot.addWidget(w)
    w.show()
    qtbot.waitUntil(lambda: w.stack.complete, timeout=20_000)
    last = cards(w)[-1]
    last.findChild(QDoubleSpinBox, "outputWeightSpin").setValue(0.5)
    assert w.state.document.network.v[-1] == 0.5


def test_a_session_opened_over_another_reuses_the_cards_with_the_new_values(
    window, qtbot, tmp_path
):
    """Every id changes when a session is opened; the cards of the neurons that went
    serve the new ones (hiding and creating 256 held the window ~0.1 s), each showing
    its new neuron's values and colour and selecting it when clicked."""
    first = list(window.stack.cards.values())
    count = len(first)
    net = Network.from_neurons(
        [Neuron("tanh", 2.0 + k, -0.5 * k, 0.25 * k) for k in range(count)], 0.5
    )
    path = tmp_path / "other.json"
    Session(network=net, target=Target.preset("sin"), domain=(-3.0, 3.0)).save(path)
    before_ids = list(window.state.document.ids)
    assert window.files.open(str(path))
    ids = window.state.document.ids
    assert not set(ids) & set(before_ids)
    assert [window.stack.cards[i] for i in ids] == first  # the same widgets, re-keyed
    qtbot.waitUntil(lambda: window.stack.complete)
    for index, neuron_id in enumerate(ids):
        card = window.stack.cards[neuron_id]
        window.stack._refresh(card)
        assert card.neuron_id == neuron_id
        assert card.w.spin.value() == pytest.approx(net.w[index])
        assert card.activation.currentData() == "tanh"
    card = window.stack.cards[ids[1]]
    qtbot.mouseClick(card, Qt.MouseButton.LeftButton)
    assert window.state.view.selected == ids[1]
    window.files.document.mark_saved(None)


def test_a_large_session_opened_adds_its_cards_a_batch_a_turn_and_edits_meanwhile_land(
    window, qtbot, tmp_path
):
    """Issue 23: File → Open of 256 neurons made and showed every card in one go (44 ms);
    now the first ones at once, the rest a batch each event-loop turn, in order. A neuron
    changed before its card exists shows the change when the card comes."""
    from uat_explorer.gui.panels.neuron_stack import FIRST_CARDS

    net = Network.from_neurons([Neuron("sigmoid", 1.0 + k / 100, 0.0, 0.01) for k in range(256)])
    path = tmp_path / "big.json"
    Session(network=net, target=Target.preset("sin"), domain=(-3.0, 3.0)).save(path)
    assert window.files.open(str(path))
    assert FIRST_CARDS <= len(window.stack.cards) < 256 and not window.stack.complete
    window.state.editor.edit_neuron(255, activation="tanh", w=2.0)  # its card not made yet
    qtbot.waitUntil(lambda: window.stack.complete, timeout=20_000)
    shown = cards(window)
    assert [c.neuron_id for c in shown] == window.state.document.ids  # every one, in order
    last = shown[-1]
    window.stack._refresh(last)
    assert last.w.spin.value() == 2.0 and last.activation.currentData() == "tanh"
    window.files.document.mark_saved(None)
