"""Call a function at most once per interval, never losing the last call."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QObject, QTimer


class Throttle(QObject):
    """The first call runs at once (a hand edit feels instant); calls during the next
    ``interval_ms`` collapse into one at its end (a training frame stays cheap)."""

    def __init__(self, interval_ms: int, fn: Callable[[], None], parent: QObject) -> None:
        super().__init__(parent)
        self._fn = fn
        self._pending = False
        self._timer = QTimer(self, singleShot=True, interval=interval_ms)
        self._timer.timeout.connect(self._fire)

    def __call__(self) -> None:
        if self._timer.isActive():
            self._pending = True
            return
        self._fn()
        self._timer.start()

    def _fire(self) -> None:
        if self._pending:
            self._pending = False
            self._fn()
            self._timer.start()
