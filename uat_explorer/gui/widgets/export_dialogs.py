"""Ask how a figure or an animation should look before choosing where it goes."""

from __future__ import annotations

from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QDoubleSpinBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QSpinBox,
    QWidget,
)

from uat_explorer.export.figures import MAX_PIXELS, FigureOptions
from uat_explorer.qt import props


def _size_row(width: int, height: int) -> tuple[QSpinBox, QSpinBox, QHBoxLayout]:
    w = props(QSpinBox(), objectName="figureWidthSpin", minimum=16, maximum=MAX_PIXELS, value=width)
    h = props(
        QSpinBox(), objectName="figureHeightSpin", minimum=16, maximum=MAX_PIXELS, value=height
    )
    w.setSuffix(" px")
    h.setSuffix(" px")
    row = QHBoxLayout()
    row.addWidget(w)
    row.addWidget(QLabel("×"))
    row.addWidget(h)
    return w, h, row


class FigureDialog(QDialog):
    """Size, pixel scale and what to show; starts from what the window shows."""

    def __init__(
        self, title: str, base: FigureOptions, vector: bool, parent: QWidget, curves: bool = True
    ) -> None:
        super().__init__(parent)
        self.setObjectName("figureDialog")
        self.setWindowTitle(title)
        self.base = base
        self.width_spin, self.height_spin, size = _size_row(base.width, base.height)
        self.scale = props(QComboBox(), objectName="figureScaleCombo")
        for factor in (1, 2, 3, 4):
            self.scale.addItem(f"{factor}×", float(factor))
        self.scale.setToolTip("Pixels per point: 2× is crisp on high-DPI screens and slides")
        self.components = props(QCheckBox("Neuron curves"), checked=base.components)
        self.samples = props(QCheckBox("Sample points"), checked=base.samples)
        self.band = props(QCheckBox("Error band"), checked=base.band)
        form = QFormLayout(self)
        form.addRow("Size", size)
        if not vector:
            form.addRow("Scale", self.scale)
        if curves:  # what a function plot shows; other figures have no such choices
            form.addRow(self.components)
            form.addRow(self.samples)
            form.addRow(self.band)
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        form.addRow(buttons)

    def options(self) -> FigureOptions:
        return FigureOptions(
            width=self.width_spin.value(),
            height=self.height_spin.value(),
            scale=self.scale.currentData(),
            components=self.components.isChecked(),
            samples=self.samples.isChecked(),
            band=self.band.isChecked(),
            x_range=self.base.x_range,
            y_range=self.base.y_range,
        )


class AnimationDialog(QDialog):
    """Frames, training steps between them, speed and size of a training animation."""

    def __init__(self, steps_hint: int, parent: QWidget) -> None:
        super().__init__(parent)
        self.setObjectName("animationDialog")
        self.setWindowTitle("Record Training Animation")
        self.width_spin, self.height_spin, size = _size_row(640, 400)
        self.frames = props(
            QSpinBox(), objectName="gifFramesSpin", minimum=2, maximum=1000, value=60
        )
        self.steps = props(
            QSpinBox(), objectName="gifStepsSpin", minimum=1, maximum=1_000_000, value=steps_hint
        )
        self.fps = props(
            QDoubleSpinBox(), objectName="gifFpsSpin", minimum=0.5, maximum=50, value=15
        )
        note = props(
            QLabel("Training starts from the current weights; your work is not changed."),
            wordWrap=True,
        )
        note.setEnabled(False)
        form = QFormLayout(self)
        form.addRow("Size", size)
        form.addRow("Frames", self.frames)
        form.addRow("Steps between frames", self.steps)
        form.addRow("Frames per second", self.fps)
        form.addRow(note)
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        form.addRow(buttons)
