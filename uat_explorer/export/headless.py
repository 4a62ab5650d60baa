"""A QApplication for rendering from the command line: offscreen, no window, no display."""

from __future__ import annotations

import os

from PySide6.QtWidgets import QApplication


def ensure_application() -> QApplication:
    """Offscreen unless QT_QPA_PLATFORM says otherwise, so figures render over ssh or CI."""
    app = QApplication.instance()
    if app is None:
        os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
        app = QApplication(["uat-explorer"])
    assert isinstance(app, QApplication), "a QCoreApplication cannot render widgets"
    return app
