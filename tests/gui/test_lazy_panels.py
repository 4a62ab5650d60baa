"""The panels behind other tabs when the window opens are built when first shown (issue
23: 4 ms of launch), and then work as if they had been there from the start."""

from __future__ import annotations

from PySide6.QtCore import QEvent
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QApplication, QPushButton, QWidget

from uat_explorer.gui import MainWindow
from uat_explorer.gui.panels.registry import FORMULA, NEURONS, TARGET

BEHIND = (NEURONS, FORMULA)


def _opened(qtbot) -> MainWindow:
    window = MainWindow()
    qtbot.addWidget(window)
    window.resize(1280, 800)
    window.show()
    qtbot.waitExposed(window)
    return window


def test_the_panels_behind_tabs_are_not_built_at_launch(qtbot):
    window = _opened(qtbot)
    assert window.workspaces.current == "train"
    assert [window.panels.built(panel) for panel in BEHIND] == [None, None]
    assert window.findChild(QWidget, "neuronStack") is None


def test_the_target_panel_is_built_at_once_so_its_column_never_widens(qtbot):
    window = _opened(qtbot)
    assert window.panels.built(TARGET) is not None
    width = window.plot.width()
    for name in ("target", "neurons", "training"):
        window.docks[name].raise_()
        QApplication.processEvents()
        assert window.plot.width() == width


def test_bringing_a_tab_to_the_front_builds_its_panel_wired_to_the_plot(qtbot):
    window = _opened(qtbot)
    window.docks["neurons"].raise_()
    qtbot.waitUntil(lambda: window.panels.built(NEURONS) is not None)
    stack = window.findChild(QWidget, "neuronStack")
    qtbot.waitUntil(lambda: stack.complete)
    first = window.state.document.ids[0]
    stack.neuronHovered.emit(first, True)  # a card hovered lights its curve
    assert window.plot.hovered == first
    window.docks["target"].raise_()
    qtbot.waitUntil(lambda: window.panels.built(TARGET) is not None)
    window.findChild(QPushButton, "drawTargetButton").click()
    assert window.plot.view_box.drawing


def test_the_neurons_menu_adds_a_neuron_before_the_panel_was_shown(qtbot):
    window = _opened(qtbot)
    before = window.state.document.network.size
    action = next(a for a in window.neurons_menu.actions() if a.text() == "Add &Bump")
    assert isinstance(action, QAction)
    action.trigger()
    assert window.state.document.network.size == before + 2


def test_a_palette_change_leaves_an_unbuilt_panel_unbuilt(qtbot):
    window = _opened(qtbot)
    QApplication.sendEvent(window, QEvent(QEvent.Type.PaletteChange))
    QApplication.processEvents()
    assert window.panels.built(NEURONS) is None
