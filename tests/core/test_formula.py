import math

import pytest

from uat_explorer.core import Network, Neuron
from uat_explorer.core.nn.formula import network_formula, neuron_formula, number


@pytest.mark.parametrize(
    ("value", "text"),
    [
        (0, "0"),
        (1000, "1000"),
        (12.345, "12.3"),
        (-3, "−3"),
        (0.0802, "0.0802"),
        (0.000848, "8.48e−4"),
        (1e-5, "1e−5"),
        (2.5e7, "2.5e7"),
        (-0.001234, "−0.00123"),
        (math.inf, "∞"),
        (-math.inf, "−∞"),
    ],
)
def test_numbers_read_well(value, text):
    assert number(value) == text


def test_network_formula_plugs_in_the_numbers_and_skips_muted_neurons():
    net = Network.from_neurons(
        [
            Neuron("sigmoid", 12.0, -3.0, 1.5),
            Neuron("step", 1.0, 0.5, -1.0),
            Neuron("relu", -1.0, 0.0, 2.0, muted=True),
            Neuron("tanh", -2.0, -0.25, -0.5),
        ],
        c=0.2,
    )
    assert network_formula(net) == "y = 0.2 + 1.5·σ(12·x − 3) − H(x + 0.5) − 0.5·tanh(−2·x − 0.25)"
    assert neuron_formula(net.neuron(3)) == "−0.5·tanh(−2·x − 0.25)"
    assert network_formula(Network.from_neurons([])) == "y = 0"
