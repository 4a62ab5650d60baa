"""The session as a document: its file, whether it has unsaved changes, recent files."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import QObject, QSettings, Signal

from uat_explorer.core import Session
from uat_explorer.core.files import absolute
from uat_explorer.core.io.view import ViewSettings
from uat_explorer.model.state import AppState

MAX_RECENT = 8


class Document(QObject):
    """Modified means: the undo history moved since the last save, or a training setting
    changed (training settings are not undo steps, but they are saved).

    ``preferences`` (QSettings) keep the recent files between runs; None keeps nothing.
    """

    changed = Signal()  # the path or the modified flag
    viewOpened = Signal(object)  # the ViewSettings of a session opened or restored

    def __init__(
        self, state: AppState, preferences: QSettings | None, parent: QObject | None = None
    ) -> None:
        super().__init__(parent)
        self.state = state
        self.preferences = preferences
        self.path: Path | None = None
        self.view_source: Callable[[], ViewSettings] | None = None
        """What the window shows, saved with the session (None: the session's own)."""
        self._training_settings_dirty = False
        state.editor.undo_stack.cleanChanged.connect(lambda _: self.changed.emit())
        state.document.settingsChanged.connect(self._training_settings_changed)

    @property
    def modified(self) -> bool:
        return self._training_settings_dirty or not self.state.editor.undo_stack.isClean()

    @property
    def name(self) -> str:
        return self.path.name if self.path else "Untitled"

    def _training_settings_changed(self) -> None:
        if not self._training_settings_dirty:
            self._training_settings_dirty = True
            self.changed.emit()

    def mark_saved(self, path: Path | None) -> None:
        self.path = path
        self.state.editor.undo_stack.setClean()
        self._training_settings_dirty = False
        self.changed.emit()

    def new(self, session: Session) -> None:
        self.state.editor.reset(session)
        self.mark_saved(None)

    def restore(self, session: Session, path: Path | None) -> None:
        """Work rescued from an autosave: it belongs to ``path`` but is not saved there."""
        self.state.editor.reset(session)
        self.path = path
        self._training_settings_dirty = True
        self.changed.emit()
        self.viewOpened.emit(session.view)

    def open(self, path: str | Path) -> None:
        """Load a session; raises SessionError (an InputError) and changes nothing if the
        file cannot be used."""
        path = Path(path)
        session = Session.load(path)
        self.state.editor.reset(session)
        self.mark_saved(path)
        self.remember(path)
        self.viewOpened.emit(session.view)

    def save(self, path: str | Path | None = None) -> None:
        """Save atomically; raises OSError (the previous file is intact) if it fails."""
        path = Path(path) if path is not None else self.path
        if path is None:
            raise ValueError("no file to save to: use save(path)")
        session = self.state.document.session
        if self.view_source is not None:
            session.view = self.view_source()
        session.save(path)
        self.mark_saved(path)
        self.remember(path)

    # -- recent files -------------------------------------------------------------------
    def recent(self) -> list[Path]:
        if self.preferences is None:
            return []
        value = self.preferences.value("recentFiles", [])
        # QSettings hands one value back as a str, several as a list.
        paths = [value] if isinstance(value, str) else value if isinstance(value, list) else []
        return [Path(p) for p in paths]

    def remember(self, path: Path) -> None:
        if self.preferences is None:
            return
        paths = [str(absolute(path))] + [str(p) for p in self.recent() if p != absolute(path)]
        self.preferences.setValue("recentFiles", paths[:MAX_RECENT])

    def forget(self, path: Path | None = None) -> None:
        if self.preferences is None:
            return
        paths = [] if path is None else [str(p) for p in self.recent() if p != path]
        self.preferences.setValue("recentFiles", paths)
