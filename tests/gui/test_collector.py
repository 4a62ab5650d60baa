"""Python's cycle collector runs on the GUI thread, from a timer (``gui/app.py``)."""

from __future__ import annotations

import gc
import weakref


class Cycle:
    def __init__(self) -> None:
        self.me = self


def test_cycles_are_collected_by_a_timer_not_wherever_an_allocation_trips_it(qtbot):
    assert not gc.isenabled()
    gc.collect()
    freed: list[bool] = []
    probe = Cycle()
    watch = weakref.ref(probe, lambda _ref: freed.append(True))
    del probe
    for _ in range(2 * gc.get_threshold()[0]):  # enough to be due
        Cycle()
    assert not freed  # nothing collected it on the spot
    qtbot.waitUntil(lambda: bool(freed), timeout=3000)
    assert watch() is None
