"""The network as a formula with its numbers plugged in, for the selected neuron and all."""

from __future__ import annotations

from PySide6.QtGui import QShowEvent
from PySide6.QtWidgets import QLabel, QPlainTextEdit, QVBoxLayout, QWidget

from uat_explorer.core.nn.formula import legend, network_formula, neuron_formula
from uat_explorer.model.view import ModelView
from uat_explorer.qt import props, throttled


class FormulaView(QWidget):
    def __init__(self, state: ModelView, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("formulaView")
        self.state = state
        self.neuron = props(QLabel(), objectName="neuronFormula", wordWrap=True)
        self.neuron.setToolTip("The selected neuron's contribution to the output")
        self.network_text = props(QPlainTextEdit(), objectName="networkFormula", readOnly=True)
        self.network_text.setToolTip(
            "The whole network, y = c + Σ vⱼ·act(wⱼ·x + bⱼ), numbers in place"
        )
        self.network_text.setMaximumBlockCount(1)
        self.network_text.setMaximumHeight(90)
        self.key = props(QLabel(legend()), objectName="formulaLegend", wordWrap=True)
        self.key.setEnabled(False)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(6, 4, 6, 4)
        layout.addWidget(self.neuron)
        layout.addWidget(self.network_text)
        layout.addWidget(self.key)
        self._throttled = throttled(self.refresh, 200, self)
        state.document.changed.connect(self._throttled)
        state.view.selectionChanged.connect(self.refresh)
        self.refresh()

    def refresh(self) -> None:
        if not self.isVisibleTo(self.window()) and self.window().isVisible():
            return  # a hidden dock need not format 256 terms per frame
        index = self.state.view.selected_index
        if index is None:
            self.neuron.setText("Select a neuron (click its card or its curve) to see its term.")
        else:
            term = neuron_formula(self.state.document.network.neuron(index))
            muted = " (muted: adds nothing)" if self.state.document.network.muted[index] else ""
            self.neuron.setText(f"Neuron {index + 1}: {term}{muted}")
        text = network_formula(self.state.document.network)
        if self.network_text.toPlainText() != text:
            self.network_text.setPlainText(text)

    def showEvent(self, event: QShowEvent) -> None:
        self.refresh()
        super().showEvent(event)
