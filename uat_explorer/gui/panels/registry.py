"""Every dock of the window, registered in one place.

An entry gives a panel its title, the widget it shows, where it starts and its shortcut;
``build_docks`` turns each into a QDockWidget named ``<name>Dock`` (so the saved layout
finds it again) with its toggle in the View menu.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from PySide6.QtCore import Qt
from PySide6.QtGui import QKeySequence
from PySide6.QtWidgets import (
    QDockWidget,
    QFrame,
    QMainWindow,
    QMenu,
    QScrollArea,
    QUndoView,
    QWidget,
)

from uat_explorer.gui.panels.backprop_panel import BackpropPanel
from uat_explorer.gui.panels.construct_panel import ConstructPanel
from uat_explorer.gui.panels.formula_view import FormulaView
from uat_explorer.gui.panels.landscape_panel import LandscapePanel
from uat_explorer.gui.panels.neuron_stack import NeuronStack
from uat_explorer.gui.panels.target_panel import TargetPanel
from uat_explorer.gui.panels.timeline_panel import TimelinePanel
from uat_explorer.gui.panels.training_panel import TrainingPanel
from uat_explorer.gui.workers.training_controller import TrainingController
from uat_explorer.model.state import AppState
from uat_explorer.plots.function_plot import FunctionPlot
from uat_explorer.plots.loss_plot import LossPlot
from uat_explorer.qt import props

Area = Qt.DockWidgetArea


@dataclass(frozen=True)
class PanelContext:
    """What a panel may be built from: the model, the training it can drive, and the
    function plot it may mark."""

    state: AppState
    training: TrainingController
    plot: FunctionPlot


@dataclass(frozen=True)
class Panel:
    name: str
    title: str
    factory: Callable[[PanelContext], QWidget]
    area: Area
    shortcut: str | None = None
    visible: bool = True
    scroll: bool = False
    """Tall forms scroll rather than squeeze their rows into each other."""
    wide: bool = False
    """Needs width: opened, it takes the formula's place as a tab in front."""
    lazy: bool = False
    """Built when first shown (hidden at start, and heavy to build)."""


def _history(context: PanelContext) -> QWidget:
    view = props(QUndoView(context.state.editor.undo_stack), objectName="historyView")
    view.setEmptyLabel("Start")
    return view


PANELS: list[Panel] = [
    Panel("neurons", "Neurons", lambda c: NeuronStack(c.state), Area.LeftDockWidgetArea),
    Panel("target", "Target", lambda c: TargetPanel(c.state), Area.RightDockWidgetArea),
    Panel(
        "training",
        "Training",
        lambda c: TrainingPanel(c.state, c.training),
        Area.RightDockWidgetArea,
        scroll=True,
    ),
    Panel("loss", "Loss", lambda c: LossPlot(c.state), Area.BottomDockWidgetArea),
    Panel("formula", "Formula", lambda c: FormulaView(c.state), Area.BottomDockWidgetArea),
    Panel("history", "History", _history, Area.RightDockWidgetArea, visible=False),
    Panel(
        "backprop",
        "Backprop",
        lambda c: BackpropPanel(c.state, c.training, c.plot),
        Area.BottomDockWidgetArea,
        shortcut="Ctrl+Shift+B",
        visible=False,
        wide=True,
    ),
    Panel(
        "construct",
        "Construct",
        lambda c: ConstructPanel(c.state),
        Area.BottomDockWidgetArea,
        shortcut="Ctrl+Shift+K",
        visible=False,
        scroll=True,
        wide=True,
    ),
    Panel(
        "landscape",
        "Landscape",
        lambda c: LandscapePanel(c.state, c.training),
        Area.BottomDockWidgetArea,
        shortcut="Ctrl+Shift+L",
        visible=False,
        wide=True,
        lazy=True,
    ),
    Panel(
        "timeline",
        "Timeline",
        lambda c: TimelinePanel(c.state, c.training, c.plot),
        Area.BottomDockWidgetArea,
        shortcut="Ctrl+Shift+T",
        visible=False,
        wide=True,
        lazy=True,
    ),
]


class PanelContents:
    """The panels' own widgets by name. A lazy panel is built the first time its dock
    shows, or the first time it is asked for here: the window opens without paying for
    panels nobody has opened yet."""

    def __init__(self, context: PanelContext) -> None:
        self.context = context
        self._built: dict[str, QWidget] = {}
        self._pending: dict[str, tuple[Panel, QDockWidget]] = {}

    def __getitem__(self, name: str) -> QWidget:
        if name in self._pending:
            panel, dock = self._pending.pop(name)
            _fill(dock, panel, self._build(panel))
        return self._built[name]

    def _build(self, panel: Panel) -> QWidget:
        content = self._built[panel.name] = panel.factory(self.context)
        return content

    def add(self, panel: Panel, dock: QDockWidget) -> None:
        if not panel.lazy:
            _fill(dock, panel, self._build(panel))
            return
        self._pending[panel.name] = (panel, dock)
        dock.setWidget(QWidget())  # an empty stand-in until it is first shown
        dock.visibilityChanged.connect(lambda shown, name=panel.name: self._shown(name, shown))

    def _shown(self, name: str, shown: bool) -> None:
        if shown:
            self[name]  # builds it the first time


def _fill(dock: QDockWidget, panel: Panel, content: QWidget) -> None:
    if panel.scroll:
        scroll = props(QScrollArea(), widgetResizable=True, frameShape=QFrame.Shape.NoFrame)
        scroll.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        scroll.setWidget(content)
        dock.setWidget(scroll)
    else:
        dock.setWidget(content)


def build_docks(
    window: QMainWindow, context: PanelContext, view_menu: QMenu, panels: list[Panel] = PANELS
) -> tuple[dict[str, QDockWidget], PanelContents]:
    """One dock per panel, in registry order, each with a View-menu toggle; returns the
    docks and the panels' own widgets (built now, or when first shown), by name."""
    docks: dict[str, QDockWidget] = {}
    contents = PanelContents(context)
    for panel in panels:
        dock = props(QDockWidget(panel.title, window), objectName=f"{panel.name}Dock")
        contents.add(panel, dock)
        window.addDockWidget(panel.area, dock)
        toggle = dock.toggleViewAction()
        if panel.shortcut:
            toggle.setShortcut(QKeySequence(panel.shortcut))
        toggle.setStatusTip(f"Show or hide the {panel.title} panel")
        view_menu.addAction(toggle)
        dock.setVisible(panel.visible)
        docks[panel.name] = dock
    return docks, contents
