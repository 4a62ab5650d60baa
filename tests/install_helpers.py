"""What the install tests share: a command from an installed copy of the app (the
checkout's console script, a wheel's venv, the bundle) run the way a person or a desktop
runs it, and checked for what it should have made."""

from __future__ import annotations

import math
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from uat_explorer.core import OptimizerSpec, StopRule, Target, random_network
from uat_explorer.core.workers.messages import Advance, Alive, Failed, Finished
from uat_explorer.core.workers.process import close_worker, start_worker
from uat_explorer.core.workers.race import RaceJob, RaceProgress
from uat_explorer.core.workers.training import Job

CHECKOUT = Path(__file__).resolve().parent.parent


def require(tool: str) -> str:
    """The tool's path; a skip without it, or a failure when CI demands every tool."""
    found = shutil.which(tool)
    if found is None:
        if os.environ.get("UAT_REQUIRE_TOOLS"):
            pytest.fail(f"{tool} is required here (UAT_REQUIRE_TOOLS is set) but not installed")
        pytest.skip(f"{tool} is not installed")
    return found


def outside_env(tmp_path: Path) -> dict[str, str]:
    """An environment in which nothing of the checkout can be imported, with a private
    home, data and settings: what a fresh user on this machine has."""
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "VIRTUAL_ENV")}
    env |= {
        "HOME": str(tmp_path / "home"),
        "XDG_CONFIG_HOME": str(tmp_path / "home" / "config"),
        "XDG_DATA_HOME": str(tmp_path / "home" / "data"),
        "QT_QPA_PLATFORM": "offscreen",
    }
    return env


def run(command: list[str], cwd: Path, env: dict[str, str], timeout: float = 120):
    """Run from ``cwd`` (outside the checkout); the finished process, text output."""
    assert CHECKOUT not in cwd.resolve().parents and cwd.resolve() != CHECKOUT
    return subprocess.run(
        command, cwd=cwd, env=env, capture_output=True, text=True, timeout=timeout
    )


def colours(path: Path) -> int:
    """How many different colours a PNG has (sampled every 5th pixel both ways)."""
    from PySide6.QtGui import QImage

    image = QImage(str(path))
    assert not image.isNull(), f"{path} is not an image"
    return len(
        {image.pixel(x, y) for y in range(0, image.height(), 5) for x in range(0, image.width(), 5)}
    )


def render_a_session(exe: str, cwd: Path, env: dict[str, str]) -> None:
    """`construct` a session, then `render` it headless to a PNG with curves on it."""
    session, png = cwd / "bumps.json", cwd / "bumps.png"
    made = run([exe, "construct", "--target", "nielsen", "--session-out", str(session)], cwd, env)
    assert made.returncode == 0, made.stderr
    drawn = run([exe, "render", "--session", str(session), "--export-png", str(png)], cwd, env)
    assert drawn.returncode == 0, drawn.stderr
    assert colours(png) > 10


def children(pid: int) -> list[list[str]]:
    """The command lines of a process's children (Linux: /proc)."""
    found = []
    for task in Path(f"/proc/{pid}/task").iterdir():
        for child in (task / "children").read_text().split():
            found.append(Path(f"/proc/{child}/cmdline").read_bytes().decode().split("\0")[:-1])
    return found


def train_and_race_through(exe: str, monkeypatch) -> None:
    """Start the training and race workers as a frozen bundle does (``exe --worker``) and
    have each do real work: 37 training steps, a race of two runs to its end."""
    monkeypatch.setattr(sys, "frozen", True, raising=False)
    monkeypatch.setattr(sys, "executable", exe)
    domain = (-math.pi, math.pi)
    x, t = Target.preset("sin").samples(domain, 100)
    network = random_network(["sigmoid"] * 8, domain, seed=3)

    process, conn = start_worker()
    try:
        conn.send(Job(network, x, t, "mse", OptimizerSpec("adam", 0.01), StopRule(), 0))
        conn.send(Advance(37))
        while (reply := _next(conn)).running:
            pass
        assert reply.step == 37
    finally:
        close_worker(process, conn)
    assert process.exitcode == 0

    process, conn = start_worker("race")
    try:
        specs = [OptimizerSpec("adam", 0.01), OptimizerSpec("sgd", 0.1)]
        conn.send(RaceJob(network, x, t, "mse", specs, 50))
        finished = set()
        while isinstance(reply := _next(conn), RaceProgress):
            if reply.done:
                finished.add(reply.index)
        assert isinstance(reply, Finished) and finished == {0, 1}
    finally:
        close_worker(process, conn)


def _next(conn, timeout: float = 60.0):
    """The worker's next reply (heartbeats skipped); a failure if it reports an error or
    says nothing."""
    while True:
        if not conn.poll(timeout):
            pytest.fail("the worker did not answer in time")
        reply = conn.recv()
        assert not isinstance(reply, Failed), reply
        if not isinstance(reply, Alive):
            return reply
