"""The loss landscape: the numbers (core), the panel (window) and the command line."""

from __future__ import annotations

import warnings

import numpy as np
import pytest

from uat_explorer.core import Network, random_network, trace
from uat_explorer.core.nn.parameters import with_parameters
from uat_explorer.core.teaching.landscape import Landscape, default_range

X = np.linspace(-3, 3, 120)


T = np.sin(X)


def net6() -> Network:
    return random_network(["sigmoid", "tanh", "relu", "sigmoid", "tanh", "relu"], (-3, 3), 2)


def test_the_grid_minimum_of_two_output_weights_is_their_least_squares_solution():
    net = net6()
    land = Landscape(net, X, T, "mse", ["v1", "v2"])
    xs, ys = np.linspace(-4, 4, 201), np.linspace(-4, 4, 201)
    grid = land.grid(xs, ys)
    _, parts = net.forward(X)
    rest = net(X) - parts[0] - parts[1]
    a = np.column_stack([parts[0] / net.v[0], parts[1] / net.v[1]])
    best, *_ = np.linalg.lstsq(a, T - rest, rcond=None)
    row, column = np.unravel_index(np.argmin(grid), grid.shape)
    cell = xs[1] - xs[0]
    assert abs(xs[column] - best[0]) <= cell and abs(ys[row] - best[1]) <= cell


@pytest.mark.parametrize("loss", ["mse", "mae", "huber"])
@pytest.mark.parametrize("names", [["v1", "v2"], ["w1", "b1"], ["w2", "c"], ["b3", "v3"]])
def test_every_grid_point_is_the_loss_of_that_network(names, loss):
    net = net6()
    land = Landscape(net, X, T, loss, names)
    xs, ys = np.linspace(-1.5, 2.5, 7), np.linspace(-2, 1, 5)
    grid = land.grid(xs, ys)
    for i in (0, 3, 6):
        for k in (0, 2, 4):
            moved = with_parameters(net, {names[0]: xs[i], names[1]: ys[k]})
            assert grid[k, i] == pytest.approx(trace(moved, X, T, loss).loss, rel=1e-9, abs=1e-12)


def test_a_slice_is_the_loss_along_one_parameter_and_its_slope_the_gradient():
    net = net6()
    land = Landscape(net, X, T, "mse", ["w2"])
    h = 1e-5
    value = net.w[1]
    left, right = land.curve([value - h, value + h])
    expected = trace(net, X, T, "mse").gradients.w[1]
    assert (right - left) / (2 * h) == pytest.approx(expected, rel=1e-6)


def test_a_step_neurons_weight_gives_a_flat_landscape_with_jumps_and_no_warnings():
    net = Network([2.0], [0.5], [1.0], activations=["step"])
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        grid = Landscape(net, X, T, "mse", ["w1", "b1"]).grid(
            np.linspace(-4, 4, 50), np.linspace(-4, 4, 50)
        )
    assert np.isfinite(grid).all() and np.unique(np.round(grid, 12)).size > 1


def test_a_muted_neuron_gives_a_flat_landscape():
    net = net6()
    net.muted[:] = True
    grid = Landscape(net, X, T, "mse", ["v1", "w1"]).grid(np.linspace(-2, 2, 9), [0.0, 1.0])
    assert np.ptp(grid) == 0


def test_the_default_range_is_the_value_plus_minus_max_2_or_twice_it():
    assert default_range(0.5) == (-1.5, 2.5)
    assert default_range(-3.0) == (-9.0, 3.0)


def test_contour_segments_end_on_the_level_of_a_smooth_surface():
    from uat_explorer.plots.contours import contour_segments

    xs = np.linspace(-2, 2, 81)
    ys = np.linspace(-1, 3, 61)
    f = lambda x, y: (x - 0.3) ** 2 + 2 * (y - x) ** 2  # noqa: E731
    grid = f(*np.meshgrid(xs, ys))
    x, y = contour_segments(xs, ys, grid, 1.0)
    assert x.size > 100 and x.size % 2 == 0
    np.testing.assert_allclose(f(x, y), 1.0, atol=0.01)
    assert contour_segments(xs, ys, grid, -1.0)[0].size == 0
