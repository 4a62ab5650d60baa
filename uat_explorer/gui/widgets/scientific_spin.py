"""A spin box for values spanning decades (learning rates, loss thresholds): 1e-4, not
0.000100, and arrow keys that multiply instead of add."""

from __future__ import annotations

import math

from PySide6.QtGui import QValidator
from PySide6.QtWidgets import QDoubleSpinBox, QWidget

STEPS_PER_DECADE = 4


class ScientificSpinBox(QDoubleSpinBox):
    def __init__(self, low: float, high: float, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setDecimals(12)  # no rounding: the text shows 3 significant digits
        self.setRange(low, high)
        self.setKeyboardTracking(False)

    def textFromValue(self, value: float) -> str:
        return f"{value:.3g}"

    def valueFromText(self, text: str) -> float:
        try:
            return float(text)
        except ValueError:
            return self.value()

    def validate(self, text: str, pos: int) -> object:
        try:
            value = float(text)
        except ValueError:
            return QValidator.State.Intermediate, text, pos
        inside = self.minimum() <= value <= self.maximum()
        return (QValidator.State.Acceptable if inside else QValidator.State.Intermediate), text, pos

    def stepBy(self, steps: int) -> None:
        value = max(self.value(), self.minimum(), 1e-300)
        self.setValue(value * 10 ** (steps / STEPS_PER_DECADE))


def log_position(value: float, low: float, positions: int, decades: float) -> int:
    """Slider position for ``value`` on a log scale starting at ``low``."""
    return round((math.log10(value) - math.log10(low)) / decades * positions)


def log_value(position: int, low: float, positions: int, decades: float) -> float:
    return float(f"{low * 10 ** (position / positions * decades):.3g}")
