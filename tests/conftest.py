"""Shared fixtures: small fixed problems that every core test can reuse."""

import math

import numpy as np
import pytest

from uat_explorer.core import Target, random_network


@pytest.fixture
def sine_problem():
    """sin(x) on [−π, π], 64 samples, and 8 sigmoid neurons from seed 3."""
    domain = (-math.pi, math.pi)
    x, t = Target.preset("sin").samples(domain, 64)
    return random_network(["sigmoid"] * 8, domain, seed=3), x, t


@pytest.fixture
def rng():
    return np.random.default_rng(12345)
