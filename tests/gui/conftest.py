"""The gui tests use Qt: the app identity, the window fixtures and message boxes that
answer at once."""

import pytest


@pytest.fixture(scope="session", autouse=True)
def _identity(app_identity):
    """One QApplication for the run, named and in test mode, before any test of this layer."""


@pytest.fixture(autouse=True)
def _dialogs(dialogs):
    """No modal question can hang a test (``real_dialogs`` tests get the real ones)."""
