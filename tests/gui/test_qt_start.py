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
    assert not getattr(original, "quick_check", False)  # PySide6's own, not ours
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
    assert installed.quick_check
    qt_start.import_qt_quickly()
    assert feature._mod_uses_pyside is installed


def test_opening_the_window_from_the_command_line_installs_it(feature, monkeypatch) -> None:
    import uat_explorer.gui.app as app

    monkeypatch.setattr(app, "run_app", lambda path=None: 0)
    assert not getattr(feature._mod_uses_pyside, "quick_check", False)
    assert cli.main([]) == 0
    assert feature._mod_uses_pyside.quick_check


def test_no_file_is_read_until_a_module_switches_a_feature_on() -> None:
    selections = {"PySide6": 0, "enum": -1}
    asked: list[str] = []
    quick = qt_start.until_a_feature_is_on(selections, lambda m: asked.append(m.__name__) or False)
    assert quick(ModuleType("plain")) is True and asked == []
    selections["snake"] = 1  # a module ran "from __feature__ import snake_case"
    assert quick(ModuleType("later")) is False and asked == ["later"]


def test_the_app_switches_no_feature_on() -> None:
    """What lets the check answer without reading (``qt_start``)."""
    import re
    from pathlib import Path

    switch = re.compile(r"^\s*(from|import)\s+__feature__", re.MULTILINE)
    package = Path(cli.__file__).parents[1]
    assert not [p for p in package.rglob("*.py") if switch.search(p.read_text("utf-8"))]
    feature = sys.modules[qt_start.FEATURE_MODULE]
    assert max(feature.pyside_feature_dict.values()) <= 0
