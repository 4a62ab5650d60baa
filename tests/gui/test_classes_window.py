"""The classes window: presets and CSV files as targets, training on the timer until
the bands are learned, Levenberg–Marquardt greyed with its reason, bad files said with
nothing changed, and a session saved and opened again."""

from __future__ import annotations

import numpy as np
from helpers import write_session
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
    qtbot.waitUntil(lambda: window.accuracies[-1] >= 0.97, timeout=20_000)
    window.train.setChecked(False)
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
