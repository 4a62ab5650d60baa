"""A workspace per idea: one click (or Ctrl+Alt+N) away, its main view most of the window,
the person's own arrangement kept, Reset Workspace bringing the plan back."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QEvent, QObject
from PySide6.QtWidgets import QApplication, QScrollArea, QTabBar

from uat_explorer.core.io.view import WORKSPACES

MAIN = {
    "backprop": "backprop",
    "landscape": "landscape",
    "epochs": "timeline",
    "theorem": "construct",
}


def settle(qtbot) -> None:
    qtbot.wait(30)  # the layout's sizes are set once Qt has placed the docks
    QApplication.processEvents()


@pytest.mark.parametrize("size", [(1280, 800), (1920, 1080)])
@pytest.mark.parametrize("name", WORKSPACES)
def test_each_workspace_gives_its_main_view_most_of_the_window(qtbot, window, name, size):
    window.resize(*size)
    window.workspaces.show(name)
    settle(qtbot)
    main = window.docks[MAIN[name]] if name in MAIN else window.plot
    width, height = size
    assert main.isVisible() and window.plot.isVisible()
    assert main.width() >= 0.5 * width, (main.width(), width)
    assert main.height() >= 0.45 * height, (main.height(), height)
    others = set(MAIN.values()) - {MAIN.get(name)}
    assert not any(window.docks[other].isVisible() for other in others)


def test_the_tab_row_and_the_shortcuts_switch_workspace(qtbot, window):
    tabs = window.findChild(QTabBar, "workspaceTabs")
    assert [tabs.tabText(i) for i in range(tabs.count())] == [w.capitalize() for w in WORKSPACES]
    tabs.setCurrentIndex(WORKSPACES.index("landscape"))
    assert window.workspaces.current == "landscape" and window.docks["landscape"].isVisible()
    action = window.findChild(type(window.train_action), "workspace-backprop")
    assert action.shortcut().toString() == "Ctrl+Alt+3"
    action.trigger()
    assert window.workspaces.current == "backprop" and tabs.currentIndex() == 2


def test_a_workspace_keeps_the_persons_arrangement_until_reset(qtbot, window):
    window.workspaces.show("train")
    settle(qtbot)
    window.docks["formula"].raise_()  # the person brings the formula to the front
    window.docks["loss"].setFloating(True)
    window.workspaces.show("compose")
    window.workspaces.show("train")
    settle(qtbot)
    assert window.docks["loss"].isFloating()
    window.findChild(type(window.train_action), "resetWorkspaceAction").trigger()
    settle(qtbot)
    assert not window.docks["loss"].isFloating() and window.docks["loss"].isVisible()


def test_no_tab_bar_of_an_old_arrangement_stays_on_screen(qtbot, window):
    for name in ("compose", "train", "theorem", "epochs", "train"):
        window.workspaces.show(name)
        settle(qtbot)
    shown = {
        tuple(bar.tabText(i) for i in range(bar.count()))
        for bar in window.findChildren(QTabBar)
        if bar.isVisible() and bar.objectName() != "workspaceTabs"
    }
    assert shown == {("Loss", "Formula"), ("Training", "Neurons", "Target")}


def test_the_training_panel_fits_or_scrolls_at_1280_by_800(qtbot, window):
    window.workspaces.show("train")
    settle(qtbot)
    scroll = window.docks["training"].widget()
    assert isinstance(scroll, QScrollArea)
    content = scroll.widget()
    fits = content.height() <= scroll.viewport().height() + 1
    assert fits or scroll.verticalScrollBar().isVisible()


@pytest.mark.parametrize("scope", [0, 1])
@pytest.mark.parametrize("size", [(1280, 800), (1920, 1080)])
def test_backprop_boxes_hold_their_text_at_a_readable_size(qtbot, window, size, scope):
    """Every line of every node inside its own box, and at least 10 px tall on screen:
    the graph is read from the back of a room, in both scopes."""
    window.resize(*size)
    window.workspaces.show("backprop")
    window.backprop.scope.setCurrentIndex(scope)
    settle(qtbot)
    view = window.backprop.view
    assert view.text_height() >= 10, view.text_height()
    for key, item in view.items_by_key.items():
        box = item.rect()
        for line in item.lines:
            if line.text():
                shape = line.mapRectToParent(line.boundingRect())
                assert box.contains(shape), (key, line.text(), shape, box)


def test_the_window_keeps_its_width_through_every_workspace_and_a_lesson(qtbot, window):
    """Backprop → Landscape left the window 1561 wide (re-docking grew it, nothing shrank
    it), and a lesson beside the Theorem workspace made it 1363: wider than a projector."""
    from uat_explorer.core.lessons.builtin import find_lesson

    window.resize(1280, 800)
    for name in ("backprop", "landscape", "epochs", "theorem", "compose", "train"):
        window.workspaces.show(name)
        settle(qtbot)
        assert window.width() == 1280, (name, window.width())
    window.lessons.open(find_lesson("theorem"), 0)
    settle(qtbot)
    assert window.workspaces.current == "theorem" and window.docks["lesson"].isVisible()
    assert window.width() == 1280
    window.files.document.mark_saved(None)


def test_a_workspace_shown_again_shows_the_same_panels(qtbot, window):
    """Train → Theorem the second time showed every panel (Backprop, Landscape, Timeline
    and the Training tabs beside Construct) and the window grew to 1714 px: the panels a
    plan leaves out were taken out of the layout, so the arrangement saved for the
    workspace did not name them and restoring it brought them all back."""
    window.resize(1280, 800)
    first: dict[str, set[str]] = {}
    for turn in range(2):
        for name in ("backprop", "landscape", "epochs", "theorem", "compose", "train"):
            window.workspaces.show(name)
            settle(qtbot)
            shown = {key for key, dock in window.docks.items() if dock.isVisible()}
            assert first.setdefault(name, shown) == shown, (turn, name)
            assert window.width() == 1280, (turn, name, window.width())


class _Paints(QObject):
    def __init__(self) -> None:
        super().__init__()
        self.count = 0

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.Paint:
            self.count += 1
        return False


@pytest.mark.parametrize("name", ["backprop", "compose"])
def test_the_plot_is_drawn_again_after_a_workspace_change(qtbot, sine_window, name):
    """After Train → Backprop while training the function plot was never painted again
    (its curves took the new numbers, the screen kept the old ones): the switch paints
    once, with updates off until the layout settles, and a graphics view that asked for
    a repaint meanwhile waited for it for ever."""
    window = sine_window
    for workspace in ("train", name, "train"):
        window.training.start()
        qtbot.wait(300)  # frames arrive while the docks move
        window.workspaces.show(workspace)
        settle(qtbot)
        paints = _Paints()
        window.plot.viewport().installEventFilter(paints)
        qtbot.wait(700)
        window.plot.viewport().removeEventFilter(paints)
        window.training.pause()
        assert paints.count > 0, workspace
