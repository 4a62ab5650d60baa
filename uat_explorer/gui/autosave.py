"""Crash safety: the work is written to the app-data folder every half minute, and the
next launch offers it back if the app did not close normally.

Each running window owns a lock file beside its autosave. Qt's QLockFile knows when the
process holding a lock has died, so an autosave whose lock can be taken belongs to a
session that crashed, while one whose lock is held belongs to another running window.
"""

from __future__ import annotations

import json
import time
import uuid
from dataclasses import dataclass
from pathlib import Path

from PySide6.QtCore import QLockFile, QObject, QStandardPaths, QTimer

from uat_explorer.core import Session, SessionError
from uat_explorer.core.files import atomic_write_text
from uat_explorer.model.state import AppState

INTERVAL_MS = 30_000


def autosave_folder() -> Path:
    base = QStandardPaths.writableLocation(QStandardPaths.StandardLocation.AppDataLocation)
    return Path(base) / "autosave"


@dataclass(frozen=True)
class Rescue:
    """An autosave left by a window that did not close normally."""

    file: Path
    session: Session
    path: Path | None  # the file the work belonged to, if any
    saved_at: float


class Autosaver(QObject):
    def __init__(self, state: AppState, document, parent=None) -> None:
        super().__init__(parent)
        self.state, self.document = state, document
        self.folder = autosave_folder()
        self.folder.mkdir(parents=True, exist_ok=True)
        name = f"session-{uuid.uuid4().hex}"
        self.file = self.folder / f"{name}.json"
        self.lock = QLockFile(str(self.folder / f"{name}.lock"))
        self.lock.tryLock(0)
        self._saved_revision = -1
        self.timer = QTimer(self, interval=INTERVAL_MS)
        self.timer.timeout.connect(self.save)
        self.timer.start()

    def save(self) -> None:
        """Write the work if it changed since the last autosave (and has unsaved edits)."""
        if not self.document.modified:
            self.discard()
            return
        if self.state.revision == self._saved_revision:
            return
        record = {
            "saved_at": time.time(),
            "path": str(self.document.path) if self.document.path else None,
            "session": self.state.session.to_dict(),
        }
        try:
            atomic_write_text(self.file, json.dumps(record, allow_nan=False))
        except (OSError, ValueError):
            return  # a full disk must not interrupt the work; the next tick retries
        self._saved_revision = self.state.revision

    def discard(self) -> None:
        self.file.unlink(missing_ok=True)
        self._saved_revision = -1

    def close(self) -> None:
        """A normal exit: nothing to rescue."""
        self.timer.stop()
        self.discard()
        self.lock.unlock()


def rescues(own: Autosaver | None = None) -> list[Rescue]:
    """Autosaves of windows that crashed, newest first; unreadable ones are removed."""
    found = []
    folder = autosave_folder()
    for file in sorted(folder.glob("session-*.json")) if folder.is_dir() else []:
        if own is not None and file == own.file:
            continue
        lock = QLockFile(str(file.with_suffix(".lock")))
        if not lock.tryLock(0):
            continue  # another window is running and owns it
        lock.unlock()
        try:
            record = json.loads(file.read_text(encoding="utf-8"))
            session = Session.from_dict(record["session"])
            path = Path(record["path"]) if record.get("path") else None
            found.append(Rescue(file, session, path, float(record["saved_at"])))
        except (OSError, ValueError, KeyError, TypeError, SessionError):
            file.unlink(missing_ok=True)
    return sorted(found, key=lambda r: r.saved_at, reverse=True)


def forget(rescue: Rescue) -> None:
    rescue.file.unlink(missing_ok=True)
    rescue.file.with_suffix(".lock").unlink(missing_ok=True)
