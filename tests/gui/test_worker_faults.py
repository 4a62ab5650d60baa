"""A worker that dies, hangs or answers late never costs the window its work or its
responsiveness (issue 14: F8, F9, F10)."""

from __future__ import annotations

import math
import os
import signal

import numpy as np
import pytest
from PySide6.QtWidgets import QLabel

from uat_explorer.core import Network
from uat_explorer.core.workers.training import Progress

DOMAIN = (-math.pi, math.pi)


@pytest.fixture
def window(sine_window):
    return sine_window


def test_weights_from_a_killed_worker_belong_to_the_document(qtbot, window):
    """F8: train, kill -9 the worker: the weights on screen are one undo step, modified."""
    start = window.state.document.network.copy()
    window.training.start()
    qtbot.waitUntil(lambda: window.state.document.session.step > 300, timeout=20_000)
    os.kill(window.training.client.process.pid, signal.SIGKILL)
    message = window.findChild(QLabel, "trainingMessageLabel")
    qtbot.waitUntil(lambda: "stopped" in message.text(), timeout=10_000)
    assert window.files.document.modified
    shown = window.state.document.network.copy()
    assert shown != start
    window.state.editor.undo_stack.undo()
    assert window.state.document.network == start
    window.state.editor.undo_stack.redo()
    assert window.state.document.network == shown


def test_a_stopped_worker_does_not_freeze_pause(qtbot, window):
    """F9: a worker stopped with SIGSTOP: Pause returns, says so, keeps the weights, and
    the next Train starts a new worker."""
    window.training.start()
    qtbot.waitUntil(lambda: window.state.document.session.step > 300, timeout=20_000)
    pid = window.training.client.process.pid
    os.kill(pid, signal.SIGSTOP)
    qtbot.wait(100)
    window.training.pause()
    assert not window.training.running and window.training.client.process is None
    assert "replaced" in window.findChild(QLabel, "trainingMessageLabel").text()
    step = window.state.document.session.step
    window.training.start()
    qtbot.waitUntil(lambda: window.state.document.session.step > step + 100, timeout=20_000)
    window.training.pause()


def test_a_late_reply_for_an_old_layout_is_dropped(window):
    """F10: a reply for a 200-neuron job arriving after the network changed must not land."""
    old = Network.from_neurons(window.state.document.network.neurons()[:3])
    stale = Progress(
        step=999,
        network=old,
        loss=0.1,
        metrics=window.state.document.derived().metrics,
        gradients=window.state.document.derived().gradients,
        first_step=0,
        losses=np.zeros(0),
        running=False,
        steps_per_second=0.0,
        revision=window.training._job - 7,
    )
    before = window.state.document.network.copy()
    window.training._show([stale])
    assert window.state.document.network == before and window.state.document.session.step == 0
