"""The classes window: presets and CSV files as targets, training in its worker until
the bands are learned, Levenberg–Marquardt greyed with its reason, bad files said with
nothing changed, a session saved and opened again, and a clicked point followed."""

from __future__ import annotations

import numpy as np
import pytest
from helpers import write_session
from PySide6.QtCore import QPointF, Qt
from PySide6.QtGui import QAction, QStandardItemModel
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication, QFileDialog, QMessageBox

from uat_explorer.core.io.class_session import load_session
from uat_explorer.gui.classes.window import ClassesWindow

Button = QMessageBox.StandardButton


class Click:
    """What the plot reads of a mouse click: where, and the modifiers held."""

    def __init__(self, at, modifiers):
        self.at, self.held = at, modifiers

    def scenePos(self):
        return self.at

    def modifiers(self):
        return self.held


def click(window: ClassesWindow, x: float, shift: bool = False) -> None:
    at = window.plot.getViewBox().mapViewToScene(QPointF(x, 0.5))
    held = Qt.KeyboardModifier.ShiftModifier if shift else Qt.KeyboardModifier.NoModifier
    window.plot._clicked(Click(at, held))


def make(qtbot) -> ClassesWindow:
    window = ClassesWindow()
    qtbot.addWidget(window)
    window.show()
    return window


def test_training_learns_the_three_bands_and_says_so(qtbot):
    window = make(qtbot)
    assert window.target.names == ("A", "B", "C") and window.trainer.step == 0
    window.rate.setValue(0.05)
    window.train.setChecked(True)
    assert window.runner.running  # in the worker process
    qtbot.waitUntil(lambda: window.history.accuracies[-1] >= 0.97, timeout=30_000)
    window.train.setChecked(False)
    assert not window.runner.running
    step = window.trainer.step
    qtbot.wait(100)  # replies on their way when it paused are not taken
    assert window.trainer.step == step and window.history.steps[-1] == step
    assert window.history.losses[-1] < window.history.losses[0]
    assert "accuracy" in window.status.text() and "cross-entropy" in window.status.text()
    assert len(window.plot.curves) == 3


def test_levenberg_marquardt_is_greyed_with_its_reason(qtbot):
    window = make(qtbot)
    model = window.optimizer.model()
    assert isinstance(model, QStandardItemModel)
    lm = model.item(window.optimizer.findData("lm"))
    assert not lm.isEnabled() and "cross-entropy is not" in lm.toolTip()


def test_a_bad_csv_is_said_and_nothing_changes(qtbot, tmp_path):
    window = make(qtbot)
    before, trainer = window.target, window.trainer
    bad = tmp_path / "bad.csv"
    bad.write_text("x,label\n1,a\n2,a\n")
    assert not window.open_csv(str(bad))
    assert "only one class" in window.message.text()
    assert window.target is before and window.trainer is trainer
    good = tmp_path / "pets.csv"
    good.write_text("x,label\n0,cat\n1,dog\n2,cat\n3,bird\n")
    assert window.open_csv(str(good))
    assert window.target.names == ("cat", "dog", "bird")
    assert window.trainer.network.c.size == 3


def test_a_session_saved_opens_as_it_was(qtbot, tmp_path):
    window = make(qtbot)
    window.choose_preset("overlap2")
    window.trainer.run(100)
    path = tmp_path / "classes.json"
    assert window.save(str(path))
    other = make(qtbot)
    assert other.open(str(path))
    assert other.target == window.target and other.trainer.step == 100
    np.testing.assert_array_equal(other.trainer.theta, window.trainer.theta)


def test_the_examples_menu_opens_the_classes(window, qtbot):
    window.findChild(QAction, "example-classes-overlap2").trigger()
    classes = window.classes_window
    assert classes is not None and classes.isVisible()
    assert classes.target.name == "overlap2" and classes.trainer.network.c.size == 1
    classes.close()


def test_a_curve_session_is_said_and_nothing_changes(qtbot, tmp_path):
    window = make(qtbot)
    trainer = window.trainer
    curve = write_session(tmp_path / "curve.json")
    assert not window.open(str(curve))
    assert "is a curve session" in window.message.text() and window.trainer is trainer


def test_a_clicked_point_is_followed_through_training(qtbot):
    window = make(qtbot)
    window.choose_preset("overlap2")
    for _ in range(3):
        window.step_once()
    x = window.trainer.problem.x
    click(window, x[40] + 1e-4)
    assert window.sample == 40
    history = np.array([line.yData for line in window.history_plot.lines]).T
    thetas_networks = window.trainer.problem.history_at(np.array(window.history.thetas), x[40])
    np.testing.assert_allclose(history, thetas_networks)
    assert history.shape == (len(window.history.steps), 2)
    label = window.target.names[window.trainer.problem.labels[40]]
    text = window.chain.text()
    assert "σ(l)" in text and f"−log p[{label}]" in text
    window.choose_preset("bands3")
    assert "softmax" in window.chain.text() and len(window.history_plot.lines) == 3


def test_the_main_window_opens_a_class_session_in_the_classes_window(window, tmp_path):
    path = tmp_path / "classes.json"
    maker = ClassesWindow()
    maker.choose_preset("interval2")
    assert maker.save(str(path))
    maker.deleteLater()
    before = window.state.document.session
    assert window.open_path(str(path))
    classes = window.classes_window
    assert classes is not None and classes.isVisible() and classes.target.name == "interval2"
    assert window.state.document.session == before  # the curve document is untouched
    classes.close()


def test_a_typed_weight_changes_the_network_once_and_a_bad_one_nothing(qtbot):
    window = make(qtbot)
    table = window.weights
    assert table.columnCount() == 2 + 3 and table.rowCount() == 8 + 1
    assert table.horizontalHeaderItem(3).text() == "v → B"
    table.item(2, 3).setText("4.5")  # neuron 3's weight to class B's logit
    assert window.trainer.network.v[2, 1] == 4.5
    table.item(8, 2).setText("-1.25")  # c of class A
    assert window.trainer.network.c[0] == -1.25
    before = window.trainer.network
    table.item(0, 0).setText("abc")
    assert "not a weight" in window.message.text()
    assert window.trainer.network == before and table.item(0, 0).text() == f"{before.w[0]:.4g}"
    window.step_once()
    assert table.item(0, 0).text() == f"{window.trainer.network.w[0]:.4g}"


def test_a_step_is_one_update_and_any_change_pauses_training(qtbot):
    window = make(qtbot)
    window.step_once()
    assert window.trainer.step == 1 and window.history.steps == [0, 1]
    window.train.setChecked(True)
    window.neurons.setValue(5)  # a change: fresh weights, training paused
    assert not window.train.isChecked() and not window.runner.running
    assert window.trainer.network.size == 5 and window.trainer.step == 0


def test_the_history_and_the_followed_point_reopen_with_the_session(qtbot, tmp_path):
    window = make(qtbot)
    window.choose_preset("overlap2")
    for _ in range(3):
        window.step_once()
    window.follow(40)
    path = tmp_path / "classes.json"
    assert window.save(str(path)) and not window.file.modified
    other = make(qtbot)
    assert other.open(str(path))
    assert other.history.steps == [0, 1, 2, 3] and other.sample == 40
    assert other.history.losses == window.history.losses
    np.testing.assert_array_equal(other.history.thetas, window.history.thetas)
    lines = [line.yData for line in other.history_plot.lines]
    np.testing.assert_array_equal(lines, [line.yData for line in window.history_plot.lines])
    assert not other.file.modified and other.windowTitle().startswith("classes.json")


def test_closing_or_replacing_unsaved_work_asks_and_cancel_keeps_it(
    qtbot, tmp_path, monkeypatch, dialogs
):
    window = make(qtbot)
    window.choose_preset("interval2")
    assert not dialogs  # nothing to lose yet: no question
    window.step_once()
    assert window.file.modified and window.isWindowModified()
    answers = iter([Button.Cancel, Button.Cancel, Button.Discard])
    monkeypatch.setattr(QMessageBox, "warning", lambda *args: next(answers))
    trainer = window.trainer
    assert not window.choose_preset("bands3")  # Cancel: the work stays
    assert window.trainer is trainer and window.target.name == "interval2"
    assert not window.close() and window.isVisible()
    assert window.close() and not window.isVisible()  # Discard


def test_save_in_the_question_saves_then_replaces(qtbot, tmp_path, monkeypatch):
    window = make(qtbot)
    window.step_once()
    path = tmp_path / "kept.json"
    monkeypatch.setattr(QMessageBox, "warning", lambda *args: Button.Save)
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *args: (str(path), ""))
    assert window.choose_preset("overlap2")
    assert window.target.name == "overlap2" and not window.file.modified
    assert load_session(path).step == 1


def test_a_changed_optimizer_setting_is_unsaved_work_but_no_undo_step(qtbot):
    window = make(qtbot)
    window.rate.setValue(0.2)
    assert window.file.modified and window.file.undo_stack.count() == 0


def test_every_edit_is_one_undo_step_and_redo_brings_it_back(qtbot, tmp_path):
    window = make(qtbot)
    start = window.session()
    window.weights.item(0, 0).setText("3.5")
    typed = window.session()
    window.step_once()
    window.step_once()
    stepped = window.session()
    window._renewer("Reset weights")()
    good = tmp_path / "pets.csv"
    good.write_text("x,label\n0,cat\n1,dog\n2,cat\n3,bird\n")
    assert window.open_csv(str(good))
    window.preset.setCurrentIndex(window.preset.findData("overlap2"))
    window.preset.activated.emit(window.preset.currentIndex())
    texts = [window.file.undo_stack.text(i) for i in range(window.file.undo_stack.count())]
    assert texts == [
        "Edit weight",
        "Step",
        "Step",
        "Reset weights",
        "Open pets.csv",
        "Classes: overlap2",
    ]
    for _ in range(3):
        window.file.undo()
    assert window.session() == stepped and window.history.steps == [0, 0, 1, 2]
    assert window.target == stepped.target and window.weights.item(0, 0).text() == (
        f"{stepped.network.w[0]:.4g}"
    )
    window.file.undo()
    window.file.undo()
    assert window.session() == typed and window.trainer.network.w[0] == 3.5
    window.file.undo()
    assert window.session() == start and not window.file.modified
    for _ in range(6):
        window.file.redo()
    assert window.target.name == "overlap2" and window.trainer.step == 0


def test_a_training_run_is_one_undo_step(qtbot):
    window = make(qtbot)
    before = window.session()
    window.train.setChecked(True)
    qtbot.waitUntil(lambda: window.trainer.step > 20, timeout=20_000)
    window.train.setChecked(False)
    after = window.session()
    assert window.file.undo_stack.count() == 1
    assert window.file.undo_stack.text(0) == f"Train {after.step:,} steps"
    window.file.undo_action.trigger()
    assert window.session() == before and window.history.steps == [0]
    window.file.redo_action.trigger()
    assert window.session() == after and window.history.steps == after.history.steps


def test_undo_while_training_pauses_and_undoes_the_run(qtbot):
    window = make(qtbot)
    window.train.setChecked(True)
    qtbot.waitUntil(lambda: window.trainer.step > 5, timeout=20_000)
    window.file.undo()
    assert not window.train.isChecked() and window.trainer.step == 0
    assert window.file.undo_stack.count() == 1 and window.file.undo_stack.index() == 0


def test_ctrl_z_and_ctrl_shift_z_undo_and_redo_in_the_classes_window_only(window, qtbot):
    classes = window.show_classes()
    assert not classes.file.undo_action.isEnabled()
    classes.step_once()
    qtbot.waitUntil(classes.isActiveWindow, timeout=3000)
    main_steps = window.state.editor.undo_stack.count()
    control = Qt.KeyboardModifier.ControlModifier
    QTest.keyClick(classes.weights, Qt.Key.Key_Z, control)
    assert classes.trainer.step == 0 and not classes.file.undo_action.isEnabled()
    QTest.keyClick(classes.weights, Qt.Key.Key_Z, control | Qt.KeyboardModifier.ShiftModifier)
    assert classes.trainer.step == 1
    assert window.state.editor.undo_stack.count() == main_steps  # the curves untouched
    classes.close()


def test_closing_the_main_window_asks_for_the_classes_work_too(window, monkeypatch):
    classes = window.show_classes()
    classes.step_once()
    asked = []

    def answer(parent, title, text, *args):
        asked.append(text)
        return Button.Cancel

    monkeypatch.setattr(QMessageBox, "warning", answer)
    assert not window.close()
    assert classes.isVisible() and asked == [
        "The class session has changes that are not saved. Save them first?"
    ]
    monkeypatch.setattr(QMessageBox, "warning", lambda *args: Button.Discard)
    assert window.close() and not classes.isVisible()


def test_a_click_with_a_class_chosen_adds_a_point_and_shift_click_removes_one(qtbot):
    window = make(qtbot)
    window.choose_preset("interval2")
    before = window.session()
    followed = float(window.trainer.problem.x[window.sample])
    names = [window.click.itemText(i) for i in range(window.click.count())]
    assert names[0] == "follows the nearest point" and len(names) == 3
    window.click.setCurrentIndex(2)  # class 1
    x = float(np.mean(window.target.x[:2]))  # between the first two points
    click(window, x)
    assert window.target.x.size == before.target.x.size + 1
    at = int(np.flatnonzero(np.isclose(window.target.x, x, atol=1e-9))[0])
    assert window.target.labels[at] == 1 and window.trainer.problem.x.size == window.target.x.size
    assert window.trainer.network == before.network  # the same weights learn the new points
    assert window.trainer.problem.x[window.sample] == followed
    click(window, window.target.x[-1], shift=True)
    assert window.target.x.size == before.target.x.size
    assert window.file.undo_stack.text(1).startswith("Remove the point at x = ")
    window.file.undo()
    window.file.undo()
    assert window.session().target == before.target
    window.file.redo()
    assert window.target.x.size == before.target.x.size + 1


def test_removing_a_class_s_last_point_is_said_and_nothing_changes(qtbot, tmp_path):
    window = make(qtbot)
    path = tmp_path / "pets.csv"
    path.write_text("x,label\n0,cat\n1,dog\n2,cat\n3,bird\n")
    assert window.open_csv(str(path))
    target, count = window.target, window.file.undo_stack.count()
    click(window, 3.0, shift=True)  # bird's only point
    assert "class 'bird' has no points" in window.message.text()
    assert window.target is target and window.file.undo_stack.count() == count


def test_the_backprop_tab_draws_the_chosen_point_s_graph_down_to_its_loss(qtbot):
    window = make(qtbot)  # three bands: softmax
    window.follow(10)
    assert window.graph_view.graph is None  # drawn only when its tab is shown
    window.tabs.setCurrentWidget(window.graph_view)
    graph = window.graph_view.graph
    assert graph is not None and graph.sample == 10 and graph.rows == list(range(8))
    label = window.target.names[window.trainer.problem.labels[10]]
    loss = window.graph_view.items_by_key["loss"].texts()
    assert loss[0].startswith(f"ℓ = −log p[{label}] = ") and loss[1] == "∂ℓ/∂ℓ = 1"
    assert "softmax(l)" in window.graph_view.items_by_key["p"].texts()[0]
    places = list(window.graph_view.arrangement.position.values())
    assert len(places) == len(set(places))  # no box drawn over another
    window.step_once()
    assert window.graph_view.graph is not graph  # follows the weights
    window.choose_preset("overlap2")
    assert "σ(l)" in window.graph_view.items_by_key["p"].texts()[0]
    window.neurons.setValue(20)  # too wide: one neuron in full, the click picks which
    assert window.graph_view.graph.rows == [0]
    window.graph_view.neuronClicked.emit(5)
    assert window.graph_view.graph.rows == [5] and window.graph_view.graph.hidden == 19


def test_the_neurons_shares_of_the_logit_are_drawn_when_asked(qtbot):
    window = make(qtbot)  # three bands
    shares = window.plot.shares
    assert not shares.shown and not window.plot.getAxis("right").isVisible()
    window.follow(10)
    window.shares.setChecked(True)
    network = window.trainer.network
    label = int(window.trainer.problem.labels[10])
    assert shares.shown and len(shares.curves) == network.size
    x = shares.curves[0].xData
    drawn = np.array([curve.yData for curve in shares.curves])
    np.testing.assert_allclose(drawn.sum(axis=0) + network.c[label], network.logits(x)[:, label])
    assert f"l[{window.target.names[label]}]" in window.plot.getAxis("right").labelText
    window.step_once()  # the shares follow the weights
    network = window.trainer.network
    drawn = np.array([curve.yData for curve in shares.curves])
    np.testing.assert_allclose(drawn.sum(axis=0) + network.c[label], network.logits(x)[:, label])
    window.shares.setChecked(False)
    assert not shares.shown and all(
        curve.xData is None or curve.xData.size == 0 for curve in shares.curves
    )


def test_two_classes_draw_the_shares_of_their_one_logit(qtbot):
    window = make(qtbot)
    window.choose_preset("overlap2")
    window.shares.setChecked(True)
    window.neurons.setValue(3)
    network = window.trainer.network
    curves = window.plot.shares.curves
    assert len(curves) == 3
    drawn = np.array([curve.yData for curve in curves]).sum(axis=0) + network.c[0]
    np.testing.assert_allclose(drawn, network.logits(curves[0].xData)[:, 0])


def test_the_class_plot_keeps_its_room_whichever_tab_is_shown(qtbot):
    """The landscape's and the race's tabs squeezed the class plot to 68 px at 1280 × 800:
    plot and tabs are split, and the split stays where it is."""
    window = make(qtbot)
    window.resize(1280, 800)
    qtbot.waitUntil(window.isVisible)
    heights = set()
    for index in range(window.tabs.count()):
        window.tabs.setCurrentIndex(index)
        QApplication.processEvents()  # the layout settles
        heights.add(window.plot.height())
    assert len(heights) == 1 and heights.pop() > 300


def test_the_chosen_point_s_probabilities_now_are_bars_beside_their_history(qtbot):
    window = make(qtbot)
    window.step_once()
    problem = window.trainer.problem
    x, label = float(problem.x[window.sample]), int(problem.labels[window.sample])
    expected = window.trainer.network.probabilities(np.array([x]))[0]
    heights = window.bars.bars.opts["height"]
    assert np.allclose(heights, expected, atol=1e-12) and heights.sum() == pytest.approx(1.0)
    assert [text.toPlainText() for text in window.bars.values] == [f"{p:.2f}" for p in expected]
    pens = window.bars.bars.opts["pens"]
    assert [pen.style() != Qt.PenStyle.NoPen for pen in pens] == [
        k == label for k in range(len(expected))
    ]
    window.file.begin(None)
