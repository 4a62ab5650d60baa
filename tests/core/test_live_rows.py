"""Timeline rows thinned on their way while training runs at Max: the timeline a run
leaves in the window is the one full replies leave."""

from __future__ import annotations

import numpy as np
import pytest

from tests.core.test_timeline import block
from uat_explorer.core.training.timeline import RECENT, Timeline
from uat_explorer.core.workers.live_rows import LiveRows


def run_at_max(steps: int, per_reply: int, thinned: bool) -> tuple[Timeline, int]:
    """A window's timeline after a run at Max of ``steps`` steps in chunks of
    ``per_reply``, its replies thinned or not; and the rows the replies carried."""
    timeline, live, carried = Timeline(), LiveRows(), 0
    for first in range(0, steps, per_reply):
        live.add(block(first, min(per_reply, steps - first), size=4))
        under_way = first + per_reply < steps
        rows = live.reply(under_way, min(first + per_reply, steps))
        if rows is not None:
            carried += rows.size
            timeline.extend(rows)
        if thinned:
            live.stride = timeline.stride  # the window says when its stride grows
    timeline._thin()
    return timeline, carried


@pytest.mark.parametrize("steps", [300, 2_500, 9_000, 200_000])
def test_a_run_leaves_the_timeline_full_replies_leave(steps):
    full, full_rows = run_at_max(steps, 347, thinned=False)
    sparse, sparse_rows = run_at_max(steps, 347, thinned=True)
    assert full.stride == sparse.stride
    [a], [b] = full.segments, sparse.segments
    np.testing.assert_array_equal(a.steps, b.steps)
    np.testing.assert_array_equal(a.weights, b.weights)
    np.testing.assert_array_equal(b.steps[-RECENT:], np.arange(max(0, steps - RECENT), steps))
    assert full_rows == steps
    if steps >= 200_000:
        assert sparse_rows < steps / 10  # what the replies no longer carry


def test_replies_under_way_carry_every_stride_th_row_and_the_last():
    live = LiveRows()
    live.stride = 8
    live.add(block(100, 30))
    rows = live.reply(True, 130)
    assert rows is not None
    assert rows.steps.tolist() == [104, 112, 120, 128, 129]


def test_the_last_reply_after_a_divergence_stops_at_the_restored_step():
    live = LiveRows()
    live.stride = 4
    live.add(block(0, 3000))
    live.reply(True, 3000)
    rows = live.reply(False, 1500)  # rolled back to step 1500: its row and later ones go
    assert rows is not None
    assert rows.steps[0] == 0 and rows.steps[-1] == 1499 and rows.size == 1500


def test_paced_and_single_steps_send_every_row():
    live = LiveRows()
    live.stride = 64
    live.add(block(0, 10))
    rows = live.reply(False, 10)
    assert rows is not None and rows.size == 10
