"""The read-only face of the model that plots draw from: values and change signals only.

Plots never edit; anything that changes the model goes through ``AppState``'s intents.
"""

from __future__ import annotations

from typing import Protocol

import numpy as np
from PySide6.QtCore import SignalInstance

from uat_explorer.core import Network, Session, Target
from uat_explorer.core.training.batches import BatchSchedule
from uat_explorer.core.training.loss_history import LossHistory
from uat_explorer.model.derived import DerivedValues
from uat_explorer.model.state import DivergedRun


class ModelView(Protocol):
    structureChanged: SignalInstance
    neuronChanged: SignalInstance
    weightsChanged: SignalInstance
    outputBiasChanged: SignalInstance
    targetChanged: SignalInstance
    selectionChanged: SignalInstance
    soloChanged: SignalInstance
    settingsChanged: SignalInstance
    stepChanged: SignalInstance
    derivedChanged: SignalInstance
    probeChanged: SignalInstance
    liveRebuildChanged: SignalInstance

    @property
    def session(self) -> Session: ...

    @property
    def network(self) -> Network: ...

    @property
    def target(self) -> Target: ...

    @property
    def domain(self) -> tuple[float, float]: ...

    @property
    def ids(self) -> list[int]: ...

    @property
    def selected(self) -> int | None: ...

    @property
    def solo(self) -> int | None: ...

    @property
    def history(self) -> LossHistory: ...

    @property
    def epoch_history(self) -> LossHistory: ...

    @property
    def diverged_run(self) -> DivergedRun | None: ...

    @property
    def probe_sample(self) -> int | None: ...

    @property
    def probe_scope(self) -> str: ...

    def index_of(self, neuron_id: int | None) -> int | None: ...

    def training_data(self) -> tuple[np.ndarray, np.ndarray]: ...

    def batch_schedule(self) -> BatchSchedule | None: ...

    def derived(self) -> DerivedValues: ...
