"""What opening the window imports: launch pays only for what the first view shows.

Run in a fresh interpreter (this one has imported everything already): the command
line's own modules, the export machinery and the lessons' wait until first used.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

from uat_explorer.core.nn.kernels import choose

OPEN_THE_WINDOW = """
import json, os, sys
import uat_explorer.cli
from PySide6.QtWidgets import QApplication
app = QApplication([])
from uat_explorer.gui import MainWindow
window = MainWindow()
window.show()
app.processEvents()
print(json.dumps(sorted(sys.modules)))
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
    # What the first frame does not need, yet cost launch 3-9 ms each (issue 23): the
    # default network's random draw, OpenSSL for a digest of the CPU's flags and a seed.
    "numpy.random",
    "hashlib",
    "secrets",
)


def _modules_after_opening(cache: Path) -> set[str]:
    """With this machine's kernels already chosen (the first process ever measures them,
    with numpy's random numbers)."""
    choose(cache / "uat-explorer" / "kernels.json")
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen", "XDG_CACHE_HOME": str(cache)}
    done = subprocess.run(
        [sys.executable, "-c", OPEN_THE_WINDOW],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=True,
    )
    return set(json.loads(done.stdout.strip().splitlines()[-1]))


def test_the_window_opens_without_the_command_line_exports_or_lessons(tmp_path) -> None:
    loaded = _modules_after_opening(tmp_path)
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
