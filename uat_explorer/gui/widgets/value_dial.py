"""A dial for quick turning plus a spin box for exact values, bound to one number."""

from __future__ import annotations

import math
import time

from PySide6.QtCore import QSignalBlocker, Qt, Signal
from PySide6.QtWidgets import QAbstractSpinBox, QDial, QDoubleSpinBox, QLabel, QVBoxLayout, QWidget

from uat_explorer.core.nn.formula import number
from uat_explorer.qt import props

DIAL_STEPS = 1000
GESTURE_GAP = 0.8
"""Keyboard, wheel and spin-box edits less than this many seconds apart are one undo step."""


class DialScale:
    """Maps dial positions −1000…1000 to values −maximum…maximum along a sinh curve:
    fine control near 0, and still the whole range (w = 1000 makes a step) at the ends."""

    def __init__(self, maximum: float, curvature: float) -> None:
        self.maximum, self.curvature = maximum, curvature
        self._norm = math.sinh(curvature)

    def value(self, position: int) -> float:
        raw = self.maximum * math.sinh(self.curvature * position / DIAL_STEPS) / self._norm
        return float(f"{raw:.3g}")  # round to what the eye can tell apart on a dial

    def position(self, value: float) -> int:
        clipped = max(-self.maximum, min(self.maximum, value))
        ratio = math.asinh(clipped / self.maximum * self._norm) / self.curvature
        return round(ratio * DIAL_STEPS)


class _Gesture:
    """Hands out a token per gesture: one drag, or a burst of edits close in time."""

    def __init__(self) -> None:
        self._token = 0
        self._last = -math.inf

    def new(self) -> int:
        self._token += 1
        self._last = time.monotonic()
        return self._token

    def current(self) -> int:
        now = time.monotonic()
        if now - self._last > GESTURE_GAP:
            self._token += 1
        self._last = now
        return self._token


class ValueDial(QWidget):
    """``edited(value, gesture)`` when the person changes it; ``set_value`` never emits."""

    edited = Signal(float, int)

    def __init__(
        self,
        symbol: str,
        tooltip: str,
        scale: DialScale,
        name: str,
        parent: QWidget | None = None,
        spin: QDoubleSpinBox | None = None,
    ) -> None:
        """``spin``: a spin box of another kind (one that says why it refuses a text)."""
        super().__init__(parent)
        self.scale = scale
        self._gesture = _Gesture()
        self._dragging = False
        self.label = props(QLabel(symbol), alignment=Qt.AlignmentFlag.AlignCenter)
        self.dial = props(QDial(), objectName=f"{name}Dial")
        self.dial.setRange(-DIAL_STEPS, DIAL_STEPS)
        self.dial.setFixedSize(44, 44)
        self.dial.setNotchesVisible(False)
        self.dial.setPageStep(50)
        self.spin = props(spin or QDoubleSpinBox(), objectName=f"{name}Spin")
        self.spin.setRange(-1e6, 1e6)
        self.spin.setDecimals(4)
        self.spin.setKeyboardTracking(False)
        self.spin.setStepType(QAbstractSpinBox.StepType.AdaptiveDecimalStepType)
        self.spin.setButtonSymbols(QAbstractSpinBox.ButtonSymbols.NoButtons)
        self.spin.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.spin.setMinimumWidth(64)
        self.gradient = props(
            QLabel(), objectName=f"{name}GradLabel", alignment=Qt.AlignmentFlag.AlignCenter
        )
        self.gradient.setEnabled(False)
        for widget in (self, self.dial, self.spin, self.label):
            widget.setToolTip(tooltip)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(1)
        layout.addWidget(self.label)
        layout.addWidget(self.dial, alignment=Qt.AlignmentFlag.AlignHCenter)
        layout.addWidget(self.spin)
        layout.addWidget(self.gradient)
        self.dial.sliderPressed.connect(self._pressed)
        self.dial.sliderReleased.connect(self._released)
        self.dial.valueChanged.connect(self._dial_moved)
        self.spin.valueChanged.connect(self._spin_changed)

    @property
    def controls(self) -> tuple[QWidget, QWidget]:
        """What a person works: the dial and the spin box."""
        return self.dial, self.spin

    def value(self) -> float:
        return self.spin.value()

    def set_value(self, value: float) -> None:
        """Show a value from the model: no signals, so no edit and no undo entry."""
        with QSignalBlocker(self.dial), QSignalBlocker(self.spin):
            self.dial.setValue(self.scale.position(value))
            self.spin.setValue(value)

    def show_gradient(self, symbol: str, gradient: float, largest: float) -> None:
        """Which way, and how hard, gradient descent would turn this dial: −∂L/∂p of the
        training loss, as ▲ (up) or ▼ (down), one to three marks by its size against the
        largest of all the parameters', with the number."""
        step = -gradient
        if not math.isfinite(step) or step == 0 or largest <= 0:
            self.gradient.setText("·")
            self.gradient.setToolTip(f"∂L/∂{symbol} = 0: descent leaves {symbol} where it is")
            return
        strength = 1 + (abs(step) >= 0.1 * largest) + (abs(step) >= 0.5 * largest)
        arrow = ("▲" if step > 0 else "▼") * strength
        self.gradient.setText(f"{arrow} {number(step, 2)}")
        self.gradient.setToolTip(
            f"Gradient descent would turn {symbol} {'up' if step > 0 else 'down'}:"
            f" −∂L/∂{symbol} = {number(step, 4)} (the training loss). Turn it that way and"
            " the loss falls."
        )

    def _pressed(self) -> None:
        self._dragging = True
        self._drag_token = self._gesture.new()

    def _released(self) -> None:
        self._dragging = False
        self._gesture.new()

    def _dial_moved(self, position: int) -> None:
        value = self.scale.value(position)
        with QSignalBlocker(self.spin):
            self.spin.setValue(value)
        token = self._drag_token if self._dragging else self._gesture.current()
        self.edited.emit(value, token)

    def _spin_changed(self, value: float) -> None:
        with QSignalBlocker(self.dial):
            self.dial.setValue(self.scale.position(value))
        self.edited.emit(value, self._gesture.current())
