import warnings

import numpy as np
import pytest

from uat_explorer.core import ACTIVATIONS, InputError, activation

Z = np.linspace(-6, 6, 241)


@pytest.mark.parametrize("name", ["sigmoid", "tanh", "relu"])
def test_derivative_matches_finite_differences(name):
    act = ACTIVATIONS[name]
    z = Z[np.abs(Z) > 1e-3]  # relu has a kink at 0
    h = 1e-6
    numeric = (act(z + h) - act(z - h)) / (2 * h)
    np.testing.assert_allclose(act.derivative(z), numeric, rtol=1e-6, atol=1e-8)


def test_step_is_heaviside_and_its_surrogate_is_the_sigmoid_slope():
    step, sigmoid = ACTIVATIONS["step"], ACTIVATIONS["sigmoid"]
    np.testing.assert_array_equal(step(np.array([-2.0, -1e-9, 0.0, 3.0])), [0, 0, 1, 1])
    np.testing.assert_allclose(step.derivative(Z), sigmoid.derivative(Z), rtol=1e-12)
    assert step.surrogate and not sigmoid.surrogate


def test_sigmoid_is_stable_at_huge_inputs():
    z = np.array([-1e4, -800.0, 0.0, 800.0, 1e4])
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        values = ACTIVATIONS["sigmoid"](z)
        slopes = ACTIVATIONS["sigmoid"].derivative(z)
    np.testing.assert_allclose(values, [0, 0, 0.5, 1, 1], atol=1e-300)
    assert np.all(np.isfinite(slopes))


def test_unknown_activation_is_an_input_error():
    with pytest.raises(InputError, match="unknown activation 'softplus'"):
        activation("softplus")


@pytest.mark.parametrize(
    "forms", [{"sigmoid": "exp", "relu": "max"}, {"sigmoid": "tanh", "relu": "abs"}]
)
def test_a_network_drawn_in_float32_is_the_float64_one_to_the_pixel(monkeypatch, forms):
    """Issue 23: the function plot draws ``Network.drawn`` (float32, the machine's kernels:
    a fifth of the work a frame); every activation in every form, steep and muted neurons,
    to 1e-5 of the curves' scale (a pixel of a plot 800 px tall is 1e-3), and a step
    switches at the same grid point as in float64."""
    from uat_explorer.core import random_network
    from uat_explorer.core.nn import network
    from uat_explorer.core.nn.kernels import FORMS

    monkeypatch.setattr(
        network,
        "kernel",
        lambda name: FORMS[name][forms.get(name, name if name == "tanh" else "heaviside")],
    )
    net = random_network(["sigmoid", "tanh", "relu", "step"] * 8, (-3.0, 3.0), seed=4)
    net.w[0], net.b[0] = 5e4, -5e4 * 0.7  # steep: a step at x = 0.7
    net.w[3], net.b[3] = 2.0, -2.0 * 0.6  # a step exactly on a grid point (x = 0.6)
    net.muted[7] = True
    x = np.linspace(-3, 3, 1001)
    y64, parts64 = net.forward(x)
    y32, parts32 = net.drawn(x)
    assert y32.dtype == parts32.dtype == np.float32 and parts64.dtype == np.float64
    scale = float(np.abs(parts64).max())
    np.testing.assert_allclose(parts32, parts64, rtol=0, atol=1e-5 * scale)
    np.testing.assert_allclose(y32, y64, rtol=0, atol=1e-4 * scale)
    np.testing.assert_array_equal(parts32[3] != 0, parts64[3] != 0)  # the step's side
    assert not parts32[7].any()
    one = random_network(["tanh"] * 3, (-3.0, 3.0), seed=1)  # one kind: no row copies
    np.testing.assert_allclose(one.drawn(x)[0], one(x), rtol=0, atol=1e-5)
