"""Small Qt helpers: properties set by name at construction, typed; one slot on many
signals; a redraw throttled or debounced to a timer.

Qt accepts ``QLabel(objectName="x", wordWrap=True)``, but PySide6's stubs reject such
keywords, so a type checker could not see the rest of the call. ``props`` sets them
through their setters instead (``setObjectName``, ``setWordWrap``, …): the names are
checked against ``Props``, and a property the object lacks fails at once.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any, TypedDict, TypeVar, Unpack

from PySide6.QtCore import QEvent, QObject, Qt, QTimer, SignalInstance
from PySide6.QtWidgets import QComboBox, QHBoxLayout, QWidget

Obj = TypeVar("Obj", bound=QObject)


class Props(TypedDict, total=False):
    """The properties this app sets at construction."""

    objectName: str
    toolTip: str
    statusTip: str
    wordWrap: bool
    checkable: bool
    checked: bool
    enabled: bool
    keyboardTracking: bool
    readOnly: bool
    singleShot: bool
    widgetResizable: bool
    interval: int
    minimum: Any
    maximum: Any
    value: Any
    singleStep: Any
    decimals: int
    text: str
    prefix: str
    suffix: str
    specialValueText: str
    alignment: Qt.AlignmentFlag
    frameShape: Any


def props(obj: Obj, **values: Unpack[Props]) -> Obj:
    """``obj`` with each property set through its setter (``setX`` for ``x``)."""
    for name, value in values.items():
        getattr(obj, "set" + name[0].upper() + name[1:])(value)
    return obj


def choice_box(items: Mapping[str, str], **values: Unpack[Props]) -> QComboBox:
    """A combo box of ``items`` (each name shown as its label, the name its data), its
    properties set as ``props`` sets them: every menu of named choices here."""
    box = props(QComboBox(), **values)
    for name, label in items.items():
        box.addItem(label, name)
    return box


def row(*widgets: QWidget, stretch: QWidget | None = None) -> QHBoxLayout:
    """``widgets`` side by side, ``stretch`` taking the room the others leave."""
    layout = QHBoxLayout()
    for widget in widgets:
        layout.addWidget(widget, 1 if widget is stretch else 0)
    return layout


class _WhenShown(QObject):
    def __init__(self, widget: QWidget, slot: Callable[[], object]) -> None:
        super().__init__(widget)
        self._slot = slot
        widget.installEventFilter(self)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.Show:
            QTimer.singleShot(0, self._slot)
        return False


def when_shown(widget: QWidget, slot: Callable[[], object]) -> None:
    """``slot`` run just after ``widget`` is shown, each time: not inside the show event,
    where an exception would abort PySide6 (a slot's is only reported)."""
    _WhenShown(widget, slot)


def connect(slot: Callable[..., object], *signals: SignalInstance) -> None:
    """Every one of ``signals`` to the one ``slot``: what a view redraws on."""
    for signal in signals:
        signal.connect(slot)


class Throttled(QObject):
    """``func`` run at once when called, then at most once every ``ms`` (a call in
    between runs when the time is up), with no arguments (those a signal passes are
    dropped): a redraw that keeps up with training without running on every frame.
    With ``debounce`` it runs only once the calls have stopped for ``ms``.

    What superqt's ``qthrottled`` and ``qdebounced`` did here, without importing
    superqt.utils (~100 ms at launch through qtpy)."""

    def __init__(
        self, func: Callable[[], object], ms: int, parent: QObject, debounce: bool = False
    ) -> None:
        super().__init__(parent)
        self._func = func
        self._debounce = debounce
        self._pending = False
        self._timer = props(QTimer(self), singleShot=True, interval=ms)
        self._timer.setTimerType(Qt.TimerType.PreciseTimer)
        self._timer.timeout.connect(self._time_up)

    def __call__(self, *_args: object) -> None:
        self._pending = True
        if self._debounce:
            self._timer.start()  # restarted by every call
        elif not self._timer.isActive():
            self._run()

    def _run(self) -> None:
        self._pending = False
        self._func()
        self._timer.start()  # the interval counts from the end of this run

    def _time_up(self) -> None:
        if self._pending:
            self._run()


def throttled(func: Callable[[], object], ms: int, parent: QObject) -> Throttled:
    return Throttled(func, ms, parent)


def debounced(func: Callable[[], object], ms: int, parent: QObject) -> Throttled:
    return Throttled(func, ms, parent, debounce=True)
