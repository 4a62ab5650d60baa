"""What the network should fit: a formula in x (a preset or typed) or sampled points."""

from __future__ import annotations

import math
from abc import ABC, abstractmethod
from dataclasses import dataclass, field

import numpy as np
from numpy.typing import ArrayLike, NDArray

from uat_explorer.core.errors import InputError
from uat_explorer.core.targets.expression import Expression, parse_expression

Array = NDArray[np.float64]

MAX_SAMPLES = 20_000
"""Training keeps three H × N buffers; at H = 256 this limit keeps them near 120 MB."""

MAX_DOMAIN = 1e6
MAX_VALUE = 1e100
"""The largest |target value|: its square (the loss) must stay far from overflowing."""


def check_values(values: Array, name: str) -> Array:
    """Target values whose squares would overflow are refused, with the culprit named."""
    largest = float(np.max(np.abs(values))) if values.size else 0.0
    if largest > MAX_VALUE:
        raise InputError(
            f"{name} reaches {largest:.3g}; target values must lie within ±{MAX_VALUE:g}"
            " (their squares would overflow); scale them down"
        )
    return values


@dataclass(frozen=True)
class Preset:
    name: str
    label: str
    expression: str
    domain: tuple[float, float]


PRESETS: dict[str, Preset] = {
    p.name: p
    for p in (
        Preset("sin", "sin(x)", "sin(x)", (-math.pi, math.pi)),
        Preset("sines", "Sum of sines", "sin(2*x) + 0.3*sin(5*x)", (-math.pi, math.pi)),
        Preset("abs", "|x|", "abs(x)", (-1.0, 1.0)),
        Preset("parabola", "x²", "x**2", (-1.0, 1.0)),
        Preset("cubic", "x³ − x", "x**3 - x", (-1.5, 1.5)),
        Preset("step", "Step", "step(x)", (-1.0, 1.0)),
        Preset("bump", "Gaussian bump", "exp(-x**2 / 0.1)", (-1.0, 1.0)),
        Preset("sawtooth", "Sawtooth", "x - floor(x + 0.5)", (-2.0, 2.0)),
        Preset("square", "Square wave", "sign(sin(pi*x))", (-2.0, 2.0)),
        Preset(
            "nielsen",
            "Nielsen's wiggle",
            "0.2 + 0.4*x**2 + 0.3*x*sin(15*x) + 0.05*cos(50*x)",
            (0.0, 1.0),
        ),
    )
}


def check_point_count(name: str, count: int, paired: int, paired_text: str) -> None:
    """What every set of points must be, curves' and classes' alike: as many x values as
    what they pair with (``paired_text`` says it), and 2 … MAX_SAMPLES of them."""
    if count != paired:
        raise InputError(f"{name}: x has {count} values but {paired_text}")
    if count < 2:
        raise InputError(f"{name}: at least 2 points are needed, got {count}")
    if count > MAX_SAMPLES:
        raise InputError(f"{name}: {count} points is more than the limit of {MAX_SAMPLES}")


def check_domain(domain: tuple[float, float]) -> tuple[float, float]:
    """A domain is two finite numbers, low < high, within ±MAX_DOMAIN."""
    try:
        low, high = (float(v) for v in domain)
    except (TypeError, ValueError):
        raise InputError(f"the domain must be two numbers, got {domain!r}") from None
    if not (math.isfinite(low) and math.isfinite(high)):
        raise InputError("the domain must be finite")
    if not low < high:
        raise InputError(f"the domain's start ({low:g}) must be less than its end ({high:g})")
    if max(abs(low), abs(high)) > MAX_DOMAIN:
        raise InputError(f"the domain must lie within ±{MAX_DOMAIN:g}")
    return low, high


def check_samples(count: int) -> int:
    if isinstance(count, bool) or not isinstance(count, int | np.integer):
        raise InputError(f"the number of samples must be a whole number, got {count!r}")
    if not 2 <= count <= MAX_SAMPLES:
        raise InputError(f"the number of samples must be between 2 and {MAX_SAMPLES}, got {count}")
    return int(count)


class Target(ABC):
    """What the network fits: a formula (``FormulaTarget``) or sampled points (``DataTarget``).

    ``name`` is what a person recognises: a preset's name, "custom", a file name, "drawn".
    The constructors below pick the right kind.
    """

    name: str

    @classmethod
    def from_text(cls, text: str) -> FormulaTarget:
        """A preset by name, or else a formula in x."""
        key = text.strip()
        if key in PRESETS:
            return cls.preset(key)
        return FormulaTarget("custom", parse_expression(key))

    @classmethod
    def preset(cls, name: str) -> FormulaTarget:
        try:
            preset = PRESETS[name]
        except KeyError:
            raise InputError(f"unknown preset {name!r} (known: {', '.join(PRESETS)})") from None
        return FormulaTarget(name, parse_expression(preset.expression))

    @classmethod
    def from_points(cls, x: ArrayLike, y: ArrayLike, name: str = "data") -> DataTarget:
        """Sampled points, sorted by x; they must be finite and at least two."""
        xs = np.asarray(x, dtype=np.float64).reshape(-1)
        ys = np.asarray(y, dtype=np.float64).reshape(-1)
        check_point_count(name, xs.size, ys.size, f"y has {ys.size}")
        if not (np.isfinite(xs).all() and np.isfinite(ys).all()):
            raise InputError(f"{name}: every value must be a finite number")
        if np.ptp(xs) == 0:
            raise InputError(f"{name}: the points need at least two different x values")
        check_values(ys, f"{name}: y")
        order = np.argsort(xs, kind="stable")
        return DataTarget(name, xs[order], ys[order])

    @property
    @abstractmethod
    def is_data(self) -> bool:
        """True for sampled points: they bring their own samples and domain."""

    @property
    @abstractmethod
    def text(self) -> str:
        """The formula, or a short description of the data."""

    @abstractmethod
    def natural_domain(self) -> tuple[float, float] | None:
        """The data's x range, or a preset's domain; None for a custom formula."""

    @abstractmethod
    def __call__(self, x: ArrayLike) -> Array:
        """Values on x (data targets are joined by straight lines, for drawing)."""

    @abstractmethod
    def samples(self, domain: tuple[float, float], count: int) -> tuple[Array, Array]:
        """The training points (x, t) on ``domain``, or an InputError saying why not."""

    __hash__ = None  # type: ignore[assignment]


@dataclass(frozen=True, eq=False)
class FormulaTarget(Target):
    """A formula in x, sampled at ``count`` evenly spaced points."""

    name: str
    expression: Expression

    @property
    def is_data(self) -> bool:
        return False

    @property
    def text(self) -> str:
        return self.expression.text

    def natural_domain(self) -> tuple[float, float] | None:
        preset = PRESETS.get(self.name)
        return preset.domain if preset else None

    def __call__(self, x: ArrayLike) -> Array:
        return self.expression(x)

    def samples(self, domain: tuple[float, float], count: int) -> tuple[Array, Array]:
        """Evenly spaced x; the values must be finite there, or an error names where not."""
        low, high = check_domain(domain)
        x = np.linspace(low, high, check_samples(count))
        return x, check_values(self.expression.check_finite(x), repr(self.expression.text))

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, FormulaTarget):
            return NotImplemented if not isinstance(other, Target) else False
        return self.name == other.name and self.expression.text == other.expression.text

    __hash__ = None


@dataclass(frozen=True, eq=False)
class DataTarget(Target):
    """Points (x, y), sorted by x; training uses those inside the domain."""

    name: str
    x: Array = field(repr=False)
    y: Array = field(repr=False)

    @property
    def is_data(self) -> bool:
        return True

    @property
    def text(self) -> str:
        return f"{self.name} ({self.x.size} points)"

    def natural_domain(self) -> tuple[float, float] | None:
        return float(self.x[0]), float(self.x[-1])

    def __call__(self, x: ArrayLike) -> Array:
        return np.interp(np.asarray(x, dtype=np.float64), self.x, self.y)

    def samples(self, domain: tuple[float, float], count: int) -> tuple[Array, Array]:
        """The points inside the domain (``count`` is the formula's; data keep their own)."""
        low, high = check_domain(domain)
        inside = (self.x >= low) & (self.x <= high)
        if int(np.count_nonzero(inside)) < 2:
            raise InputError(f"fewer than 2 of the {self.name} points lie in [{low:g}, {high:g}]")
        return self.x[inside], self.y[inside]

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, DataTarget):
            return NotImplemented if not isinstance(other, Target) else False
        return (
            self.name == other.name
            and np.array_equal(self.x, other.x)
            and np.array_equal(self.y, other.y)
        )

    __hash__ = None


def target_from_stroke(xs: ArrayLike, ys: ArrayLike, count: int = 200) -> DataTarget:
    """A freehand stroke as sampled data: ``count`` points evenly spaced over its x range.

    A hand wobbles back and forth, so points are binned by x and averaged; bins the stroke
    skipped are filled by straight lines between their neighbours.
    """
    px = np.asarray(xs, dtype=np.float64).reshape(-1)
    py = np.asarray(ys, dtype=np.float64).reshape(-1)
    keep = np.isfinite(px) & np.isfinite(py)
    px, py = px[keep], py[keep]
    if px.size < 2 or np.ptp(px) == 0:
        raise InputError("draw from left to right across the plot to make a target")
    count = min(count, MAX_SAMPLES)
    edges = np.linspace(px.min(), px.max(), count + 1)
    centres = 0.5 * (edges[:-1] + edges[1:])
    bins = np.clip(np.searchsorted(edges, px, side="right") - 1, 0, count - 1)
    totals = np.bincount(bins, weights=py, minlength=count)
    counts = np.bincount(bins, minlength=count)
    filled = counts > 0
    means = totals[filled] / counts[filled]
    return Target.from_points(centres, np.interp(centres, centres[filled], means), "drawn")
