"""A saved session reopens exactly as it was left: the workspace, the open panels, every
panel's choices and the presentation scale (issue 19); Revert to Saved; save_path."""

from __future__ import annotations

import json

import pytest
from PySide6.QtWidgets import QApplication, QMessageBox

from uat_explorer.core.io.session import VERSION
from uat_explorer.gui import MainWindow


def settle(qtbot) -> None:
    qtbot.wait(30)
    QApplication.processEvents()


def arrange(window: MainWindow, qtbot) -> None:
    """Every choice away from its default."""
    window.workspaces.show("landscape")
    settle(qtbot)
    landscape = window.landscape
    landscape.restore_choices({"dimensions": 2, "x": "w1", "y": "b2", "grid": 200})
    landscape.plot.setXRange(-3.0, 1.0, padding=0)
    landscape.plot.setYRange(-2.0, 4.0, padding=0)
    landscape._fit_pending = False
    window.docks["backprop"].show()
    settle(qtbot)
    backprop = window.backprop
    backprop.sample.setValue(17)
    backprop.scope.setCurrentIndex(1)
    backprop.table_button.setChecked(True)
    window.toggles["plot"]["samples"].setChecked(True)
    window.toggles["plot"]["band"].setChecked(True)
    window.toggles["plot"]["components"].setChecked(False)
    window.toggles["loss"]["epochs"].setChecked(False)
    window.state.view.set_presenting(True, 2.0)


def test_every_choice_comes_back_in_a_new_window(qtbot, window, tmp_path):
    arrange(window, qtbot)
    before = window.view_keeper.take()
    path = tmp_path / "lesson.json"
    assert window.save_path(str(path))
    saved = json.loads(path.read_text())
    assert saved["version"] == VERSION and saved["view"]["workspace"] == "landscape"
    assert saved["view"]["panels"]["landscape"]["view"] == [-3.0, 1.0, -2.0, 4.0]

    again = MainWindow()
    qtbot.addWidget(again)
    again.resize(1280, 800)
    again.show()
    assert again.open_path(str(path))
    settle(qtbot)
    after = again.view_keeper.take()
    assert after.workspace == "landscape" and again.workspaces.current == "landscape"
    assert after.scale == 2.0 and again.state.view.presenting
    assert set(after.open or []) == set(before.open or [])
    assert after.choices["backprop"] == {"sample": 17, "scope": "batch", "table": True}
    assert again.state.view.probe_scope == "batch"
    assert after.choices["landscape"] == before.choices["landscape"]
    assert after.choices["plot"] == before.choices["plot"]
    assert after.choices["loss"] == {"steps": True, "epochs": False, "in_epochs": False}
    assert not again.show_components.isChecked()
    again.state.view.set_presenting(False)
    window.state.view.set_presenting(False)


def test_an_older_file_leaves_the_view_as_it_is(qtbot, window, tmp_path):
    path = tmp_path / "old.json"
    assert window.save_path(str(path))
    data = json.loads(path.read_text())
    data["version"] = 2
    del data["view"]
    path.write_text(json.dumps(data))
    window.workspaces.show("epochs")
    assert window.open_path(str(path))
    assert window.workspaces.current == "epochs" and not window.state.view.presenting


def test_a_damaged_choice_is_refused_by_name(qtbot, window, tmp_path, dialogs):
    path = tmp_path / "bad.json"
    assert window.save_path(str(path))
    data = json.loads(path.read_text())
    data["view"]["panels"] = {"landscape": {"grid": 150}}
    path.write_text(json.dumps(data))
    assert not window.open_path(str(path))
    assert "view.panels.landscape.grid must be one of 100, 200" in dialogs[-1][1]


def test_revert_to_saved_brings_the_file_back_after_asking(qtbot, window, tmp_path, monkeypatch):
    path = tmp_path / "s.json"
    assert window.save_path(str(path))
    revert = window.files.revert_action
    assert not revert.isEnabled()  # nothing to revert yet
    window.stack.add("relu")
    assert revert.isEnabled()
    size = window.state.document.network.size
    monkeypatch.setattr(QMessageBox, "question", lambda *a, **k: QMessageBox.StandardButton.Yes)
    revert.trigger()
    assert window.state.document.network.size == size - 1
    assert not window.files.document.modified and not revert.isEnabled()


@pytest.mark.parametrize("answer", ["No", "Cancel"])
def test_revert_keeps_the_work_unless_asked(qtbot, window, tmp_path, monkeypatch, answer):
    path = tmp_path / "s.json"
    assert window.save_path(str(path))
    window.stack.add("relu")
    size = window.state.document.network.size
    button = getattr(QMessageBox.StandardButton, answer)
    monkeypatch.setattr(QMessageBox, "question", lambda *a, **k: button)
    window.files.revert_action.trigger()
    assert window.state.document.network.size == size and window.files.document.modified
