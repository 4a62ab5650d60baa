"""Presentation mode grows every text in the window, including the widgets that carry a
style sheet (the neuron cards, the red messages): Qt does not pass a new application
font to those by itself (seen at 1920 × 1080: the cards stayed at 9 pt while the
Training panel grew to 13.5)."""

from __future__ import annotations

import pytest
from PySide6.QtWidgets import QApplication, QLabel, QLineEdit, QWidget

from uat_explorer.gui.panels.registry import TRAINING


def text_sizes(widget: QWidget) -> set[float]:
    found = widget.findChildren(QLabel) + widget.findChildren(QLineEdit)
    return {round(w.font().pointSizeF(), 2) for w in found}


@pytest.fixture
def presenting(window):
    normal = QApplication.font().pointSizeF()
    yield window, normal
    window.state.view.set_presenting(False)  # the app's font is shared by later tests


def test_presentation_mode_grows_the_cards_and_the_messages(qtbot, presenting):
    window, normal = presenting
    QApplication.processEvents()
    card = next(iter(window.stack.cards.values()))
    message = window.findChild(QLabel, "targetMessageLabel")
    assert text_sizes(card) == {normal} and message.font().pointSizeF() == normal
    window.presentation_action.trigger()
    QApplication.processEvents()
    grown = round(normal * window.state.view.text_scale, 2)
    assert window.state.view.text_scale > 1
    assert text_sizes(card) == {grown}
    assert round(message.font().pointSizeF(), 2) == grown
    window.presentation_action.trigger()
    QApplication.processEvents()
    assert text_sizes(card) == {normal} and message.font().pointSizeF() == normal


def test_a_card_added_while_presenting_is_drawn_at_the_scale(qtbot, presenting):
    window, normal = presenting
    window.presentation_action.trigger()
    window.stack.add("sigmoid")
    qtbot.waitUntil(lambda: window.stack.complete)
    newest = list(window.stack.cards.values())[-1]
    assert text_sizes(newest) == {round(normal * window.state.view.text_scale, 2)}


@pytest.mark.parametrize("workspace", ["train", "compose", "epochs"])
def test_presenting_at_1280_the_training_controls_are_not_cut(qtbot, presenting, workspace):
    """Seen at 1280 × 800 ×1.5: the Training panel kept its 27 % of the width and its
    controls ran off the right edge (Step and the learning-rate box out of sight)."""
    window, _ = presenting
    window.resize(1280, 800)
    window.workspaces.show(workspace)
    window.presentation_action.trigger()
    window.docks["training"].show()
    window.docks["training"].raise_()
    qtbot.wait(50)
    QApplication.processEvents()
    content = window.panels.get(TRAINING)
    shown = content.parentWidget().width()  # the scroll area's viewport
    assert shown >= content.minimumSizeHint().width(), (shown, content.minimumSizeHint())
    assert window.width() == 1280
