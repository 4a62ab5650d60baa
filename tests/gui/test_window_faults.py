"""Issue 18 in the window: damaged histories refused with a message, landscape picks held
to what a session holds, and dead or stopped race and comparison workers noticed."""

from __future__ import annotations

import contextlib
import json
import os
import signal

import pytest
from PySide6.QtWidgets import QLabel, QPushButton

from uat_explorer.core import Session, Target, random_network


@pytest.fixture
def saved_run(tmp_path):
    """A session with a short trained history, as the window saves it."""
    session = Session(
        network=random_network(["sigmoid"] * 3, (-1, 1), 0),
        target=Target.preset("abs"),
        domain=(-1, 1),
    )
    trainer = session.trainer(record=True)
    report = trainer.run(200)
    session.network, session.step = trainer.network, trainer.step
    session.history.record(0, report.losses, report.epoch_losses, report.timeline)
    path = tmp_path / "run.json"
    session.save(path)
    return path


@pytest.mark.parametrize(
    ("damage", "field"),
    [
        (lambda h: h["loss"].update(stride=10**30), "history.loss.stride"),
        (
            lambda h: h["timeline"]["segments"][0].update(activations=["foo"] * 3),
            "activations[0]",
        ),
        (
            lambda h: h["timeline"]["segments"][0].update(
                weights=h["timeline"]["segments"][0]["activity"]
            ),
            "segments[0].weights",
        ),
    ],
)
def test_a_damaged_history_is_refused_with_a_message_and_nothing_changes(
    window, saved_run, dialogs, damage, field
):
    data = json.loads(saved_run.read_text())
    damage(data["history"])
    saved_run.write_text(json.dumps(data))
    before = window.state.document.network.copy()
    assert not window.files.open(saved_run)
    assert dialogs and field in dialogs[-1][1]
    assert window.state.document.network == before


def test_a_landscape_pick_beyond_what_a_session_holds_is_held_there_and_saves(
    qtbot, window, tmp_path
):
    window.docks["landscape"].show()
    panel = window.landscape
    qtbot.waitUntil(lambda: panel.names == ["v1", "v2"])
    panel._picked(1e35, -1e40, "click")
    network = window.state.document.network
    assert network.v[0] == 1e30 and network.v[1] == -1e30
    assert "1e+30" in window.statusBar().currentMessage()
    window.state.document.session.save(tmp_path / "held.json")
    assert Session.load(tmp_path / "held.json").network.v[0] == 1e30


def _race(qtbot, window):
    compare = window.show_compare()
    compare.steps.setValue(1_000_000)
    compare.start()
    qtbot.waitUntil(lambda: any(len(r.history) > 10 for r in compare.runner.runs), timeout=20_000)
    return compare


def test_a_killed_race_worker_is_said_with_its_reason_and_the_buttons_reset(qtbot, sine_window):
    compare = _race(qtbot, sine_window)
    os.kill(compare.runner.client.process.pid, signal.SIGKILL)
    status = compare.findChild(QLabel, "compareStatusLabel")
    qtbot.waitUntil(lambda: "ended unexpectedly" in status.text(), timeout=5_000)
    assert compare.run.text() == "Run" and not compare.runner.running
    compare.table.selectRow(0)
    assert compare.findChild(QPushButton, "compareKeepButton").isEnabled()


def test_a_stopped_race_worker_is_noticed_within_seconds(qtbot, sine_window):
    compare = _race(qtbot, sine_window)
    process = compare.runner.client.process
    os.kill(process.pid, signal.SIGSTOP)
    try:
        status = compare.findChild(QLabel, "compareStatusLabel")
        qtbot.waitUntil(lambda: "did not answer" in status.text(), timeout=5_000)
        assert compare.run.text() == "Run"
    finally:
        with contextlib.suppress(ProcessLookupError):  # it was killed, as it should be
            os.kill(process.pid, signal.SIGCONT)
    qtbot.waitUntil(lambda: not process.alive(), timeout=5_000)  # killed, not left behind


@pytest.mark.parametrize(
    ("kill", "said"), [(signal.SIGKILL, "ended unexpectedly"), (signal.SIGSTOP, "did not answer")]
)
def test_a_dead_or_stopped_comparison_worker_is_said_and_the_button_resets(
    qtbot, window, kill, said
):
    window.docks["construct"].show()
    panel = window.construct
    button = window.findChild(QPushButton, "compareTrainingButton")
    button.click()
    qtbot.waitUntil(lambda: panel.comparison.client.connected, timeout=20_000)
    process = panel.comparison.client.process
    os.kill(process.pid, kill)
    try:
        result = window.findChild(QLabel, "constructResultLabel")
        qtbot.waitUntil(lambda: said in result.text(), timeout=5_000)
        assert not button.isChecked() and not panel.comparison.running
    finally:
        if kill == signal.SIGSTOP:
            with contextlib.suppress(ProcessLookupError):
                os.kill(process.pid, signal.SIGCONT)
