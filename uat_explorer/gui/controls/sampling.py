"""What training is given: noise on the samples and the points held out for testing
(the Target panel's lower part). Every change goes through the editor, so it is saved
and reaches a running training; a setting that cannot be used is said here and nothing
changes."""

from __future__ import annotations

from collections.abc import Callable
from functools import partial

from PySide6.QtCore import QSignalBlocker
from PySide6.QtWidgets import QDoubleSpinBox, QFormLayout, QLabel, QSpinBox, QWidget

from uat_explorer.core import InputError
from uat_explorer.core.targets.samples import MAX_TEST_FRACTION, TEST_MODES
from uat_explorer.model.state import AppState
from uat_explorer.qt import choice_box, connect, props

MAX_NOISE_SPIN = 10.0
"""Far beyond any target's own scale here; typed sessions may hold more."""


class SamplingControls(QWidget):
    def __init__(self, state: AppState, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("samplingControls")
        self.state = state
        noise_tip = (
            "Gaussian noise added to every sample (its standard deviation), drawn from the"
            " seed: the same seed gives the same noisy points, and another level scales the"
            " same draws. The dashed curve stays the true function; the points are what"
            " training sees."
        )
        self.noise = props(
            QDoubleSpinBox(),
            objectName="noiseSpin",
            keyboardTracking=False,
            maximum=MAX_NOISE_SPIN,
            decimals=3,
            singleStep=0.05,
            specialValueText="none",
            toolTip=noise_tip,
        )
        fraction_tip = (
            "The share of the samples held out as test points (drawn hollow): never trained"
            " on, they show how the curve does between the points it learns from. The loss"
            " plot draws their loss, dashed."
        )
        self.fraction = props(
            QSpinBox(),
            objectName="testFractionSpin",
            keyboardTracking=False,
            maximum=round(100 * MAX_TEST_FRACTION),
            singleStep=5,
            suffix=" %",
            specialValueText="none",
            toolTip=fraction_tip,
        )
        self.mode = choice_box(
            TEST_MODES,
            objectName="testModeCombo",
            toolTip="Which samples are held out: at random (from the seed), or spread evenly"
            " between training points (the first and last always train)",
        )
        self.summary = props(
            QLabel(), objectName="samplingSummaryLabel", wordWrap=True, enabled=False
        )
        self.message = props(QLabel(), objectName="samplingMessageLabel", wordWrap=True)
        self.message.setStyleSheet("color: #d32f2f;")
        self.message.hide()
        form = QFormLayout(self)
        form.setContentsMargins(0, 0, 0, 0)
        form.addRow("Noise σ", self.noise)
        form.addRow("Held out", self.fraction)
        form.addRow("Test points", self.mode)
        form.addRow(self.summary)
        form.addRow(self.message)

        sampling = state.editor.set_sampling
        self.noise.valueChanged.connect(lambda value: self._set(partial(sampling, noise=value)))
        self.fraction.valueChanged.connect(
            lambda value: self._set(partial(sampling, test_fraction=value / 100))
        )
        self.mode.activated.connect(
            lambda _: self._set(partial(sampling, test_mode=self.mode.currentData()))
        )
        document = state.document
        connect(self.show_settings, document.settingsChanged, document.targetChanged)
        self.show_settings()

    def _set(self, change: Callable[[], None]) -> None:
        """``change`` the sampling; one it cannot take is said here, and nothing changes."""
        try:
            change()
        except InputError as error:
            text = str(error)
            self.message.setText(f"{text[:1].upper()}{text[1:]}; nothing changed.")
            self.message.show()
            self.show_settings(keep_message=True)
            return
        self.message.hide()

    def show_settings(self, keep_message: bool = False) -> None:
        session = self.state.document.session
        with QSignalBlocker(self.noise), QSignalBlocker(self.fraction), QSignalBlocker(self.mode):
            self.noise.setValue(session.noise)
            self.fraction.setValue(round(100 * session.test_fraction))
            self.mode.setCurrentIndex(self.mode.findData(session.test_mode))
        self.mode.setEnabled(session.test_fraction > 0)
        samples = self.state.document.sample_set()
        train, test = int(samples.train[0].size), int(samples.test.sum())
        self.summary.setText(
            f"{train} training points (filled), {test} test points (hollow)"
            if test
            else f"{train} training points"
        )
        if not keep_message:
            self.message.hide()
