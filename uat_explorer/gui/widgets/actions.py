"""Menu actions that say their keys and their purpose (status tip and tooltip)."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QObject
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QMenu

from uat_explorer.qt import props

Keys = QKeySequence.StandardKey | str | list[str] | None


def add_action(
    menu: QMenu,
    owner: QObject,
    text: str,
    slot: Callable[[], object],
    keys: Keys = None,
    tip: str = "",
    name: str = "",
) -> QAction:
    """An action in ``menu``, owned by ``owner`` (its shortcut works while owner's window
    is active); ``name`` is its objectName for tests and scripts."""
    action = props(QAction(text, owner), objectName=name or "")
    if isinstance(keys, list):
        action.setShortcuts([QKeySequence(k) for k in keys])
    elif keys is not None:
        action.setShortcut(QKeySequence(keys))
    action.setStatusTip(tip)
    action.setToolTip(tip or text)
    action.triggered.connect(lambda _checked=False: slot())
    menu.addAction(action)
    return action


def add_toggle(
    menu: QMenu,
    owner: QObject,
    text: str,
    slot: Callable[[bool], object],
    checked: bool,
    keys: str | None = None,
    tip: str = "",
) -> QAction:
    """A checkable action calling ``slot(on)``."""
    action = props(QAction(text, owner), checkable=True, checked=checked)
    if keys:
        action.setShortcut(QKeySequence(keys))
    action.setStatusTip(tip)
    action.toggled.connect(slot)
    menu.addAction(action)
    return action
