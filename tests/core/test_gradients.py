"""Analytic gradients and the Jacobian against central finite differences."""

import numpy as np
import pytest

from uat_explorer.core import FitProblem, random_network

DOMAIN = (-2.0, 2.0)


def _problem(activations, rng, loss="mse", n=40):
    net = random_network(activations, DOMAIN, seed=7)
    net.v[:] = rng.normal(0, 1, net.size)
    x = np.linspace(*DOMAIN, n)
    t = np.sin(2 * x)
    return net, FitProblem(net, x, t, loss)


def _numeric_grad(problem, theta, h=1e-6):
    grad = np.zeros_like(theta)
    for i in range(theta.size):
        up, down = theta.copy(), theta.copy()
        up[i] += h
        down[i] -= h
        grad[i] = (problem.loss(up) - problem.loss(down)) / (2 * h)
    return grad


@pytest.mark.parametrize("name", ["sigmoid", "tanh", "relu"])
@pytest.mark.parametrize("loss", ["mse", "huber"])
def test_gradient_of_every_parameter(name, loss, rng):
    net, problem = _problem([name] * 5, rng, loss)
    theta = problem.pack(net)
    grad = np.empty_like(theta)
    problem.loss_and_grad(theta, grad)
    np.testing.assert_allclose(grad, _numeric_grad(problem, theta), rtol=1e-5, atol=1e-8)


def test_mixed_activations_keep_each_neuron_in_its_place(rng):
    net, problem = _problem(["tanh", "sigmoid", "relu", "sigmoid", "tanh", "relu"], rng)
    theta = problem.pack(net)
    grad = np.empty_like(theta)
    problem.loss_and_grad(theta, grad)
    np.testing.assert_allclose(grad, _numeric_grad(problem, theta), rtol=1e-5, atol=1e-8)
    _gw, _gb, gv, _gc = problem.unpack_gradient(grad, net.size)
    h = 1e-6
    for j in range(net.size):  # network-order gradient of v_j, computed on the network itself
        up, down = net.copy(), net.copy()
        up.v[j] += h
        down.v[j] -= h
        x, t = problem.x, problem.t
        numeric = (np.mean((up(x) - t) ** 2) - np.mean((down(x) - t) ** 2)) / (2 * h)
        assert gv[j] == pytest.approx(numeric, rel=1e-5, abs=1e-9)


def test_step_gradient_is_exact_for_v_and_c(rng):
    net, problem = _problem(["step"] * 4, rng)
    theta = problem.pack(net)
    grad = np.empty_like(theta)
    problem.loss_and_grad(theta, grad)
    np.testing.assert_allclose(grad[8:], _numeric_grad(problem, theta)[8:], rtol=1e-6, atol=1e-9)


def test_step_surrogate_uses_the_steps_own_residuals(rng):
    """w, b gradients of a step neuron = v · Σ g_n · σ'(z_n/T)/T · (x_n, 1)."""
    net, problem = _problem(["step"] * 3, rng)
    theta = problem.pack(net)
    grad = np.empty_like(theta)
    problem.loss_and_grad(theta, grad)
    x, t = problem.x, problem.t
    g = 2 * (net(x) - t) / x.size
    temperature = np.maximum(1.0, np.abs(net.w) * problem.spacing)
    for j in range(3):
        u = (net.w[j] * x + net.b[j]) / temperature[j]
        s = 1 / (1 + np.exp(-u))
        slope = s * (1 - s) / temperature[j]
        row = np.flatnonzero(problem.index == j)[0]
        assert grad[row] == pytest.approx(net.v[j] * np.sum(g * slope * x), rel=1e-9, abs=1e-12)
        assert grad[3 + row] == pytest.approx(net.v[j] * np.sum(g * slope), rel=1e-9, abs=1e-12)


def test_jacobian_matches_finite_differences(rng):
    net, problem = _problem(["sigmoid", "tanh", "relu"], rng)
    theta = problem.pack(net)
    problem.forward(theta)
    jt = problem.jacobian_t(theta).copy()
    h = 1e-6
    for i in range(theta.size):
        up, down = theta.copy(), theta.copy()
        up[i] += h
        down[i] -= h
        problem.forward(up)
        y_up = problem.y.copy()
        problem.forward(down)
        np.testing.assert_allclose(jt[i], (y_up - problem.y) / (2 * h), rtol=1e-5, atol=1e-7)


def test_muted_neurons_add_nothing_and_get_no_gradient(rng):
    net, _ = _problem(["sigmoid"] * 4, rng)
    net.muted[1] = True
    x = np.linspace(*DOMAIN, 30)
    y, parts = net.forward(x)
    np.testing.assert_array_equal(parts[1], 0.0)
    np.testing.assert_allclose(y, net.c + parts.sum(axis=0))
    problem = FitProblem(net, x, np.cos(x))
    assert problem.hidden == 3 and 1 not in problem.index
    grad = np.empty(problem.n_params)
    problem.loss_and_grad(problem.pack(net), grad)
    gw, gb, gv, _ = problem.unpack_gradient(grad, net.size)
    assert gw[1] == gb[1] == gv[1] == 0.0
