"""Lessons in the main window: the Lesson menu and Help → Lessons, opening a lesson file
(menu, File → Open, a drop, the command line), the dock kept beside every workspace,
the start screen of a first launch, writing lessons from the window, and the handout."""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QSettings, Qt, QTimer
from PySide6.QtWidgets import QDockWidget, QFileDialog, QMainWindow, QMenu, QMessageBox

from uat_explorer.core.errors import InputError
from uat_explorer.core.io.view import CHOICES, ViewSettings
from uat_explorer.core.lessons import SUFFIX
from uat_explorer.gui.files.window_view import WindowView
from uat_explorer.gui.widgets.actions import add_action
from uat_explorer.gui.workspaces import Workspaces

if TYPE_CHECKING:
    from uat_explorer.core.lessons.lesson import Lesson, Step
    from uat_explorer.gui.classes.window import ClassesWindow
    from uat_explorer.gui.lessons.author import StepDialog
    from uat_explorer.gui.lessons.lesson_panel import LessonPanel
    from uat_explorer.gui.lessons.lesson_runner import LessonRunner

LESSON_FILTER = "Lessons (*.lesson.md);;Markdown (*.md)"


def is_lesson_file(path: str | Path) -> bool:
    return str(path).lower().endswith(SUFFIX)


class Lessons:
    """The lesson panel (and the lesson machinery under it) is built the first time a
    lesson opens or its dock shows: most launches open none."""

    def __init__(
        self,
        window: QMainWindow,
        dock: QDockWidget,
        panel: Callable[[], LessonPanel],
        view: WindowView,
        workspaces: Workspaces,
        settings: QSettings | None,
    ) -> None:
        self.window, self.dock, self._make_panel = window, dock, panel
        self.view, self.workspaces, self.settings = view, workspaces, settings
        self._panel: LessonPanel | None = None
        self.said: Callable[[str], None] = lambda _text: None
        self.open_classes: Callable[[], ClassesWindow] | None = None
        dock.visibilityChanged.connect(lambda shown: shown and self.panel)
        workspaces.changed.connect(lambda _name: self._keep_dock())

    @property
    def panel(self) -> LessonPanel:
        """Built and wired on first use."""
        if self._panel is None:
            from uat_explorer.gui.lessons.progress import LessonProgress

            self._panel = panel = self._make_panel()
            runner = panel.runner
            runner.progress = LessonProgress(self.settings)
            runner.show_view = self._show_view
            runner.open_classes = self.open_classes
            runner.said.connect(self.said)
            runner.changed.connect(self._update_actions)
            panel.chooseLesson.connect(self.choose)
            panel.openLesson.connect(self.open_file)
        return self._panel

    @property
    def runner(self) -> LessonRunner:
        return self.panel.runner

    @property
    def lesson(self) -> Lesson | None:
        """The open lesson, without building the panel to say there is none."""
        return None if self._panel is None else self._panel.runner.lesson

    # -- the menus ----------------------------------------------------------------------
    def build_menu(self, menu: QMenu, help_menu: QMenu) -> None:
        window = self.window
        lessons = add_action(
            menu,
            window,
            "&Lessons…",
            self.choose,
            "Ctrl+Shift+J",
            "The lessons that come with the app, and those opened before",
            "lessonsAction",
        )
        add_action(menu, window, "&Open Lesson File…", self.ask_open, tip="A .lesson.md file")
        menu.addSeparator()
        add_action(
            menu,
            window,
            "&New Lesson from This Window…",
            self.new_lesson,
            tip="A lesson whose first step starts from what the window shows now",
            name="newLessonAction",
        )
        self.add_step_action = add_action(
            menu,
            window,
            "&Add Step…",
            self.add_step,
            tip="A step after the open lesson's last, starting from what the window shows now",
            name="addStepAction",
        )
        menu.addSeparator()
        self.handout_action = add_action(
            menu,
            window,
            "Export &Handout…",
            self.export_handout,
            tip="The open lesson as a PDF: a page per step with its task and a figure",
            name="handoutAction",
        )
        self.close_action = add_action(
            menu, window, "&Close Lesson", lambda: self.runner.close(), tip="Back to the sandbox"
        )
        first = help_menu.actions()
        if first:
            help_menu.insertAction(first[0], lessons)
        else:
            help_menu.addAction(lessons)
        self._update_actions()

    def _update_actions(self) -> None:
        lesson = self.lesson
        for action in (self.add_step_action, self.handout_action, self.close_action):
            action.setEnabled(lesson is not None)
        self.dock.setWindowTitle("Lesson" if lesson is None else f"Lesson: {lesson.title}")

    # -- opening ------------------------------------------------------------------------
    def choose(self) -> None:
        from uat_explorer.gui.lessons.library import LessonLibrary

        library = LessonLibrary(self.runner.progress, self.window)
        if library.exec() and library.chosen is not None:
            self.open_file(library.chosen)
        elif library.browse:
            self.ask_open()

    def welcome(self) -> None:
        """The first launch opens the lesson dock on its list of lessons (once, and
        without a dialog in the way: Help → Lessons brings the list back)."""
        if self.settings is None or self.settings.value("lessons/welcomed"):
            return
        self.settings.setValue("lessons/welcomed", True)
        self._keep_dock(force=True)

    def ask_open(self) -> None:
        path, _ = QFileDialog.getOpenFileName(
            self.window, "Open Lesson", str(Path.home()), LESSON_FILTER
        )
        if path:
            self.open_file(path)

    def open_file(self, path: str | Path) -> bool:
        """A damaged file is refused with its reason and line; nothing changes."""
        from uat_explorer.core.lessons.parser import load_lesson

        try:
            lesson = load_lesson(path)
        except InputError as error:
            QMessageBox.warning(
                self.window, "UAT Explorer", f"Could not open the lesson {Path(path).name}: {error}"
            )
            return False
        self.open(lesson)
        return True

    def open(self, lesson: Lesson, at: int | None = None) -> None:
        self._keep_dock(force=True)
        self.runner.open(lesson, at)

    def _show_view(self, settings: ViewSettings) -> None:
        self.view.restore(settings)
        self._keep_dock()

    def _keep_dock(self, force: bool = False) -> None:
        """A workspace lays out its own docks: the lesson's is put back whenever a lesson
        is open, at the left: above the neuron cards where they are (so the window stays
        within a 1280-pixel projector), else a column of its own."""
        if not force and self.lesson is None:
            return
        window = self.window
        placed = window.dockWidgetArea(self.dock) != Qt.DockWidgetArea.NoDockWidgetArea
        if placed and self.dock.isVisible():
            return
        self.workspaces.hold_width()
        if not self.dock.isFloating():
            left = Qt.DockWidgetArea.LeftDockWidgetArea
            neighbour = next(
                (
                    d
                    for d in window.findChildren(QDockWidget)
                    if d is not self.dock
                    and d.isVisible()
                    and window.dockWidgetArea(d) == left
                    and window.rect().contains(d.geometry())
                    and not window.tabifiedDockWidgets(d)
                ),
                None,
            )
            window.addDockWidget(left, self.dock, Qt.Orientation.Horizontal)
            if neighbour is not None:
                window.splitDockWidget(self.dock, neighbour, Qt.Orientation.Vertical)
        self.dock.show()
        self.dock.raise_()
        QTimer.singleShot(0, self._size_dock)

    def _size_dock(self) -> None:
        window, dock = self.window, self.dock
        below = [
            d
            for d in window.findChildren(QDockWidget)
            if d is not dock
            and d.isVisible()
            and window.dockWidgetArea(d) == window.dockWidgetArea(dock)
            and d.x() == dock.x()
        ]
        if below:
            height = window.height()
            window.resizeDocks(
                [dock, below[0]], [int(0.6 * height), int(0.4 * height)], Qt.Orientation.Vertical
            )
        else:
            window.resizeDocks([dock], [max(300, window.width() // 4)], Qt.Orientation.Horizontal)

    # -- writing --------------------------------------------------------------------------
    def _start_here(self, lesson_path: Path, number: int) -> Step:
        """A step starting from the window's state: inline when the target is a formula,
        else from a session saved beside the lesson."""
        from uat_explorer.core.lessons.lesson import Step
        from uat_explorer.core.lessons.writer import state_change

        session = self.runner.state.document.session
        change = state_change(session)
        if change is not None:
            return Step("", "", 0, start="empty", setup=change)
        name = f"{lesson_path.name.removesuffix(SUFFIX)}-step-{number}.json"
        session.save(lesson_path.parent / name)
        return Step("", "", 0, start=f"session:{name}")

    def _dialog(self, title: str | None) -> StepDialog:
        from uat_explorer.gui.lessons.author import StepDialog

        taken = self.view.take()
        return StepDialog(self.runner.state.document.session, taken.workspace, self.window, title)

    def new_lesson(self) -> None:
        dialog = self._dialog("")
        if not dialog.exec() or dialog.made is None:
            return
        path, _ = QFileDialog.getSaveFileName(
            self.window, "Save Lesson", str(Path.home() / "my.lesson.md"), LESSON_FILTER
        )
        if not path:
            return
        target = Path(path if is_lesson_file(path) else path.removesuffix(".md") + SUFFIX)
        self.write_new(target, dialog.lesson_title.text().strip(), dialog.made)

    def write_new(self, path: Path, title: str, made: Step) -> bool:
        """The lesson ``title`` with the one step ``made`` (its start the window's state)."""
        from uat_explorer.core.lessons.lesson import Lesson

        step = self._with_start(made, path, 1)
        return self._save(Lesson(title, "", (step,), path=path), 0)

    def add_step(self) -> None:
        lesson = self.lesson
        if lesson is None or lesson.path is None:
            return
        dialog = self._dialog(None)
        if dialog.exec() and dialog.made is not None:
            self.append(dialog.made)

    def append(self, made: Step) -> bool:
        lesson = self.lesson
        assert lesson is not None and lesson.path is not None
        step = self._with_start(made, lesson.path, len(lesson.steps) + 1)
        grown = dataclasses.replace(lesson, steps=(*lesson.steps, step))
        return self._save(grown, len(grown.steps) - 1)

    def _with_start(self, made: Step, path: Path, number: int) -> Step:
        """``made`` starting from the window as it is: its state, and (unless the step
        says) its workspace and the panels' choices."""
        start = self._start_here(path, number)
        taken = self.view.take()
        return dataclasses.replace(
            made,
            start=start.start,
            setup=start.setup,
            workspace=made.workspace or taken.workspace,
            panels=made.panels or {k: v for k, v in taken.choices.items() if k in CHOICES},
        )

    def _save(self, lesson: Lesson, at: int) -> bool:
        from uat_explorer.core.lessons.parser import load_lesson
        from uat_explorer.core.lessons.writer import write_lesson

        assert lesson.path is not None
        try:
            write_lesson(lesson, lesson.path)
            saved = load_lesson(lesson.path)
        except (OSError, InputError) as error:
            QMessageBox.warning(self.window, "UAT Explorer", f"Could not save the lesson: {error}")
            return False
        self.open(saved, at)
        return True

    def export_handout(self) -> None:
        lesson = self.lesson
        if lesson is None:
            return
        path, _ = QFileDialog.getSaveFileName(
            self.window, "Export Handout", str(Path.home() / f"{lesson.name}.pdf"), "PDF (*.pdf)"
        )
        if path:
            self.write_handout(path)

    def write_handout(self, path: str) -> bool:
        from uat_explorer.export.handout import write_handout_pdf

        lesson = self.lesson
        assert lesson is not None
        try:
            write_handout_pdf(lesson, path)
        except (OSError, InputError) as error:
            QMessageBox.warning(self.window, "UAT Explorer", f"Could not write {path}: {error}")
            return False
        self.window.statusBar().showMessage(f"Exported the handout to {path}", 8000)
        return True
