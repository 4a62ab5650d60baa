"""Light ↔ dark while running: every view follows the new palette, the cards too (a
style sheet kept them light)."""

from __future__ import annotations

from PySide6.QtGui import QColor, QPalette
from PySide6.QtWidgets import QApplication

from uat_explorer.plots.theme import neuron_color

WINDOW = QPalette.ColorRole.Window


def test_the_cards_follow_a_new_palette(qtbot, window):
    app = QApplication.instance()
    before = app.palette()
    dark = QPalette(QColor("#2b2b2b"))
    try:
        app.setPalette(dark)
        card = next(iter(window.stack.cards.values()))
        qtbot.waitUntil(lambda: card.palette().color(WINDOW) == dark.color(WINDOW), timeout=2000)
        base = dark.color(QPalette.ColorRole.Base)
        swatch = neuron_color(card.neuron_id, base).name()
        assert swatch in card.swatch.styleSheet()
        assert window.plot.backgroundBrush().color() == base
    finally:
        app.setPalette(before)
    qtbot.waitUntil(lambda: card.palette().color(WINDOW) == before.color(WINDOW), timeout=2000)
