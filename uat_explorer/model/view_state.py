"""What the window looks at, not what it holds: the selected and solo neuron, the sample
the backprop views probe, the pace of training, a live rebuild in progress.

None of it is saved with the session or undone; it follows the document (a selection of
a neuron that is gone is dropped, a probe stays on a sample that exists).
"""

from __future__ import annotations

from PySide6.QtCore import QObject, Signal, SignalInstance

from uat_explorer.core.io.view import MAX_SCALE, MIN_SCALE
from uat_explorer.model.document import Document

DEFAULT_SCALE = 1.5
"""Presentation mode's text and lines, ×1.5 by default (1–3× in the settings)."""
DEFAULT_PACE = 2
"""Steps per frame at start: Adam fits the opening sin(x) in ~600 steps, so at 60 frames
a second the first fit unfolds over about five seconds, slow enough to watch."""


class ViewState(QObject):
    """``selected`` and ``solo`` are neuron ids (or None); ``probe_sample`` an index into
    the training samples (or None: no sample is shown)."""

    selectionChanged = Signal()
    soloChanged = Signal()
    probeChanged = Signal()  # the sample (or the scope) the backprop views look at
    paceChanged = Signal()  # steps per frame: how training is watched (not saved)
    liveRebuildChanged = Signal(bool)  # a drag rebuilds the network at every tick
    presentationChanged = Signal()  # presentation mode or its scale: text and lines resize
    lossAxisChanged = Signal()  # the loss plots' x axis: steps or epochs
    trainedChanged = Signal()  # which parameters training moves (the landscape's option)

    def __init__(self, document: Document, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.document = document
        self.selected: int | None = None
        self.solo: int | None = None
        self.probe_sample: int | None = None
        self.probe_scope = "sample"  # backprop's loss: "sample" (ℓ of it) or "batch" (L)
        self.steps_per_frame = DEFAULT_PACE  # 0: as many as fit
        self.live_rebuild = False
        self.presenting = False
        self.presentation_scale = DEFAULT_SCALE  # how much larger text and lines grow
        self.loss_in_epochs = False  # the loss plot (and its figures) counts epochs on x
        self.trained_only: tuple[str, ...] | None = None  # None: training moves them all
        # Connected before any view is built, so views hear the structure change with the
        # selection already consistent.
        document.structureChanged.connect(self._drop_gone)
        document.changed.connect(self._say_dropped)
        document.samplesChanged.connect(self._clip_probe)
        self._dropped: list[SignalInstance] = []

    @property
    def selected_index(self) -> int | None:
        return self.document.index_of(self.selected)

    def select(self, neuron_id: int | None) -> None:
        self._change("selected", neuron_id, self.selectionChanged)

    def select_index(self, index: int | None) -> None:
        ids = self.document.ids
        self.select(ids[index] if index is not None and 0 <= index < len(ids) else None)

    def select_relative(self, step: int) -> None:
        """The next (step 1) or previous (−1) neuron, wrapping; the first if none is."""
        size = self.document.network.size
        if size:
            index = self.selected_index
            self.select_index(0 if index is None else (index + step) % size)

    def set_solo(self, neuron_id: int | None) -> None:
        self._change("solo", neuron_id, self.soloChanged)

    def set_probe_sample(self, index: int | None) -> None:
        """Which sample the backprop views show (None: none); clipped to the samples."""
        if index is not None:
            index = max(0, min(index, self.document.sample_count - 1))
        self._change("probe_sample", index, self.probeChanged)

    def set_probe_scope(self, scope: str) -> None:
        self._change("probe_scope", scope, self.probeChanged)

    def set_steps_per_frame(self, steps: int) -> None:
        """The pace of training (0: as fast as the machine goes): how it is watched, not
        what is learnt, so it is not saved and does not mark the document modified."""
        self._change("steps_per_frame", steps, self.paceChanged)

    @property
    def text_scale(self) -> float:
        """How much larger than normal text and lines are drawn (1: not presenting)."""
        return self.presentation_scale if self.presenting else 1.0

    def set_trained_only(self, names: tuple[str, ...] | None) -> None:
        """Train only the parameters named (w1 … c), to draw a clean path on the
        landscape; None: all of them. How the fit is watched, so not saved."""
        self._change("trained_only", names, self.trainedChanged)

    def set_loss_in_epochs(self, on: bool) -> None:
        self._change("loss_in_epochs", on, self.lossAxisChanged)

    def set_presenting(self, on: bool, scale: float | None = None) -> None:
        """Presentation mode on or off, optionally at another scale (1–3)."""
        if scale is not None:
            scale = min(max(scale, MIN_SCALE), MAX_SCALE)
        changed = on != self.presenting or (scale is not None and scale != self.presentation_scale)
        self.presenting = on
        if scale is not None:
            self.presentation_scale = scale
        if changed:
            self.presentationChanged.emit()

    def set_live_rebuild(self, on: bool) -> None:
        """A gesture (dragging the construction's neuron count) replaces the network at
        every tick: views may let their per-neuron parts (cards, curves) catch up at the
        end, as long as the output itself follows."""
        if on != self.live_rebuild:
            self.live_rebuild = on
            self.liveRebuildChanged.emit(on)

    def _change(self, name: str, value: object, changed: SignalInstance) -> None:
        """``name`` set to ``value`` and ``changed`` said, only if it differs: a view
        redraws for a real change, never for a setter called with what is there."""
        if value != getattr(self, name):
            setattr(self, name, value)
            changed.emit()

    def _drop_gone(self) -> None:
        """A selection or solo of a neuron now gone is dropped at once, before any view
        rebuilds for the new structure, and said once the change is complete (views
        redraw for the new structure anyway)."""
        ids = self.document.ids
        if self.selected is not None and self.selected not in ids:
            self.selected = None
            self._dropped.append(self.selectionChanged)
        if self.solo is not None and self.solo not in ids:
            self.solo = None
            self._dropped.append(self.soloChanged)

    def _say_dropped(self) -> None:
        dropped, self._dropped = self._dropped, []
        for signal in dropped:
            signal.emit()

    def _clip_probe(self) -> None:
        """The probed sample stays one that exists when the samples change."""
        if self.probe_sample is not None and self.probe_sample >= self.document.sample_count:
            self.probe_sample = self.document.sample_count - 1
            self.probeChanged.emit()
