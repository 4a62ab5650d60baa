"""A QApplication for rendering from the command line: offscreen, no window, no display."""

from __future__ import annotations

import os
import sys

from PySide6.QtCore import QMessageLogContext, QtMsgType, qInstallMessageHandler
from PySide6.QtWidgets import QApplication

QUIET = ("does not support propagateSizeHints", "does not support raise")
"""What the offscreen platform says about windows it has no screen for: not news to a
person who asked for a file."""


def _message(kind: QtMsgType, context: QMessageLogContext, text: str) -> None:
    if not any(quiet in text for quiet in QUIET):
        print(text, file=sys.stderr)


def ensure_application() -> QApplication:
    """Offscreen unless QT_QPA_PLATFORM says otherwise, so figures render over ssh or CI;
    a command that succeeds prints nothing on stderr."""
    app = QApplication.instance()
    if app is None:
        os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
        qInstallMessageHandler(_message)
        app = QApplication(["uat-explorer"])
    assert isinstance(app, QApplication), "a QCoreApplication cannot render widgets"
    return app
