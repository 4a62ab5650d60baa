"""The lessons that come with the app, one per idea, as files a teacher can read and copy
(``uat_explorer/resources/lessons/*.lesson.md``)."""

from __future__ import annotations

from importlib import resources
from pathlib import Path

from uat_explorer.core.errors import InputError
from uat_explorer.core.lessons import SUFFIX
from uat_explorer.core.lessons.lesson import Lesson
from uat_explorer.core.lessons.parser import load_lesson


def lesson_folder() -> Path:
    return Path(str(resources.files("uat_explorer") / "resources" / "lessons"))


def builtin_paths() -> list[Path]:
    """In teaching order: the files are numbered."""
    return sorted(lesson_folder().glob(f"*{SUFFIX}"))


def builtin_lessons() -> list[Lesson]:
    return [load_lesson(path) for path in builtin_paths()]


def find_lesson(name_or_path: str) -> Lesson:
    """A built-in lesson by name (its file name without the number and ``.lesson.md``,
    or with them), or any lesson file by path."""
    for path in builtin_paths():
        stem = path.name.removesuffix(SUFFIX)
        if name_or_path in (stem, stem.split("-", 1)[-1], path.name):
            return load_lesson(path)
    path = Path(name_or_path)
    if path.suffix or path.exists():
        return load_lesson(path)
    known = ", ".join(p.name.removesuffix(SUFFIX).split("-", 1)[-1] for p in builtin_paths())
    raise InputError(f"no lesson called {name_or_path!r} (built in: {known}; or give a file)")
