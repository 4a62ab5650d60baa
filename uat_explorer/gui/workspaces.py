"""A workspace per idea: the docks arranged so that the idea's main view gets most of the
window, the views it needs beside it, the rest tabbed away or closed.

Each workspace is a plan (which dock goes where, how large, as a share of the window)
that ``Workspaces`` lays out; the person's own arrangement of a workspace is kept when
they leave it (and between runs), and View → Reset Workspace brings the plan back.
"""

from __future__ import annotations

import tomllib
from collections.abc import Callable
from dataclasses import dataclass, field
from importlib import resources

from PySide6.QtCore import QByteArray, QEvent, QObject, QSettings, Qt, QTimer, Signal
from PySide6.QtWidgets import QDockWidget, QMainWindow, QTabBar, QToolBar

from uat_explorer.core.io.view import WORKSPACES
from uat_explorer.qt import props

Area = Qt.DockWidgetArea
Left, Right, Bottom = (
    Area.LeftDockWidgetArea,
    Area.RightDockWidgetArea,
    Area.BottomDockWidgetArea,
)
TEACHING = ("backprop", "construct", "landscape", "timeline", "history")
"""Docks a workspace opens only if it is about them."""
STATE_VERSION = 4
"""Bumped when the docks change: older saved arrangements are then not restored."""


@dataclass(frozen=True)
class Place:
    """Where a group of docks goes: an area, the docks of one group as tabs (the first in
    front), and the group's share of the window's width (left, right) or height (bottom)."""

    area: Area
    tabs: tuple[str, ...]
    share: float


@dataclass(frozen=True)
class Workspace:
    name: str
    title: str
    tip: str
    places: tuple[Place, ...]
    bottom_spans: bool = False
    """The bottom area runs under the side areas too (the full width of the window)."""
    right_spans: bool = False
    """The right area runs from the top of the window to the bottom."""
    split: tuple[tuple[str, str, Qt.Orientation], ...] = field(default_factory=tuple)
    """(first, second, orientation): two groups of one area side by side."""

    @property
    def docks(self) -> set[str]:
        return {name for place in self.places for name in place.tabs}


AREAS = {"left": Left, "right": Right, "bottom": Bottom}
Vertical, Horizontal = Qt.Orientation.Vertical, Qt.Orientation.Horizontal
ORIENTATIONS = {"vertical": Vertical, "horizontal": Horizontal}


def read_plans() -> tuple[Workspace, ...]:
    """The plans from ``resources/workspaces.toml``: a table of where docks go is data,
    easier to read and to change there than as nested constructor calls."""
    text = (resources.files("uat_explorer") / "resources" / "workspaces.toml").read_text("utf-8")
    return tuple(
        Workspace(
            plan["name"],
            plan["title"],
            plan["tip"],
            tuple(
                Place(AREAS[place["area"]], tuple(place["tabs"]), place["share"])
                for place in plan["places"]
            ),
            bottom_spans=plan.get("bottom_spans", False),
            right_spans=plan.get("right_spans", False),
            split=tuple(
                (first, second, ORIENTATIONS[way]) for first, second, way in plan.get("split", ())
            ),
        )
        for plan in tomllib.loads(text)["workspace"]
    )


PLANS = read_plans()
assert tuple(w.name for w in PLANS) == WORKSPACES


class Workspaces(QObject):
    """The tab row under the menu bar and the arrangement behind each tab."""

    changed = Signal(str)  # the name of the workspace now shown

    def __init__(
        self,
        window: QMainWindow,
        docks: dict[str, QDockWidget],
        settings: QSettings | None,
        before: Callable[[], None],
    ) -> None:
        """``before`` runs before a workspace is laid out (training pauses nothing: the
        window only rearranges)."""
        super().__init__(window)
        self.window, self.docks, self.settings, self.before = window, docks, settings, before
        self.current = ""
        self._held: int | None = None  # the window's maximum width while docks move
        self._saved: dict[str, QByteArray] = {}
        self.tabs = props(QTabBar(), objectName="workspaceTabs")
        self.tabs.setDrawBase(False)
        self.tabs.setExpanding(False)
        for plan in PLANS:
            index = self.tabs.addTab(plan.title)
            self.tabs.setTabToolTip(index, plan.tip)
        self.bar = props(QToolBar("Workspaces"), objectName="workspaceBar")
        self.bar.setMovable(False)
        self.bar.setFloatable(False)
        self.bar.addWidget(self.tabs)
        window.addToolBar(Qt.ToolBarArea.TopToolBarArea, self.bar)
        self.tabs.currentChanged.connect(lambda index: self.show(PLANS[index].name))
        window.installEventFilter(self)

    def plan(self, name: str) -> Workspace:
        return next(plan for plan in PLANS if plan.name == name)

    def show(self, name: str) -> None:
        """Leave the workspace shown (keeping its arrangement), lay out ``name``."""
        if name == self.current:
            return
        self.hold_width()
        self.before()
        # One paint for the new arrangement, not one for each step of it (docks moved,
        # then sized): the views are drawn once the layout has settled.
        self.window.setUpdatesEnabled(False)
        if self.current:
            self._remember()
        self.current = name
        self.tabs.blockSignals(True)
        self.tabs.setCurrentIndex(WORKSPACES.index(name))
        self.tabs.blockSignals(False)
        saved = self._saved.get(name) or self._stored(name)
        plan = self.plan(name)
        self._corners(plan)
        if saved is None or not self.window.restoreState(saved, STATE_VERSION):
            self.lay_out(plan)
        self.changed.emit(name)
        QTimer.singleShot(0, self._shown)

    def _shown(self) -> None:
        """Updates on, and the window painted now, every view in it: a graphics view that
        asked for a repaint while updates were off waits for that paint before it asks
        again, and the update posted by turning updates on did not bring it (the function
        plot froze after Train → Backprop, mid-training)."""
        self.window.setUpdatesEnabled(True)
        self.window.repaint()

    def reset(self) -> None:
        """The current workspace as planned, the person's arrangement of it forgotten."""
        self._saved.pop(self.current, None)
        if self.settings is not None:
            self.settings.remove(f"workspaces/{self.current}")
        self.lay_out(self.plan(self.current))

    def lay_out(self, plan: Workspace) -> None:
        window, docks = self.window, self.docks
        self.hold_width()
        for dock in docks.values():  # out of every group: the plan is followed exactly
            if dock.isFloating():
                dock.setFloating(False)
            window.removeDockWidget(dock)
        self._corners(plan)
        # The docks the plan leaves out stay in the layout, closed: the arrangement saved
        # for this workspace must name them, or restoring it would show them all again.
        for name in [n for n in docks if n not in plan.docks]:
            window.addDockWidget(Right, docks[name])
            docks[name].hide()
        for place in plan.places:
            window.addDockWidget(place.area, docks[place.tabs[0]])
            docks[place.tabs[0]].show()
        # Split before tabbing: splitting a dock that has tabs adds a tab instead.
        for one, other, orientation in plan.split:
            window.splitDockWidget(docks[one], docks[other], orientation)
        for place in plan.places:
            first = docks[place.tabs[0]]
            for name in place.tabs[1:]:
                window.tabifyDockWidget(first, docks[name])
                docks[name].show()
            first.raise_()
        # Sizes after Qt has placed the docks: the window's size is real only then.
        QTimer.singleShot(0, lambda: self._sizes(plan))
        self._sizes(plan)

    def hold_width(self) -> None:
        """While docks move, the window may not grow: re-docking widens it for a moment
        (a bottom dock beside a side one while the groups change), and it never shrinks
        back by itself (at 1280 × 800 it stood 1561 wide after Backprop → Landscape).
        Released once the layout has settled; a width the docks truly need is then
        taken."""
        window = self.window
        steady = window.isMaximized() or window.isFullScreen() or not window.isVisible()
        if self._held is not None or steady:
            return
        self._held = window.maximumWidth()
        window.setMaximumWidth(window.width())
        QTimer.singleShot(0, lambda: QTimer.singleShot(0, self._release))

    def _release(self) -> None:
        if self._held is not None:
            self.window.setMaximumWidth(self._held)
            self._held = None

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        """After Qt lays the window out (the new groups' bars in their places), hide the
        bars it left behind."""
        if watched is self.window and event.type() == QEvent.Type.LayoutRequest:
            QTimer.singleShot(0, self._tidy_tab_bars)
        return False

    def _tidy_tab_bars(self) -> None:
        """Qt keeps the tab bar of a group it dissolved, sometimes still showing its old
        tabs over the new layout: hide every bar that does not sit under a group now
        (a group's bar spans the width of its docks, right below them)."""
        spans = set()
        for dock in self.docks.values():
            if dock.isVisible() and self.window.tabifiedDockWidgets(dock):
                spans.add((dock.x(), dock.width()))
        # The window's own children only (Qt puts the groups' bars there): searching all
        # its widgets took ~2 ms, and the status bar's text lays the window out again
        # ten times a second while training runs.
        direct = Qt.FindChildOption.FindDirectChildrenOnly
        for bar in self.window.findChildren(QTabBar, "", direct):
            if bar is not self.tabs and (bar.x(), bar.width()) not in spans:
                bar.hide()

    def _sizes(self, plan: Workspace) -> None:
        width, height = self.window.width(), self.window.height()
        for place in plan.places:
            dock = self.docks[place.tabs[0]]
            if not dock.isVisible():
                continue
            if place.area == Bottom:
                self.window.resizeDocks([dock], [int(place.share * height)], Vertical)
            else:
                self.window.resizeDocks([dock], [int(place.share * width)], Horizontal)

    def _corners(self, plan: Workspace) -> None:
        window, corner = self.window, Qt.Corner
        bottom = Bottom if plan.bottom_spans else None
        right = Right if plan.right_spans else None
        window.setCorner(corner.BottomLeftCorner, bottom or Left)
        window.setCorner(corner.BottomRightCorner, right or bottom or Right)
        window.setCorner(corner.TopRightCorner, right or Area.TopDockWidgetArea)
        window.setCorner(corner.TopLeftCorner, Area.TopDockWidgetArea)

    def _remember(self) -> None:
        state = self.window.saveState(STATE_VERSION)
        self._saved[self.current] = state
        if self.settings is not None:
            self.settings.setValue(f"workspaces/{self.current}", state)

    def _stored(self, name: str) -> QByteArray | None:
        if self.settings is None:
            return None
        value = self.settings.value(f"workspaces/{name}")
        return value if isinstance(value, QByteArray) else None

    def remember_now(self) -> None:
        """Keep the current arrangement (the window is closing)."""
        if self.current:
            self._remember()
