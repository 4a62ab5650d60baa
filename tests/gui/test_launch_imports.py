"""What opening the window imports: launch pays only for what the first view shows.

Run in a fresh interpreter (this one has imported everything already): the command
line's own modules, the export machinery and the lessons' wait until first used.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys

OPEN_THE_WINDOW = """
import json, os, sys
import uat_explorer.cli
from PySide6.QtWidgets import QApplication
app = QApplication([])
from uat_explorer.gui import MainWindow
window = MainWindow()
window.show()
app.processEvents()
print(json.dumps(sorted(name for name in sys.modules if name.startswith("uat_explorer"))))
sys.stdout.flush()
os._exit(0)  # no teardown: the window outliving the QApplication is not what is tested
"""

NOT_AT_LAUNCH = (
    "uat_explorer.cli.common",
    "uat_explorer.cli.fit_command",
    "uat_explorer.cli.lesson_command",
    "uat_explorer.export.figures",
    "uat_explorer.export.offline",
    "uat_explorer.gui.files.exporter",
    "uat_explorer.gui.files.slides",
    "uat_explorer.core.lessons.parser",
    "uat_explorer.core.lessons.builtin",
    "uat_explorer.core.lessons.lesson",
    "uat_explorer.core.lessons.writer",
    "uat_explorer.gui.lessons.lesson_panel",
)


def _modules_after_opening() -> set[str]:
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen"}
    done = subprocess.run(
        [sys.executable, "-c", OPEN_THE_WINDOW],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=True,
    )
    return set(json.loads(done.stdout.strip().splitlines()[-1]))


def test_the_window_opens_without_the_command_line_exports_or_lessons() -> None:
    loaded = _modules_after_opening()
    assert "uat_explorer.gui.main_window" in loaded  # it did open the window
    assert not loaded & set(NOT_AT_LAUNCH)


def test_a_lesson_still_opens_from_the_menu(window, qtbot) -> None:
    """The panel made on first use is wired like the one made at start was."""
    from uat_explorer.core.lessons.builtin import builtin_lessons

    lesson = builtin_lessons()[0]
    said: list[str] = []
    window.lessons.said = said.append
    assert window.lessons.lesson is None and window.lessons._panel is None
    window.lessons.open(lesson)
    assert window.lessons.lesson is lesson
    assert window.docks["lesson"].isVisible()
    assert window.docks["lesson"].windowTitle() == f"Lesson: {lesson.title}"
    assert window.lessons.close_action.isEnabled()
