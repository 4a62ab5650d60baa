"""Crash safety: the work is written to the app-data folder every half minute, and the
next launch offers it back if the app did not close normally.

Each running window owns a lock file beside its autosave. Qt's QLockFile knows when the
process holding a lock has died, so an autosave whose lock can be taken belongs to a
session that crashed, while one whose lock is held belongs to another running window.
"""

from __future__ import annotations

import contextlib
import json
import time
import uuid
from dataclasses import dataclass
from pathlib import Path

from PySide6.QtCore import QLockFile, QObject, QStandardPaths, QTimer, Signal

from uat_explorer.core import Session, SessionError
from uat_explorer.core.files import atomic_write_text
from uat_explorer.gui.files.session_file import Document
from uat_explorer.model.state import AppState
from uat_explorer.qt import props

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
    """Writes the work every INTERVAL_MS. If the folder cannot be made, autosave is off
    (``problem`` says why); a failed write is said once and retried at the next tick."""

    failed = Signal(str)  # a sentence for the status bar, once per stretch of failures

    def __init__(self, state: AppState, document: Document, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.state, self.document = state, document
        self.folder = autosave_folder()
        self.problem: str | None = None
        self._failing = False
        self._saved_revision = -1
        name = f"session-{uuid.uuid4().hex}"
        self.file = self.folder / f"{name}.json"
        self.lock = QLockFile(str(self.folder / f"{name}.lock"))
        self.timer = props(QTimer(self), interval=INTERVAL_MS)
        self.timer.timeout.connect(self.save)
        try:
            self.folder.mkdir(parents=True, exist_ok=True)
        except OSError as error:
            self.problem = (
                f"Autosave is off: its folder {self.folder} cannot be made"
                f" ({error.strerror or error}). Save your work with Ctrl+S."
            )
            return
        self.lock.tryLock(0)
        self.timer.start()

    def save(self) -> None:
        """Write the work if it changed since the last autosave (and has unsaved edits)."""
        if self.problem is not None:
            return
        if not self.document.modified:
            self.discard()
            return
        if self.state.document.revision == self._saved_revision:
            return
        try:
            record = {
                "saved_at": time.time(),
                "path": str(self.document.path) if self.document.path else None,
                "session": self.state.document.session.to_dict(),
            }
            atomic_write_text(self.file, json.dumps(record, allow_nan=False))
        except (OSError, ValueError) as error:  # a full disk must not interrupt the work
            if not self._failing:
                self._failing = True
                reason = error.strerror if isinstance(error, OSError) else str(error)
                self.failed.emit(f"Autosave failed ({reason}); it will try again.")
            return
        self._failing = False
        self._saved_revision = self.state.document.revision

    def discard(self) -> None:
        with contextlib.suppress(OSError):
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
    _remove_stale_locks(folder)
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


def _remove_stale_locks(folder: Path) -> None:
    """Lock files of dead processes whose autosave is gone (a clean exit after a crash
    of the lock's owner) block nothing, but they pile up."""
    try:
        locks = list(folder.glob("session-*.lock")) if folder.is_dir() else []
    except OSError:
        return
    for path in locks:
        if path.with_suffix(".json").exists():
            continue
        lock = QLockFile(str(path))
        if lock.tryLock(0):  # its owner is dead (QLockFile knows)
            lock.unlock()
            with contextlib.suppress(OSError):
                path.unlink(missing_ok=True)


def forget(rescue: Rescue) -> None:
    rescue.file.unlink(missing_ok=True)
    rescue.file.with_suffix(".lock").unlink(missing_ok=True)
