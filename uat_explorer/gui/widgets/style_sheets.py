"""Widgets with a style sheet keep the font (and palette) they were polished with: Qt
passes a new application font, or a new system palette, to every other widget but not to
them. Applying each sheet again makes them follow."""

from __future__ import annotations

from PySide6.QtWidgets import QWidget


def reapply_style_sheets(root: QWidget) -> None:
    """Polish again ``root`` and every widget under it that carries a style sheet."""
    for widget in [root, *root.findChildren(QWidget)]:
        sheet = widget.styleSheet()
        if sheet:
            widget.setStyleSheet("")
            widget.setStyleSheet(sheet)
