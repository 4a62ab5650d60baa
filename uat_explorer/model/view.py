"""The read-only face of the model that plots and exports draw from: values and change
signals, nothing that edits. Everything a plot reads is declared here, and nothing more;
``AppState`` (its ``document`` and ``view``) satisfies it.
"""

from __future__ import annotations

from typing import Protocol

import numpy as np
from PySide6.QtCore import SignalInstance

from uat_explorer.core.nn.network import Network
from uat_explorer.core.targets.samples import SampleSet
from uat_explorer.core.targets.target import Target
from uat_explorer.core.training.batches import BatchSchedule
from uat_explorer.core.training.loss_history import LossHistory
from uat_explorer.core.training.penalty import Penalty
from uat_explorer.core.training.trainer import StopRule
from uat_explorer.model.derived import DerivedValues
from uat_explorer.model.document import DivergedRun


class DocumentView(Protocol):
    """What a view may read of the document."""

    structureChanged: SignalInstance
    neuronChanged: SignalInstance
    weightsChanged: SignalInstance
    outputBiasChanged: SignalInstance
    targetChanged: SignalInstance
    settingsChanged: SignalInstance
    stepChanged: SignalInstance
    changed: SignalInstance
    derivedChanged: SignalInstance
    revision: int
    """Counts changes of the model: what a view drew it for tells it when to draw again."""

    @property
    def network(self) -> Network: ...

    @property
    def target(self) -> Target: ...

    @property
    def domain(self) -> tuple[float, float]: ...

    @property
    def step(self) -> int: ...

    @property
    def stop(self) -> StopRule: ...

    @property
    def loss(self) -> str: ...

    @property
    def penalty(self) -> Penalty: ...

    @property
    def ids(self) -> list[int]: ...

    @property
    def history(self) -> LossHistory: ...

    @property
    def epoch_history(self) -> LossHistory: ...

    @property
    def test_history(self) -> LossHistory: ...

    @property
    def diverged_run(self) -> DivergedRun | None: ...

    def index_of(self, neuron_id: int | None) -> int | None: ...

    def training_data(self) -> tuple[np.ndarray, np.ndarray]: ...

    def test_data(self) -> tuple[np.ndarray, np.ndarray]: ...

    def sample_set(self) -> SampleSet: ...

    def batch_schedule(self) -> BatchSchedule | None: ...

    def derived(self) -> DerivedValues: ...


class ViewStateView(Protocol):
    """What a view may read of what the window looks at."""

    selectionChanged: SignalInstance
    soloChanged: SignalInstance
    probeChanged: SignalInstance
    liveRebuildChanged: SignalInstance
    presentationChanged: SignalInstance
    lossAxisChanged: SignalInstance

    @property
    def selected(self) -> int | None: ...

    @property
    def selected_index(self) -> int | None: ...

    @property
    def solo(self) -> int | None: ...

    @property
    def probe_sample(self) -> int | None: ...

    @property
    def probe_scope(self) -> str: ...

    @property
    def live_rebuild(self) -> bool: ...

    @property
    def loss_in_epochs(self) -> bool: ...

    @property
    def text_scale(self) -> float: ...


class ModelView(Protocol):
    @property
    def document(self) -> DocumentView: ...

    @property
    def view(self) -> ViewStateView: ...
