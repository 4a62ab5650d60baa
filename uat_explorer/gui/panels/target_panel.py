"""Choose what the network should fit: a preset, a typed formula, a CSV file, a drawing."""

from __future__ import annotations

import itertools
from pathlib import Path

from PySide6.QtCore import QEvent, QObject, QSignalBlocker, Signal
from PySide6.QtWidgets import (
    QComboBox,
    QDoubleSpinBox,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from uat_explorer.core import PRESETS, InputError, Target, load_csv
from uat_explorer.core.targets.expression import function_names
from uat_explorer.gui.controls.sampling import SamplingControls
from uat_explorer.model.state import AppState
from uat_explorer.qt import connect, props

BAD_INPUT_STYLE = "QLineEdit { border: 2px solid #d32f2f; border-radius: 3px; }"


class TargetPanel(QWidget):
    drawToggled = Signal(bool)

    def __init__(self, state: AppState, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("targetPanel")
        self.state = state
        self._typing = itertools.count(1)
        self._typing_token = 0

        self.presets = props(QComboBox(), objectName="targetPresetCombo")
        self.presets.setToolTip("A ready-made target function")
        for preset in PRESETS.values():
            self.presets.addItem(preset.label, preset.name)
        self.presets.addItem("Custom formula", "custom")
        self.presets.addItem("Data points", "data")
        self.expression = props(QLineEdit(), objectName="targetExpressionEdit")
        self.expression.setPlaceholderText("a formula in x, e.g. sin(3*x) + abs(x)/2")
        self.expression.setToolTip(
            "Type any formula in x. Allowed: numbers, x, pi, e, + − * / **, parentheses and "
            + ", ".join(function_names())
            + ". The plot follows as you type; a mistake is shown here and the last valid"
            " target stays drawn."
        )
        self.expression.installEventFilter(self)
        self.feedback = props(QLabel(), objectName="targetMessageLabel", wordWrap=True)
        self.feedback.setStyleSheet("color: #d32f2f;")
        self.feedback.setVisible(False)
        self.expression.setProperty("invalid", False)
        self.load = props(QPushButton("Load CSV…"), objectName="loadCsvButton")
        self.load.setToolTip("Fit points from a CSV file with columns x, y (header optional)")
        self.draw = props(QPushButton("Draw"), objectName="drawTargetButton", checkable=True)
        self.draw.setToolTip("Drag across the plot with the mouse to draw a target curve")
        self.low = self._domain_spin("domainFromSpin", "Start of the domain (x range)")
        self.high = self._domain_spin("domainToSpin", "End of the domain (x range)")

        buttons = QHBoxLayout()
        buttons.addWidget(self.load)
        buttons.addWidget(self.draw)
        domain = QHBoxLayout()
        domain.addWidget(self.low)
        domain.addWidget(QLabel("to"))
        domain.addWidget(self.high)
        form = QFormLayout()
        form.addRow("Preset", self.presets)
        form.addRow("Formula", self.expression)
        form.addRow("", self.feedback)
        form.addRow("Domain", domain)
        self.sampling = SamplingControls(state)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addLayout(buttons)
        layout.addWidget(self.sampling)
        layout.addStretch(1)

        self.presets.activated.connect(self._preset_chosen)
        self.expression.textEdited.connect(self._typed)
        self.load.clicked.connect(self._ask_for_csv)
        self.draw.toggled.connect(self.drawToggled)
        connect(self._domain_edited, self.low.editingFinished, self.high.editingFinished)
        state.document.targetChanged.connect(self.show_target)
        self.show_target()

    def _domain_spin(self, name: str, tip: str) -> QDoubleSpinBox:
        spin = props(QDoubleSpinBox(), objectName=name, toolTip=tip)
        spin.setRange(-1e6, 1e6)
        spin.setDecimals(4)
        spin.setKeyboardTracking(False)
        return spin

    # -- intents --------------------------------------------------------------------------
    def _preset_chosen(self, _index: int) -> None:
        name = self.presets.currentData()
        if name in PRESETS:
            self._apply(Target.preset(name), PRESETS[name].domain)
        elif name == "custom":
            self.expression.setFocus()
            self.expression.selectAll()
        else:
            self._ask_for_csv()
        self.show_target()

    def _typed(self, text: str) -> None:
        """Validate every keystroke; draw each valid formula, keep the last one otherwise."""
        try:
            target = Target.from_text(text)
        except InputError as error:
            self._show_problem(str(error))
            return
        self._apply(target, None, gesture=("typing", self._typing_token))

    def _apply(
        self, target: Target, domain: tuple[float, float] | None, gesture: object = None
    ) -> bool:
        try:
            self.state.editor.set_target(target, domain, gesture)
        except InputError as error:
            self._show_problem(str(error))
            return False
        self._show_problem("")
        return True

    def load_csv_file(self, path: str | Path) -> bool:
        """Load a CSV target (also used by drag and drop); problems show in the panel."""
        try:
            target = load_csv(path)
        except InputError as error:
            self._show_problem(str(error))
            return False
        return self._apply(target, None)

    def _ask_for_csv(self) -> None:
        path, _ = QFileDialog.getOpenFileName(
            self, "Load target points", "", "CSV files (*.csv *.txt);;All files (*)"
        )
        if path:
            self.load_csv_file(path)

    def _domain_edited(self) -> None:
        low, high = self.low.value(), self.high.value()
        if (low, high) == self.state.document.domain:
            return
        try:
            self.state.editor.set_domain(low, high)
        except InputError as error:
            self._show_problem(str(error))
            self.show_target()
            return
        self._show_problem("")

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        """Each visit to the formula box is one undo step, however much is typed."""
        if watched is self.expression and event.type() == QEvent.Type.FocusIn:
            self._typing_token = next(self._typing)
        return False

    # -- showing the model -----------------------------------------------------------------
    def _show_problem(self, message: str) -> None:
        self.feedback.setText(message)
        self.feedback.setVisible(bool(message))
        self.expression.setStyleSheet(BAD_INPUT_STYLE if message else "")
        self.expression.setProperty("invalid", bool(message))

    def show_target(self) -> None:
        target = self.state.document.target
        with QSignalBlocker(self.presets):
            self.presets.setCurrentIndex(
                self.presets.findData("data" if target.is_data else target.name)
            )
        typing_this = self.expression.hasFocus() and self.expression.property("invalid") is False
        if not target.is_data and not typing_this:
            self.expression.setText(target.text)
        if target.is_data:
            self.expression.setText("")
            self.expression.setPlaceholderText(f"fitting {target.text}; type a formula to replace")
        low, high = self.state.document.domain
        with QSignalBlocker(self.low), QSignalBlocker(self.high):
            self.low.setValue(low)
            self.high.setValue(high)
