"""Start the desktop app: one QApplication, one main window, the event loop."""

from __future__ import annotations

import sys
from importlib import resources
from typing import TYPE_CHECKING

from PySide6.QtGui import QIcon, QImage, QPixmap
from PySide6.QtWidgets import QApplication

from uat_explorer import __version__
from uat_explorer.core.workers.threads import pin_blas_to_one_thread

if TYPE_CHECKING:
    from pyqtgraph.util.garbage_collector import GarbageCollector


def run_app(path: str | None = None) -> int:
    """Open the window (and ``path``, a session or a CSV target, if given); run."""
    pin_blas_to_one_thread()
    app = QApplication.instance() or QApplication(sys.argv[:1])
    assert isinstance(app, QApplication), "the window needs a QApplication, not a QCoreApplication"
    app.setApplicationName("UAT Explorer")
    app.setOrganizationName("UAT Explorer")
    app.setApplicationVersion(__version__)
    app.setDesktopFileName("uat-explorer")  # Wayland and X taskbars match the desktop entry
    app.setWindowIcon(app_icon())
    collector = collect_on_the_gui_thread()
    from uat_explorer.gui import MainWindow

    window = MainWindow(persistent=True)
    window.show()
    window.raise_()
    window.activateWindow()
    rescued = window.files.offer_rescue()
    if path is not None:
        window.open_path(path)
    elif not rescued:
        window.lessons.welcome()
    code = app.exec()
    collector.timer.stop()
    return code


def collect_on_the_gui_thread() -> GarbageCollector:
    """Python's cycle collector, off, and run every second by a timer instead: left to
    itself it runs wherever an allocation trips it, and once it ran inside Qt's
    ``QObject::disconnect``, which held a lock that the menu it freed needed: the window
    hung for good (seen in the test suite; a landscape thread could trip it as well).
    pyqtgraph's collector collects each generation when its count is due. Keep the
    returned object: its timer is the collector."""
    from pyqtgraph.util.garbage_collector import GarbageCollector

    return GarbageCollector(interval=1.0)


LARGEST_WINDOW_ICON = 128
"""A title bar or taskbar draws at most this, even at 2×; the 256 and 512 PNGs are for the
desktop entry's launchers (decoding them and sending them to the X server with the window
took 11 ms of launch)."""


def app_icon() -> QIcon:
    """The window's icon at every size it is drawn in (PNGs: no SVG plugin needed)."""
    icon = QIcon()
    for entry in (resources.files("uat_explorer") / "resources" / "icons").iterdir():
        size = entry.name.removeprefix("uat-explorer-").removesuffix(".png")
        if entry.name.endswith(".png") and size.isdigit() and int(size) <= LARGEST_WINDOW_ICON:
            icon.addPixmap(QPixmap.fromImage(QImage.fromData(entry.read_bytes())))
    return icon
