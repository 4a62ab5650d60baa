"""The standalone one-folder app (PyInstaller) as a person gets it: run from outside the
checkout, the window under Xvfb, training in its worker processes, its exports and its
desktop entry. `make bundle-test` builds it and names its folder in UAT_BUNDLE; without
that variable these tests are skipped."""

from __future__ import annotations

import json
import os
import subprocess
import time
from pathlib import Path

import pytest
from install_helpers import (
    children,
    outside_env,
    render_a_session,
    require,
    run,
    train_and_race_through,
)
from test_real_window import screenshot, wait_for_window, xvfb  # noqa: F401 (a fixture)

from uat_explorer import __version__
from uat_explorer.core import Session, Target, random_network
from uat_explorer.export.figures import FigureOptions
from uat_explorer.export.offline import job

BUNDLE = os.environ.get("UAT_BUNDLE", "")
pytestmark = pytest.mark.skipif(not BUNDLE, reason="UAT_BUNDLE is not set (make bundle-test)")
EXE = str(Path(BUNDLE, "uat-explorer").absolute())


def test_the_bundle_knows_its_version(tmp_path):
    done = run([EXE, "--version"], tmp_path, outside_env(tmp_path))
    assert done.returncode == 0 and done.stdout == f"uat-explorer {__version__}\n", done.stderr


def test_the_bundle_renders_headless(tmp_path):
    render_a_session(EXE, tmp_path, outside_env(tmp_path))


def test_the_bundle_opens_a_window_that_is_not_blank_and_trains(xvfb, tmp_path):  # noqa: F811
    require("xdotool")
    app = subprocess.Popen(
        [EXE], cwd=tmp_path, env=xvfb, stdout=subprocess.PIPE, stderr=subprocess.PIPE
    )
    try:
        shot = wait_for_window(xvfb, app, tmp_path / "window.png")
        assert shot["colours"] > 40, f"the screen looks blank: {shot}"
        time.sleep(0.5)
        screenshot(xvfb, tmp_path / "before.png")
        subprocess.run(["xdotool", "key", "space"], env=xvfb, check=True, timeout=10)
        time.sleep(1.5)
        screenshot(xvfb, tmp_path / "after.png")
        assert app.poll() is None, app.stderr.read().decode()[-2000:]
        assert (tmp_path / "before.png").read_bytes() != (tmp_path / "after.png").read_bytes()
        # The window trains in a worker: the bundle's executable again, with --worker.
        assert [EXE, "--worker"] in [command[:2] for command in children(app.pid)]
    finally:
        app.terminate()
        app.wait(10)


def test_the_bundle_trains_and_races_in_its_worker_processes(monkeypatch):
    train_and_race_through(EXE, monkeypatch)


def test_the_bundle_paints_a_big_png_in_its_export_process(tmp_path):
    """What the window's exporter runs for a big PNG: the bundle with --export-job."""
    domain = (-1.0, 1.0)
    network = random_network(["tanh"] * 4, domain, seed=2)
    session = Session(network=network, target=Target.preset("sin"), domain=domain)
    png = tmp_path / "big.png"
    job_file = tmp_path / "job.json"
    job_file.write_text(json.dumps(job(session, FigureOptions(300, 200, 2.0), png)))
    done = run([EXE, "--export-job", str(job_file)], tmp_path, outside_env(tmp_path))
    assert done.returncode == 0, done.stderr
    from PySide6.QtGui import QImage

    assert QImage(str(png)).size().toTuple() == (600, 400)


def test_the_bundle_installs_a_desktop_entry_that_starts_it(tmp_path):
    env = outside_env(tmp_path)
    done = run([EXE, "--install-desktop-entry"], tmp_path, env)
    assert done.returncode == 0, done.stderr
    data = Path(env["XDG_DATA_HOME"])
    entry = (data / "applications" / "uat-explorer.desktop").read_text()
    assert f"\nExec={EXE} %f\n" in entry
    assert (data / "icons" / "hicolor" / "256x256" / "apps" / "uat-explorer.png").is_file()
    assert run([EXE, "--uninstall-desktop-entry"], tmp_path, env).returncode == 0


def test_the_bundle_holds_the_app_and_not_the_build_tools():
    """About 240 MB on Linux (Qt with ICU, numpy with OpenBLAS, Python); more would mean
    something like the test or benchmark tools got in."""
    files = [p for p in Path(BUNDLE).rglob("*") if p.is_file() and not p.is_symlink()]
    size = sum(p.stat().st_size for p in files)
    assert size < 300e6, f"the bundle holds {size / 1e6:.0f} MB"
    internal = Path(BUNDLE, "_internal")
    assert (internal / "uat_explorer" / "resources" / "icons" / "uat-explorer.svg").is_file()
    for absent in ("PyInstaller", "pytest", "torch", "build"):
        assert not (internal / absent).exists(), absent
