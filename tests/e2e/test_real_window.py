"""The real `uat-explorer` entry point in a real X window under Xvfb, checked by screenshot."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

import pytest

SHOOT = r"""
import json, sys
from PySide6.QtGui import QGuiApplication
app = QGuiApplication(sys.argv[:1])
image = app.primaryScreen().grabWindow(0).toImage()
image.save(sys.argv[1])
w, h = image.width(), image.height()
colours = set()
for y in range(0, h, 7):
    for x in range(0, w, 7):
        colours.add(image.pixel(x, y))
print(json.dumps({"width": w, "height": h, "colours": len(colours)}))
"""


@pytest.fixture
def xvfb(tmp_path):
    """A private X display; skipped without Xvfb unless CI demands it."""
    if shutil.which("Xvfb") is None:
        if os.environ.get("UAT_REQUIRE_TOOLS"):
            pytest.fail("Xvfb is required here (UAT_REQUIRE_TOOLS is set) but not installed")
        pytest.skip("Xvfb is not installed")
    for number in range(90, 140):
        if (
            not Path(f"/tmp/.X11-unix/X{number}").exists()
            and not Path(f"/tmp/.X{number}-lock").exists()
        ):
            break
    server = subprocess.Popen(
        ["Xvfb", f":{number}", "-screen", "0", "1280x800x24", "-nolisten", "tcp"],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    deadline = time.monotonic() + 10
    while not Path(f"/tmp/.X11-unix/X{number}").exists():
        assert server.poll() is None, "Xvfb exited at start"
        assert time.monotonic() < deadline, "Xvfb did not start"
        time.sleep(0.05)
    env = {
        **os.environ,
        "DISPLAY": f":{number}",
        "QT_QPA_PLATFORM": "xcb",
        "HOME": str(tmp_path),
        "XDG_CONFIG_HOME": str(tmp_path / "config"),
        "XDG_DATA_HOME": str(tmp_path / "data"),
    }
    yield env
    server.terminate()
    server.wait(10)


def screenshot(env: dict, path: Path) -> dict:
    done = subprocess.run(
        [sys.executable, "-c", SHOOT, str(path)],
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout.strip().splitlines()[-1])


def launch(env: dict, *args: str) -> subprocess.Popen:
    exe = Path(sys.executable).with_name("uat-explorer")
    return subprocess.Popen(
        [str(exe), *args], env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE
    )


def wait_for_window(env: dict, app: subprocess.Popen, path: Path, timeout: float = 30) -> dict:
    """Screenshots until the window has drawn (many colours), or fail with the app's stderr."""
    deadline = time.monotonic() + timeout
    while True:
        if app.poll() is not None:
            pytest.fail(
                f"the app exited with {app.returncode}: {app.stderr.read().decode()[-2000:]}"
            )
        shot = screenshot(env, path)
        if shot["colours"] > 40 or time.monotonic() > deadline:
            return shot
        time.sleep(0.3)


def wait_until(condition, timeout: float, what: str) -> None:
    """Poll ``condition`` until it holds; fail saying ``what`` did not happen."""
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            pytest.fail(f"{what} within {timeout:g} s")
        time.sleep(0.1)


def settled(env: dict, path: Path, timeout: float = 20) -> bytes:
    """Screenshots until two in a row are the same (the window has finished drawing)."""
    shots: list[bytes] = []

    def still() -> bool:
        screenshot(env, path)
        shots.append(_pixels(path))
        return len(shots) > 1 and shots[-1] == shots[-2]

    wait_until(still, timeout, "the window did not stop changing")
    return shots[-1]


def test_entry_point_shows_a_window_that_is_not_blank(xvfb, tmp_path):
    app = launch(xvfb)
    try:
        shot = wait_for_window(xvfb, app, tmp_path / "window.png")
        assert shot["colours"] > 40, f"the screen looks blank: {shot}"
        assert app.poll() is None
    finally:
        app.terminate()
        app.wait(10)


def _pixels(path: Path) -> bytes:
    from PySide6.QtGui import QImage

    image = QImage(str(path))
    return bytes(image.constBits()) if not image.isNull() else b""


def test_space_trains_in_the_real_window(xvfb, tmp_path):
    if shutil.which("xdotool") is None:
        if os.environ.get("UAT_REQUIRE_TOOLS"):
            pytest.fail("xdotool is required here (UAT_REQUIRE_TOOLS is set) but not installed")
        pytest.skip("xdotool is not installed")
    app = launch(xvfb)
    try:
        wait_for_window(xvfb, app, tmp_path / "start.png")
        before = settled(xvfb, tmp_path / "before.png")
        subprocess.run(["xdotool", "key", "space"], env=xvfb, check=True, timeout=10)
        after = tmp_path / "after.png"

        def trained() -> bool:
            screenshot(xvfb, after)
            return _pixels(after) != before

        wait_until(trained, 20, "the window did not change after Space")
        assert app.poll() is None, app.stderr.read().decode()[-2000:]
    finally:
        app.terminate()
        app.wait(10)


def test_a_file_on_the_command_line_opens_in_the_window(xvfb, tmp_path):
    if shutil.which("xdotool") is None:
        if os.environ.get("UAT_REQUIRE_TOOLS"):
            pytest.fail("xdotool is required here (UAT_REQUIRE_TOOLS is set) but not installed")
        pytest.skip("xdotool is not installed")
    session = tmp_path / "bumps-lecture.json"
    exe = str(Path(sys.executable).with_name("uat-explorer"))
    made = subprocess.run(
        [exe, "construct", "--target", "nielsen", "--neurons", "10", "--session-out", str(session)],
        capture_output=True,
        timeout=60,
    )
    assert made.returncode == 0, made.stderr
    app = launch(xvfb, str(session))
    try:
        wait_for_window(xvfb, app, tmp_path / "opened.png")

        def titled() -> bool:
            found = subprocess.run(
                ["xdotool", "search", "--name", "bumps-lecture"],
                env=xvfb,
                capture_output=True,
                text=True,
                timeout=10,
            )
            ids = found.stdout.split()
            if not ids:
                return False
            title = subprocess.run(
                ["xdotool", "getwindowname", ids[0]],
                env=xvfb,
                capture_output=True,
                text=True,
                timeout=10,
            ).stdout
            return "bumps-lecture.json" in title

        wait_until(titled, 20, "the window's title did not name the file")
    finally:
        app.terminate()
        app.wait(10)
