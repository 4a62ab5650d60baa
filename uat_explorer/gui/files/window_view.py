"""The window's view as a session keeps it (version 3): the workspace, the open panels,
each panel's choices and the presentation scale, taken when saving and brought back when
opening, so a lesson file reopens exactly as it was left."""

from __future__ import annotations

from typing import Any, Protocol

from PySide6.QtGui import QAction
from PySide6.QtWidgets import QDockWidget, QWidget

from uat_explorer.core.io.view import PANELS, ViewSettings
from uat_explorer.gui.panels.context import KeepsChoices
from uat_explorer.gui.panels.registry import PANELS as REGISTERED
from uat_explorer.gui.panels.registry import PanelContents
from uat_explorer.gui.workspaces import Workspaces
from uat_explorer.model.state import AppState


class ViewedWindow(Protocol):
    """What of the main window its view is made of."""

    state: AppState
    workspaces: Workspaces
    docks: dict[str, QDockWidget]
    panels: PanelContents
    toggles: dict[str, dict[str, QAction]]
    """The choices that are menu toggles ("plot", "loss"), by choice name."""

    @property
    def compare_window(self) -> QWidget | None: ...


class WindowView:
    """Takes and restores a window's ``ViewSettings``. Choices for a window not made yet
    (the race window) wait until it is."""

    def __init__(self, window: ViewedWindow) -> None:
        self.window = window
        self.waiting: dict[str, dict[str, Any]] = {}

    def take(self) -> ViewSettings:
        window = self.window
        view = window.state.view
        opened = [n for n in PANELS if window.docks[n].toggleViewAction().isChecked()]
        choices = {
            key: {name: action.isChecked() for name, action in actions.items()}
            for key, actions in window.toggles.items()
        }
        for panel in REGISTERED:
            content = window.panels.built(panel)
            if isinstance(content, KeepsChoices):
                choices[content.choice_key] = content.choices()
        race = window.compare_window
        if isinstance(race, KeepsChoices):
            choices[race.choice_key] = race.choices()
        elif "race" in self.waiting:
            choices["race"] = self.waiting["race"]
        scale = view.presentation_scale if view.presenting else None
        return ViewSettings(window.workspaces.current or None, opened, choices, scale)

    def restore(self, settings: ViewSettings) -> None:
        """Each part that was saved; what was not (an older file) stays as it is, and so
        does presentation mode when the file was saved without it."""
        window = self.window
        if settings.scale is not None:
            window.state.view.set_presenting(True, settings.scale)
        if settings.workspace is not None:
            window.workspaces.show(settings.workspace)
        if settings.open is not None:
            for name in PANELS:  # the lesson's dock is the lesson's, not the file's
                dock = window.docks[name]
                wanted = name in settings.open
                if dock.toggleViewAction().isChecked() != wanted:
                    dock.setVisible(wanted)
        by_key = {panel.name: panel for panel in REGISTERED}
        for key, choices in settings.choices.items():
            if key in window.toggles:
                for name, on in choices.items():
                    if name in window.toggles[key]:  # a series this version does not draw
                        window.toggles[key][name].setChecked(bool(on))
            elif key in by_key:
                content = window.panels.get(by_key[key])
                if isinstance(content, KeepsChoices):
                    content.restore_choices(choices)
            else:
                self.waiting[key] = choices
        self.restore_waiting()

    def restore_waiting(self) -> None:
        """The race window, once it exists, takes the choices kept for it."""
        race = self.window.compare_window
        if isinstance(race, KeepsChoices) and race.choice_key in self.waiting:
            race.restore_choices(self.waiting.pop(race.choice_key))
