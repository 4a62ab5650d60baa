"""The main window: the plot in the middle, docks around it, menus that say their keys."""

from __future__ import annotations

from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np
from PySide6.QtCore import QByteArray, QEvent, QSettings, Qt, QTimer
from PySide6.QtGui import (
    QAction,
    QCloseEvent,
    QDragEnterEvent,
    QDropEvent,
    QFont,
    QFontMetrics,
    QKeySequence,
)
from PySide6.QtWidgets import QApplication, QMainWindow, QMessageBox

from uat_explorer import __version__
from uat_explorer.core import ACTIVATIONS, InputError, Session, default_session
from uat_explorer.core.io.examples import EXAMPLES
from uat_explorer.core.io.view import WORKSPACES
from uat_explorer.core.nn.initialize import new_seed
from uat_explorer.core.targets.classes import CLASS_PRESETS
from uat_explorer.core.targets.target import target_from_stroke
from uat_explorer.gui.files.file_actions import FileActions
from uat_explorer.gui.files.window_view import WindowView
from uat_explorer.gui.lessons.lessons import Lessons
from uat_explorer.gui.panels.context import PanelContext, Scales
from uat_explorer.gui.panels.registry import (
    BACKPROP,
    CONSTRUCT,
    FORMULA,
    LANDSCAPE,
    LESSON,
    LOSS,
    NEURONS,
    PANELS,
    TARGET,
    TIMELINE,
    TRAINING,
    PanelOf,
    build_docks,
)
from uat_explorer.gui.widgets.actions import add_action, add_toggle
from uat_explorer.gui.widgets.shortcuts_dialog import ShortcutsDialog, shortcut_rows
from uat_explorer.gui.widgets.status_bar import StatusFields
from uat_explorer.gui.widgets.style_sheets import reapply_style_sheets
from uat_explorer.gui.workers.training_controller import TrainingController
from uat_explorer.gui.workspaces import PLANS, Workspaces
from uat_explorer.model.state import AppState
from uat_explorer.plots.function.plot import FunctionPlot

if TYPE_CHECKING:
    from uat_explorer.gui.classes.window import ClassesWindow
    from uat_explorer.gui.panels.race_window import RaceWindow


DEFAULT_WORKSPACE = "train"
"""What a first launch shows: the curves, the loss and Train."""
PRESENTATION_SCALES = (1.25, 1.5, 2.0, 2.5, 3.0)


class MainWindow(QMainWindow):
    """Builds the whole window around one AppState; no event loop is started here."""

    def __init__(self, session: Session | None = None, persistent: bool = False) -> None:
        """``persistent`` (the real app): restore and keep geometry, layout, recent files
        and folders in QSettings, and autosave for crash recovery. Scripts and tests
        leave it off and start from the same state every time."""
        super().__init__()
        self.setObjectName("mainWindow")
        self.persistent = persistent
        self.state = AppState(session or default_session(), self)
        self.setWindowTitle("UAT Explorer")
        self.resize(1280, 800)

        self.training = TrainingController(self.state, self)
        self.plot = FunctionPlot(self.state)
        self.setCentralWidget(self.plot)
        self.toggles: dict[str, dict[str, QAction]] = {}
        bar = self.menuBar()
        file_menu = bar.addMenu("&File")
        self.edit_menu = bar.addMenu("&Edit")
        self.neurons_menu = bar.addMenu("&Neurons")
        self.training_menu = bar.addMenu("&Training")
        self.examples_menu = bar.addMenu("E&xamples")
        self.view_menu = bar.addMenu("&View")
        self.lesson_menu = bar.addMenu("&Lesson")
        self.help_menu = bar.addMenu("&Help")
        self._build_view_menu()
        context = PanelContext(self.state, self.training, self.plot)
        self.docks, self.panels = build_docks(self, context, self.view_menu)
        self.training_panel = self.panels.get(TRAINING)
        self.loss_plot = self.panels.get(LOSS)
        self.compare_window: RaceWindow | None = None
        self.classes_window: ClassesWindow | None = None
        self._add_loss_toggles()
        self.training_panel.compare.clicked.connect(self.show_compare)
        self.docks["backprop"].visibilityChanged.connect(self._backprop_seen)
        self._connect_wide_panels()
        self.settings = QSettings() if persistent else None
        self.workspaces = Workspaces(self, self.docks, self.settings, lambda: None)
        self._build_workspace_menu()
        self.status = StatusFields(self.statusBar(), self.state, self.training)

        self.panels.when_built(NEURONS, lambda s: s.neuronHovered.connect(self.plot.highlight))
        self.plot.neuronClicked.connect(self.state.view.select)
        self.panels.when_built(TARGET, lambda t: t.drawToggled.connect(self._drawing_toggled))
        self.plot.view_box.strokeFinished.connect(self._stroke_drawn)
        self.state.editor.message.connect(self.show_message)
        # The whole notice stands in the Training panel; the status bar gets its first sentence.
        self.training.notice.connect(
            lambda text, _problem: self.show_message(text.split(". ")[0].rstrip(".") + ".")
        )
        self.files = FileActions(
            self,
            self.state,
            self.plot,
            self.training.pause,
            lambda path: self.target_panel.load_csv_file(path),
            self.show_message,
            self.settings,
        )
        self.files.build_menu(file_menu)
        self.view_keeper = WindowView(self)
        self.files.document.view_source = self.view_keeper.take
        self.files.document.viewOpened.connect(self.view_keeper.restore)
        self.lessons = Lessons(
            self,
            self.docks["lesson"],
            lambda: self.panels.get(LESSON),
            self.view_keeper,
            self.workspaces,
            self.settings,
        )
        self.files.open_lesson = self.lessons.open_file
        self.files.open_classes = lambda path: self.show_classes().open(str(path))
        self.lessons.said = self.show_message
        self.lessons.open_classes = self.show_classes
        self._build_menus()
        self.lessons.build_menu(self.lesson_menu, self.help_menu)
        self.setAcceptDrops(True)
        start = DEFAULT_WORKSPACE
        if self.settings is not None:
            geometry = self.settings.value("window/geometry", QByteArray())
            if isinstance(geometry, QByteArray):  # QSettings values are typed object
                self.restoreGeometry(geometry)
            chosen = self.settings.value("window/workspace", DEFAULT_WORKSPACE)
            start = chosen if chosen in WORKSPACES else DEFAULT_WORKSPACE
        self.workspaces.show(str(start))

    def _connect_wide_panels(self) -> None:
        for panel in PANELS:
            if panel.wide:
                self.docks[panel.name].toggleViewAction().triggered.connect(
                    lambda shown, name=panel.name: self._open_wide(name, shown)
                )

    def _open_wide(self, name: str, shown: bool) -> None:
        """A panel that needs room (the backprop graph, the construction's plot): opened
        beside the formula, it takes the formula's place as a tab in front, and the bottom
        row grows."""
        dock, formula = self.docks[name], self.docks["formula"]
        if not shown or dock.isFloating():
            return
        if formula.toggleViewAction().isChecked() and not self.tabifiedDockWidgets(dock):
            self.tabifyDockWidget(formula, dock)
        dock.show()
        dock.raise_()
        self.resizeDocks([dock], [380], Qt.Orientation.Vertical)

    # -- workspaces and presentation -----------------------------------------------------
    def _build_workspace_menu(self) -> None:
        menu = self.view_menu.addMenu("&Workspace")
        menu.setObjectName("workspaceMenu")
        self.view_menu.insertMenu(self.view_menu.actions()[0], menu)
        for k, plan in enumerate(PLANS, start=1):
            add_action(
                menu,
                self,
                plan.title,
                partial(self.workspaces.show, plan.name),
                f"Ctrl+Alt+{k}",
                plan.tip,
                f"workspace-{plan.name}",
            )
        menu.addSeparator()
        add_action(
            menu,
            self,
            "&Reset Workspace",
            self.workspaces.reset,
            tip="Arrange this workspace as it first was (your own arrangement is forgotten)",
            name="resetWorkspaceAction",
        )
        self.presentation_action = add_toggle(
            self.view_menu,
            self,
            "&Presentation Mode",
            self._present,
            False,
            "F11",
            tip="Larger text and lines for a projector (the scale is in Presentation Scale),"
            " full screen",
        )
        self.presentation_action.setObjectName("presentationAction")
        scales = self.view_menu.addMenu("Presentation &Scale")
        scales.setObjectName("presentationScaleMenu")
        for scale in PRESENTATION_SCALES:
            add_action(
                scales,
                self,
                f"×{scale:g}",
                partial(self._presentation_scale, scale),
                tip=f"In presentation mode, text and lines are {scale:g} times their size",
            )
        self.state.view.presentationChanged.connect(self._presentation_changed)
        self._normal_font = QApplication.font()

    def _present(self, on: bool) -> None:
        self.state.view.set_presenting(on)

    def _presentation_scale(self, scale: float) -> None:
        self.state.view.set_presenting(self.state.view.presenting, scale)

    def _presentation_changed(self) -> None:
        """Every text and line grows: the app's font (tables, cards, labels), every plot
        and every panel that draws its own; the window goes full screen."""
        view = self.state.view
        scale = view.text_scale
        self.presentation_action.setChecked(view.presenting)
        font = QFont(self._normal_font)
        font.setPointSizeF(self._normal_font.pointSizeF() * scale)
        QApplication.setFont(font)
        reapply_style_sheets(self)
        for plot in (self.plot, self.loss_plot):
            plot.set_scale(scale)
        self.panels.scale(scale)
        if isinstance(self.compare_window, Scales):  # the race window draws its own
            self.compare_window.set_scale(scale)
        if view.presenting and self.persistent:
            self.showFullScreen()
        elif self.isFullScreen():
            self.showNormal()

    # -- menus --------------------------------------------------------------------------
    def _add_loss_toggles(self) -> None:
        """Mini-batches make each step's loss noisy: show it, the loss at each epoch's
        end (over every sample), or both."""
        view = self.view_menu
        view.addSeparator()
        self.loss_steps_action = add_toggle(
            view,
            self,
            "Loss per &Step",
            lambda on: self._show_loss_series(),
            True,
            tip="The loss of every step (with mini-batches: of that step's batch)",
        )
        self.loss_epochs_action = add_toggle(
            view,
            self,
            "Loss per E&poch",
            lambda on: self._show_loss_series(),
            True,
            tip="Mini-batches: the loss over every sample at the end of each epoch",
        )
        in_epochs = add_toggle(
            view,
            self,
            "Loss Plot &in Epochs",
            self.state.view.set_loss_in_epochs,
            False,
            tip="Count passes over the training data on the loss plot's x axis, not steps",
        )
        self.toggles["loss"] = {
            "steps": self.loss_steps_action,
            "epochs": self.loss_epochs_action,
            "in_epochs": in_epochs,
        }

    def _show_loss_series(self) -> None:
        self.loss_plot.set_series(
            self.loss_steps_action.isChecked(), self.loss_epochs_action.isChecked()
        )

    def _build_view_menu(self) -> None:
        view = self.view_menu
        self.show_components = add_toggle(
            view, self, "Neuron &Curves", self.plot.set_components_visible, True, "Ctrl+Shift+C"
        )
        self.plot.componentsShown.connect(self.show_components.setChecked)
        samples = add_toggle(
            view, self, "&Sample Points", self.plot.samples.ask, False, "Ctrl+Shift+P"
        )
        band = add_toggle(
            view, self, "&Error Band", self.plot.band.set_visible, False, "Ctrl+Shift+E"
        )
        self.error_signal_action = add_toggle(
            view, self, "Error Si&gnal", self.plot.error_signal.set_visible, False, "Ctrl+Shift+A"
        )
        self.error_signal_action.setObjectName("errorSignalAction")
        self.toggles["plot"] = {
            "components": self.show_components,
            "samples": samples,
            "band": band,
            "error_signal": self.error_signal_action,
        }
        self.error_signal_action.setStatusTip(
            "Arrows at every sample: ∂ℓ/∂y, the error signal backprop sends back (the way"
            " gradient descent pushes the output)"
        )
        add_action(
            view,
            self,
            "&Fit Plot to Curves",
            self.plot.fit_view,
            "Ctrl+0",
            "Show the whole domain and all of the output",
        )
        view.addSeparator()

    def _build_menus(self) -> None:
        state = self.state
        edit = self.edit_menu
        undo = state.editor.undo_stack.createUndoAction(self, "&Undo")
        undo.setShortcut(QKeySequence.StandardKey.Undo)
        redo = state.editor.undo_stack.createRedoAction(self, "&Redo")
        redo.setShortcuts([QKeySequence("Ctrl+Shift+Z"), QKeySequence("Ctrl+Y")])
        edit.addActions([undo, redo])
        edit.addSeparator()
        add_action(
            edit,
            self,
            "&Delete Neuron",
            state.editor.remove_selected,
            QKeySequence.StandardKey.Delete,
            "Remove the selected neuron",
            "deleteNeuronAction",
        )
        add_action(
            edit,
            self,
            "D&uplicate Neuron",
            state.editor.duplicate_selected,
            "Ctrl+D",
            "Copy the selected neuron",
        )
        add_action(
            edit,
            self,
            "&Mute Neuron",
            state.editor.toggle_mute_selected,
            "Ctrl+M",
            "Leave the selected neuron out of the sum, or bring it back",
        )
        add_action(
            edit, self, "Select &Previous Neuron", lambda: state.view.select_relative(-1), "Alt+Up"
        )
        add_action(
            edit, self, "Select &Next Neuron", lambda: state.view.select_relative(1), "Alt+Down"
        )

        neurons = self.neurons_menu
        for i, kind in enumerate(ACTIVATIONS.values()):
            add_action(
                neurons,
                self,
                f"Add {kind.label} Neuron",
                partial(self._add_neuron, kind.name),
                f"Ctrl+{i + 1}",
                f"Add a {kind.label} neuron",
            )
        add_action(
            neurons,
            self,
            "Add &Bump",
            lambda: self.stack.add_bump(),
            "Ctrl+B",
            "Add two step neurons with opposite output weights",
        )
        add_action(
            neurons,
            self,
            "&Randomize Neurons",
            self._new_seed,
            tip="New random weights for the current neurons (a new seed)",
        )

        training = self.training_menu
        self.train_action = add_action(
            training,
            self,
            "&Train / Pause",
            self.training.toggle,
            "Space",
            "Start or pause backpropagation",
            "trainAction",
        )
        add_action(
            training,
            self,
            "&Step",
            self.training.step,
            "Ctrl+Right",
            "Advance one chunk while paused",
        )
        add_action(
            training,
            self,
            "&Reset Weights",
            state.editor.reinitialize,
            "Ctrl+R",
            "The initial weights of this seed again, step 0",
        )
        add_action(
            training,
            self,
            "&New Seed",
            self._new_seed,
            "Ctrl+Shift+R",
            "A new seed, and its initial weights",
        )
        training.addSeparator()
        add_action(
            training,
            self,
            "&Compare Learning Rates…",
            self.show_compare,
            "Ctrl+Shift+O",
            "Race copies of the network under several learning rates or optimizers",
            "compareAction",
        )
        add_action(
            training,
            self,
            "C&lassify Points…",
            self.show_classes,
            tip="The same network learning classes of points: probabilities and cross-entropy",
            name="classesAction",
        )

        for example in EXAMPLES:
            add_action(
                self.examples_menu,
                self,
                example.title,
                partial(self.load_example, example.name),
                tip=example.description,
                name=f"example-{example.name}",
            )
        self.examples_menu.addSeparator()
        for preset, title in (("bands3", "Classes: Three Bands"), ("overlap2", "Classes: Overlap")):
            add_action(
                self.examples_menu,
                self,
                title,
                partial(self.show_classes, preset),
                tip=CLASS_PRESETS[preset].label + ", in the classes window",
                name=f"example-classes-{preset}",
            )

        add_action(
            self.help_menu,
            self,
            "&Keyboard Shortcuts",
            self.show_shortcuts,
            QKeySequence.StandardKey.HelpContents,
            "Every shortcut in one list",
        )
        add_action(self.help_menu, self, "&About UAT Explorer", self.show_about)

    # -- panels built when first shown (or first asked for) ------------------------------
    stack = PanelOf(NEURONS)
    target_panel = PanelOf(TARGET)
    formula = PanelOf(FORMULA)
    backprop = PanelOf(BACKPROP)
    construct = PanelOf(CONSTRUCT)
    landscape = PanelOf(LANDSCAPE)
    timeline = PanelOf(TIMELINE)

    def _backprop_seen(self, seen: bool) -> None:
        """The plot marks the probed sample only while the backprop panel is in view."""
        panel = self.panels.built(BACKPROP) if not seen else self.backprop
        if panel is not None:
            panel.set_active(seen)

    # -- actions -----------------------------------------------------------------------
    def show_compare(self) -> RaceWindow:
        """The race window, made on first use (it starts a process only when run)."""
        from uat_explorer.gui.panels.race_window import RaceWindow

        if self.compare_window is None:
            self.compare_window = RaceWindow(self.state, self.training, self)
            self.view_keeper.restore_waiting()
        self.compare_window.show()
        self.compare_window.raise_()
        self.compare_window.activateWindow()
        return self.compare_window

    def show_classes(self, preset: str | None = None) -> ClassesWindow:
        """The classes window, made on first use; ``preset``: start on those classes."""
        from uat_explorer.gui.classes.window import ClassesWindow

        if self.classes_window is None:
            self.classes_window = ClassesWindow(self)
        if preset is not None:
            self.classes_window.choose_preset(preset)
        self.classes_window.show()
        self.classes_window.raise_()
        self.classes_window.activateWindow()
        return self.classes_window

    def load_example(self, name: str) -> None:
        example = next(e for e in EXAMPLES if e.name == name)
        self.state.editor.load_session(example.build(), f"Example: {example.title}")
        self.show_message(example.description)

    def _add_neuron(self, activation: str) -> None:
        self.stack.add(activation)

    def _restyle_cards(self) -> None:
        stack = self.panels.built(NEURONS)
        if stack is not None:  # one built later takes the palette it is built in
            stack.restyle()

    def _drawing_toggled(self, on: bool) -> None:
        self.plot.stroke.set_drawing(on)
        if on:
            self.show_message("Drag across the plot from left to right to draw a target.", 0)

    def _stroke_drawn(self, xs: np.ndarray, ys: np.ndarray) -> None:
        target_panel = self.panels.built(TARGET)
        if target_panel is not None:  # drawing starts from its Draw button
            target_panel.draw.setChecked(False)
        try:
            target = target_from_stroke(xs, ys)
            self.state.editor.set_target(target, text="Draw target")
        except InputError as error:
            self.show_message(str(error))
            return
        self.show_message(f"Drawn target: {target.x.size} points.")

    def show_message(self, text: str, timeout: int = 8000) -> None:
        """A passing message, shortened at a word (with …) to the room the fields leave:
        the whole text of a notice stands in its panel."""
        bar = self.statusBar()
        if bar.isVisible():  # laid out: the fields' widths are real
            fields = sum(w.width() + 12 for w in self.status.fields if w.isVisibleTo(bar))
            text = elide_words(text, bar.fontMetrics(), max(bar.width() - fields - 24, 240))
        bar.showMessage(text, timeout)

    def _new_seed(self) -> None:
        self.state.editor.reinitialize(new_seed())

    def open_path(self, path: str) -> bool:
        """Open a session or a lesson, or load points as the target (the command line,
        drops)."""
        return self.files.open_any(path)

    def save_path(self, path: str) -> bool:
        """File → Save As with ``path`` chosen (scripts, tests): False, said in a dialog,
        if it could not be written."""
        return self.files.save_to(Path(path))

    def dragEnterEvent(self, event: QDragEnterEvent) -> None:
        if _dropped_file(event) is not None:
            event.acceptProposedAction()

    def dropEvent(self, event: QDropEvent) -> None:
        path = _dropped_file(event)
        if path is not None:
            event.acceptProposedAction()
            self.open_path(path)

    def changeEvent(self, event: QEvent) -> None:
        """The system palette changed: restyle what a palette change does not reach (after
        the event: nothing may raise inside it)."""
        if event.type() == QEvent.Type.PaletteChange:
            QTimer.singleShot(0, self._restyle_cards)
        super().changeEvent(event)

    def closeEvent(self, event: QCloseEvent) -> None:
        if not self.files.maybe_save():
            event.ignore()
            return
        if self.classes_window is not None and not self.classes_window.close():
            event.ignore()  # its own unsaved work, kept by Cancel
            return
        self.workspaces.remember_now()
        if self.settings is not None:
            self.settings.setValue("window/geometry", self.saveGeometry())
            self.settings.setValue("window/workspace", self.workspaces.current)
        self.files.close()
        self.training.shutdown()
        self.panels.close_all()  # no worker process outlives the window
        if self.compare_window is not None:
            self.compare_window.on_close()
            self.compare_window.close()
        super().closeEvent(event)

    def show_shortcuts(self) -> None:
        ShortcutsDialog(shortcut_rows(self.menuBar()), self).exec()

    def show_about(self) -> None:
        QMessageBox.about(
            self,
            "About UAT Explorer",
            f"<b>UAT Explorer {__version__}</b><p>A network with one hidden layer can trace any"
            " continuous curve. Turn the dials and see why; then press Train and watch"
            " backpropagation do it.</p>",
        )


def elide_words(text: str, metrics: QFontMetrics, width: int) -> str:
    """``text`` if it fits in ``width`` pixels, else its first words and "…"."""
    if metrics.horizontalAdvance(text) <= width:
        return text
    words = text.split(" ")
    while len(words) > 1 and metrics.horizontalAdvance(" ".join(words) + "…") > width:
        words.pop()
    return " ".join(words).rstrip(",:;") + "…"


def _dropped_file(event: QDragEnterEvent | QDropEvent) -> str | None:
    """The one local session or points file being dragged, if that is what it is."""
    urls = event.mimeData().urls() if event.mimeData().hasUrls() else []
    if len(urls) != 1 or not urls[0].isLocalFile():
        return None
    path = urls[0].toLocalFile()
    return path if path.lower().endswith((".json", ".csv", ".txt", ".tsv", ".md")) else None
