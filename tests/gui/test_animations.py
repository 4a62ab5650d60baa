"""The animations of issue 19: the backprop pass node by node, the landscape's path while
training, the race's curves growing; each bounded as the fit's GIF is (refused first)."""

from __future__ import annotations

import math

import numpy as np
import pytest
from PIL import ImageChops

from uat_explorer.core import InputError, OptimizerSpec, Session, Target, random_network
from uat_explorer.core.teaching.race import race, race_specs
from uat_explorer.export.animation import (
    MAX_FRAMES,
    backprop_frames,
    record_backprop_pass,
    record_landscape_path,
    record_race,
)
from uat_explorer.export.figures import FigureOptions
from uat_explorer.model.state import AppState

SMALL = FigureOptions(240, 160)


def session(neurons: int = 3, optimizer: str = "adam", lr: float = 0.05) -> Session:
    domain = (-math.pi, math.pi)
    return Session(
        network=random_network(["sigmoid"] * neurons, domain, seed=3),
        target=Target.preset("sin"),
        domain=domain,
        samples=64,
        optimizer=OptimizerSpec(optimizer, lr),
    )


def differ(first, last) -> bool:
    return ImageChops.difference(first.convert("RGB"), last.convert("RGB")).getbbox() is not None


def test_the_backprop_pass_forward_node_by_node_then_backward():
    state = AppState(session())
    graph_nodes = (backprop_frames(state, 10, "sample") - 1) // 2
    frames = record_backprop_pass(state, 10, "sample", SMALL)
    assert len(frames) == 1 + 2 * graph_nodes and graph_nodes > 10
    assert all(f.size == (240, 160) for f in frames)
    assert differ(frames[0], frames[-1]) and differ(frames[graph_nodes], frames[-1])
    big = record_backprop_pass(state, 10, "batch", FigureOptions(200, 120, 2.0))
    assert big[0].size == (400, 240)


def test_the_landscape_path_while_training():
    trained = session()
    recording = record_landscape_path(trained, ["w1", "b1"], 60, 13, SMALL, grid=21)
    frames = recording.images
    assert len(frames) == 13 and all(f.size == (240, 160) for f in frames)
    assert differ(frames[0], frames[-1])
    # one point per training step, the last the weights training ended with
    assert recording.path.shape == (61, 2)
    np.testing.assert_array_equal(recording.steps, np.arange(61))
    end = trained.trainer()
    end.run(60)
    np.testing.assert_allclose(recording.path[-1], [end.network.w[0], end.network.b[0]], rtol=1e-6)
    one = record_landscape_path(trained, ["v2"], 10, 4, SMALL).images
    assert len(one) == 4 and differ(one[0], one[-1])


def test_a_diverged_path_is_kept_and_said():
    wild = session(optimizer="sgd", lr=500.0)
    recording = record_landscape_path(wild, ["v1", "c"], 200, 20, SMALL, grid=11)
    assert recording.stopped is not None and "diverged" in recording.stopped
    assert len(recording.images) >= 2 and np.isfinite(recording.path).all()


def test_the_race_curves_grow():
    trained = session()
    x, t = trained.training_data()
    runs = race(trained.network, x, t, "mse", race_specs(["adam"], [0.001, 0.1]), 200)
    frames = record_race(runs, 12, SMALL)
    assert len(frames) == 12 and all(f.size == (240, 160) for f in frames)
    assert differ(frames[0], frames[-1]) and differ(frames[5], frames[-1])


@pytest.mark.parametrize(
    "record",
    [
        lambda: record_race([], MAX_FRAMES + 1, SMALL),
        lambda: record_landscape_path(session(), ["w1", "b1"], 10, MAX_FRAMES + 1, SMALL),
    ],
)
def test_too_many_frames_are_refused_first(record):
    with pytest.raises(InputError, match=f"between 2 and {MAX_FRAMES} frames"):
        record()


def test_frames_too_large_are_refused_naming_the_limit():
    with pytest.raises(InputError, match="GB of memory; the limit is"):
        record_landscape_path(session(), ["w1", "b1"], 999, 999, FigureOptions(4000, 3000))
    state = AppState(session(8))
    with pytest.raises(InputError, match="GB of memory"):
        record_backprop_pass(state, 0, "sample", FigureOptions(6000, 4000, 2.0))


def test_a_colour_that_comes_later_keeps_its_colour():
    """The path is red; quantised to the first frame's palette (where it is one point) it
    came out purple."""
    frames = record_landscape_path(session(), ["w1", "b1"], 60, 5, SMALL, grid=21).images
    pixels = np.asarray(frames[-1].convert("RGB")).reshape(-1, 3).astype(int)
    red = np.array([0xC6, 0x28, 0x28])  # the path: the palette's "diverged" red
    assert np.abs(pixels - red).sum(axis=1).min() <= 30
