"""The status bar's permanent fields: step, loss, fit and speed, read from the model's cache."""

from __future__ import annotations

from PySide6.QtCore import QObject
from PySide6.QtWidgets import QLabel, QStatusBar
from superqt.utils import qthrottled

from uat_explorer.core.formula import number
from uat_explorer.gui.training_controller import TrainingController
from uat_explorer.model.state import AppState


class StatusFields(QObject):
    """Never computes a loss: everything shown comes from ``state.derived()``, which
    training fills and a hand edit computes once."""

    def __init__(self, bar: QStatusBar, state: AppState, training: TrainingController) -> None:
        super().__init__(bar)
        self.state, self.training = state, training
        self.step = QLabel(objectName="statusStepLabel", toolTip="Training steps so far")
        self.loss = QLabel(
            objectName="statusLossLabel", toolTip="The training loss at the current weights"
        )
        self.error = QLabel(objectName="errorLabel")
        self.error.setToolTip("How far the output is from the target, on the sample points")
        self.fit = QLabel(
            objectName="statusMetricsLabel",
            toolTip="Root mean squared error and R² on the sample points",
        )
        self.speed = QLabel(
            objectName="statusSpeedLabel", toolTip="Training steps per second while training runs"
        )
        for label in (self.step, self.loss, self.error, self.fit, self.speed):
            bar.addPermanentWidget(label)
        self._throttled = qthrottled(self.show, 100, parent=self)
        state.derivedChanged.connect(self._throttled)
        state.stepChanged.connect(self._throttled)
        training.runningChanged.connect(lambda _: self.show())
        # The last frame of a run shows at once, not a throttle interval later.
        training.progressed.connect(lambda progress: None if progress.running else self.show())
        self.show()

    def show(self) -> None:
        """Step, loss and fit; throttled to 10 Hz while training runs."""
        state = self.state
        derived = state.derived()
        metrics = derived.metrics
        self.step.setText(f"step {state.session.step}")
        self.loss.setText(f"loss {number(derived.loss)} ({state.session.loss})")
        self.error.setText(
            f"MSE {number(metrics.mse)}   mean |error| {number(metrics.mae)}"
            f"   max |error| {number(metrics.max_abs_error)}"
        )
        self.fit.setText(f"RMSE {number(metrics.rmse)}   R² {number(metrics.r2, 4)}")
        last = self.training.last
        speed = last.steps_per_second if self.training.running and last else None
        self.speed.setText(f"{speed:,.0f} steps/s" if speed else "")
