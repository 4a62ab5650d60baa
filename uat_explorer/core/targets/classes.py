"""Classes on a line: points xᵢ with a label kᵢ ∈ {0 … K−1}, 2 ≤ K ≤ 6, and their names.

A class target is data, like sampled points, but what the network learns from it is a
probability for each class at every x. Presets are drawn from the seed; a CSV has
columns ``x,label``.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
from numpy.typing import ArrayLike, NDArray

from uat_explorer.core.errors import InputError, by_name, known
from uat_explorer.core.targets.datafile import (
    delimiter_of,
    is_number,
    read_points_text,
    split_fields,
)
from uat_explorer.core.targets.target import MAX_SAMPLES, check_domain, check_point_count

Array = NDArray[np.float64]

MAX_CLASSES = 6
"""Six fixed class colours stay distinct from each other and from the neurons'."""
PRESET_POINTS = 300


@dataclass(frozen=True, eq=False)
class ClassTarget:
    """Points x (N,), sorted, each with a label (N,) indexing ``names`` (K of them)."""

    name: str
    x: Array = field(repr=False)
    labels: NDArray[np.intp] = field(repr=False)
    names: tuple[str, ...]

    @classmethod
    def from_labels(
        cls, x: ArrayLike, labels: ArrayLike, names: Sequence[str], name: str = "classes"
    ) -> ClassTarget:
        """Checked and sorted by x: finite x, 2 to MAX_CLASSES classes, each one used."""
        xs = np.asarray(x, dtype=np.float64).reshape(-1)
        ks = np.asarray(labels).reshape(-1)
        check_point_count(name, xs.size, ks.size, f"there are {ks.size} labels")
        if not np.isfinite(xs).all():
            raise InputError(f"{name}: every x must be a finite number")
        check_class_count(len(names), name)
        if not np.issubdtype(ks.dtype, np.integer) or ks.min() < 0 or ks.max() >= len(names):
            raise InputError(f"{name}: labels must be class numbers 0 … {len(names) - 1}")
        unused = [names[k] for k in range(len(names)) if not np.any(ks == k)]
        if unused:
            raise InputError(f"{name}: class {unused[0]!r} has no points")
        order = np.argsort(xs, kind="stable")
        return cls(name, xs[order], ks[order].astype(np.intp), tuple(names))

    @property
    def classes(self) -> int:
        return len(self.names)

    @property
    def text(self) -> str:
        return f"{self.name} ({self.x.size} points, {self.classes} classes)"

    def natural_domain(self) -> tuple[float, float]:
        low, high = float(self.x[0]), float(self.x[-1])
        return (low, high) if low < high else (low - 0.5, high + 0.5)

    def samples(self, domain: tuple[float, float]) -> tuple[Array, NDArray[np.intp]]:
        """The points inside the domain and their labels."""
        low, high = check_domain(domain)
        inside = (self.x >= low) & (self.x <= high)
        if int(np.count_nonzero(inside)) < 2:
            raise InputError(f"fewer than 2 of the {self.name} points lie in [{low:g}, {high:g}]")
        return self.x[inside], self.labels[inside]

    def with_point(self, x: float, label: int) -> ClassTarget:
        """These points and one more (a click on the plot); checked as any target."""
        return ClassTarget.from_labels(
            np.append(self.x, x), np.append(self.labels, label), self.names, self.name
        )

    def without_point(self, index: int) -> ClassTarget:
        """These points but the one at ``index``; an InputError if a class would be left
        with none, or fewer than 2 points would remain."""
        keep = np.arange(self.x.size) != index
        return ClassTarget.from_labels(self.x[keep], self.labels[keep], self.names, self.name)

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, ClassTarget):
            return NotImplemented
        return (
            self.name == other.name
            and self.names == other.names
            and np.array_equal(self.x, other.x)
            and np.array_equal(self.labels, other.labels)
        )

    __hash__ = None  # type: ignore[assignment]


def check_class_count(count: int, name: str = "classes") -> int:
    if count < 2:
        raise InputError(f"{name}: only one class; classification needs 2 to {MAX_CLASSES}")
    if count > MAX_CLASSES:
        raise InputError(f"{name}: {count} classes; at most {MAX_CLASSES} are shown apart")
    return count


@dataclass(frozen=True)
class ClassPreset:
    """A labelling rule on ``domain``; ``probability`` (x → p of each class, N × K) when the
    classes overlap, so labels are drawn from it and the best fit is known."""

    name: str
    label: str
    domain: tuple[float, float]
    names: tuple[str, ...]
    rule: Callable[[Array], NDArray[np.intp]] | None = None
    probability: Callable[[Array], Array] | None = None


def _overlap_probability(x: Array) -> Array:
    """p(B | x) = σ(2x): the two classes share the middle of the line."""
    p = 1.0 / (1.0 + np.exp(-2.0 * x))
    return np.column_stack([1.0 - p, p])


CLASS_PRESETS = by_name(
    ClassPreset(
        "threshold2",
        "Two classes split at a threshold",
        (-1.0, 1.0),
        ("left", "right"),
        rule=lambda x: (x >= 0.2).astype(np.intp),
    ),
    ClassPreset(
        "interval2",
        "An interval inside another class",
        (-1.0, 1.0),
        ("outside", "inside"),
        rule=lambda x: (np.abs(x + 0.1) < 0.4).astype(np.intp),
    ),
    ClassPreset(
        "bands3",
        "Three bands",
        (-1.5, 1.5),
        ("A", "B", "C"),
        rule=lambda x: np.digitize(x, [-0.5, 0.5]).astype(np.intp),
    ),
    ClassPreset(
        "overlap2",
        "Overlapping classes (a noisy threshold from the seed)",
        (-3.0, 3.0),
        ("A", "B"),
        probability=_overlap_probability,
    ),
)


def class_preset(name: str, seed: int = 0, count: int = PRESET_POINTS) -> ClassTarget:
    """The preset's ``count`` evenly spaced points, labelled by its rule or, where the
    classes overlap, drawn from its probabilities with the seed."""
    preset = known("class preset", name, CLASS_PRESETS)
    x = np.linspace(*preset.domain, count)
    if preset.rule is not None:
        labels = preset.rule(x)
    else:
        assert preset.probability is not None
        cumulative = np.cumsum(preset.probability(x), axis=1)
        draws = np.random.default_rng([3, seed]).uniform(size=count)
        labels = (draws[:, None] > cumulative[:, :-1]).sum(axis=1).astype(np.intp)
    return ClassTarget.from_labels(x, labels, preset.names, name)


def load_class_csv(path: str | Path) -> ClassTarget:
    """Read a CSV of (x, label) rows; the target is named after the file."""
    path = Path(path)
    return parse_class_csv(read_points_text(path), path.name)


def parse_class_csv(text: str, name: str = "classes") -> ClassTarget:
    """Rows ``x,label`` (delimiters as for curve data; '#' starts a comment; an optional
    header naming columns "x" and "label"). Labels that are all whole numbers are classes
    in numeric order; other labels are names, in their order of first appearance."""
    lines = [(n, raw.strip()) for n, raw in enumerate(text.splitlines(), start=1)]
    lines = [(n, line) for n, line in lines if line and not line.startswith("#")]
    delimiter = delimiter_of([line for _, line in lines])
    columns = (0, 1)
    xs: list[float] = []
    labels: list[str] = []
    for index, (number, line) in enumerate(lines):
        fields = split_fields(line, delimiter)
        if index == 0 and not is_number(fields[0]):
            lowered = [f.lower() for f in fields]
            if "x" in lowered and "label" in lowered:
                columns = lowered.index("x"), lowered.index("label")
            continue
        if len(fields) <= max(columns):
            raise InputError(f"{name}, line {number}: expected two columns, x and label")
        x, label = fields[columns[0]], fields[columns[1]]
        if not is_number(x):
            raise InputError(f"{name}, line {number}: {x!r} is not a number")
        if not math.isfinite(float(x)):
            raise InputError(f"{name}, line {number}: x must be a finite number, got {x}")
        if not label:
            raise InputError(f"{name}, line {number}: the label is blank")
        xs.append(float(x))
        labels.append(label)
        if len(xs) > MAX_SAMPLES:
            raise InputError(f"{name}: more than {MAX_SAMPLES} rows; the limit is {MAX_SAMPLES}")
    if not xs:
        raise InputError(f"{name}: no data rows found (expected lines like '0.5, A')")
    names = _class_names(labels)
    check_class_count(len(names), name)
    index_of = {label: k for k, label in enumerate(names)}
    return ClassTarget.from_labels(xs, [index_of[label] for label in labels], names, name)


def _class_names(labels: list[str]) -> tuple[str, ...]:
    distinct = list(dict.fromkeys(labels))
    if all(label.lstrip("+-").isdigit() for label in distinct):
        return tuple(sorted(distinct, key=int))
    return tuple(distinct)
