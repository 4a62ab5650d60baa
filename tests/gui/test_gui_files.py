"""Save, open, recent files, unsaved-changes prompts, exports, autosave and restore."""

from __future__ import annotations

import csv
import json
import os
import subprocess
import sys
import textwrap
import xml.etree.ElementTree as ET

import pytest
from PIL import Image
from PySide6.QtCore import QMimeData, QPointF, Qt, QTimer, QUrl
from PySide6.QtGui import QDropEvent
from PySide6.QtWidgets import QApplication, QDialogButtonBox, QMessageBox, QPushButton

from uat_explorer.core import OptimizerSpec, Session, StopRule, Target
from uat_explorer.export.figures import FigureOptions
from uat_explorer.gui import MainWindow
from uat_explorer.gui.files.autosave import autosave_folder


def edit_everything(w: MainWindow) -> None:
    w.findChild(QPushButton, "addTanhButton").click()
    w.state.editor.edit_neuron(0, w=2.125, b=-0.5)
    w.state.editor.set_target(Target.from_text("sin(2*x) + x/3"))
    w.state.editor.update_settings(
        optimizer=OptimizerSpec("momentum", 0.003),
        loss="huber",
        stop=StopRule(max_steps=900, loss_below=1e-3),
        seed=42,
    )
    w.state.editor.set_samples(321)
    w.training.step()  # ten steps: the step count is saved too
    assert w.training.wait_until_idle()


def test_save_new_open_restores_everything_exactly(window, tmp_path):
    edit_everything(window)
    path = tmp_path / "work.json"
    window.files.document.save(path)
    saved = window.state.document.session.to_dict()  # the window's view saved with it
    assert saved["step"] == 10 and saved["view"]["workspace"] == "train"
    assert not window.files.document.modified
    window.files.new()
    assert window.state.document.session.to_dict() != saved
    assert window.files.open(path)
    assert window.state.document.session.to_dict() == saved
    assert window.state.document.network == Session.from_dict(saved).network  # bit for bit
    assert window.findChild(QPushButton, "trainButton") is not None
    assert window.windowTitle() == "work.json[*] — UAT Explorer"
    assert not window.isWindowModified()


def test_title_shows_the_modified_marker(window, tmp_path):
    assert window.windowTitle() == "Untitled[*] — UAT Explorer" and not window.isWindowModified()
    window.state.editor.edit_neuron(0, v=0.75)
    assert window.isWindowModified()
    window.files.document.save(tmp_path / "a.json")
    assert not window.isWindowModified()
    window.state.editor.update_settings(seed=9)  # settings are not undo steps, but they are saved
    assert window.isWindowModified()


@pytest.mark.real_dialogs
def test_unsaved_changes_prompt_and_cancel_keeps_the_work(window, qtbot):
    window.state.editor.edit_neuron(1, w=7.0)
    before = window.state.document.session.to_dict()
    seen = []

    def press_cancel():
        box = QApplication.activeModalWidget()
        seen.append(box.text() if isinstance(box, QMessageBox) else None)
        box.button(QMessageBox.StandardButton.Cancel).click()

    QTimer.singleShot(200, press_cancel)
    window.files.new()
    assert seen and "not saved" in seen[0]
    assert window.state.document.session.to_dict() == before
    QTimer.singleShot(200, press_cancel)
    assert not window.close()  # Cancel keeps the window open
    assert window.isVisible() and window.state.document.session.to_dict() == before
    window.files.document.mark_saved(None)  # let the fixture close it


def test_a_corrupt_file_is_refused_and_nothing_changes(window, tmp_path, dialogs):
    window.state.editor.edit_neuron(0, w=3.0)
    before = window.state.document.session.to_dict()
    cases = {
        "text.json": "not json at all",
        "nan.json": json.dumps(before).replace('"w": 3.0', '"w": NaN'),
        "huge.json": json.dumps(before | {"network": {"c": 0, "neurons": [{}] * 1_000_000}}),
        "version.json": json.dumps(before | {"version": 7}),
    }
    messages = {}
    for name, text in cases.items():
        (tmp_path / name).write_text(text)
        dialogs.clear()
        assert not window.files.open(tmp_path / name, asked=True)
        assert window.state.document.session.to_dict() == before
        assert dialogs and f"Could not open {name}" in dialogs[-1][1]
        messages[name] = dialogs[-1][1]
    assert "network.neurons[0].w must be a finite number" in messages["nan.json"]
    assert "the limit is 256" in messages["huge.json"]
    assert "newer UAT Explorer" in messages["version.json"]
    assert window.files.document.path is None and window.isWindowModified()


def test_a_failed_save_keeps_the_work_and_says_so(window, tmp_path, dialogs):
    window.state.editor.edit_neuron(0, w=3.0)
    assert not window.save_path(tmp_path / "missing" / "dir" / "s.json")
    assert "Could not save" in dialogs[-1][1] and window.isWindowModified()


def test_recent_files_are_kept(qtbot, tmp_path):
    w = MainWindow(persistent=True)
    qtbot.addWidget(w)
    w.files.document.forget()
    for name in ("one.json", "two.json"):
        w.files.document.save(tmp_path / name)
    assert [p.name for p in w.files.document.recent()][:2] == ["two.json", "one.json"]
    w.files._fill_recent()
    assert [a.text() for a in w.files.recent_menu.actions()][:2] == ["two.json", "one.json"]
    w.files.document.forget()


def test_window_geometry_and_docks_come_back(qtbot):
    first = MainWindow(persistent=True)
    qtbot.addWidget(first)
    first.show()
    first.resize(first.width(), 760)  # the offscreen screen is 800 high and narrower than
    first_size = (first.width(), first.height())  # the window's minimum width
    first.docks["formula"].hide()
    first.close()
    second = MainWindow(persistent=True)
    qtbot.addWidget(second)
    second.show()
    assert (second.width(), second.height()) == first_size and first_size[1] == 760
    assert second.docks["formula"].isHidden() and not second.docks["loss"].isHidden()
    second.docks["formula"].show()
    second.close()


def test_dropping_files_opens_sessions_and_loads_targets(window, tmp_path):
    session = Session.from_dict(window.state.document.session.to_dict())
    session.target = Target.preset("cubic")
    session.domain = (-1.5, 1.5)
    session.save(tmp_path / "dropped.json")
    (tmp_path / "points.csv").write_text("x,y\n0,1\n1,0\n2,1\n")

    def drop(path) -> None:
        data = QMimeData()
        data.setUrls([QUrl.fromLocalFile(str(path))])
        event = QDropEvent(
            QPointF(50, 50),
            Qt.DropAction.CopyAction,
            data,
            Qt.MouseButton.NoButton,
            Qt.KeyboardModifier.NoModifier,
        )
        window.dropEvent(event)

    drop(tmp_path / "dropped.json")
    assert (
        window.state.document.target.name == "cubic"
        and window.files.document.name == "dropped.json"
    )
    drop(tmp_path / "points.csv")
    assert (
        window.state.document.target.is_data and window.state.document.target.name == "points.csv"
    )


def test_every_export_writes_a_valid_file(window, tmp_path):
    exporter = window.files.exporter
    window.training.step()
    assert window.training.wait_until_idle()
    options = FigureOptions(600, 380, 2.0, band=True)
    png, svg = tmp_path / "f.png", tmp_path / "f.svg"
    assert exporter.figure(png, options)
    with Image.open(png) as image:
        assert image.size == (1200, 760)
        assert len(image.convert("RGB").getcolors(1_000_000)) > 20
    assert exporter.figure(svg, options, svg=True)
    tags = [el.tag for el in ET.parse(svg).getroot().iter()]
    assert sum(t.endswith(("path", "polyline")) for t in tags) >= 8
    assert exporter.figure(tmp_path / "loss.png", options, loss=True)
    assert exporter.figure(tmp_path / "loss.svg", options, loss=True, svg=True)
    ET.parse(tmp_path / "loss.svg")
    assert exporter.data(tmp_path / "c.csv")
    rows = list(csv.reader((tmp_path / "c.csv").open()))
    assert rows[0][:3] == ["x", "target", "output"] and len(rows[0]) == 3 + 6
    assert len(rows) == 1001
    assert exporter.loss_history(tmp_path / "l.csv")
    loss_rows = list(csv.reader((tmp_path / "l.csv").open()))
    assert loss_rows[0] == ["step", "loss"] and len(loss_rows) == 11
    assert exporter.parameters(tmp_path / "p.json")
    assert len(json.loads((tmp_path / "p.json").read_text())["neurons"]) == 6
    assert exporter.animation(tmp_path / "a.gif", 6, 20, 10, FigureOptions(300, 200))
    with Image.open(tmp_path / "a.gif") as gif:
        assert gif.n_frames == 6
    assert window.state.document.session.step == 10  # recording trains a copy, not the work


def test_copy_figure_puts_an_image_on_the_clipboard(window):
    QApplication.clipboard().clear()
    window.files.exporter.copy_figure()
    assert not QApplication.clipboard().image().isNull()


def test_an_unwritable_export_says_so(window, tmp_path, dialogs):
    assert not window.files.exporter.figure(tmp_path / "no" / "f.png", FigureOptions(100, 100))
    assert "Could not write function plot" in dialogs[-1][1]


def test_figure_dialog_starts_from_the_screen(window):
    from uat_explorer.gui.widgets.export_dialogs import FigureDialog

    base = window.files.exporter.on_screen()
    dialog = FigureDialog("Export", base, False, window)
    options = dialog.options()
    assert (options.width, options.height) == (window.plot.width(), window.plot.height())
    assert options.x_range == base.x_range
    assert dialog.findChild(QDialogButtonBox) is not None


CRASH = textwrap.dedent("""
    import os, sys
    from PySide6.QtCore import QCoreApplication, QStandardPaths
    from PySide6.QtWidgets import QApplication
    app = QApplication(["uat-explorer-tests"])
    QStandardPaths.setTestModeEnabled(True)
    QCoreApplication.setOrganizationName("UAT Explorer Tests")
    QCoreApplication.setApplicationName("UAT Explorer Tests")
    from uat_explorer.gui import MainWindow
    w = MainWindow(persistent=True)
    w.state.editor.edit_neuron(0, w=12.5, b=-3.25)
    w.state.editor.update_settings(seed=777)
    w.files.autosaver.save()
    import json
    sys.stdout.write(json.dumps(w.state.document.session.to_dict()))
    sys.stdout.flush()
    os._exit(1)  # a crash: no close, no cleanup
""")


def test_autosave_is_offered_back_after_a_crash(qtbot, monkeypatch):
    for old in autosave_folder().glob("session-*"):
        old.unlink()
    crashed = subprocess.run(
        [sys.executable, "-c", CRASH],
        capture_output=True,
        text=True,
        timeout=60,
        env={**os.environ, "QT_QPA_PLATFORM": "offscreen"},
    )
    assert crashed.returncode == 1, crashed.stderr
    lost = json.loads(crashed.stdout)  # the session the crash left behind
    assert list(autosave_folder().glob("session-*.json"))
    monkeypatch.setattr(QMessageBox, "question", lambda *a, **k: QMessageBox.StandardButton.Yes)
    w = MainWindow(persistent=True)
    qtbot.addWidget(w)
    assert w.files.offer_rescue()
    restored = w.state.document.session.to_dict()
    assert restored["seed"] == 777 and restored["network"] == lost["network"]
    assert w.isWindowModified()  # restored, but not yet saved anywhere
    assert not w.files.offer_rescue()  # offered once, then gone
    w.files.document.mark_saved(None)


def test_a_running_window_does_not_see_its_own_autosave(qtbot):
    w = MainWindow(persistent=True)
    qtbot.addWidget(w)
    w.state.editor.edit_neuron(0, w=5.0)
    w.files.autosaver.save()
    assert w.files.autosaver.file.exists()
    other = MainWindow(persistent=True)
    qtbot.addWidget(other)
    assert not other.files.offer_rescue()  # the first window is alive: not a crash
    w.files.document.mark_saved(None)
    w.close()
    assert not w.files.autosaver.file.exists()  # a normal exit leaves nothing behind
