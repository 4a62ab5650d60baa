"""A line in a panel for what just happened: an export written, a step refused."""

from __future__ import annotations

from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QLabel, QWidget

from uat_explorer.qt import props

SHOWN_MS = 8000


class NoticeLabel(QLabel):
    """``say(text, problem)``: shown for a while (problems in red), then gone."""

    def __init__(self, object_name: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName(object_name)
        self.setWordWrap(True)
        self.hide()
        self._timer = props(QTimer(self), singleShot=True, interval=SHOWN_MS)
        self._timer.timeout.connect(self.hide)

    def say(self, text: str, problem: bool) -> None:
        self.setText(text)
        self.setStyleSheet("color: #d32f2f;" if problem else "")
        self.show()
        self._timer.start()  # a new notice gets its own full time
