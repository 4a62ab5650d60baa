"""Files that are not what they seem, numbers at the edge, and the app's own folders
(issue 14): a clear message, nothing lost, nothing frozen. Hangs are bounded by the
harness (subprocess timeouts), never by timed assertions."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time

import pytest
from PySide6.QtCore import QLockFile
from PySide6.QtWidgets import QMessageBox

from uat_explorer.core import Session, SessionError, default_session
from uat_explorer.gui import MainWindow
from uat_explorer.gui.files.autosave import autosave_folder, rescues


def test_the_window_refuses_a_fifo_and_stays_responsive(window, tmp_path, dialogs):
    fifo = tmp_path / "lesson.json"
    os.mkfifo(fifo)
    assert not window.open_path(str(fifo))
    assert "not a regular file" in dialogs[-1][1]


def test_a_symlink_loop_is_a_message_not_a_crash(window, tmp_path, dialogs):
    """F5"""
    a, b = tmp_path / "a.json", tmp_path / "b.json"
    a.symlink_to(b)
    b.symlink_to(a)
    assert not window.open_path(str(a))
    assert "loop" in dialogs[-1][1]


def test_saving_through_a_link_writes_its_target_and_keeps_the_link(window, tmp_path):
    """F7"""
    real = tmp_path / "real.json"
    default_session().save(real)
    link = tmp_path / "link.json"
    link.symlink_to(real)
    window.state.editor.edit_neuron(0, w=7.5)
    assert window.save_path(link)
    assert link.is_symlink() and os.readlink(link) == str(real)
    assert Session.load(real).network.w[0] == 7.5


def test_saving_onto_something_not_a_file_is_refused(window, tmp_path, dialogs):
    """F7: a pipe (as a device would be) is never replaced by a regular file."""
    fifo = tmp_path / "pipe.json"
    os.mkfifo(fifo)
    assert not window.save_path(fifo)
    assert fifo.is_fifo()
    assert "not a regular file" in dialogs[-1][1]


def test_a_save_that_cannot_be_written_says_so_and_the_window_stays(window, tmp_path, monkeypatch):
    """F3: Ctrl+Q → Save must not quit when the save failed."""
    window.state.editor.update_settings(seed=9)  # unsaved work
    window.state.document.network.w[0] = 1e39  # as if training had pushed it there
    monkeypatch.setattr(QMessageBox, "warning", _answer_save_then_record(asked := []))
    window.files.document.path = tmp_path / "lesson.json"
    assert not window.files.maybe_save()
    assert not (tmp_path / "lesson.json").exists()
    assert any("beyond" in text for text in asked)
    window.state.document.network.w[0] = 1.0
    window.files.document.mark_saved(None)


def _answer_save_then_record(asked: list[str]):
    def ask(_parent, _title, text, *args, **kwargs):
        asked.append(text)
        return QMessageBox.StandardButton.Save

    return ask


def test_a_target_not_finite_on_its_domain_is_refused_like_any_field(window, tmp_path, dialogs):
    """F4"""
    data = default_session().to_dict()
    data["target"] = {"kind": "expression", "name": "custom", "expression": "10**10**10"}
    path = tmp_path / "huge.json"
    path.write_text(json.dumps(data))
    with pytest.raises(SessionError, match="target"):
        Session.load(path)
    before = window.state.document.session.to_dict()
    assert not window.open_path(str(path))
    assert window.state.document.session.to_dict() == before


def test_every_orphaned_autosave_is_offered_and_none_deleted_unasked(qtbot, monkeypatch):
    """F11: two crashed windows leave two autosaves; both are offered; No keeps them."""
    folder = autosave_folder()
    folder.mkdir(parents=True, exist_ok=True)
    for old in folder.glob("session-*"):
        old.unlink()
    for k in range(2):
        record = {"saved_at": time.time() + k, "path": None, "session": default_session().to_dict()}
        (folder / f"session-crash{k}.json").write_text(json.dumps(record))
    asked = []
    answers = iter([QMessageBox.StandardButton.No, QMessageBox.StandardButton.Discard])

    def ask(*args, **kwargs):
        asked.append(args[2])
        return next(answers)

    monkeypatch.setattr(QMessageBox, "question", ask)
    w = MainWindow(persistent=True)
    qtbot.addWidget(w)
    assert not w.files.offer_rescue()
    assert len(asked) == 2 and "1 of 2" in asked[0]
    left = sorted(p.name for p in folder.glob("session-crash*.json"))
    assert len(left) == 1  # the one answered No waits for the next launch
    assert len(rescues(w.files.autosaver)) == 1
    w.files.document.mark_saved(None)


def test_an_unwritable_app_data_folder_turns_autosave_off_not_the_app(qtbot, monkeypatch, tmp_path):
    """F12"""
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("")
    monkeypatch.setattr(
        "uat_explorer.gui.files.autosave.autosave_folder", lambda: blocker / "autosave"
    )
    w = MainWindow(persistent=True)
    qtbot.addWidget(w)
    assert w.files.autosaver.problem and "Autosave is off" in w.files.autosaver.problem
    w.files.offer_rescue()
    assert "Autosave is off" in w.statusBar().currentMessage()
    w.state.editor.edit_neuron(0, w=3.0)
    w.files.autosaver.save()  # does nothing, says nothing more, raises nothing
    w.files.document.mark_saved(None)


def test_a_failing_autosave_says_so_once_and_retries(qtbot, monkeypatch):
    w = MainWindow(persistent=True)
    qtbot.addWidget(w)
    said = []
    w.files.autosaver.failed.connect(said.append)

    def full(*_args):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr("uat_explorer.gui.files.autosave.atomic_write_text", full)
    for value in (2.0, 3.0):
        w.state.editor.edit_neuron(0, w=value)
        w.files.autosaver.save()
    assert len(said) == 1 and "No space left" in said[0]
    monkeypatch.undo()
    w.state.editor.edit_neuron(0, w=4.0)
    w.files.autosaver.save()
    assert w.files.autosaver.file.exists()
    w.files.document.mark_saved(None)
    w.close()


def test_a_big_png_is_painted_by_another_process(window, tmp_path, monkeypatch):
    """F13: the window keeps drawing; the figure is the window's own plot."""
    from PySide6.QtGui import QImage

    from uat_explorer.export.figures import FigureOptions
    from uat_explorer.gui.files import exporter

    monkeypatch.setattr(exporter, "OFFLINE_PIXELS", 1000)
    path = tmp_path / "big.png"
    assert window.files.exporter.figure(path, FigureOptions(300, 200, 2.0))
    image = QImage(str(path))
    assert (image.width(), image.height()) == (600, 400)
    assert "Exported" in window.statusBar().currentMessage()


def test_cancelling_a_big_png_stops_its_process_and_writes_nothing(window, tmp_path, monkeypatch):
    from PySide6.QtCore import QTimer
    from PySide6.QtWidgets import QProgressDialog, QPushButton

    from uat_explorer.export.figures import FigureOptions
    from uat_explorer.gui.files import exporter

    monkeypatch.setattr(exporter, "OFFLINE_PIXELS", 1000)

    def click_cancel():
        dialog = window.findChild(QProgressDialog, "exportProgress")
        dialog.findChild(QPushButton).click()  # as a person would

    QTimer.singleShot(100, click_cancel)
    path = tmp_path / "big.png"
    assert not window.files.exporter.figure(path, FigureOptions(6000, 6000))
    assert not path.exists()
    assert "cancelled" in window.statusBar().currentMessage()


def test_stale_locks_of_dead_processes_are_cleaned():
    folder = autosave_folder()
    folder.mkdir(parents=True, exist_ok=True)
    stale = folder / "session-dead.lock"
    crash = (
        "import os, sys; from PySide6.QtCore import QLockFile;"
        " lock = QLockFile(sys.argv[1]); assert lock.tryLock(0); os._exit(1)"
    )
    subprocess.run([sys.executable, "-c", crash, str(stale)], timeout=60)
    assert stale.exists()  # a crashed process's lock, left behind
    held = QLockFile(str(folder / "session-alive.lock"))
    assert held.tryLock(0)
    rescues()
    assert not stale.exists() and (folder / "session-alive.lock").exists()
    held.unlock()
