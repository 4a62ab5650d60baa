"""The trace of one forward and backward pass, against FitProblem and finite differences."""

import numpy as np
import pytest

from uat_explorer.core import FitProblem, Network, trace
from uat_explorer.core.nn.losses import loss_by_name

MIXES = [
    ["sigmoid", "tanh", "relu", "sigmoid"],
    ["tanh", "relu", "step", "sigmoid", "step"],
    ["relu", "relu", "tanh"],
    ["step", "sigmoid", "tanh", "relu", "step", "sigmoid"],
]


def random_case(activations, seed, n=23):
    """A random network (one neuron muted) and random samples: no teaching-shaped luck."""
    rng = np.random.default_rng(seed)
    size = len(activations)
    net = Network(
        w=rng.normal(0, 2, size),
        b=rng.normal(0, 1, size),
        v=rng.normal(0, 1, size),
        c=float(rng.normal()),
        activations=list(activations),
        muted=np.arange(size) == size - 2,
    )
    x = np.sort(rng.uniform(-2, 2, n))
    t = np.sin(2 * x) + 0.1 * rng.normal(size=n)
    return net, x, t


def flat_parameters(net: Network) -> np.ndarray:
    return np.append(np.column_stack([net.w, net.b, net.v]).reshape(-1), net.c)


def with_parameters(net: Network, theta: np.ndarray) -> Network:
    h = net.size
    rows = theta[:-1].reshape(h, 3)
    return Network(rows[:, 0], rows[:, 1], rows[:, 2], theta[-1], net.activations, net.muted)


def loss_of(net: Network, x, t, loss: str, sample: int | None) -> float:
    residual = net(x) - t
    if sample is None:
        return float(np.mean(loss_by_name(loss).each(residual)))
    return float(loss_by_name(loss).each(residual)[sample])


def central_differences(net, x, t, loss, sample=None, h=1e-6) -> np.ndarray:
    theta = flat_parameters(net)
    grad = np.zeros_like(theta)
    for k in range(theta.size):
        up, down = theta.copy(), theta.copy()
        up[k] += h
        down[k] -= h
        grad[k] = (
            loss_of(with_parameters(net, up), x, t, loss, sample)
            - loss_of(with_parameters(net, down), x, t, loss, sample)
        ) / (2 * h)
    return grad


def exact_rows(net: Network) -> np.ndarray:
    """Which entries of [w1, b1, v1, …, c] finite differences can check: all but a step
    neuron's w and b (its true slope is 0 almost everywhere; training uses a surrogate)."""
    exact = np.ones((net.size, 3), dtype=bool)
    steps = np.array([a == "step" for a in net.activations])
    exact[steps, :2] = False
    return np.append(exact.reshape(-1), True)


@pytest.mark.parametrize("loss", ["mse", "mae", "huber"])
@pytest.mark.parametrize("mix", range(len(MIXES)))
def test_batch_gradient_matches_finite_differences(mix, loss):
    net, x, t = random_case(MIXES[mix], seed=mix)
    done = trace(net, x, t, loss)
    exact = exact_rows(net)
    numeric = central_differences(net, x, t, loss)
    np.testing.assert_allclose(done.gradients.flat()[exact], numeric[exact], rtol=1e-6, atol=1e-8)
    assert done.loss == pytest.approx(loss_of(net, x, t, loss, None), rel=1e-12)


@pytest.mark.parametrize("loss", ["mse", "huber"])
@pytest.mark.parametrize("sample", [0, 7, 22])
def test_per_sample_gradient_matches_finite_differences(sample, loss):
    net, x, t = random_case(MIXES[3], seed=11)
    done = trace(net, x, t, loss)
    exact = exact_rows(net)
    numeric = central_differences(net, x, t, loss, sample)
    got = done.sample_gradients(sample).flat()
    np.testing.assert_allclose(got[exact], numeric[exact], rtol=1e-6, atol=1e-8)


def test_the_batch_gradient_is_the_mean_of_the_sample_gradients():
    net, x, t = random_case(MIXES[1], seed=5)
    done = trace(net, x, t, "huber")
    mean = np.mean([done.sample_gradients(i).flat() for i in range(x.size)], axis=0)
    np.testing.assert_allclose(done.gradients.flat(), mean, rtol=1e-12, atol=1e-15)


@pytest.mark.parametrize("mix", range(len(MIXES)))
def test_trace_agrees_with_the_training_hot_path_surrogate_included(mix):
    """FitProblem sorts rows by activation and leaves muted ones out; the trace keeps
    network order. Step neurons' w and b match through the same surrogate slope."""
    net, x, t = random_case(MIXES[mix], seed=100 + mix)
    done = trace(net, x, t, "mse")
    problem = FitProblem(net, x, t, "mse")
    theta = problem.pack(net)
    grad = np.empty_like(theta)
    loss = problem.loss_and_grad(theta, grad)
    w, b, v, c = problem.unpack_gradient(grad, net.size)
    assert done.loss == pytest.approx(loss, rel=1e-12)
    np.testing.assert_allclose(done.gradients.w, w, rtol=1e-10, atol=1e-14)
    np.testing.assert_allclose(done.gradients.b, b, rtol=1e-10, atol=1e-14)
    np.testing.assert_allclose(done.gradients.v, v, rtol=1e-10, atol=1e-14)
    assert done.gradients.c == pytest.approx(c, rel=1e-10)


def test_forward_values_and_muted_neurons():
    net, x, t = random_case(MIXES[0], seed=3)
    done = trace(net, x, t, "mse")
    np.testing.assert_allclose(done.z, np.multiply.outer(net.w, x) + net.b[:, None])
    y, parts = net.forward(x)
    np.testing.assert_allclose(done.y, y, rtol=1e-12)
    np.testing.assert_allclose(done.contribution, parts, rtol=1e-12, atol=1e-15)
    np.testing.assert_allclose(done.residual, y - t, rtol=1e-12)
    np.testing.assert_allclose(done.dl_dy, 2 * (y - t), rtol=1e-12)
    muted = int(np.flatnonzero(net.muted)[0])
    assert done.gradients.w[muted] == done.gradients.b[muted] == done.gradients.v[muted] == 0
    np.testing.assert_array_equal(done.contribution[muted], 0.0)
