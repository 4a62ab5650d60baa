"""The D/W/A/G timeline: storage, sessions that keep it, the panel, the command line."""

from __future__ import annotations

import base64
import json
import math

import numpy as np
import pytest

from uat_explorer.core import Session, SessionError, Target, random_network
from uat_explorer.core.training.history import TrainingHistory
from uat_explorer.core.training.timeline import (
    DOUBLING_ROWS,
    OLDER,
    RECENT,
    SEGMENT_ROWS,
    Timeline,
    TimelineRows,
)


def block(first: int, count: int, size: int = 32) -> TimelineRows:
    steps = np.arange(first, first + count, dtype=np.int64)
    weights = np.tile(steps[:, None].astype(np.float32), (1, 3 * size + 1))
    return TimelineRows(
        steps,
        weights,
        -weights,
        np.ones((count, size), np.float32),
        (("sigmoid",) * size, (False,) * size),
    )


def test_a_million_steps_keep_the_last_2000_whole_and_stay_small():
    timeline = Timeline()
    for first in range(0, 1_000_000, 500):
        timeline.extend(block(first, 500))
    [segment] = timeline.segments
    steps = segment.steps
    assert steps[-1] == 999_999
    assert np.array_equal(steps[-RECENT:], np.arange(1_000_000 - RECENT, 1_000_000))
    # thinning runs every RECENT // 2 new rows: the rows aged since then wait for it
    settled = steps[steps < 1_000_000 - RECENT - RECENT // 2]
    assert settled.size <= OLDER and np.all(settled % timeline.stride == 0)
    assert np.all(np.diff(settled) == timeline.stride)
    assert steps.size <= RECENT + RECENT // 2 + OLDER
    assert timeline.nbytes() < 50 * 2**20
    np.testing.assert_array_equal(segment.weights[:, 0], steps)  # rows stay with their step


def test_a_long_run_grows_its_buffers_in_small_copies_and_then_no_more():
    """Each growth copies every row held: past DOUBLING_ROWS they jump to what a segment
    ever holds, so no growth copies 2 × DOUBLING_ROWS rows or more (issue 23: doubling
    4096 rows of 128 neurons stalled a loaded machine's frame by 20–30 ms)."""
    timeline = Timeline()
    capacities = []
    for first in range(0, 200_000, 333):  # about a frame's rows at Max
        timeline.extend(block(first, 333, size=4))
        [segment] = timeline._segments
        if not capacities or capacities[-1] != segment._steps.size:
            capacities.append(segment._steps.size)
    assert max(capacities[:-1]) < 2 * DOUBLING_ROWS  # what each growth copied
    assert capacities[-1] == SEGMENT_ROWS


def test_a_new_layout_starts_a_new_segment_and_going_back_truncates():
    timeline = Timeline()
    timeline.extend(block(0, 10, size=3))
    timeline.extend(block(10, 5, size=4))
    assert [s.size for s in timeline.segments] == [10, 5]
    assert [s.weights.shape[1] for s in timeline.segments] == [10, 13]
    timeline.truncate(12)
    assert [s.steps[-1] for s in timeline.segments] == [9, 11]
    timeline.extend(block(3, 2, size=3))  # training went back to step 3 and on
    assert [s.steps[-1] for s in timeline.segments] == [4]


def test_truncating_at_or_past_the_last_step_keeps_what_came_before():
    """The window truncates at the new step count every frame: nothing recorded is lost,
    in the timeline or the loss curve, until training goes back."""
    history = TrainingHistory()
    history.timeline.extend(block(0, 10, size=3))
    history.loss.extend(0, np.linspace(1, 0.1, 10))
    history.truncate(10)
    assert history.timeline.rows == 10 and history.timeline.last_step == 9
    assert history.loss.arrays()[0].tolist() == list(range(10))
    history.truncate(9)
    assert history.timeline.last_step == 8
    assert history.loss.arrays()[0][-1] == 8


def nan_like(text: str) -> str:
    count = len(base64.b64decode(text)) // 8
    return base64.b64encode(np.full(count, math.nan).tobytes()).decode()


def history_after(steps: int, size: int = 32) -> TrainingHistory:
    history = TrainingHistory()
    for first in range(0, steps, 1000):
        history.timeline.extend(block(first, 1000, size))
        history.loss.extend(first, np.linspace(1, 0.1, 1000))
    return history


@pytest.mark.parametrize("neurons", [32, 256])
def test_a_session_after_a_million_steps_saves_under_5_mb_and_reopens(tmp_path, neurons):
    session = Session(
        network=random_network(["sigmoid"] * neurons, (-3, 3), 0),
        target=Target.preset("sin"),
        domain=(-3, 3),
        step=1_000_000,
        batch_size=10,
    )
    session.history = history_after(1_000_000, neurons)
    path = tmp_path / "long.json"
    session.save(path)
    assert path.stat().st_size <= 5 * 2**20
    again = Session.load(path)
    assert again.batch_size == 10
    steps, _ = again.history.loss.arrays()
    np.testing.assert_array_equal(steps, session.history.loss.arrays()[0])
    [segment] = again.history.timeline.segments
    assert segment.steps[-1] == 999_999 and segment.size <= 2048


def test_a_version_1_file_still_opens_without_history(tmp_path):
    data = Session(
        network=random_network(["tanh"] * 3, (-3, 3), 0),
        target=Target.preset("sin"),
        domain=(-3, 3),
    ).to_dict()
    data["version"] = 1
    del data["batch_size"], data["history"]
    session = Session.from_dict(data)
    assert session.batch_size is None and session.history.empty


@pytest.mark.parametrize(
    "damage, field",
    [
        (
            lambda h: h["timeline"]["segments"][0].update(weights="!!"),
            "history.timeline.segments[0].weights",
        ),
        (
            lambda h: h["timeline"]["segments"][0].update(
                activity=base64.b64encode(b"\0" * 12).decode()
            ),
            "history.timeline.segments[0].activity",
        ),
        (
            lambda h: h["loss"].update(losses=nan_like(h["loss"]["losses"])),
            "history.loss.losses",
        ),
        (lambda h: h.pop("epochs"), "history.epochs"),
        (lambda h: h["timeline"].update(segments=7), "history.timeline.segments"),
    ],
)
def test_a_damaged_history_is_refused_with_the_field_named(damage, field):
    session = Session(
        network=random_network(["sigmoid"] * 2, (-3, 3), 0),
        target=Target.preset("sin"),
        domain=(-3, 3),
        step=3000,
    )
    session.history = history_after(3000, size=2)
    data = session.to_dict()
    damage(data["history"])
    with pytest.raises(SessionError, match=field.replace("[", r"\[").replace("]", r"\]")):
        Session.from_dict(json.loads(json.dumps(data)))


def test_a_batch_size_beyond_the_samples_in_a_file_is_refused():
    data = Session(
        network=random_network(["sigmoid"] * 2, (-3, 3), 0),
        target=Target.preset("sin"),
        domain=(-3, 3),
        samples=50,
    ).to_dict()
    data["batch_size"] = 51
    with pytest.raises(SessionError, match="batch_size"):
        Session.from_dict(data)
