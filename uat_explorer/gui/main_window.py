"""The main window: the plot in the middle, docks around it, menus that say their keys."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QByteArray, QSettings, Qt
from PySide6.QtGui import QAction, QCloseEvent, QDragEnterEvent, QDropEvent, QKeySequence
from PySide6.QtWidgets import (
    QDockWidget,
    QLabel,
    QMainWindow,
    QMenu,
    QMessageBox,
    QUndoView,
    QWidget,
)

from uat_explorer import __version__
from uat_explorer.core import InputError, Session, default_session
from uat_explorer.core.examples import EXAMPLES
from uat_explorer.core.formula import number
from uat_explorer.core.initialize import new_seed
from uat_explorer.core.targets import target_from_stroke
from uat_explorer.gui.file_actions import FileActions
from uat_explorer.gui.formula_view import FormulaView
from uat_explorer.gui.function_plot import FunctionPlot
from uat_explorer.gui.loss_plot import LossPlot
from uat_explorer.gui.neuron_stack import NeuronStack
from uat_explorer.gui.shortcuts_dialog import ShortcutsDialog, shortcut_rows
from uat_explorer.gui.state import AppState
from uat_explorer.gui.target_panel import TargetPanel
from uat_explorer.gui.throttle import Throttle
from uat_explorer.gui.training_controller import TrainingController
from uat_explorer.gui.training_panel import TrainingPanel


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
        self.stack = NeuronStack(self.state)
        self.target_panel = TargetPanel(self.state)
        self.training_panel = TrainingPanel(self.state, self.training)
        self.loss_plot = LossPlot(self.state)
        self.formula = FormulaView(self.state)
        self.history = QUndoView(self.state.undo_stack, objectName="historyView")
        self.history.setEmptyLabel("Start")
        self.docks = {
            "neurons": self._dock("Neurons", self.stack, Qt.DockWidgetArea.LeftDockWidgetArea),
            "target": self._dock(
                "Target", self.target_panel, Qt.DockWidgetArea.RightDockWidgetArea
            ),
            "training": self._dock(
                "Training", self.training_panel, Qt.DockWidgetArea.RightDockWidgetArea
            ),
            "loss": self._dock("Loss", self.loss_plot, Qt.DockWidgetArea.BottomDockWidgetArea),
            "formula": self._dock("Formula", self.formula, Qt.DockWidgetArea.BottomDockWidgetArea),
            "history": self._dock("History", self.history, Qt.DockWidgetArea.RightDockWidgetArea),
        }
        self.docks["history"].hide()
        self.splitDockWidget(self.docks["loss"], self.docks["formula"], Qt.Orientation.Horizontal)
        self.resizeDocks([self.docks["loss"]], [190], Qt.Orientation.Vertical)
        self.resizeDocks(
            [self.docks["loss"], self.docks["formula"]], [520, 760], Qt.Orientation.Horizontal
        )
        self.resizeDocks(
            [self.docks["neurons"], self.docks["target"]], [360, 300], Qt.Orientation.Horizontal
        )
        self.status_step = QLabel(objectName="statusStepLabel", toolTip="Training steps so far")
        self.status_loss = QLabel(
            objectName="statusLossLabel", toolTip="The training loss at the current weights"
        )
        self.error_label = QLabel(objectName="errorLabel")
        self.error_label.setToolTip("How far the output is from the target, on the sample points")
        self.status_fit = QLabel(
            objectName="statusMetricsLabel",
            toolTip="Root mean squared error and R² on the sample points",
        )
        self.status_speed = QLabel(
            objectName="statusSpeedLabel", toolTip="Training steps per second while training runs"
        )
        for label in (
            self.status_step,
            self.status_loss,
            self.error_label,
            self.status_fit,
            self.status_speed,
        ):
            self.statusBar().addPermanentWidget(label)
        self._show_status = Throttle(100, self.show_status, self)

        self.stack.neuronHovered.connect(self.plot.highlight)
        self.plot.neuronClicked.connect(self.state.select)
        self.target_panel.drawToggled.connect(self._drawing_toggled)
        self.plot.view_box.strokeFinished.connect(self._stroke_drawn)
        self.state.message.connect(self.show_message)
        self.state.changed.connect(self._show_status)
        self.state.stepChanged.connect(self._show_status)
        self.state.settingsChanged.connect(self._show_status)
        self.training.progressed.connect(
            lambda progress: self._show_status() if progress.running else self.show_status()
        )
        self.training.runningChanged.connect(lambda _: self.show_status())
        # The whole notice stands in the Training panel; the status bar gets its first sentence.
        self.training.notice.connect(lambda text: self.show_message(text.split(". ")[0] + "."))
        self.settings = QSettings() if persistent else None
        self.files = FileActions(self, self.settings)
        self._build_menus()
        self.show_status()
        self.setAcceptDrops(True)
        if self.settings is not None:
            self.restoreGeometry(self.settings.value("window/geometry", QByteArray()))
            self.restoreState(self.settings.value("window/state", QByteArray()))

    def _dock(self, title: str, widget: QWidget, area: Qt.DockWidgetArea) -> QDockWidget:
        dock = QDockWidget(title, self, objectName=f"{title.lower()}Dock")
        dock.setWidget(widget)
        self.addDockWidget(area, dock)
        return dock

    # -- menus --------------------------------------------------------------------------
    def add_action(
        self,
        menu: QMenu,
        text: str,
        slot: Callable[[], object],
        keys: QKeySequence.StandardKey | str | list | None = None,
        tip: str = "",
        name: str = "",
    ) -> QAction:
        action = QAction(text, self, objectName=name or "")
        if isinstance(keys, list):
            action.setShortcuts([QKeySequence(k) for k in keys])
        elif keys is not None:
            action.setShortcut(QKeySequence(keys))
        action.setStatusTip(tip)
        action.setToolTip(tip or text)
        action.triggered.connect(lambda _checked=False: slot())
        menu.addAction(action)
        return action

    def _build_menus(self) -> None:
        bar = self.menuBar()
        self.files.build_menu(bar.addMenu("&File"))

        edit = bar.addMenu("&Edit")
        undo = self.state.undo_stack.createUndoAction(self, "&Undo")
        undo.setShortcut(QKeySequence.StandardKey.Undo)
        redo = self.state.undo_stack.createRedoAction(self, "&Redo")
        redo.setShortcuts([QKeySequence("Ctrl+Shift+Z"), QKeySequence("Ctrl+Y")])
        edit.addActions([undo, redo])
        edit.addSeparator()
        self.add_action(
            edit,
            "&Delete Neuron",
            self._remove_selected,
            QKeySequence.StandardKey.Delete,
            "Remove the selected neuron",
            "deleteNeuronAction",
        )
        self.add_action(
            edit,
            "D&uplicate Neuron",
            self._duplicate_selected,
            "Ctrl+D",
            "Copy the selected neuron",
        )
        self.add_action(
            edit,
            "&Mute Neuron",
            self._toggle_mute,
            "Ctrl+M",
            "Leave the selected neuron out of the sum, or bring it back",
        )
        self.add_action(edit, "Select &Previous Neuron", lambda: self._select_step(-1), "Alt+Up")
        self.add_action(edit, "Select &Next Neuron", lambda: self._select_step(1), "Alt+Down")

        neurons = bar.addMenu("&Neurons")
        for i, name in enumerate(("step", "sigmoid", "relu", "tanh")):
            label = self.stack.add_buttons[name].text().removeprefix("+ ")
            self.add_action(
                neurons,
                f"Add {label} Neuron",
                lambda n=name: self.stack.add(n),
                f"Ctrl+{i + 1}",
                f"Add a {label} neuron",
            )
        self.add_action(
            neurons,
            "Add &Bump",
            self.stack.add_bump,
            "Ctrl+B",
            "Add two step neurons with opposite output weights",
        )

        self.add_action(
            neurons,
            "&Randomize Neurons",
            self._new_seed,
            tip="New random weights for the current neurons (a new seed)",
        )

        training = bar.addMenu("&Training")
        self.train_action = self.add_action(
            training,
            "&Train / Pause",
            self.training.toggle,
            "Space",
            "Start or pause backpropagation",
            "trainAction",
        )
        self.add_action(
            training, "&Step", self.training.step, "Ctrl+Right", "Advance one chunk while paused"
        )
        self.add_action(
            training,
            "&Reset Weights",
            self.state.reinitialize,
            "Ctrl+R",
            "The initial weights of this seed again, step 0",
        )
        self.add_action(
            training,
            "&New Seed",
            self._new_seed,
            "Ctrl+Shift+R",
            "A new seed, and its initial weights",
        )

        examples = bar.addMenu("E&xamples")
        for example in EXAMPLES:
            action = self.add_action(
                examples,
                example.title,
                lambda e=example: self.load_example(e.name),
                tip=example.description,
            )
            action.setObjectName(f"example-{example.name}")

        view = bar.addMenu("&View")
        self.show_components = self._toggle(
            view, "Neuron &Curves", self.plot.set_components_visible, True, "Ctrl+Shift+C"
        )
        self.plot.componentsShown.connect(self.show_components.setChecked)
        self._toggle(view, "&Sample Points", self.plot.set_samples_visible, False, "Ctrl+Shift+P")
        self._toggle(view, "&Error Band", self.plot.set_band_visible, False, "Ctrl+Shift+E")
        self.add_action(
            view,
            "&Fit Plot to Curves",
            self.plot.fit_view,
            "Ctrl+0",
            "Show the whole domain and all of the output",
        )
        view.addSeparator()
        for dock in self.docks.values():
            view.addAction(dock.toggleViewAction())

        help_menu = bar.addMenu("&Help")
        self.add_action(
            help_menu,
            "&Keyboard Shortcuts",
            self.show_shortcuts,
            QKeySequence.StandardKey.HelpContents,
            "Every shortcut in one list",
        )
        self.add_action(help_menu, "&About UAT Explorer", self.show_about)

    def _toggle(self, menu: QMenu, text: str, slot, checked: bool, keys: str) -> QAction:
        action = QAction(text, self, checkable=True, checked=checked)
        action.setShortcut(QKeySequence(keys))
        action.toggled.connect(slot)
        menu.addAction(action)
        return action

    # -- actions -----------------------------------------------------------------------
    def load_example(self, name: str) -> None:
        example = next(e for e in EXAMPLES if e.name == name)
        self.state.load_session(example.build(), f"Example: {example.title}")
        self.show_message(example.description)

    def _remove_selected(self) -> None:
        index = self.state.selected_index
        if index is None:
            self.show_message("Select a neuron first: click its card or its curve.")
            return
        self.state.remove_neuron(index)

    def _duplicate_selected(self) -> None:
        index = self.state.selected_index
        if index is not None:
            self.state.duplicate_neuron(index)

    def _toggle_mute(self) -> None:
        index = self.state.selected_index
        if index is not None:
            self.state.edit_neuron(index, muted=not self.state.network.muted[index])

    def _select_step(self, step: int) -> None:
        size = self.state.network.size
        if size:
            index = self.state.selected_index
            self.state.select_index(0 if index is None else (index + step) % size)

    def _drawing_toggled(self, on: bool) -> None:
        self.plot.set_drawing(on)
        if on:
            self.show_message("Drag across the plot from left to right to draw a target.", 0)

    def _stroke_drawn(self, xs, ys) -> None:
        self.target_panel.draw.setChecked(False)
        try:
            target = target_from_stroke(xs, ys)
            self.state.set_target(target, text="Draw target")
        except InputError as error:
            self.show_message(str(error))
            return
        self.show_message(f"Drawn target: {target.x.size} points.")

    def show_message(self, text: str, timeout: int = 8000) -> None:
        self.statusBar().showMessage(text, timeout)

    def _new_seed(self) -> None:
        self.state.reinitialize(new_seed())

    def show_status(self) -> None:
        """Step, loss and fit in the status bar; throttled while training runs."""
        state = self.state
        metrics = state.metrics()
        self.status_step.setText(f"step {state.session.step}")
        self.status_loss.setText(f"loss {number(state.loss_value())} ({state.session.loss})")
        self.error_label.setText(
            f"MSE {number(metrics.mse)}   mean |error| {number(metrics.mae)}"
            f"   max |error| {number(metrics.max_abs_error)}"
        )
        self.status_fit.setText(f"RMSE {number(metrics.rmse)}   R² {number(metrics.r2, 4)}")
        last = self.training.last
        speed = last.steps_per_second if self.training.running and last else None
        self.status_speed.setText(f"{speed:,.0f} steps/s" if speed else "")

    def open_path(self, path: str) -> bool:
        """Open a session, or load points as the target (the command line, drops)."""
        return self.files.open_any(path)

    def dragEnterEvent(self, event: QDragEnterEvent) -> None:
        if _dropped_file(event) is not None:
            event.acceptProposedAction()

    def dropEvent(self, event: QDropEvent) -> None:
        path = _dropped_file(event)
        if path is not None:
            event.acceptProposedAction()
            self.open_path(path)

    def closeEvent(self, event: QCloseEvent) -> None:
        if not self.files.maybe_save():
            event.ignore()
            return
        if self.settings is not None:
            self.settings.setValue("window/geometry", self.saveGeometry())
            self.settings.setValue("window/state", self.saveState())
        self.files.close()
        self.training.shutdown()
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


def _dropped_file(event: QDragEnterEvent | QDropEvent) -> str | None:
    """The one local session or points file being dragged, if that is what it is."""
    urls = event.mimeData().urls() if event.mimeData().hasUrls() else []
    if len(urls) != 1 or not urls[0].isLocalFile():
        return None
    path = urls[0].toLocalFile()
    return path if path.lower().endswith((".json", ".csv", ".txt", ".tsv")) else None
