"""The wheel as a person gets it: installed into a fresh venv outside the checkout and
run from there (the window under Xvfb too). `make wheel-test` builds the wheel and names
it in UAT_WHEEL; without that variable these tests are skipped (they take a minute)."""

from __future__ import annotations

import os
import subprocess
import sys
import tarfile
import time
import zipfile
from email.parser import Parser
from pathlib import Path

import pytest
from install_helpers import children, outside_env, render_a_session, require, run
from test_real_window import screenshot, wait_for_window, xvfb  # noqa: F401 (a fixture)

WHEEL = os.environ.get("UAT_WHEEL", "")
pytestmark = pytest.mark.skipif(not WHEEL, reason="UAT_WHEEL is not set (make wheel-test sets it)")


@pytest.fixture(scope="module")
def installed(tmp_path_factory) -> Path:
    """The bin folder of a fresh venv with the wheel (and its dependencies) installed."""
    venv = tmp_path_factory.mktemp("wheel") / "venv"
    subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True, timeout=120)
    done = subprocess.run(
        [str(venv / "bin" / "python"), "-m", "pip", "install", "--quiet", str(Path(WHEEL))],
        capture_output=True,
        text=True,
        timeout=900,
    )
    assert done.returncode == 0, done.stderr
    return venv / "bin"


def test_the_wheel_holds_the_package_and_its_resources_only():
    names = set(zipfile.ZipFile(WHEEL).namelist())
    icons = {n for n in names if n.startswith("uat_explorer/resources/icons/")}
    assert "uat_explorer/resources/icons/uat-explorer.svg" in icons and len(icons) == 10
    assert all(n.startswith(("uat_explorer/", "uat_explorer-")) for n in names)
    assert not [n for n in names if n.endswith((".gif", ".pyc")) or "/tests/" in n]
    assert any(n.endswith(".dist-info/licenses/LICENSE") for n in names)


def test_the_metadata_is_what_a_package_index_expects():
    with zipfile.ZipFile(WHEEL) as wheel:
        name = next(n for n in wheel.namelist() if n.endswith(".dist-info/METADATA"))
        metadata = Parser().parsestr(wheel.read(name).decode())
    assert metadata["Name"] == "uat-explorer" and metadata["License-Expression"] == "MIT"
    assert metadata["Requires-Python"] == ">=3.11"
    assert metadata["Description-Content-Type"] == "text/markdown"
    assert metadata.get_payload().startswith("# UAT Explorer")
    assert any(url.startswith("Homepage, https://") for url in metadata.get_all("Project-URL"))
    assert "Intended Audience :: Education" in metadata.get_all("Classifier")
    assert f"-{metadata['Version']}-" in Path(WHEEL).name


def test_the_sdist_builds_the_same_package_with_its_tests():
    sdists = list(Path(WHEEL).parent.glob("uat_explorer-*.tar.gz"))
    assert len(sdists) == 1
    with tarfile.open(sdists[0]) as sdist:
        names = sdist.getnames()
    root = names[0].split("/")[0]
    for needed in ("LICENSE", "README.md", "pyproject.toml", "tests/conftest.py"):
        assert f"{root}/{needed}" in names
    assert f"{root}/uat_explorer/resources/icons/uat-explorer-16.png" in names
    assert not any(n.startswith(f"{root}/resources/") for n in names)  # the README's images


def test_it_runs_from_the_fresh_venv_not_the_checkout(installed, tmp_path):
    env = outside_env(tmp_path)
    where = run(
        [str(installed / "python"), "-c", "import uat_explorer; print(uat_explorer.__file__)"],
        tmp_path,
        env,
    )
    assert Path(where.stdout.strip()).is_relative_to(installed.parent), where.stdout
    version = run([str(installed / "uat-explorer"), "--version"], tmp_path, env)
    assert version.returncode == 0
    assert version.stdout == f"uat-explorer {Path(WHEEL).name.split('-')[1]}\n"


def test_render_works_headless_from_the_install(installed, tmp_path):
    render_a_session(str(installed / "uat-explorer"), tmp_path, outside_env(tmp_path))


def test_the_window_opens_and_trains_from_the_install(installed, xvfb, tmp_path):  # noqa: F811
    """Space starts training: a worker process of the installed package, through `-c`."""
    require("xdotool")
    app = subprocess.Popen(
        [str(installed / "uat-explorer")],
        cwd=tmp_path,
        env=xvfb,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )
    try:
        shot = wait_for_window(xvfb, app, tmp_path / "window.png")
        assert shot["colours"] > 40, f"the screen looks blank: {shot}"
        time.sleep(0.5)
        before = screenshot(xvfb, tmp_path / "before.png")
        subprocess.run(["xdotool", "key", "space"], env=xvfb, check=True, timeout=10)
        time.sleep(1.5)
        after = screenshot(xvfb, tmp_path / "after.png")
        assert app.poll() is None, app.stderr.read().decode()[-2000:]
        assert (tmp_path / "before.png").read_bytes() != (tmp_path / "after.png").read_bytes()
        assert before["colours"] > 40 and after["colours"] > 40
        # The window trains in a worker: the venv's Python running the installed package.
        python = str(installed / "python")
        assert any(c[:2] == [python, "-c"] and "workers.process" in c[2] for c in children(app.pid))
    finally:
        app.terminate()
        app.wait(10)


def test_the_desktop_entry_points_at_the_installed_command(installed, tmp_path):
    env = outside_env(tmp_path)
    done = run([str(installed / "uat-explorer"), "--install-desktop-entry"], tmp_path, env)
    assert done.returncode == 0, done.stderr
    entry = Path(env["XDG_DATA_HOME"]) / "applications" / "uat-explorer.desktop"
    assert f"\nExec={installed / 'uat-explorer'} %f\n" in entry.read_text()
