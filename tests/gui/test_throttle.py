"""The redraw throttle: at once, then at most once an interval with the calls between
folded into one; the debounce: once, after the calls stop."""

from __future__ import annotations

from PySide6.QtCore import QObject

from uat_explorer.qt import debounced, throttled


def test_a_throttled_call_runs_at_once_then_once_for_the_calls_in_between(qtbot):
    owner, runs = QObject(), []
    throttle = throttled(lambda: runs.append(1), 50, owner)
    throttle()
    assert runs == [1]
    throttle("a signal's argument", 3)  # dropped: the redraw takes none
    throttle()
    assert runs == [1]
    qtbot.waitUntil(lambda: len(runs) == 2, timeout=1000)
    qtbot.wait(120)
    assert len(runs) == 2  # nothing more was asked for


def test_a_debounced_call_runs_once_after_the_calls_stop(qtbot):
    owner, runs = QObject(), []
    debounce = debounced(lambda: runs.append(1), 50, owner)
    for _ in range(5):
        debounce()
        qtbot.wait(10)
    assert runs == []
    qtbot.waitUntil(lambda: runs == [1], timeout=1000)
    qtbot.wait(120)
    assert runs == [1]
