"""PySide6's per-import check, answered by reading the file: same answers, less time."""

from __future__ import annotations

import sys
from types import ModuleType

import pytest

from uat_explorer import cli, qt_start


@pytest.fixture
def feature(monkeypatch: pytest.MonkeyPatch) -> ModuleType:
    """PySide6's feature module, its check restored after the test."""
    module = sys.modules[qt_start.FEATURE_MODULE]
    monkeypatch.setattr(module, "_mod_uses_pyside", module._mod_uses_pyside)
    return module


def test_the_quick_check_agrees_with_pysides_own_on_every_loaded_module(feature) -> None:
    import uat_explorer.gui.main_window  # noqa: F401  (a module that uses Qt)

    original = feature._mod_uses_pyside
    assert not getattr(original, "reads_bytes", False)  # PySide6's own, not ours
    quick = qt_start.file_mentions_pyside(original)
    modules = [m for m in list(sys.modules.values()) if isinstance(m, ModuleType)]
    answers = {m.__name__: (quick(m), original(m)) for m in modules}
    assert all(mine == theirs for mine, theirs in answers.values())
    # Both answers occur: the app's Qt modules mention PySide6, its core does not.
    assert answers["uat_explorer.gui.main_window"] == (True, True)
    assert answers["uat_explorer.core.nn.network"] == (False, False)


def test_a_module_whose_file_is_gone_gets_pysides_own_answer(feature, tmp_path) -> None:
    asked: list[str] = []
    quick = qt_start.file_mentions_pyside(lambda m: asked.append(m.__name__) or False)
    gone = ModuleType("gone")
    gone.__file__ = str(tmp_path / "gone.py")
    assert quick(gone) is False
    assert asked == ["gone"]


def test_installed_once_however_often_asked(feature) -> None:
    qt_start.import_qt_quickly()
    installed = feature._mod_uses_pyside
    assert installed.reads_bytes
    qt_start.import_qt_quickly()
    assert feature._mod_uses_pyside is installed


def test_opening_the_window_from_the_command_line_installs_it(feature, monkeypatch) -> None:
    import uat_explorer.gui.app as app

    monkeypatch.setattr(app, "run_app", lambda path=None: 0)
    assert not getattr(feature._mod_uses_pyside, "reads_bytes", False)
    assert cli.main([]) == 0
    assert feature._mod_uses_pyside.reads_bytes
