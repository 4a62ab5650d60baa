"""Every parameter's value, gradient and update in one sortable table."""

from __future__ import annotations

import math

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHeaderView,
    QTableWidget,
    QTableWidgetItem,
    QWidget,
)

from uat_explorer.core.teaching.backprop import PARAMETER_COLUMNS

DECAY_COLUMN = len(PARAMETER_COLUMNS) - 1


def table_number(value: float) -> str:
    """Four significant digits (readable from the back of a room; the graph's tooltips
    carry the full numbers): plain decimals for ordinary sizes, e-notation beyond."""
    if value == 0:
        return "0"
    if not math.isfinite(value):
        return str(value)
    if 1e-4 <= abs(value) < 1e5:
        return f"{value:.4g}"
    return f"{value:.3e}"


class _Cell(QTableWidgetItem):
    """Sorts parameters in card order, and numbers by magnitude (the biggest pull first
    when sorted descending), whatever their sign."""

    def __init__(self) -> None:
        super().__init__("")
        self.key = 0.0
        self.setFlags(Qt.ItemFlag.ItemIsSelectable | Qt.ItemFlag.ItemIsEnabled)

    def show(self, text: str, key: float) -> None:
        self.key = key
        if self.text() != text:
            self.setText(text)

    def __lt__(self, other: QTableWidgetItem) -> bool:
        if isinstance(other, _Cell):
            return self.key < other.key
        return super().__lt__(other)


class GradientTable(QTableWidget):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(0, len(PARAMETER_COLUMNS), parent)
        self.setObjectName("gradientTable")
        self.setHorizontalHeaderLabels(PARAMETER_COLUMNS)
        self.verticalHeader().hide()
        self.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        self.horizontalHeader().setStretchLastSection(True)
        self.cells: list[list[_Cell]] = []  # by parameter, whatever the sorted order
        self.setSortingEnabled(True)
        self.sortByColumn(0, Qt.SortOrder.AscendingOrder)  # card order until a header is clicked
        self.setToolTip(
            "Every parameter in card order: its value, ∂L/∂p of the chosen sample's loss"
            " and of the training loss, and the update −lr·∂L/∂p of the chosen scope."
            " Click a header to sort by magnitude."
        )
        tips = [
            "w, b, v of each neuron (1-based, like the cards), then c",
            "The parameter's current value",
            "The gradient of the chosen sample's own loss",
            "The gradient of the training loss: the mean over every sample",
            "What one step of gradient descent would add: −lr·∂L/∂p for the chosen scope"
            " (with weight decay −lr·(∂L/∂p + λp), as training steps)",
            "Weight decay's share of the step's gradient: λ·p (L2) or λ·sign(p) (L1); none"
            " for c. Shown while weight decay is on",
        ]
        for column, tip in enumerate(tips):
            header = self.horizontalHeaderItem(column)
            assert header is not None  # setHorizontalHeaderLabels made one per column
            header.setToolTip(tip)

    def show_rows(self, rows: list[tuple[str, float, float, float, float, float]]) -> None:
        """New numbers in the cells made once per layout (setItem costs ~0.6 ms a cell);
        the sort order the person chose is kept."""
        sorting = self.isSortingEnabled()
        self.setSortingEnabled(False)
        fresh = len(self.cells) != len(rows)
        if fresh:
            self.setRowCount(len(rows))
            self.cells = [[_Cell() for _ in PARAMETER_COLUMNS] for _ in rows]
            for r, cells in enumerate(self.cells):
                for c, cell in enumerate(cells):
                    self.setItem(r, c, cell)
        for r, (name, *numbers) in enumerate(rows):
            cells = self.cells[r]
            cells[0].show(name, float(r))
            for c, value in enumerate(numbers, start=1):
                cells[c].show(table_number(value), abs(value))
        self.setSortingEnabled(sorting)
        self.setColumnHidden(DECAY_COLUMN, all(row[DECAY_COLUMN] == 0 for row in rows))
        if fresh:
            self.resizeColumnsToContents()
