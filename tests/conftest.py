"""Shared fixtures: small fixed problems that every core test can reuse; and a sandbox
for everything the app keeps between runs (settings, autosaves), so tests never touch a
real user's files and always start clean."""

import math
import os
import tempfile

import numpy as np
import pytest

from uat_explorer.core import Target, random_network

_SANDBOX = tempfile.mkdtemp(prefix="uat-tests-")
for _name in ("XDG_CONFIG_HOME", "XDG_DATA_HOME", "XDG_CACHE_HOME", "XDG_STATE_HOME"):
    os.environ[_name] = os.path.join(_SANDBOX, _name.lower())
os.environ["HOME"] = _SANDBOX  # Qt's test mode writes under $HOME/.qttest
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")  # `pytest` alone works, as make test


@pytest.fixture(scope="session", autouse=True)
def _app_identity(qapp):
    """One QApplication for the whole run, made first (so command-line tests that render
    reuse it and every test sees the same app name), in Qt's test mode."""
    from PySide6.QtCore import QCoreApplication, QStandardPaths

    QStandardPaths.setTestModeEnabled(True)
    QCoreApplication.setOrganizationName("UAT Explorer Tests")


@pytest.fixture
def sine_problem():
    """sin(x) on [−π, π], 64 samples, and 8 sigmoid neurons from seed 3."""
    domain = (-math.pi, math.pi)
    x, t = Target.preset("sin").samples(domain, 64)
    return random_network(["sigmoid"] * 8, domain, seed=3), x, t


@pytest.fixture
def rng():
    return np.random.default_rng(12345)


@pytest.fixture(autouse=True)
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
    from uat_explorer.gui import MainWindow

    w = MainWindow()
    qtbot.addWidget(w)
    w.resize(1280, 800)
    w.show()
    w.state.view.set_steps_per_frame(0)  # tests train at Max; test_teaching checks the default
    return w


@pytest.fixture
def sine_window(qtbot):
    """8 sigmoid neurons from seed 5 on sin(x), training at Max (thousands of steps, quickly);
    at the end it closes, and no training process may be left behind."""
    from uat_explorer.core import Session
    from uat_explorer.gui import MainWindow

    domain = (-math.pi, math.pi)
    net = random_network(["sigmoid"] * 8, domain, seed=5)
    w = MainWindow(Session(network=net, target=Target.preset("sin"), domain=domain, seed=5))
    qtbot.addWidget(w)
    w.resize(1280, 800)
    w.show()
    w.state.view.set_steps_per_frame(0)
    yield w
    w.files.document.mark_saved(None)
    w.close()
    assert w.training.client.process is None
