"""The cross-entropy landscape of a classifier: every grid point is ClassProblem.loss of
the network with those two parameters set, for two classes and for three."""

from __future__ import annotations

import numpy as np
import pytest

from uat_explorer.core.errors import InputError
from uat_explorer.core.nn.classifier import random_classifier
from uat_explorer.core.targets.classes import class_preset
from uat_explorer.core.teaching.class_landscape import (
    MAX_POINTS,
    ClassLandscape,
    class_parameters,
    grid_axes,
)
from uat_explorer.core.training.classproblem import ClassProblem


def problem_and_theta(preset: str, kinds: list[str], muted: int | None = None):
    target = class_preset(preset)
    x, labels = target.samples(target.natural_domain())
    net = random_classifier(kinds, target.natural_domain(), target.classes, 3)
    if muted is not None:
        net.muted[muted] = True
    problem = ClassProblem(net, x, labels)
    return problem, problem.pack(net), target.names


KINDS = ["sigmoid", "tanh", "relu", "step"]


@pytest.mark.parametrize("preset", ["threshold2", "bands3"])
@pytest.mark.parametrize(
    "pair",
    [("w1", "b1"), ("w2", "v2"), ("b3", "c"), ("v1", "v4"), ("w1", "w4"), ("b2", "c"), ("c", "v3")],
)
def test_every_grid_point_is_the_cross_entropy_of_that_network(preset, pair):
    problem, theta, names = problem_and_theta(preset, KINDS)
    labels = dict(class_parameters(problem.size, problem.outputs, names))
    if problem.outputs > 1:  # v and c of the second class's logit
        labels |= {n: labels[f"{n}→{names[1]}"] for n in ("v1", "v2", "v3", "v4", "c")}
    first, second = labels[pair[0]], labels[pair[1]]
    land = ClassLandscape(problem, theta, first, second)
    xs, ys = grid_axes(
        (theta[first] - 2, theta[first] + 3), (theta[second] - 1, theta[second] + 2), 9
    )
    xs[4], ys[4] = theta[first], theta[second]  # the current point is on the grid
    grid = land.grid(xs, ys)
    assert grid.shape == (9, 9)
    assert grid[4, 4] == pytest.approx(problem.loss(theta), abs=1e-12)
    rng = np.random.default_rng(5)
    for row, column in rng.integers(0, 9, (6, 2)):
        moved = theta.copy()
        moved[first], moved[second] = xs[column], ys[row]
        assert grid[row, column] == pytest.approx(problem.loss(moved), abs=1e-12)
        assert land.at(xs[column], ys[row]) == pytest.approx(problem.loss(moved), abs=1e-12)


def test_a_muted_neurons_parameters_leave_the_landscape_flat():
    problem, theta, names = problem_and_theta("bands3", KINDS, muted=1)
    labels = dict(class_parameters(problem.size, problem.outputs, names))
    land = ClassLandscape(problem, theta, labels["w2"], labels["b2"])
    grid = land.grid(np.linspace(-3, 3, 5), np.linspace(-3, 3, 4))
    assert grid.shape == (4, 5) and np.ptp(grid) == 0
    assert grid[0, 0] == pytest.approx(problem.loss(theta), abs=1e-12)


def test_a_grid_larger_than_a_band_is_the_same_as_point_by_point():
    problem, theta, _ = problem_and_theta("bands3", ["sigmoid"] * 8)
    land = ClassLandscape(problem, theta, 0, problem.n_params - 1)
    xs, ys = grid_axes((-4.0, 4.0), (-3.0, 3.0), 61)  # 61·300·3 per row: several bands
    grid = land.grid(xs, ys)
    for row, column in ((0, 0), (30, 17), (60, 60), (45, 2)):
        assert grid[row, column] == pytest.approx(land.at(xs[column], ys[row]), abs=1e-12)


def test_the_labels_are_the_weights_tables_in_theta_order():
    assert class_parameters(2, 1, ("no", "yes")) == [
        ("w1", 0),
        ("b1", 2),
        ("v1", 4),
        ("w2", 1),
        ("b2", 3),
        ("v2", 5),
        ("c", 6),
    ]
    labels = class_parameters(1, 3, ("A", "B", "C"))
    assert [name for name, _ in labels] == ["w1", "b1", "v1→A", "v1→B", "v1→C", "c→A", "c→B", "c→C"]
    assert sorted(i for _, i in labels) == list(range(8))


@pytest.mark.parametrize(
    ("across", "up", "points", "says"),
    [
        ((1.0, -1.0), (0.0, 1.0), 41, "the first smaller"),
        ((float("nan"), 1.0), (0.0, 1.0), 41, "finite"),
        ((0.0, 1.0), (0.0, float("inf")), 41, "finite"),
        ((0.0, 1.0), (0.0, 1.0), MAX_POINTS + 1, f"2 to {MAX_POINTS}"),
        ((0.0, 1.0), (0.0, 1.0), 1, f"2 to {MAX_POINTS}"),
    ],
)
def test_bad_ranges_and_grids_are_refused_with_the_reason(across, up, points, says):
    with pytest.raises(InputError, match=says):
        grid_axes(across, up, points)


def test_the_same_parameter_twice_or_one_that_does_not_exist_is_refused():
    problem, theta, _ = problem_and_theta("threshold2", KINDS)
    with pytest.raises(InputError, match="two different"):
        ClassLandscape(problem, theta, 2, 2)
    with pytest.raises(InputError, match="no parameter"):
        ClassLandscape(problem, theta, 0, problem.n_params)
