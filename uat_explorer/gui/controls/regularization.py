"""What keeps a network from fitting the noise: weight decay, and early stopping on the
held-out points (the Training panel's lower part). Each change goes through the editor,
so it is saved and reaches a running training at once."""

from __future__ import annotations

from dataclasses import replace

from PySide6.QtCore import QSignalBlocker
from PySide6.QtWidgets import (
    QCheckBox,
    QGridLayout,
    QLabel,
    QSpinBox,
    QWidget,
)

from uat_explorer.core.training.penalty import MAX_WEIGHT_DECAY, PENALTIES, Penalty
from uat_explorer.gui.widgets.scientific_spin import ScientificSpinBox
from uat_explorer.model.state import AppState
from uat_explorer.qt import choice_box, connect, props

DEFAULT_DECAY = 1e-3
DEFAULT_PATIENCE = 500
NO_TEST_POINTS = "Hold out test points (Target panel) to stop early or keep the best weights."


class RegularizationControls(QWidget):
    def __init__(self, state: AppState, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("regularizationControls")
        self.state = state
        self.decay_on = props(QCheckBox("Weight decay λ"), objectName="weightDecayCheck")
        self.decay = ScientificSpinBox(1e-8, MAX_WEIGHT_DECAY)
        self.decay.setObjectName("weightDecaySpin")
        self.decay.setValue(DEFAULT_DECAY)
        self.kind = choice_box(PENALTIES, objectName="penaltyCombo")
        decay_tip = (
            "Training minimises L + λ/2·‖θ‖² (L2) or L + λ·‖θ‖₁ (L1) over every w, b and v"
            " (not c): each step also pulls the weights towards 0, which keeps the curve"
            " smooth between the samples. The loss plot still draws L, the data term."
        )
        widget: QWidget
        for widget in (self.decay_on, self.decay, self.kind):
            widget.setToolTip(decay_tip)
        self.stop_on = props(
            QCheckBox("Stop when the test loss has not improved for"), objectName="earlyStopCheck"
        )
        self.patience = props(QSpinBox(), objectName="earlyStopSpin", keyboardTracking=False)
        self.patience.setRange(1, 10_000_000)
        self.patience.setValue(DEFAULT_PATIENCE)
        self.patience.setSuffix(" steps")
        self.patience.setGroupSeparatorShown(True)
        for widget in (self.stop_on, self.patience):
            widget.setToolTip(
                "Early stopping: pause by itself once the loss on the held-out points has not"
                " reached a new low for this many steps"
            )
        self.restore = props(
            QCheckBox("Keep the weights with the lowest test loss"),
            objectName="restoreBestTestCheck",
        )
        self.restore.setToolTip(
            "When training stops by itself (early stopping or another stop rule), the weights"
            " of the step with the lowest test loss come back; the panel says which step."
            " Undo returns to the weights before the run, as for any run."
        )
        self.note = props(QLabel(NO_TEST_POINTS), objectName="heldOutNote", wordWrap=True)
        self.note.setEnabled(False)
        grid = QGridLayout(self)
        grid.setContentsMargins(0, 0, 0, 0)
        grid.addWidget(self.decay_on, 0, 0)
        grid.addWidget(self.decay, 0, 1)
        grid.addWidget(self.kind, 1, 0, 1, 2)
        grid.addWidget(self.stop_on, 2, 0, 1, 2)
        grid.addWidget(self.patience, 3, 1)
        grid.addWidget(self.restore, 4, 0, 1, 2)
        grid.addWidget(self.note, 5, 0, 1, 2)

        connect(self._set_penalty, self.decay_on.toggled, self.decay.valueChanged)
        self.kind.activated.connect(lambda _: self._set_penalty())
        connect(self._set_stop, self.stop_on.toggled, self.restore.toggled)
        self.patience.valueChanged.connect(lambda _: self._set_stop())
        document = state.document
        connect(self.show_settings, document.settingsChanged, document.targetChanged)
        self.show_settings()

    def _set_penalty(self, *_: object) -> None:
        strength = self.decay.value() if self.decay_on.isChecked() else 0.0
        self.state.editor.update_settings(penalty=Penalty(self.kind.currentData(), strength))

    def _set_stop(self, *_: object) -> None:
        stop = replace(
            self.state.document.session.stop,
            test_patience=self.patience.value() if self.stop_on.isChecked() else None,
            restore_best_test=self.restore.isChecked(),
        )
        self.state.editor.update_settings(stop=stop)

    def show_settings(self) -> None:
        session = self.state.document.session
        widgets = (self.decay_on, self.decay, self.kind, self.stop_on, self.patience, self.restore)
        blockers = [QSignalBlocker(w) for w in widgets]
        penalty, stop = session.penalty, session.stop
        self.decay_on.setChecked(penalty.active)
        if penalty.active:
            self.decay.setValue(penalty.strength)
        self.kind.setCurrentIndex(self.kind.findData(penalty.kind))
        self.stop_on.setChecked(stop.test_patience is not None)
        if stop.test_patience is not None:
            self.patience.setValue(stop.test_patience)
        self.restore.setChecked(stop.restore_best_test)
        del blockers
        held = self.state.document.sample_set().has_test
        for widget in (self.stop_on, self.patience, self.restore):
            widget.setEnabled(held)
        self.note.setVisible(not held)
