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
