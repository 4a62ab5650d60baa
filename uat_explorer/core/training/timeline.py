"""The D/W/A/G history of training: weights W, gradients G and mean activations A at
every step (D, the samples a step used, follows from the batch schedule and is never
stored).

The trainer records rows into a ``StepRecorder`` in its own parameter order; the window
keeps them in a ``Timeline``: the latest ``RECENT`` steps at full resolution and older
ones thinned to every k-th step, k doubling as needed, so a million steps of H = 32
take a few megabytes. A change of the network's layout (neurons added, removed, muted)
starts a new segment, whose rows have their own length. A classifier's rows are the same
with one v per logit and a c per logit (the classes window's timeline).
"""

from __future__ import annotations

import weakref
from dataclasses import dataclass
from typing import Any, ClassVar, Protocol

import numpy as np
from numpy.typing import NDArray

from uat_explorer.core.fields import Fields, encode_array
from uat_explorer.core.nn.activations import ACTIVATIONS
from uat_explorer.core.nn.classifier import ClassNetwork
from uat_explorer.core.nn.network import MAX_NEURONS, Network
from uat_explorer.core.nn.parameters import parameter_values
from uat_explorer.core.targets.target import MAX_SAMPLES

RECENT = 2000
"""Steps kept at full resolution (thinning runs every RECENT // 2 new rows, so up to
that many more wait for it)."""
OLDER = 2048
"""Thinned rows kept before them (k doubles whenever there would be more)."""
DOUBLING_ROWS = 1024
"""A segment's buffers double up to this many rows, then grow at once to SEGMENT_ROWS:
each growth copies the rows held, and doubling 4096 rows of 128 neurons (15 MB) stalled
a frame by 20–30 ms on a loaded machine."""
SEGMENT_ROWS = OLDER + 2 * RECENT
"""What a segment holds at most between thinnings, with a frame's rows to spare."""
SAVED_ROWS = 2048
"""Rows a session file keeps at most: 2048 × (2·97 + 32) float32 for H = 32 is about
2.5 MB of text, so a saved lesson stays a reasonable file whatever the run's length."""
SAVED_BYTES = 3_000_000
"""And at most this many bytes of numbers (4 MB of base64): wide networks keep fewer
rows (about 400 for H = 256), so saving and autosaving stay quick."""

MAX_SEGMENTS = 4096
"""A saved timeline holds at most this many layouts (each edit of the layout starts one;
the rows, not the segments, are what a run accumulates)."""
MAX_SAVED_ROWS = 4 * SAVED_ROWS
"""Rows across all segments of a file (every segment keeps its latest row)."""
MAX_STRIDE = 2**40

F32 = NDArray[np.float32]


@dataclass
class TimelineRows:
    """Consecutive rows of one layout, in card order: weights and gradients as
    [w1, b1, v1, …, c] (3H + 1 columns; a classifier's M logits: [w1, b1, v1 (M), …,
    c (M)], (2 + M)H + M columns), activity one column per neuron."""

    steps: NDArray[np.int64]
    weights: F32
    gradients: F32
    activity: F32
    layout: tuple[tuple[str, ...], tuple[bool, ...]]
    batch: int = 0
    """The batch size the steps trained with (0: full batch): which samples D shows."""

    @property
    def size(self) -> int:
        return int(self.steps.size)

    def take(self, keep: NDArray[np.bool_] | slice) -> TimelineRows:
        return TimelineRows(
            self.steps[keep],
            self.weights[keep],
            self.gradients[keep],
            self.activity[keep],
            self.layout,
            self.batch,
        )


def joined_rows(parts: list[TimelineRows]) -> TimelineRows | None:
    """Consecutive rows of one layout as one block (None if there are none)."""
    parts = [p for p in parts if p.size]
    if not parts:
        return None
    if len(parts) == 1:
        return parts[0]
    return TimelineRows(
        np.concatenate([p.steps for p in parts]),
        np.concatenate([p.weights for p in parts]),
        np.concatenate([p.gradients for p in parts]),
        np.concatenate([p.activity for p in parts]),
        parts[-1].layout,
        parts[-1].batch,
    )


def now_row(
    network: Network | ClassNetwork, gradients: np.ndarray, a: np.ndarray, step: int, batch: int = 0
) -> TimelineRows:
    """The current step as a row: the weights now, the true gradient ``gradients`` (card
    order) and the activations ``a`` (H × samples) of a forward pass."""
    activity = np.abs(a).mean(axis=1) if network.size else np.zeros(0)
    return TimelineRows(
        np.array([step], np.int64),
        parameter_values(network)[None, :].astype(np.float32),
        np.asarray(gradients, np.float32)[None, :],
        np.where(network.muted, 0.0, activity)[None, :].astype(np.float32),
        layout_of(network),
        batch,
    )


def layout_of(network: Network | ClassNetwork) -> tuple[tuple[str, ...], tuple[bool, ...]]:
    return tuple(network.activations), tuple(bool(m) for m in network.muted)


class Recordable(Protocol):
    """What a StepRecorder needs of a problem (a FitProblem, or a classifier's
    ClassProblem): θ's length, its rows (unmuted neurons), where each entry of θ goes in
    card order, and each neuron's activity left by the next gradient."""

    @property
    def n_params(self) -> int: ...
    @property
    def hidden(self) -> int: ...
    @property
    def dtype(self) -> np.dtype[Any]: ...
    @property
    def parameter_columns(self) -> NDArray[np.intp]: ...
    def record_activity(self, sums: np.ndarray) -> None: ...
    def mean_activity(self, raw: np.ndarray, out: np.ndarray) -> None: ...


class StepRecorder:
    """Rows in a problem's order (its unmuted rows, θ = [w, b, v, c]) of consecutive
    steps, grown as needed; ``rows(network)`` turns them into card order.

    Recording copies nothing per step: the step writes θ, ∇L and the activity straight
    into the recorder's rows. ``lend`` hands out the next row for the trainer's backup
    of θ and for the gradient, and has the problem leave each neuron's activity in it,
    a by-product of its dL/dv product (``FitProblem.record_activity``); three small row
    copies a step instead measured 0.6–1.4 % more of an Adam step at H = 32. One
    recorder per problem (``of``), so its rows and their views are made once, not every
    chunk. The activity is kept raw and mapped to mean |a| once per chunk, in ``rows``.
    """

    _of: ClassVar[weakref.WeakKeyDictionary[Recordable, StepRecorder]] = weakref.WeakKeyDictionary()

    @classmethod
    def of(cls, problem: Recordable, first: int) -> StepRecorder:
        """The problem's recorder, emptied, for steps from ``first`` on."""
        recorder = cls._of.get(problem)
        if recorder is None:
            recorder = cls._of[problem] = cls(problem)
        recorder._first, recorder.n = first, 0
        return recorder

    def __init__(self, problem: Recordable, rows: int = 256) -> None:
        # a proxy: the registry's value must not keep its key, the problem, alive
        self._problem, self._first, self.n = weakref.proxy(problem), 0, 0
        p, h, dtype = problem.n_params, problem.hidden, problem.dtype
        self._thetas = np.empty((rows, p), dtype)
        self._grads = np.empty((rows, p), dtype)
        self._sums = np.empty((rows, 2, h + 1), dtype)
        self._views = list(zip(self._thetas, self._grads, self._sums, strict=True))
        self._layout: tuple[tuple[str, ...], tuple[bool, ...]] | None = None

    def lend(self) -> tuple[np.ndarray, np.ndarray]:
        """The next step's rows: θ's (for the trainer's backup) and the gradient's; the
        problem's activity goes to the same row."""
        n = self.n
        if n == len(self._views):
            self._thetas, self._grads, self._sums = (
                np.concatenate([a, np.empty_like(a)])
                for a in (self._thetas, self._grads, self._sums)
            )
            self._views = list(zip(self._thetas, self._grads, self._sums, strict=True))
        theta, grad, sums = self._views[n]
        self._problem.record_activity(sums)
        self.n = n + 1
        return theta, grad

    def rows(self, network: Network | ClassNetwork, below: int, batch: int) -> TimelineRows:
        """The rows of steps before ``below``, card order: a step that diverged or was
        rolled back lent a row but is not one of them."""
        n = max(0, min(self.n, below - self._first))
        size, h = network.size, self._problem.hidden
        weights = np.empty((n, 2 * size + network.v.size + np.size(network.c)), np.float32)
        gradients = np.empty_like(weights)
        if h < size:  # muted neurons keep their values, no gradient
            weights[:] = parameter_values(network)
            gradients[:] = 0.0
        columns = self._problem.parameter_columns
        weights[:, columns] = self._thetas[:n]
        gradients[:, columns] = self._grads[:n]
        activity = np.empty((n, size), np.float32)
        self._problem.mean_activity(self._sums[:n, 1, :h], activity)
        if self._layout is None:  # the problem's, so the same for every chunk
            self._layout = layout_of(network)
        return TimelineRows(
            np.arange(self._first, self._first + n, dtype=np.int64),
            weights,
            gradients,
            activity,
            self._layout,
            batch,
        )


class _Segment:
    """One layout's rows in buffers with room to grow: appending a frame's rows copies
    those rows only."""

    def __init__(self, rows: TimelineRows) -> None:
        self.layout, self.batch = rows.layout, rows.batch
        self.n = 0
        self._steps = np.empty(0, np.int64)
        self._weights = np.empty((0, rows.weights.shape[1]), np.float32)
        self._gradients = np.empty((0, rows.gradients.shape[1]), np.float32)
        self._activity = np.empty((0, rows.activity.shape[1]), np.float32)
        self.append(rows)

    @property
    def rows(self) -> TimelineRows:
        n = self.n
        return TimelineRows(
            self._steps[:n],
            self._weights[:n],
            self._gradients[:n],
            self._activity[:n],
            self.layout,
            self.batch,
        )

    def append(self, rows: TimelineRows) -> None:
        need = self.n + rows.size
        if need > self._steps.size:
            held = self._steps.size
            jump = DOUBLING_ROWS <= held < SEGMENT_ROWS
            room = max(need, SEGMENT_ROWS if jump else 2 * held, 256)
            self._steps, self._weights, self._gradients, self._activity = (
                _grown(a, self.n, room)
                for a in (self._steps, self._weights, self._gradients, self._activity)
            )
        end = self.n + rows.size
        self._steps[self.n : end] = rows.steps
        self._weights[self.n : end] = rows.weights
        self._gradients[self.n : end] = rows.gradients
        self._activity[self.n : end] = rows.activity
        self.n = end

    def keep(self, keep: NDArray[np.bool_]) -> None:
        """Keep only the rows marked (in place, order kept). Rows before the first one
        dropped stay where they are: thinning drops rows only past the older rows it
        thinned before, so it moves the recent ones, not all (~40 % less copied)."""
        dropped = np.flatnonzero(~keep)
        if dropped.size == 0:
            return
        first = int(dropped[0])
        count = first + int(keep[first:].sum())
        for a in (self._steps, self._weights, self._gradients, self._activity):
            a[first:count] = a[first : self.n][keep[first:]]
        self.n = count


def _grown(array: np.ndarray, used: int, room: int) -> np.ndarray:
    grown = np.empty((room, *array.shape[1:]), array.dtype)
    grown[:used] = array[:used]
    return grown


class Timeline:
    """Segments of rows; the last RECENT steps full, older thinned to every k-th step."""

    def __init__(self) -> None:
        self.clear()

    def clear(self) -> None:
        self._segments: list[_Segment] = []
        self.stride = 1
        self._pending = 0  # rows added since the last thinning

    @property
    def segments(self) -> list[TimelineRows]:
        """Each layout's rows, oldest first (views: read, do not keep across changes)."""
        return [s.rows for s in self._segments]

    @property
    def rows(self) -> int:
        return sum(s.n for s in self._segments)

    @property
    def last_step(self) -> int | None:
        return int(self._segments[-1].rows.steps[-1]) if self._segments else None

    def nbytes(self) -> int:
        return sum(
            a.nbytes
            for s in self._segments
            for a in (s._steps, s._weights, s._gradients, s._activity)
        )

    def extend(self, rows: TimelineRows) -> None:
        if rows.size == 0:
            return
        last = self.last_step
        if last is not None and rows.steps[0] <= last:
            self.truncate(int(rows.steps[0]))
        end = self._segments[-1] if self._segments else None
        if end is not None and (end.layout, end.batch) == (rows.layout, rows.batch):
            self._segments[-1].append(rows)
        else:
            self._segments.append(_Segment(rows))
        self._pending += rows.size
        if self._pending > RECENT // 2:
            self._thin()

    def _thin(self) -> None:
        """Keep every stride-th step older than the last RECENT; double the stride while
        more than OLDER such rows would remain."""
        self._pending = 0
        last = self.last_step
        if last is None:
            return
        cutoff = last - RECENT
        while True:
            older = 0
            for s in self._segments:
                steps = s.rows.steps
                older += int(((steps <= cutoff) & (steps % self.stride == 0)).sum())
            if older <= OLDER:
                break
            self.stride *= 2
        for s in self._segments:
            steps = s.rows.steps
            s.keep((steps > cutoff) | (steps % self.stride == 0))
        self._segments = [s for s in self._segments if s.n]

    def truncate(self, step: int) -> None:
        """Forget ``step`` and everything after: training went back to it."""
        last = self.last_step
        if last is None or last < step:
            return  # the window calls this every frame, with nothing to forget
        for s in self._segments:
            s.keep(s.rows.steps < step)
        self._segments = [s for s in self._segments if s.n]

    def row_at(self, step: int) -> tuple[TimelineRows, int] | None:
        """The segment and row index of the stored step nearest to ``step``."""
        best = None
        for segment in self.segments:
            i = int(np.clip(np.searchsorted(segment.steps, step), 0, segment.size - 1))
            for j in (i - 1, i):
                if 0 <= j < segment.size:
                    distance = abs(int(segment.steps[j]) - step)
                    if best is None or distance < best[0]:
                        best = (distance, segment, j)
        return None if best is None else (best[1], best[2])

    # -- files -----------------------------------------------------------------------------
    def to_dict(self, rows: int = SAVED_ROWS) -> dict[str, Any]:
        """At most ``rows`` rows, thinned evenly by step, as base64 little-endian arrays."""
        total = self.rows
        widest = max(
            (s.weights.shape[1] * 2 + s.activity.shape[1] for s in self.segments), default=1
        )
        rows = min(rows, max(16, SAVED_BYTES // (4 * widest + 8)))
        every = 1
        while total and total / every > rows:
            every *= 2
        segments = []
        for s in self.segments:
            chosen = np.arange(s.size) % every == 0
            chosen[-1] = True  # the latest row of each layout is always kept
            keep = s.take(chosen) if every > 1 else s
            segments.append(
                {
                    "activations": list(s.layout[0]),
                    "muted": list(s.layout[1]),
                    "batch": s.batch,
                    "steps": encode_array(keep.steps.astype("<i8")),
                    "weights": encode_array(keep.weights.astype("<f4")),
                    "gradients": encode_array(keep.gradients.astype("<f4")),
                    "activity": encode_array(keep.activity.astype("<f4")),
                }
            )
        return {"stride": self.stride, "segments": segments}

    @classmethod
    def from_dict(cls, fields: Fields, last_step: int, outputs: int = 1) -> Timeline:
        """Raises FieldError naming the field. Shapes are bounded by what the app itself
        writes (MAX_NEURONS per segment, SAVED_ROWS rows, MAX_SEGMENTS segments), and
        steps rise from 0 across segments to at most ``last_step``; rows hold ``outputs``
        v per neuron and as many c (a classifier's logits)."""
        timeline = cls()
        timeline.stride = fields.integer("stride", 1, MAX_STRIDE) if fields.has("stride") else 1
        previous = -1
        items = fields.list_of("segments", MAX_SEGMENTS)
        total = 0
        for item in items:
            acts = item.names("activations", MAX_NEURONS, ACTIVATIONS)
            muted = item.flags("muted", MAX_NEURONS)
            if len(acts) != len(muted):
                raise item.fail("", "must have as many muted flags as activations")
            batch = item.integer("batch", 0, MAX_SAMPLES) if item.has("batch") else 0
            size = len(acts)
            steps = item.array("steps", "<i8")
            count = steps.size
            total += count
            if total > MAX_SAVED_ROWS:
                raise item.fail("steps", f"bring the rows past {MAX_SAVED_ROWS:,}")
            width = (2 + outputs) * size + outputs
            columns = {"weights": width, "gradients": width, "activity": size}
            arrays = {}
            for key, width in columns.items():
                array = item.array(key, "<f4", rows=count, width=width).reshape(count, width)
                if not np.isfinite(array).all():
                    raise item.fail(key, "holds a number that is not finite")
                arrays[key] = array
            if count and (steps[0] <= previous or np.any(np.diff(steps) <= 0) or steps[0] < 0):
                raise item.fail("steps", "must rise, from 0 on, across segments")
            if count and steps[-1] > last_step:
                raise item.fail(
                    "steps", f"reach step {int(steps[-1]):,}, past the session's {last_step:,}"
                )
            if count:
                previous = int(steps[-1])
                timeline.extend(
                    TimelineRows(
                        steps.astype(np.int64),
                        arrays["weights"].astype(np.float32),
                        arrays["gradients"].astype(np.float32),
                        arrays["activity"].astype(np.float32),
                        (tuple(acts), tuple(muted)),
                        batch,
                    )
                )
        return timeline
