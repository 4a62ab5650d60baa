"""The status bar's permanent fields: step, loss, fit and speed, read from the model's cache."""

from __future__ import annotations

from PySide6.QtCore import QEvent, QObject, QSize, QTimer
from PySide6.QtWidgets import QLabel, QStatusBar

from uat_explorer.core.nn.formula import number
from uat_explorer.gui.workers.training_controller import TrainingController
from uat_explorer.model.state import AppState
from uat_explorer.qt import props, throttled

SPACING = 12
"""Pixels between fields (the status bar's own margins and separators)."""


FIELD_TIPS = {
    "statusStepLabel": "Training steps so far",
    "statusEpochLabel": "Mini-batches: the epoch (one pass over the samples) and the batch in it"
    " that the next step uses",
    "statusLossLabel": "The training loss at the current weights",
    "statusTestLabel": "The loss on the held-out test points, which training never sees, and"
    " the true error: the mean squared distance to the noise-free target over the domain",
    "errorLabel": "How far the output is from the target, on the sample points",
    "statusMetricsLabel": "Root mean squared error and R² on the sample points",
    "statusSpeedLabel": "Training steps per second while training runs",
}
"""Each permanent field's objectName and tooltip, in their order on the bar."""


class StatusFields(QObject):
    """Never computes a loss: everything shown comes from ``state.document.derived()``, which
    training fills and a hand edit computes once.

    Fields never shrink mid-word: when the window is too narrow the least important
    ones step aside (error details, then RMSE and R², then speed); the loss field's
    tooltip always has every number.
    """

    def __init__(self, bar: QStatusBar, state: AppState, training: TrainingController) -> None:
        super().__init__(bar)
        self.bar, self.state, self.training = bar, state, training
        self.fields = tuple(
            props(QLabel(), objectName=name, toolTip=tip) for name, tip in FIELD_TIPS.items()
        )
        self.step, self.epoch, self.loss, self.test, self.error, self.fit, self.speed = self.fields
        self.drop_order = (self.error, self.fit, self.speed)
        for label in self.fields:
            bar.addPermanentWidget(label)
        self._probe = QLabel()
        bar.installEventFilter(self)
        self._throttled = throttled(self.show, 100, self)
        state.document.derivedChanged.connect(self._throttled)
        state.document.stepChanged.connect(self._throttled)
        state.document.settingsChanged.connect(self._throttled)
        training.runningChanged.connect(lambda _: self.show())
        # The last frame of a run shows at once, not a throttle interval later.
        training.progressed.connect(lambda progress: None if progress.running else self.show())
        self.show()

    def show(self) -> None:
        """Step, loss and fit; throttled to 10 Hz while training runs."""
        state = self.state
        derived = state.document.derived()
        metrics = derived.metrics
        self.step.setText(f"step {state.document.session.step}")
        schedule = state.document.batch_schedule()
        if schedule is None:
            self.epoch.setText("")
        else:
            epoch, batch = schedule.position(state.document.session.step)
            self.epoch.setText(f"epoch {epoch} · batch {batch} of {schedule.batches_per_epoch}")
        self.epoch.setVisible(bool(self.epoch.text()))
        self.loss.setText(f"loss {number(derived.loss)} ({state.document.session.loss})")
        held = self._held_out_text()
        self.test.setText(held)
        self.test.setVisible(bool(held))
        self.error.setText(
            f"MSE {number(metrics.mse)}   mean |error| {number(metrics.mae)}"
            f"   max |error| {number(metrics.max_abs_error)}"
        )
        self.fit.setText(f"RMSE {number(metrics.rmse)}   R² {number(metrics.r2, 4)}")
        self.loss.setToolTip(
            f"The training loss at the current weights ({state.document.session.loss}):"
            f" {number(derived.loss, 6)}\nMSE {number(metrics.mse, 6)}, mean |error|"
            f" {number(metrics.mae, 6)}, max |error| {number(metrics.max_abs_error, 6)},"
            f" RMSE {number(metrics.rmse, 6)}, R² {number(metrics.r2, 6)}"
            + self._held_out_details()
        )
        last = self.training.last
        speed = last.steps_per_second if self.training.running and last else None
        self.speed.setText(f"{speed:,.0f} steps/s" if speed else "")
        self.fit_width()

    def _held_out_text(self) -> str:
        """The test loss and the true error, when training sees more than the function
        (noise, or points held out): empty otherwise."""
        document = self.state.document
        if not document.sample_set().altered:
            return ""
        derived = document.derived()
        test = "" if derived.test is None else f"test {number(derived.test[0])} · "
        return f"{test}true error {number(derived.true_error or 0.0)}"

    def _held_out_details(self) -> str:
        derived = self.state.document.derived()
        lines = ""
        if derived.test is not None:
            loss, metrics = derived.test
            count = int(self.state.document.test_data()[0].size)
            lines += (
                f"\nOn the {count} held-out test points: loss {number(loss, 6)},"
                f" MSE {number(metrics.mse, 6)}, max |error| {number(metrics.max_abs_error, 6)}"
            )
        if self.state.document.sample_set().altered:
            lines += (
                f"\nTrue error (mean squared distance to the noise-free target over the"
                f" domain): {number(derived.true_error or 0.0, 6)}"
            )
        if self.state.document.penalty.active:
            penalty = self.state.document.penalty
            lines += (
                f"\nThe loss is the data term: training also minimises"
                f" {penalty.formula}, λ = {number(penalty.strength)}"
            )
        return lines

    def fit_width(self) -> None:
        """Show every field that fits, dropping the least important first.

        Each field has a fixed size: a label free to change size made the main window lay
        out every dock again at each new text (ten times a second while training), and
        while training runs a field only grows, so the numbers stand still and their
        neighbours stay put; a run that ends fits each field to its text again.
        """
        growing = self.training.running
        sizes = {}
        for label in self.fields:
            hint = self._text_size(label)
            width = max(hint.width(), label.minimumWidth()) if growing else hint.width()
            sizes[label] = QSize(width, hint.height())
        available = self.bar.width() - 2 * SPACING
        needed = {label: sizes[label].width() + SPACING for label in self.fields}
        used = sum(needed[label] for label in self.fields if label.text())
        for label in self.drop_order:
            show = used <= available or not label.text()
            if label.isVisibleTo(self.bar) != show:
                label.setVisible(show)
            if not show:
                used -= needed[label]
        for label in self.fields:
            label.setFixedSize(sizes[label])

    def _text_size(self, label: QLabel) -> QSize:
        """The size ``label`` asks for to show its text: its own hint never falls below its
        minimum size, which a fixed size pins."""
        self._probe.setFont(label.font())
        self._probe.setText(label.text())
        hint = self._probe.sizeHint()
        return hint if label.text() else QSize(0, hint.height())

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if watched is self.bar and event.type() == QEvent.Type.Resize:
            self.fit_width()
        elif watched is self.bar and event.type() == QEvent.Type.FontChange:
            QTimer.singleShot(0, self, self.fit_width)  # the fields' fonts change with it
        return False
