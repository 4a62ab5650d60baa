"""The classifier's weights as a table a person can type into: w, b and one v per logit
for each neuron, and the output biases c."""

from __future__ import annotations

import numpy as np
from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QTableWidget, QTableWidgetItem, QWidget

from uat_explorer.core.io.session_schema import MAX_PARAMETER
from uat_explorer.core.nn.classifier import ClassNetwork
from uat_explorer.plots.classes.class_plot import class_color
from uat_explorer.plots.theme import plot_colors


class WeightsTable(QTableWidget):
    """Every weight as a cell: a row per neuron (w, b, then one v per logit, its column
    headed in its class's colour) and a last row of the output biases c. Training moves
    the numbers with the table's signals blocked; an edit emits ``edited`` once."""

    edited = Signal(object)
    """A network: the shown one with the edited weight."""
    refused = Signal(str)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("classesWeights")
        self.network: ClassNetwork | None = None
        self.names: tuple[str, ...] = ()
        self.horizontalHeader().setDefaultSectionSize(58)
        self.verticalHeader().setDefaultSectionSize(22)
        self.itemChanged.connect(self._changed)

    def show_network(self, network: ClassNetwork, names: tuple[str, ...]) -> None:
        self.blockSignals(True)
        try:
            self.network, self.names = network, names
            outputs = network.c.size
            heads = [f"v → {names[1]}"] if outputs == 1 else [f"v → {n}" for n in names]
            if self.columnCount() != 2 + outputs or self.rowCount() != network.size + 1:
                self.setColumnCount(2 + outputs)
                self.setRowCount(network.size + 1)
                self.setHorizontalHeaderLabels(["w", "b", *heads])
                self.setVerticalHeaderLabels([*(str(j + 1) for j in range(network.size)), "c"])
            background = plot_colors(self.palette()).background
            for m, head in enumerate(heads):
                header = QTableWidgetItem(head)
                header.setForeground(class_color(m + (outputs == 1), background))
                self.setHorizontalHeaderItem(2 + m, header)
            rows = np.column_stack([network.w, network.b, network.v])
            for j, row in enumerate(rows):
                for col, value in enumerate(row):
                    self._put(j, col, float(value))
            self._put(network.size, 0, None)
            self._put(network.size, 1, None)
            for m, value in enumerate(network.c):
                self._put(network.size, 2 + m, float(value))
        finally:
            self.blockSignals(False)

    def _put(self, row: int, col: int, value: float | None) -> None:
        item = self.item(row, col)
        if item is None:
            item = QTableWidgetItem()
            self.setItem(row, col, item)
        if value is None:
            item.setFlags(Qt.ItemFlag.NoItemFlags)
            item.setText("")
        else:
            item.setText(f"{value:.4g}")

    def _changed(self, item: QTableWidgetItem) -> None:
        network = self.network
        if network is None:
            return
        try:
            value = float(item.text())
            if not np.isfinite(value) or abs(value) > MAX_PARAMETER:
                raise ValueError
        except ValueError:
            self.refused.emit(f"{item.text()!r} is not a weight: type a finite number")
            self.show_network(network, self.names)
            return
        changed = network.copy()
        row, col = item.row(), item.column()
        if row == network.size:
            changed.c[col - 2] = value
        elif col < 2:
            (changed.w if col == 0 else changed.b)[row] = value
        else:
            changed.v[row, col - 2] = value
        self.edited.emit(changed)
