"""Qt properties set by name at construction, typed.

Qt accepts ``QLabel(objectName="x", wordWrap=True)``, but PySide6's stubs reject such
keywords, so a type checker could not see the rest of the call. ``props`` sets them
through their setters instead (``setObjectName``, ``setWordWrap``, …): the names are
checked against ``Props``, and a property the object lacks fails at once.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypedDict, TypeVar, Unpack

from PySide6.QtCore import QObject, Qt, SignalInstance

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
    alignment: Qt.AlignmentFlag
    frameShape: Any


def props(obj: Obj, **values: Unpack[Props]) -> Obj:
    """``obj`` with each property set through its setter (``setX`` for ``x``)."""
    for name, value in values.items():
        getattr(obj, "set" + name[0].upper() + name[1:])(value)
    return obj


def connect(slot: Callable[..., object], *signals: SignalInstance) -> None:
    """Every one of ``signals`` to the one ``slot``: what a view redraws on."""
    for signal in signals:
        signal.connect(slot)
