"""How far a student got in each lesson, and a challenge's best score, kept between runs
(QSettings) or for this run only (scripts and tests)."""

from __future__ import annotations

import hashlib
from pathlib import Path

from PySide6.QtCore import QSettings


def lesson_key(path: Path | None, title: str) -> str:
    """One key per lesson file (its absolute path), short enough for any settings store."""
    source = str(path.resolve()) if path is not None else title
    return hashlib.sha1(source.encode("utf-8")).hexdigest()[:16]


class LessonProgress:
    def __init__(self, settings: QSettings | None) -> None:
        self.settings = settings
        self._kept: dict[str, object] = {}

    def _get(self, key: str) -> object:
        if self.settings is not None:
            return self.settings.value(key)
        return self._kept.get(key)

    def _set(self, key: str, value: object) -> None:
        if self.settings is not None:
            self.settings.setValue(key, value)
        else:
            self._kept[key] = value

    def step(self, lesson: str) -> int:
        """The step the student was on (0 if never opened)."""
        value = self._get(f"lessons/{lesson}/step")
        try:
            return max(0, int(str(value))) if value is not None else 0
        except ValueError:
            return 0

    def set_step(self, lesson: str, step: int) -> None:
        self._set(f"lessons/{lesson}/step", step)

    def passed(self, lesson: str) -> set[int]:
        """The steps whose check passed at least once."""
        value = self._get(f"lessons/{lesson}/passed")
        text = str(value) if value else ""
        return {int(part) for part in text.split(",") if part.isdigit()}

    def mark_passed(self, lesson: str, step: int) -> None:
        done = self.passed(lesson) | {step}
        self._set(f"lessons/{lesson}/passed", ",".join(map(str, sorted(done))))

    def best(self, lesson: str, step: int) -> float | None:
        value = self._get(f"lessons/{lesson}/best/{step}")
        try:
            return float(str(value)) if value is not None else None
        except ValueError:
            return None

    def keep_best(self, lesson: str, step: int, score: float) -> bool:
        """True if ``score`` is a new best (lower is better)."""
        best = self.best(lesson, step)
        if best is not None and best <= score:
            return False
        self._set(f"lessons/{lesson}/best/{step}", score)
        return True

    def recent(self) -> list[Path]:
        """Lesson files opened before that are not built in, newest first."""
        value = self._get("lessons/recent")
        paths = [value] if isinstance(value, str) else value if isinstance(value, list) else []
        return [Path(p) for p in paths if isinstance(p, str) and p]

    def remember(self, path: Path) -> None:
        paths = [str(path.resolve())] + [str(p) for p in self.recent() if p != path.resolve()]
        self._set("lessons/recent", paths[:8])
