"""What training is given instead of the function: samples with noise, some held out.

The target's values at the sample points get Gaussian noise of standard deviation σ, and
a fraction of the points are held out as test points, never trained on. Both come from
the seed alone: the same seed gives the same noisy points and the same split, and the
noise is σ times fixed standard-normal draws, so a new σ scales the same draws (the
points move along the same directions, further or closer).
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray

from uat_explorer.core.errors import InputError

Array = NDArray[np.float64]

TEST_MODES = {"random": "random, from the seed", "between": "evenly in between"}
"""How test points are chosen: at random, or spread evenly between training points."""
MAX_TEST_FRACTION = 0.9
MAX_NOISE = 1e6
MIN_TRAINING_POINTS = 2
_NOISE_STREAM, _SPLIT_STREAM = 2**32, 2**32 + 1
"""First words of the noise's and the split's seeds: no session seed (< 2³²) is either,
so neither stream is ever the batches' shuffle of some epoch."""


def check_noise(sd: float) -> float:
    if not (isinstance(sd, int | float) and math.isfinite(sd) and 0 <= sd <= MAX_NOISE):
        raise InputError(
            f"the noise must be a standard deviation from 0 to {MAX_NOISE:g}, got {sd!r}"
        )
    return float(sd)


def held_out_count(count: int, fraction: float) -> int:
    """How many of ``count`` samples a test fraction holds out; an InputError if the
    fraction is out of range or would leave fewer than two to train on."""
    if not (
        isinstance(fraction, int | float)
        and math.isfinite(fraction)
        and 0 <= fraction <= MAX_TEST_FRACTION
    ):
        raise InputError(
            f"the test fraction must be a number from 0 to {MAX_TEST_FRACTION:g}, got {fraction!r}"
        )
    held = round(fraction * count)
    if count - held < MIN_TRAINING_POINTS:
        raise InputError(
            f"a test fraction of {fraction:g} holds out {held} of the {count} samples and"
            f" leaves {count - held} to train on; at least {MIN_TRAINING_POINTS} must train"
        )
    return held


def check_test_mode(mode: str) -> str:
    if mode not in TEST_MODES:
        raise InputError(f"unknown test split {mode!r} (known: {', '.join(TEST_MODES)})")
    return mode


def noise_draws(seed: int, count: int) -> Array:
    """``count`` standard-normal numbers fixed by the seed: the noise is σ times these."""
    return np.random.default_rng([_NOISE_STREAM, seed, count]).standard_normal(count)


def held_out(count: int, fraction: float, mode: str, seed: int) -> NDArray[np.bool_]:
    """Which of ``count`` samples (sorted by x) are test points: a random choice from the
    seed, or points spread evenly between the first and the last, which always train
    (the test then asks how the curve does between training points)."""
    held = held_out_count(count, fraction)
    test = np.zeros(count, dtype=bool)
    if held == 0:
        return test
    if check_test_mode(mode) == "random":
        test[np.random.default_rng([_SPLIT_STREAM, seed, count]).permutation(count)[:held]] = True
    else:  # spacing (count − 1)/(held + 1) ≥ 1, so the rounded positions are distinct
        test[np.round(np.linspace(0, count - 1, held + 2)[1:-1]).astype(np.intp)] = True
    return test


@dataclass(frozen=True, eq=False)
class SampleSet:
    """The samples as training sees them: x, the values t (the target's plus noise),
    the target's own values, and which points are held out for testing."""

    x: Array
    t: Array
    clean: Array
    test: NDArray[np.bool_]

    @classmethod
    def draw(
        cls, x: Array, clean: Array, noise: float, fraction: float, mode: str, seed: int
    ) -> SampleSet:
        """Noise of standard deviation ``noise`` on ``clean``, and a test ``fraction``
        held out (``mode``: random or between), all from ``seed``. With neither, the
        arrays are the target's own: training runs exactly as without this."""
        check_noise(noise)
        test = held_out(x.size, fraction, mode, seed)
        t = clean + noise * noise_draws(seed, x.size) if noise > 0 else clean
        return cls(x, t, clean, test)

    @property
    def altered(self) -> bool:
        """Noise or held-out points: what training sees is not simply the function."""
        return self.t is not self.clean or bool(self.test.any())

    @property
    def has_test(self) -> bool:
        return bool(self.test.any())

    @property
    def train(self) -> tuple[Array, Array]:
        """The points training fits (all of them when none are held out)."""
        if not self.has_test:
            return self.x, self.t
        keep = ~self.test
        return self.x[keep], self.t[keep]

    @property
    def held(self) -> tuple[Array, Array]:
        """The test points (empty arrays when none are held out)."""
        return self.x[self.test], self.t[self.test]
