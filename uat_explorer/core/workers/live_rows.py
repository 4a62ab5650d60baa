"""Timeline rows thinned on their way to the window while training runs at Max.

At Max a reply carried every step's W, G and A: ~350 rows of 226 numbers a frame for
H = 32 (235 kB), which the window unpickled, stored and then mostly dropped again when
it thinned its timeline (0.8 ms of its 4 ms frame: ``benchmarks/bench_gui.py``). The
window keeps every step of the last RECENT and only every ``stride``-th before them, so
a reply under way needs only those every-``stride``-th rows and its last one. When the
run ends, the last reply brings the last RECENT steps in full, which replace the sparse
ones, so the timeline a run leaves is the one it left before.

``stride`` is the window's (it only grows while a run goes on, and the window says when
it does), so no row the window would keep is ever left out.
"""

from __future__ import annotations

from uat_explorer.core.training.timeline import RECENT, TimelineRows, joined_rows


class LiveRows:
    """The rows of the steps trained since the last reply, and the last RECENT steps
    for the reply that ends a run whose replies were thinned."""

    def __init__(self) -> None:
        self.stride = 1
        self.clear()

    def clear(self) -> None:
        self._new: list[TimelineRows] = []
        self._recent: list[TimelineRows] = []
        self._thinned = False

    def add(self, rows: TimelineRows) -> None:
        if rows.size == 0:
            return
        self._new.append(rows)
        self._recent.append(rows)
        oldest_needed = int(rows.steps[-1]) - RECENT + 1
        while int(self._recent[0].steps[-1]) < oldest_needed:
            self._recent.pop(0)

    def since_last(self) -> list[TimelineRows]:
        """The rows not yet sent, in full (a divergence takes the lost ones from them)."""
        return self._new

    def reply(self, under_way: bool, step: int) -> TimelineRows | None:
        """The rows for a reply: ``under_way`` (at Max, more to come) every stride-th and
        the last; else all new ones, or, after thinned replies, every row of the last
        RECENT steps before ``step`` (the step count: after a divergence, the step it went
        back to, whose row and those after it the window forgets)."""
        rows = joined_rows(self._new)
        self._new = []
        if under_way and self.stride > 1 and rows is not None:
            keep = rows.steps % self.stride == 0
            keep[-1] = True
            self._thinned = True
            return rows.take(keep)
        if under_way:
            return rows
        if self._thinned:
            recent = joined_rows(self._recent)
            rows = (
                None
                if recent is None
                else recent.take((recent.steps >= step - RECENT) & (recent.steps < step))
            )
        self.clear()
        return rows if rows is not None and rows.size else None
