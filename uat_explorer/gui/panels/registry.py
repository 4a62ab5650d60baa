"""Every dock of the window, registered in one place.

An entry gives a panel its title, how to build its widget, where it starts and its
shortcut; ``build_docks`` turns each into a QDockWidget named ``<name>Dock`` (so the
saved layout finds it again) with its toggle in the View menu. A panel that starts
hidden is imported and built the first time it shows, so the window opens without
paying for panels nobody has opened yet. Each entry is typed by its widget, so
``contents.get(BACKPROP)`` is a ``BackpropPanel``.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Generic, Protocol, TypeVar, cast, runtime_checkable

from PySide6.QtCore import Qt, QTimer
from PySide6.QtGui import QKeySequence
from PySide6.QtWidgets import (
    QDockWidget,
    QMainWindow,
    QMenu,
    QUndoView,
    QWidget,
)

from uat_explorer.gui.panels.context import PanelContext, Scales
from uat_explorer.gui.panels.formula_view import FormulaView
from uat_explorer.gui.panels.neuron_stack import NeuronStack
from uat_explorer.gui.panels.target_panel import TargetPanel
from uat_explorer.gui.panels.training_panel import TrainingPanel
from uat_explorer.gui.widgets.vertical_scroll import VerticalScroll
from uat_explorer.plots.loss_plot import LossPlot
from uat_explorer.qt import props

if TYPE_CHECKING:
    from uat_explorer.gui.lessons.lesson_panel import LessonPanel
    from uat_explorer.gui.panels.backprop_panel import BackpropPanel
    from uat_explorer.gui.panels.construct_panel import ConstructPanel
    from uat_explorer.gui.panels.landscape_panel import LandscapePanel
    from uat_explorer.gui.panels.timeline_panel import TimelinePanel

Area = Qt.DockWidgetArea


W = TypeVar("W", bound=QWidget)


@runtime_checkable
class CatchesUp(Protocol):
    """A panel that skips redrawing while out of view and catches up when it comes into
    view (a dock shown, or its tab brought to the front: Qt sends no show event then)."""

    def came_into_view(self) -> None: ...


@runtime_checkable
class ClosesItself(Protocol):
    """A panel with work of its own to end (a worker process) when the window closes."""

    def on_close(self) -> None: ...


@dataclass(frozen=True)
class Panel(Generic[W]):
    name: str
    title: str
    factory: Callable[[PanelContext], W]
    area: Area
    shortcut: str | None = None
    visible: bool = True
    scroll: bool = False
    """Tall forms scroll rather than squeeze their rows into each other."""
    wide: bool = False
    """Needs width: opened, it takes the formula's place as a tab in front."""
    lazy: bool = False
    """Built when first shown: out of view at start (hidden, or a tab behind another)."""


def _history(context: PanelContext) -> QWidget:
    view = props(QUndoView(context.state.editor.undo_stack), objectName="historyView")
    view.setEmptyLabel("Start")
    return view


def _backprop(c: PanelContext) -> BackpropPanel:
    from uat_explorer.gui.panels.backprop_panel import BackpropPanel

    return BackpropPanel(c)


def _construct(c: PanelContext) -> ConstructPanel:
    from uat_explorer.gui.panels.construct_panel import ConstructPanel

    return ConstructPanel(c.state)


def _landscape(c: PanelContext) -> LandscapePanel:
    from uat_explorer.gui.panels.landscape_panel import LandscapePanel

    return LandscapePanel(c)


def _lesson(c: PanelContext) -> LessonPanel:
    from uat_explorer.gui.lessons.lesson_panel import LessonPanel

    return LessonPanel(c)


def _timeline(c: PanelContext) -> TimelinePanel:
    from uat_explorer.gui.panels.timeline_panel import TimelinePanel

    return TimelinePanel(c)


Left, Right, Bottom = (
    Area.LeftDockWidgetArea,
    Area.RightDockWidgetArea,
    Area.BottomDockWidgetArea,
)
# The Neurons and Formula panels are tabs behind others in the workspace the window
# opens on: built when first shown, they take 4 ms less of its launch. The Target panel,
# behind a tab too, is built at once: its form is wider than the right column's share,
# and built later it would widen the column under the person's eyes.
NEURONS = Panel("neurons", "Neurons", lambda c: NeuronStack(c.state), Left, lazy=True)
TARGET = Panel("target", "Target", lambda c: TargetPanel(c.state), Right, scroll=True)
TRAINING = Panel("training", "Training", TrainingPanel, Right, scroll=True)
LOSS = Panel("loss", "Loss", lambda c: LossPlot(c.state), Bottom)
FORMULA = Panel("formula", "Formula", lambda c: FormulaView(c.state), Bottom, lazy=True)
HISTORY = Panel("history", "History", _history, Right, visible=False, lazy=True)
BACKPROP = Panel(
    "backprop", "Backprop", _backprop, Bottom, "Ctrl+Shift+B", False, wide=True, lazy=True
)
CONSTRUCT = Panel(
    "construct",
    "Construct",
    _construct,
    Bottom,
    "Ctrl+Shift+K",
    False,
    scroll=True,
    wide=True,
    lazy=True,
)
LANDSCAPE = Panel(
    "landscape", "Landscape", _landscape, Bottom, "Ctrl+Shift+L", False, wide=True, lazy=True
)
TIMELINE = Panel(
    "timeline", "Timeline", _timeline, Bottom, "Ctrl+Shift+T", False, wide=True, lazy=True
)
LESSON = Panel("lesson", "Lesson", _lesson, Left, visible=False, lazy=True)
"""Shown when a lesson opens (Lesson → Lessons…), beside whatever the step's workspace is."""
PANELS: list[Panel[Any]] = [
    NEURONS,
    TARGET,
    TRAINING,
    LOSS,
    FORMULA,
    HISTORY,
    BACKPROP,
    CONSTRUCT,
    LANDSCAPE,
    TIMELINE,
    LESSON,
]


class PanelOf(Generic[W]):
    """A window's attribute that is a panel's widget, built when first asked for."""

    def __init__(self, panel: Panel[W]) -> None:
        self.panel = panel

    def __get__(self, window: HasPanels, owner: type[HasPanels]) -> W:
        return window.panels.get(self.panel)


class HasPanels(Protocol):
    panels: PanelContents


class PanelContents:
    """The panels' own widgets. A lazy panel is built the first time its dock shows, or
    the first time it is asked for here."""

    def __init__(self, context: PanelContext) -> None:
        self.context = context
        self._built: dict[str, QWidget] = {}
        self._pending: dict[str, tuple[Panel[Any], QDockWidget]] = {}
        self._wiring: dict[str, list[Callable[[Any], object]]] = {}
        self._scale = 1.0

    def get(self, panel: Panel[W]) -> W:
        """The panel's widget, built now if it was not yet."""
        if panel.name in self._pending:
            _, dock = self._pending.pop(panel.name)
            _fill(dock, panel, self._build(panel))
        return cast(W, self._built[panel.name])  # built by panel.factory, a W

    def built(self, panel: Panel[W]) -> W | None:
        """The panel's widget if it was built, without building it."""
        return self.get(panel) if panel.name in self._built else None

    def when_built(self, panel: Panel[W], wire: Callable[[W], object]) -> None:
        """``wire(widget)`` once the panel is built: now, if it is."""
        widget = self.built(panel)
        if widget is not None:
            wire(widget)
        else:
            self._wiring.setdefault(panel.name, []).append(wire)

    def scale(self, scale: float) -> None:
        """Presentation mode: every built panel that draws its own text and lines."""
        self._scale = scale
        for widget in self._built.values():
            if isinstance(widget, Scales):
                widget.set_scale(scale)

    def close_all(self) -> None:
        """The window closes: every built panel ends its own work."""
        for widget in self._built.values():
            if isinstance(widget, ClosesItself):
                widget.on_close()

    def _build(self, panel: Panel[W]) -> W:
        content = panel.factory(self.context)
        self._built[panel.name] = content
        if self._scale != 1.0 and isinstance(content, Scales):
            content.set_scale(self._scale)  # built while presenting
        for wire in self._wiring.pop(panel.name, []):
            wire(content)
        return content

    def add(self, panel: Panel[Any], dock: QDockWidget) -> None:
        dock.visibilityChanged.connect(lambda shown, p=panel: self._shown(p, shown))
        if not panel.lazy:
            _fill(dock, panel, self._build(panel))
            return
        self._pending[panel.name] = (panel, dock)
        dock.setWidget(QWidget())  # an empty stand-in until it is first shown

    def _shown(self, panel: Panel[Any], shown: bool) -> None:
        if not shown:
            return
        content = self.get(panel)  # builds it the first time
        if isinstance(content, CatchesUp):
            # After Qt has moved the dock into place: until then it is out of view.
            QTimer.singleShot(0, cast(QWidget, content), content.came_into_view)


def _fill(dock: QDockWidget, panel: Panel[Any], content: QWidget) -> None:
    if panel.scroll:
        dock.setWidget(VerticalScroll(content))
    else:
        dock.setWidget(content)


def build_docks(
    window: QMainWindow,
    context: PanelContext,
    view_menu: QMenu,
    panels: list[Panel[Any]] = PANELS,
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
