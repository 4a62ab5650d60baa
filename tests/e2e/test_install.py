"""Installed like a desktop app: one version, an icon drawn from one SVG, a desktop entry
that comes and goes cleanly, and the way a frozen bundle starts its helper processes
(checked here through the checkout's own `uat-explorer` script; tests/test_bundle.py
checks the real bundle)."""

from __future__ import annotations

import importlib.metadata
import subprocess
import sys
from importlib import resources
from pathlib import Path

import numpy as np
import pytest
from install_helpers import outside_env, require, run, train_and_race_through

from uat_explorer import __version__
from uat_explorer.cli import desktop_entry, main

SCRIPT = str(Path(sys.executable).with_name("uat-explorer"))
ICONS = resources.files("uat_explorer") / "resources" / "icons"
SIZES = (16, 22, 24, 32, 48, 64, 128, 256, 512)


def ours(data: Path) -> set[Path]:
    """Every file --install-desktop-entry should write under the data folder."""
    icons = data / "icons" / "hicolor"
    return {
        data / "applications" / "uat-explorer.desktop",
        data / "mime" / "packages" / "uat-explorer.xml",
        icons / "scalable" / "apps" / "uat-explorer.svg",
        *(icons / f"{n}x{n}" / "apps" / "uat-explorer.png" for n in SIZES),
    }


def test_the_version_is_written_in_one_place():
    done = subprocess.run([SCRIPT, "--version"], capture_output=True, text=True, timeout=60)
    assert done.returncode == 0 and done.stdout == f"uat-explorer {__version__}\n"
    assert importlib.metadata.version("uat-explorer") == __version__


def test_the_icon_comes_in_every_size_a_desktop_asks_for():
    from PySide6.QtCore import QSize

    from uat_explorer.gui.app import LARGEST_WINDOW_ICON, app_icon

    names = sorted(entry.name for entry in ICONS.iterdir())
    assert names == sorted(["uat-explorer.svg", *(f"uat-explorer-{n}.png" for n in SIZES)])
    window_sizes = [n for n in SIZES if n <= LARGEST_WINDOW_ICON]
    assert window_sizes == [16, 22, 24, 32, 48, 64, 128]
    assert sorted(s.width() for s in app_icon().availableSizes()) == window_sizes
    assert all(QSize(n, n) in app_icon().availableSizes() for n in window_sizes)


def _pixels(path: Path | bytes) -> np.ndarray:
    from PySide6.QtGui import QImage

    image = QImage.fromData(path) if isinstance(path, bytes) else QImage(str(path))
    image = image.convertToFormat(QImage.Format.Format_RGBA8888)
    return np.frombuffer(bytes(image.constBits()), np.uint8).astype(float)


def test_the_pngs_are_rendered_from_the_svg(tmp_path):
    """`make icons` made them: each PNG is the SVG at its size (to within antialiasing,
    which another librsvg may do a little differently)."""
    rsvg = require("rsvg-convert")
    for n in SIZES:
        fresh = tmp_path / f"{n}.png"
        svg = str(ICONS / "uat-explorer.svg")
        subprocess.run([rsvg, "-w", str(n), "-h", str(n), svg, "-o", str(fresh)], check=True)
        committed = (ICONS / f"uat-explorer-{n}.png").read_bytes()
        difference = np.abs(_pixels(fresh) - _pixels(committed))
        assert difference.size == n * n * 4 and difference.mean() < 2, f"{n} px: make icons"


def test_the_desktop_entry_installs_and_uninstalls_exactly_its_files(tmp_path):
    env = outside_env(tmp_path)
    data = Path(env["XDG_DATA_HOME"])
    done = run([SCRIPT, "--install-desktop-entry"], tmp_path, env)
    assert done.returncode == 0, done.stderr
    assert {
        line.removeprefix("wrote ") for line in done.stdout.splitlines() if "wrote" in line
    } == {str(p) for p in ours(data)}
    files = {p for p in data.rglob("*") if p.is_file()}
    assert ours(data) <= files
    # Anything else is the desktop's own databases, rebuilt by their tools.
    generated = files - ours(data)
    assert all(p.is_relative_to(data / "mime") or p.name == "mimeinfo.cache" for p in generated)

    entry = (data / "applications" / "uat-explorer.desktop").read_text()
    assert f"\nExec={SCRIPT} %f\n" in entry and f"\nTryExec={SCRIPT}\n" in entry
    assert "\nIcon=uat-explorer\n" in entry
    assert "\nMimeType=application/x-uat-explorer-session;text/x-uat-explorer-lesson;\n" in entry
    hicolor = data / "icons" / "hicolor"
    for n in SIZES:
        png = hicolor / f"{n}x{n}" / "apps" / "uat-explorer.png"
        assert png.read_bytes() == (ICONS / f"uat-explorer-{n}.png").read_bytes()

    done = run([SCRIPT, "--uninstall-desktop-entry"], tmp_path, env)
    assert done.returncode == 0, done.stderr
    removed = {line.removeprefix("removed ") for line in done.stdout.splitlines()}
    assert {str(p) for p in ours(data)} <= removed
    assert not any(p.exists() for p in ours(data))
    assert not any(hicolor.iterdir())  # the size folders it made are gone too
    again = run([SCRIPT, "--uninstall-desktop-entry"], tmp_path, env)
    assert again.returncode == 0 and again.stdout.startswith("nothing to remove")


def test_the_desktop_entry_is_valid_even_for_a_path_with_spaces_and_dollars(tmp_path):
    validate = require("desktop-file-validate")
    command = [str(tmp_path / "Jane Doe's $HOME" / "100%" / "uat-explorer")]
    entry = desktop_entry.desktop_entry(command)
    assert '\nExec="' + str(tmp_path) + "/Jane Doe's \\\\$HOME/100%%/uat-explorer\" %f\n" in entry
    path = tmp_path / "uat-explorer.desktop"
    path.write_text(entry)
    done = subprocess.run([validate, str(path)], capture_output=True, text=True, timeout=30)
    assert done.returncode == 0 and "error" not in done.stdout.lower(), done.stdout


def test_sessions_and_lessons_get_their_own_file_types(tmp_path):
    """Qt's own file-type database (KDE's, and what GNOME's GIO agrees with) reads the
    installed types: a saved session by its content, any other JSON stays JSON."""
    require("update-mime-database")
    env = outside_env(tmp_path)
    assert run([SCRIPT, "--install-desktop-entry"], tmp_path, env).returncode == 0
    made = run(
        [SCRIPT, "construct", "--target", "sin", "--session-out", "lecture.json"], tmp_path, env
    )
    assert made.returncode == 0, made.stderr
    (tmp_path / "other.json").write_text('{"app": "something else", "x": 1}\n')
    (tmp_path / "week1.lesson.md").write_text("# Steps add up\n")
    (tmp_path / "notes.md").write_text("# Notes\n")
    ask = (
        "import sys; from PySide6.QtCore import QMimeDatabase;"
        " print(*(QMimeDatabase().mimeTypeForFile(f).name() for f in sys.argv[1:]))"
    )
    names = ["lecture.json", "other.json", "week1.lesson.md", "notes.md"]
    done = run([sys.executable, "-c", ask, *names], tmp_path, env)
    assert done.stdout.split() == [
        desktop_entry.SESSION_TYPE,
        "application/json",
        desktop_entry.LESSON_TYPE,
        "text/markdown",
    ], done.stderr


def test_an_icon_cache_already_there_is_kept_up_to_date(tmp_path):
    """GTK reads an icon folder without a cache (so none is made: see above); where one
    exists, the new icon is found only once the cache lists it."""
    refresh = require("gtk-update-icon-cache")
    env = outside_env(tmp_path)
    hicolor = Path(env["XDG_DATA_HOME"]) / "icons" / "hicolor"
    other = hicolor / "48x48" / "apps" / "another-app.png"
    other.parent.mkdir(parents=True)
    other.write_bytes((ICONS / "uat-explorer-48.png").read_bytes())
    subprocess.run([refresh, "-q", "-f", "-t", str(hicolor)], check=True, timeout=30)
    cache = hicolor / "icon-theme.cache"
    assert b"uat-explorer" not in cache.read_bytes()

    done = run([SCRIPT, "--install-desktop-entry"], tmp_path, env)
    assert f"ran gtk-update-icon-cache {hicolor}" in done.stdout.splitlines()
    assert b"uat-explorer" in cache.read_bytes()
    done = run([SCRIPT, "--uninstall-desktop-entry"], tmp_path, env)
    assert f"ran gtk-update-icon-cache {hicolor}" in done.stdout.splitlines()
    assert b"uat-explorer" not in cache.read_bytes() and b"another-app" in cache.read_bytes()
    assert other.exists()  # the other app's icon, and so its folder, stay


def test_an_unwritable_data_folder_is_one_line_and_exit_2(tmp_path):
    env = outside_env(tmp_path)
    blocker = tmp_path / "a-file"
    blocker.write_text("")
    env["XDG_DATA_HOME"] = str(blocker)
    done = run([SCRIPT, "--install-desktop-entry"], tmp_path, env)
    assert done.returncode == 2 and done.stdout == ""
    assert done.stderr.startswith("uat-explorer: error: cannot write ")
    assert done.stderr.count("\n") == 1


@pytest.mark.parametrize("flag", ["--install-desktop-entry", "--uninstall-desktop-entry"])
def test_the_desktop_entry_is_linux_only(flag, monkeypatch, capsys):
    monkeypatch.setattr(sys, "platform", "darwin")
    assert main([flag]) == 2
    out, err = capsys.readouterr()
    assert out == "" and err.count("\n") == 1 and "Linux desktops only" in err


@pytest.mark.parametrize(
    "argv",
    [
        ["--install-desktop-entry", "fit", "--target", "sin"],
        ["--install-desktop-entry", "--uninstall-desktop-entry"],
        ["--worker", "port", "train"],
        ["--worker", "4000", "nobody"],
    ],
)
def test_misused_top_level_flags_are_one_line_and_exit_2(argv, capsys):
    assert main(argv) == 2
    out, err = capsys.readouterr()
    assert out == "" and err.count("\n") == 1 and err.startswith("uat-explorer: error: ")


def test_a_bundle_starts_its_workers_through_its_own_executable(monkeypatch):
    """What a frozen app does (sys.executable is the app, no `-c`), with this checkout's
    script standing in for the bundle's executable."""
    train_and_race_through(SCRIPT, monkeypatch)


def test_a_bundle_paints_a_big_png_through_its_own_executable(sine_window, tmp_path, monkeypatch):
    from PySide6.QtGui import QImage

    from uat_explorer.export.figures import FigureOptions
    from uat_explorer.gui.files import exporter

    monkeypatch.setattr(exporter, "OFFLINE_PIXELS", 1000)
    monkeypatch.setattr(sys, "frozen", True, raising=False)
    monkeypatch.setattr(sys, "executable", SCRIPT)
    path = tmp_path / "big.png"
    assert sine_window.files.exporter.figure(path, FigureOptions(300, 200, 2.0))
    assert QImage(str(path)).size().toTuple() == (600, 400)
