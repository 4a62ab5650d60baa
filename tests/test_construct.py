import itertools
import math

import numpy as np
import pytest

from uat_explorer.core import FitMetrics, InputError, Target, construct

DOMAIN = (-math.pi, math.pi)


@pytest.mark.parametrize("mode", ["staircase", "bumps"])
def test_error_falls_as_neurons_grow(mode):
    target = Target.preset("sines")
    x, t = target.samples(DOMAIN, 2000)
    errors = [FitMetrics.of(construct(target, DOMAIN, n, mode)(x), t).mse for n in (4, 16, 64, 256)]
    assert all(later < earlier for earlier, later in itertools.pairwise(errors))
    assert errors[-1] < errors[0] / 50


def test_bumps_are_pairs_of_opposite_steps():
    net = construct(lambda x: np.ones_like(x), (0.0, 1.0), 10, "bumps")
    assert net.size == 10 and set(net.activations) == {"step"}
    np.testing.assert_allclose(net.v[0::2], -net.v[1::2])
    x = np.linspace(0, 1, 101)
    np.testing.assert_allclose(net(x), 1.0)  # the whole domain, both ends included


def test_steep_sigmoids_approximate_like_steps():
    target = Target.preset("sin")
    x, t = target.samples(DOMAIN, 1000)
    steps = FitMetrics.of(construct(target, DOMAIN, 40, activation="step")(x), t)
    sigmoids = FitMetrics.of(construct(target, DOMAIN, 40, activation="sigmoid")(x), t)
    assert sigmoids.mse == pytest.approx(steps.mse, rel=0.2)


def test_refuses_bad_requests():
    sin = Target.preset("sin")
    with pytest.raises(InputError, match="even number"):
        construct(sin, DOMAIN, 5, "bumps")
    with pytest.raises(InputError, match="between 1 and 256"):
        construct(sin, DOMAIN, 1000)
    with pytest.raises(InputError, match="not finite"):
        construct(Target.from_text("log(x)"), (-1, 1), 2)
