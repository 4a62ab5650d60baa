"""Qt fixtures for the layers that use Qt (a pytest plugin their conftests name)."""

import gc
import math

import pytest

from uat_explorer.core import Target, random_network


@pytest.fixture(scope="session")
def app_identity(qapp):
    """One QApplication for the whole run, made first (so command-line tests that render
    reuse it and every test sees the same app name), in Qt's test mode."""
    from PySide6.QtCore import QCoreApplication, QStandardPaths

    from uat_explorer.gui.app import collect_on_the_gui_thread

    QStandardPaths.setTestModeEnabled(True)
    QCoreApplication.setOrganizationName("UAT Explorer Tests")
    collector = collect_on_the_gui_thread()  # as the app does
    yield
    collector.timer.stop()
    gc.enable()


@pytest.fixture
def dialogs(request, monkeypatch):
    """Message boxes answer at once (Discard / No) and are recorded, so no test can hang
    on a modal question; a test marked ``real_dialogs`` gets the real ones."""
    asked: list[tuple[str, str]] = []
    if request.node.get_closest_marker("real_dialogs") is None:
        from PySide6.QtWidgets import QMessageBox

        button = QMessageBox.StandardButton

        def answer(kind, reply):
            def ask(parent, title, text, *args, **kwargs):
                asked.append((kind, text))
                return reply

            return ask

        monkeypatch.setattr(QMessageBox, "warning", answer("warning", button.Discard))
        monkeypatch.setattr(QMessageBox, "question", answer("question", button.No))
        monkeypatch.setattr(QMessageBox, "information", answer("information", button.Ok))
    return asked


@pytest.fixture
def window(qtbot):
    """The real window with the default session, shown offscreen at a laptop's size."""
    from gui_helpers import tabs_built

    from uat_explorer.gui import MainWindow

    w = MainWindow()
    qtbot.addWidget(w)
    w.resize(1280, 800)
    w.show()
    w.state.view.set_steps_per_frame(0)  # tests train at Max; test_teaching checks the default
    return tabs_built(w)


@pytest.fixture
def sine_window(qtbot):
    """8 sigmoid neurons from seed 5 on sin(x), training at Max (thousands of steps, quickly);
    at the end it closes, and no training process may be left behind."""
    from gui_helpers import tabs_built

    from uat_explorer.core import Session
    from uat_explorer.gui import MainWindow

    domain = (-math.pi, math.pi)
    net = random_network(["sigmoid"] * 8, domain, seed=5)
    w = MainWindow(Session(network=net, target=Target.preset("sin"), domain=domain, seed=5))
    qtbot.addWidget(w)
    w.resize(1280, 800)
    w.show()
    w.state.view.set_steps_per_frame(0)
    yield tabs_built(w)
    w.files.document.mark_saved(None)
    w.close()
    assert w.training.client.process is None
