"""Lessons in the window, taken as a student would: each built-in lesson walked step by
step (the start fails its check, Show me passes it), progress kept, lessons written
from the window and read back, damaged files refused, the handout."""

from __future__ import annotations

import shutil
import subprocess

import pytest
from PySide6.QtWidgets import QLabel, QPushButton

from uat_explorer.core.lessons.builtin import builtin_paths, find_lesson
from uat_explorer.core.lessons.checks import trains
from uat_explorer.core.lessons.lesson import Check, Step


def button(window, name: str) -> QPushButton:
    return window.findChild(QPushButton, name)


def settled_check(qtbot, window):
    """The check's result once it is in (a training check runs in a worker)."""
    runner = window.lessons.runner
    step = runner.step
    if step.check is not None and trains(step.check):
        qtbot.waitUntil(lambda: not runner.checks.busy, timeout=5000)
        button(window, "lessonCheckButton").click()
    qtbot.waitUntil(lambda: runner.result is not None and not runner.checks.busy, timeout=30_000)
    return runner.result


@pytest.mark.parametrize("path", builtin_paths(), ids=lambda p: p.name.split(".")[0])
def test_every_builtin_lesson_walks_in_the_window(qtbot, window, path):
    lessons = window.lessons
    lesson = find_lesson(str(path))
    lessons.open(lesson, 0)
    runner = lessons.runner
    assert window.docks["lesson"].isVisible()
    check_label = window.findChild(QLabel, "lessonCheckLabel")
    for index, step in enumerate(lesson.steps):
        assert runner.index == index
        if step.workspace is not None:
            assert window.workspaces.current == step.workspace
        if step.classes:  # taken in the classes window, which shows the step
            classes = window.classes_window
            assert classes.isVisible() and step.heading in classes.lesson.text()
        if step.check is not None:
            assert not settled_check(qtbot, window).passed, (step.heading, "passes unchanged")
            assert check_label.text().startswith("✗")
            assert button(window, "lessonNextButton").isEnabled() == (not step.required)
        if step.solution is not None and step.show_me:
            button(window, "lessonShowButton").click()
            assert window.training.wait_until_idle(60)
            if step.classes:  # trains live in the classes window, then pauses
                qtbot.waitUntil(lambda: not window.classes_window.train.isChecked(), timeout=60_000)
            runner.result = None
            runner.check_live(force=True)
            if step.check is not None:
                result = settled_check(qtbot, window)
                assert result.passed, (step.heading, result.message)
                qtbot.waitUntil(lambda: check_label.text().startswith("✓"))
                assert button(window, "lessonNextButton").isEnabled()
        elif step.check is not None:
            assert not button(window, "lessonShowButton").isEnabled()  # the challenge
            break
        button(window, "lessonNextButton").click()
    window.files.document.mark_saved(None)
    if window.classes_window is not None:
        window.classes_window.file.begin(None)


def test_entering_a_step_is_one_undo_step_and_progress_is_kept(qtbot, window):
    before = window.state.document.network.copy()
    lesson = find_lesson("neuron")
    window.lessons.open(lesson)
    assert window.state.document.network != before
    window.state.editor.undo_stack.undo()
    assert window.state.document.network == before
    window.lessons.runner.enter(2)
    window.lessons.runner.close()
    window.lessons.open(lesson)  # resumes where the student was
    assert window.lessons.runner.index == 2


def test_a_lesson_written_from_the_window_reads_back_the_same(qtbot, window, tmp_path):
    window.workspaces.show("train")
    made = Step("My step", "Turn *c* up.", 0, check=Check("loss_below", {"value": 0.01}))
    path = tmp_path / "mine.lesson.md"
    assert window.lessons.write_new(path, "My lesson", made)
    runner = window.lessons.runner
    assert runner.lesson is not None and runner.lesson.title == "My lesson"
    first = runner.lesson.steps[0]
    assert first.heading == "My step" and first.check == made.check
    assert first.workspace == "train" and first.start == "empty"
    window.stack.add("relu")
    assert window.lessons.append(Step("Second", "More.", 0))
    again = find_lesson(str(path))
    assert [s.heading for s in again.steps] == ["My step", "Second"]
    assert again.steps[1].setup.neurons is not None
    assert len(again.steps[1].setup.neurons) == len(again.steps[0].setup.neurons) + 1
    assert runner.index == 1


def test_a_step_from_drawn_points_starts_from_a_session_beside_the_lesson(window, tmp_path):
    csv = tmp_path / "points.csv"
    csv.write_text("x,y\n0,0\n0.5,1\n1,0\n")
    assert window.open_path(str(csv))
    path = tmp_path / "data.lesson.md"
    assert window.lessons.write_new(path, "Data", Step("Fit the points", "", 0))
    step = find_lesson(str(path)).steps[0]
    assert step.start == "session:data-step-1.json"
    assert (tmp_path / "data-step-1.json").exists()


@pytest.mark.parametrize(
    ("text", "reason"),
    [
        ('# T\n\n## S\n\n```lesson\n[check]\nkind = "output_near"\n```\n', "line 7"),
        ("# T\n\n## S\n\n```lesson\nstart = \n```\n", "not valid TOML"),
        ('# T\n\n## S\n\n```lesson\nstart = "session:missing.json"\n```\n', "missing.json"),
        ('# T\n\n## S\n\n```lesson\nstart = "session:../x.json"\n```\n', "outside"),
        ("# T\n\n" + "x" * 1_100_000, "at most 1,000,000 bytes"),
    ],
)
def test_a_damaged_lesson_is_refused_and_nothing_changes(
    qtbot, window, tmp_path, dialogs, text, reason
):
    path = tmp_path / "bad.lesson.md"
    path.write_text(text)
    before = window.state.document.session.to_dict()
    opened = window.open_path(str(path))
    if opened:  # a missing session is found when the step starts
        assert window.lessons.runner.result is None
    else:
        assert reason in dialogs[-1][1]
    assert window.state.document.session.to_dict() == before


def test_opening_a_lesson_file_by_file_open_and_the_start_list(qtbot, window, monkeypatch):
    path = builtin_paths()[1]
    from PySide6.QtWidgets import QFileDialog

    monkeypatch.setattr(QFileDialog, "getOpenFileName", lambda *a, **k: (str(path), ""))
    window.files.ask_open()
    assert window.lessons.runner.lesson.path == path
    window.lessons.runner.close()
    panel = window.lessons.panel
    assert panel.start_list.isVisibleTo(panel) and panel.start_list.count() == len(builtin_paths())
    panel.start_list.itemActivated.emit(panel.start_list.item(0))
    assert window.lessons.runner.lesson.path == builtin_paths()[0]


@pytest.mark.skipif(shutil.which("pdftotext") is None, reason="needs poppler-utils")
def test_the_handout_from_the_window(qtbot, window, tmp_path):
    window.lessons.open(find_lesson("superposition"), 0)
    out = tmp_path / "handout.pdf"
    assert window.lessons.write_handout(str(out))
    text = subprocess.run(["pdftotext", str(out), "-"], capture_output=True, text=True).stdout
    assert "Superposition" in text and "Step 1 of 4" in text


def test_the_lesson_menu_and_help_open_the_library(window, monkeypatch):
    from uat_explorer.gui.lessons.library import LessonLibrary

    shown = []
    monkeypatch.setattr(LessonLibrary, "exec", lambda self: shown.append(self.list.count()) or 0)
    help_actions = [a.objectName() for a in window.help_menu.actions()]
    assert "lessonsAction" in help_actions
    window.lessons.choose()
    assert shown == [len(builtin_paths())]


def test_the_step_dialog_reads_its_check_off_the_window_and_refuses_bad_toml(window):
    from uat_explorer.gui.lessons.author import StepDialog

    dialog = StepDialog(window.state.document.session, "train", window, title="")
    dialog.lesson_title.setText("Mine")
    dialog.heading.setText("Lower the loss")
    dialog.kind.setCurrentText("loss_below")
    assert dialog.check.toPlainText().startswith('kind = "loss_below"\nvalue = ')
    dialog.check.setPlainText('kind = "loss_below"\nvalue = ')
    dialog.accept()
    assert dialog.made is None and "line 2 of the check" in dialog.problem.text()
    dialog.check.setPlainText('kind = "loss_below"\nvalue = 0.001')
    dialog.accept()
    assert dialog.made is not None and dialog.made.check.values == {"value": 0.001}


def test_a_one_step_lesson_is_listed_as_one_step(qtbot, window):
    """Seen on the first launch's start list: "Challenge: design the function (1 steps)"."""
    from PySide6.QtWidgets import QListWidget

    window.docks["lesson"].show()  # as the first launch shows it
    start = window.findChild(QListWidget, "lessonStartList")
    qtbot.waitUntil(lambda: start.count() > 0)
    texts = [start.item(i).text() for i in range(start.count())]
    assert "Challenge: design the function (1 step)" in texts
    assert "Superposition: curves that add up (4 steps)" in texts


def test_a_class_step_starts_in_the_classes_window_and_show_me_trains_exactly_its_steps(
    qtbot, window
):
    lesson = find_lesson("classes")
    window.lessons.open(lesson, 0)
    classes = window.classes_window
    runner = window.lessons.runner
    assert classes.isVisible() and classes.session().target.name == "threshold2"
    assert classes.session().step == 0
    qtbot.waitUntil(lambda: runner.result is not None)
    assert not runner.result.passed and "misclassified" in classes.lesson.text()
    button(window, "lessonShowButton").click()
    qtbot.waitUntil(lambda: not classes.train.isChecked(), timeout=60_000)
    assert classes.session().step == lesson.steps[0].solution.train_steps
    qtbot.waitUntil(lambda: runner.passed, timeout=5000)
    assert "✓" in classes.lesson.text()
    assert classes.file.undo_stack.undoText() == "Train 1,000 steps"
    classes.file.undo()
    assert classes.session().step == 0
    window.lessons.runner.close()
    assert not classes.lesson.isVisible()
    classes.file.begin(None)
    window.files.document.mark_saved(None)
