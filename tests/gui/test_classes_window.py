"""The classes window: presets and CSV files as targets, training in its worker until
the bands are learned, Levenberg–Marquardt greyed with its reason, bad files said with
nothing changed, a session saved and opened again, and a clicked point followed."""

from __future__ import annotations

import numpy as np
from helpers import write_session
from PySide6.QtCore import QPointF
from PySide6.QtGui import QAction, QStandardItemModel

from uat_explorer.gui.panels.classes_window import ClassesWindow


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
    qtbot.waitUntil(lambda: window.accuracies[-1] >= 0.97, timeout=30_000)
    window.train.setChecked(False)
    assert not window.runner.running
    step = window.trainer.step
    qtbot.wait(100)  # replies on their way when it paused are not taken
    assert window.trainer.step == step and window.steps[-1] == step
    assert window.losses[-1] < window.losses[0]
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
    at = window.plot.getViewBox().mapViewToScene(QPointF(x[40] + 1e-4, 0.5))

    class Click:
        def scenePos(self):
            return at

    window.plot._clicked(Click())
    assert window.sample == 40
    history = np.array([line.yData for line in window.history.lines]).T
    thetas_networks = window.trainer.problem.history_at(np.array(window.thetas), x[40])
    np.testing.assert_allclose(history, thetas_networks)
    assert history.shape == (len(window.steps), 2)
    label = window.target.names[window.trainer.problem.labels[40]]
    text = window.chain.text()
    assert "σ(l)" in text and f"−log p[{label}]" in text
    window.choose_preset("bands3")
    assert "softmax" in window.chain.text() and len(window.history.lines) == 3


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
    assert window.trainer.step == 1 and window.steps == [0, 1]
    window.train.setChecked(True)
    window.neurons.setValue(5)  # a change: fresh weights, training paused
    assert not window.train.isChecked() and not window.runner.running
    assert window.trainer.network.size == 5 and window.trainer.step == 0
