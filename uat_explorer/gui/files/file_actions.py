"""The File menu: new, open, save, recent files, exports, and what happens on close.

Every path that can lose work asks first (Save / Discard / Cancel); every failure says
what went wrong and leaves the current work as it was.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QObject, QSettings
from PySide6.QtGui import QAction, QImage, QKeySequence
from PySide6.QtWidgets import QApplication, QFileDialog, QMainWindow, QMenu, QMessageBox, QWidget

from uat_explorer.core import InputError, default_session
from uat_explorer.core.files import absolute
from uat_explorer.core.io.session_schema import NotACurveSessionError
from uat_explorer.gui.files.autosave import Autosaver, forget, rescues
from uat_explorer.gui.files.session_file import Document
from uat_explorer.gui.widgets.actions import add_action
from uat_explorer.model.state import AppState
from uat_explorer.plots.function.plot import FunctionPlot

if TYPE_CHECKING:
    from uat_explorer.gui.files.exporter import Exporter

SESSION_FILTER = (
    "Sessions and lessons (*.json *.lesson.md);;UAT Explorer sessions (*.json)"
    ";;Lessons (*.lesson.md);;All files (*)"
)
SAVE_FILTER = "UAT Explorer sessions (*.json);;All files (*)"
TARGET_SUFFIXES = {".csv", ".txt", ".tsv"}
Button = QMessageBox.StandardButton


def ask_unsaved(parent: QWidget, name: str) -> QMessageBox.StandardButton:
    """Save, Discard or Cancel for the work called ``name`` (Save the default): the one
    question every window asks before its unsaved work is replaced."""
    return QMessageBox.warning(
        parent,
        "Unsaved changes",
        f"{name} has changes that are not saved. Save them first?",
        Button.Save | Button.Discard | Button.Cancel,
        Button.Save,
    )


class FileActions(QObject):
    """Everything it works with is handed in: ``window`` parents the dialogs and gets the
    title; ``pause`` stops training before a save or a swap; ``load_points`` makes a CSV
    the target; ``show_message`` writes to the status bar; ``preferences`` (QSettings)
    keep folders and recent files, and switch autosave on."""

    def __init__(
        self,
        window: QMainWindow,
        state: AppState,
        plot: FunctionPlot,
        pause: Callable[[], None],
        load_points: Callable[[str | Path], bool],
        show_message: Callable[[str], None],
        preferences: QSettings | None,
    ) -> None:
        super().__init__(window)
        self.window, self.state, self.preferences = window, state, preferences
        self.pause, self.load_points, self.show_message = pause, load_points, show_message
        self.document = Document(state, preferences, self)
        self.plot = plot
        self._exporter: Exporter | None = None
        self.autosaver = Autosaver(state, self.document, self) if preferences else None
        self._folders: dict[str, str] = {}
        self.revert_action: QAction | None = None  # made with the menu
        self.open_lesson: Callable[[str | Path], bool] | None = None  # the window's lessons
        self.open_classes: Callable[[Path], bool] | None = None  # its classes window
        self.document.changed.connect(self.show_title)
        # A QUndoStack clears itself, emitting cleanChanged, while the window is being
        # destroyed; "destroyed" comes before the children go, so stop listening then.
        window.destroyed.connect(lambda: self.document.changed.disconnect(self.show_title))
        if self.autosaver is not None:
            self.autosaver.failed.connect(show_message)
        self.show_title()

    # -- the menu -------------------------------------------------------------------------
    def build_menu(self, menu: QMenu) -> None:
        def act(target: QMenu, *args: Any, **kwargs: Any) -> QAction:
            return add_action(target, self.window, *args, **kwargs)

        act(
            menu,
            "&New",
            self.new,
            QKeySequence.StandardKey.New,
            "Start again from the default network and target",
            "newAction",
        )
        act(menu, "&Open…", self.ask_open, QKeySequence.StandardKey.Open, "Open a saved session")
        self.recent_menu = menu.addMenu("Open &Recent")
        self.recent_menu.setObjectName("recentMenu")
        self.recent_menu.aboutToShow.connect(self._fill_recent)
        menu.addSeparator()
        act(
            menu,
            "&Save",
            self.save,
            QKeySequence.StandardKey.Save,
            "Save the session",
            "saveAction",
        )
        act(menu, "Save &As…", self.save_as, "Ctrl+Shift+S", "Save the session to a new file")
        self.revert_action = revert = act(
            menu,
            "Re&vert to Saved",
            self.revert,
            tip="Throw away the changes since the last save and open the saved file again",
            name="revertAction",
        )
        revert.setEnabled(False)  # until there is a saved file and a change to it
        menu.addSeparator()
        export = menu.addMenu("&Export")
        act(
            export,
            "Function Plot as &PNG…",
            lambda: self.export_figure(False, False),
            "Ctrl+E",
            "The function plot as an image, at any size and scale",
        )
        act(
            export,
            "Function Plot as &SVG…",
            lambda: self.export_figure(False, True),
            "",
            "The function plot as a vector drawing",
        )
        act(export, "&Loss Plot as PNG…", lambda: self.export_figure(True, False))
        act(export, "Loss Plot as S&VG…", lambda: self.export_figure(True, True))
        act(
            export,
            "&Copy Figure",
            lambda: self.exporter.copy_figure(),
            "Ctrl+Alt+C",
            "Copy the function plot to the clipboard (at the image size chosen in any"
            " panel's Export menu)",
        )
        export.addSeparator()
        act(
            export,
            "S&lide of This Workspace…",
            lambda: self.export_slide(workspace=True),
            "Ctrl+Alt+S",
            "The plot and the panels as laid out now, in one image (PNG)",
            "exportSlideAction",
        )
        act(
            export,
            "Slide of Curves &and Loss…",
            lambda: self.export_slide(workspace=False),
            tip="The function plot and the loss plot side by side, laid out for a slide",
            name="exportCurvesSlideAction",
        )
        act(
            export,
            "Copy Slide of This Workspace",
            self.copy_slide,
            "Ctrl+Alt+Shift+C",
            "The workspace as one image on the clipboard",
        )
        export.addSeparator()
        act(
            export,
            "C&urves as CSV…",
            lambda: self._export_file("curves", "CSV files (*.csv)", "csv", self.exporter.data),
            tip="x, target, output and each neuron's contribution",
        )
        act(
            export,
            "Loss &History as CSV…",
            lambda: self._export_file(
                "loss", "CSV files (*.csv)", "csv", self.exporter.loss_history
            ),
        )
        act(
            export,
            "&Parameters as JSON…",
            lambda: self._export_file(
                "parameters", "JSON files (*.json)", "json", self.exporter.parameters
            ),
        )
        export.addSeparator()
        act(
            export,
            "&Backprop Graph as PNG…",
            lambda: self.export_backprop(svg=False),
            tip="The computational graph of the chosen sample, every value and gradient",
        )
        act(export, "Backprop Graph as SV&G…", lambda: self.export_backprop(svg=True))
        act(
            export,
            "&Gradient Table as CSV…",
            lambda: self._export_file(
                "gradients", "CSV files (*.csv)", "csv", self.exporter.gradients
            ),
            tip="Every parameter's value, gradient (sample and batch) and update",
        )
        export.addSeparator()
        act(
            export,
            "Training &Animation (GIF)…",
            self.export_animation,
            "Ctrl+Shift+G",
            "Record the fit as an animated GIF",
        )
        menu.addSeparator()
        act(menu, "&Quit", self.window.close, QKeySequence.StandardKey.Quit, "Close the window")

    def _fill_recent(self) -> None:
        self.recent_menu.clear()
        for path in self.document.recent():
            action = self.recent_menu.addAction(path.name, lambda p=path: self.open(p))
            action.setToolTip(str(path))
        if self.recent_menu.isEmpty():
            self.recent_menu.addAction("No recent files").setEnabled(False)
            return
        self.recent_menu.addSeparator()
        self.recent_menu.addAction("Clear Recent", self.document.forget)

    def show_title(self) -> None:
        self.window.setWindowTitle(f"{self.document.name}[*] — UAT Explorer")
        self.window.setWindowModified(self.document.modified)
        if self.revert_action is not None:
            self.revert_action.setEnabled(self.document.path is not None and self.document.modified)

    # -- sessions ------------------------------------------------------------------------
    def maybe_save(self) -> bool:
        """True if the work may be replaced: saved, discarded, or nothing to save."""
        self.pause()
        if not self.document.modified:
            return True
        answer = ask_unsaved(self.window, self.document.name)
        if answer == Button.Save:
            return self.save()
        return answer == Button.Discard

    def new(self) -> None:
        if self.maybe_save():
            self.document.new(default_session())

    def revert(self) -> None:
        """The saved file again, after asking: the changes since are lost (undo too)."""
        path = self.document.path
        if path is None or not self.document.modified:
            return
        self.pause()
        answer = QMessageBox.question(
            self.window,
            "Revert to saved?",
            f"Throw away the changes to {path.name} since it was saved, and open it again?"
            " This cannot be undone.",
            Button.Yes | Button.Cancel,
            Button.Cancel,
        )
        if answer == Button.Yes:
            self.open(path, asked=True)

    def ask_open(self) -> None:
        """A session (after asking about unsaved work) or a lesson (its steps are undo
        steps: nothing is lost)."""
        path, _ = QFileDialog.getOpenFileName(
            self.window, "Open Session or Lesson", self._folder("session"), SESSION_FILTER
        )
        if not path:
            return
        if path.lower().endswith(".md") and self.open_lesson is not None:
            self.open_lesson(path)
        elif self.maybe_save():
            self.open(path, asked=True)

    def open(self, path: str | Path, asked: bool = False) -> bool:
        """Open a session file; a bad file is refused with its reason, nothing changes."""
        if not asked and not self.maybe_save():
            return False
        path = Path(path)
        try:
            self.document.open(path)
        except NotACurveSessionError:
            if self.open_classes is not None:
                return self.open_classes(path)
            self._warn(f"Could not open {path.name}: it is a class session")
            return False
        except InputError as error:
            self._warn(f"Could not open {path.name}: {error}")
            if not path.exists():
                self.document.forget(absolute(path))
            return False
        self._remember_folder("session", path)
        self.show_message(f"Opened {path}")
        return True

    def open_any(self, path: str | Path) -> bool:
        """A session (.json) opens; a lesson (.lesson.md) starts; points (.csv, .txt)
        become the target."""
        if str(path).lower().endswith(".md") and self.open_lesson is not None:
            return self.open_lesson(path)
        if Path(path).suffix.lower() in TARGET_SUFFIXES:
            return self.load_points(path)
        return self.open(path)

    def save(self) -> bool:
        if self.document.path is None:
            return self.save_as()
        return self.save_to(self.document.path)

    def save_as(self) -> bool:
        path = self._ask_save_path(
            "Save Session As",
            SAVE_FILTER,
            "json",
            "session",
            self.document.name.removesuffix(".json") + ".json",
        )
        return bool(path) and self.save_to(Path(path))

    def save_to(self, path: Path) -> bool:
        self.pause()
        try:
            self.document.save(path)
        except (OSError, InputError) as error:
            reason = error.strerror if isinstance(error, OSError) and error.strerror else error
            self._warn(
                f"Could not save to {path}: {reason}. Your work is still here, and the"
                " previous file, if any, is unchanged."
            )
            return False
        self._remember_folder("session", path)
        self.show_message(f"Saved {path}")
        return True

    # -- crash safety --------------------------------------------------------------------
    def offer_rescue(self) -> bool:
        """After a crash: offer every orphaned autosave, newest first (two windows may have
        crashed). Yes restores one into this window (the rest wait for the next launch),
        Discard deletes it, No keeps it for later. Nothing is deleted unasked."""
        if self.autosaver is not None and self.autosaver.problem:
            self.show_message(self.autosaver.problem)
        found = rescues(self.autosaver)
        for number, rescue in enumerate(found, start=1):
            when = datetime.datetime.fromtimestamp(rescue.saved_at).strftime("%Y-%m-%d %H:%M")
            name = rescue.path.name if rescue.path else "an unsaved session"
            count = f" ({number} of {len(found)})" if len(found) > 1 else ""
            answer = QMessageBox.question(
                self.window,
                "Restore unsaved work?",
                f"UAT Explorer did not close normally{count}. Restore the work on {name}"
                f" autosaved at {when}?\n\nYes restores it; Discard deletes it; No keeps it"
                " for the next launch.",
                Button.Yes | Button.No | Button.Discard,
                Button.Yes,
            )
            if answer == Button.Discard:
                forget(rescue)
            elif answer == Button.Yes:
                forget(rescue)
                self.document.restore(rescue.session, rescue.path)
                self.show_message(f"Restored the work autosaved at {when}")
                return True
        return False

    def close(self) -> None:
        if self.autosaver is not None:
            self.autosaver.close()

    # -- exports -------------------------------------------------------------------------
    @property
    def exporter(self) -> Exporter:
        """Made the first time something is exported: the export modules (figures,
        slides, the offline job) are not imported to open the window."""
        if self._exporter is None:
            from uat_explorer.gui.files.exporter import Exporter

            self._exporter = Exporter(self.state, self.plot, self.window)
            self._exporter.done.connect(self.show_message)
            self._exporter.failed.connect(self._warn)
        return self._exporter

    def export_figure(self, loss: bool, svg: bool) -> None:
        from uat_explorer.export.figures import FigureOptions
        from uat_explorer.gui.widgets.export_dialogs import FigureDialog

        base = FigureOptions(900, 320) if loss else self.exporter.on_screen()
        title = ("Loss" if loss else "Function") + " Plot as " + ("SVG" if svg else "PNG")
        dialog = FigureDialog(title, base, svg, self.window)
        if not dialog.exec():
            return
        suffix = "svg" if svg else "png"
        kind = f"{'SVG' if svg else 'PNG'} images (*.{suffix})"
        path = self._ask_save_path(
            f"Export {title}", kind, suffix, "export", f"{'loss' if loss else 'function'}.{suffix}"
        )
        if path:
            self.exporter.figure(path, dialog.options(), loss=loss, svg=svg)

    def slide(self, workspace: bool) -> QImage:
        from uat_explorer.gui.files.slides import curves_and_loss_slide, workspace_slide

        if workspace:
            return workspace_slide(self.window)
        return curves_and_loss_slide(self.state, self.exporter.on_screen())

    def export_slide(self, workspace: bool) -> None:
        name = "workspace" if workspace else "curves-and-loss"
        path = self._ask_save_path(
            "Export Slide", "PNG images (*.png)", "png", "export", f"{name}.png"
        )
        if path:
            self.write_slide(path, workspace)

    def write_slide(self, path: str, workspace: bool = True) -> bool:
        """The slide as a PNG at ``path`` (scripts and tests; the menu asks for it)."""
        from uat_explorer.export.figures import write_png

        return self.exporter.write(
            path, "the slide", lambda: write_png(self.slide(workspace), path)
        )

    def copy_slide(self) -> None:
        try:
            image = self.slide(workspace=True)
        except InputError as error:
            self._warn(str(error))
            return
        QApplication.clipboard().setImage(image)
        self.show_message(f"Copied the workspace ({image.width()} × {image.height()})")

    def export_backprop(self, svg: bool) -> None:
        from uat_explorer.export.figures import FigureOptions
        from uat_explorer.gui.widgets.export_dialogs import FigureDialog

        title = "Backprop Graph as " + ("SVG" if svg else "PNG")
        dialog = FigureDialog(title, FigureOptions(1400, 760), svg, self.window, curves=False)
        if not dialog.exec():
            return
        suffix = "svg" if svg else "png"
        kind = f"{'SVG' if svg else 'PNG'} images (*.{suffix})"
        path = self._ask_save_path(f"Export {title}", kind, suffix, "export", f"backprop.{suffix}")
        if path:
            self.exporter.backprop(path, dialog.options())

    def _export_file(self, name: str, kind: str, suffix: str, write: Callable[[str], bool]) -> None:
        path = self._ask_save_path(f"Export {name}", kind, suffix, "export", f"{name}.{suffix}")
        if path:
            write(path)

    def export_animation(self) -> None:
        from uat_explorer.export.figures import FigureOptions
        from uat_explorer.gui.widgets.export_dialogs import AnimationDialog

        self.pause()
        hint = 25 if self.state.document.session.optimizer.uses_learning_rate else 1
        dialog = AnimationDialog(hint, self.window)
        if not dialog.exec():
            return
        path = self._ask_save_path(
            "Save Animation", "GIF images (*.gif)", "gif", "export", "training.gif"
        )
        if path:
            options = FigureOptions(dialog.width_spin.value(), dialog.height_spin.value())
            self.exporter.animation(
                path, dialog.frames.value(), dialog.steps.value(), dialog.fps.value(), options
            )

    # -- helpers -------------------------------------------------------------------------
    def _ask_save_path(self, title: str, kind: str, suffix: str, folder: str, name: str) -> str:
        """A save dialog that adds the suffix itself, so Qt's overwrite question covers
        the real file name."""
        dialog = QFileDialog(self.window, title, str(Path(self._folder(folder)) / name), kind)
        dialog.setAcceptMode(QFileDialog.AcceptMode.AcceptSave)
        dialog.setDefaultSuffix(suffix)
        if not dialog.exec() or not dialog.selectedFiles():
            return ""
        path = dialog.selectedFiles()[0]
        self._remember_folder(folder, Path(path))
        return path

    def _folder(self, kind: str) -> str:
        if self.preferences is not None:
            return str(self.preferences.value(f"folders/{kind}", str(Path.home())))
        return self._folders.get(kind, str(Path.home()))

    def _remember_folder(self, kind: str, path: Path) -> None:
        folder = str(absolute(path).parent)
        self._folders[kind] = folder
        if self.preferences is not None:
            self.preferences.setValue(f"folders/{kind}", folder)

    def _warn(self, text: str) -> None:
        self.show_message(text.split(". ")[0])
        QMessageBox.warning(self.window, "UAT Explorer", text)
