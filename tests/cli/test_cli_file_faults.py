"""Files that are not what they seem, numbers at the edge, and the app's own folders
(issue 14): a clear message, nothing lost, nothing frozen. Hangs are bounded by the
harness (subprocess timeouts), never by timed assertions."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest

CLI = [sys.executable, "-m", "uat_explorer"]


def cli(*args: str, timeout: float = 60) -> subprocess.CompletedProcess:
    return subprocess.run([*CLI, *args], capture_output=True, text=True, timeout=timeout)


def test_a_fifo_is_refused_not_waited_on(tmp_path):
    """F1: reading a named pipe would block for ever."""
    fifo = tmp_path / "points.csv"
    os.mkfifo(fifo)
    for flags in (["--data", str(fifo)], ["--session-in", str(fifo)]):
        done = cli("fit", *flags, "--steps", "1")
        assert done.returncode == 2, done.stderr
        assert "not a regular file" in done.stderr and len(done.stderr.splitlines()) == 1


@pytest.mark.parametrize("device", ["/dev/zero", "/dev/urandom"])
def test_endless_files_are_refused(tmp_path, device):
    """F2: never read a device; a link to one is no better."""
    link = tmp_path / "session.json"
    link.symlink_to(device)
    for flags in (["--data", device], ["--session-in", str(link)]):
        done = cli("fit", *flags, "--steps", "1")
        assert done.returncode == 2 and "not a regular file" in done.stderr, done.stderr


def test_export_settings_are_checked_before_any_work_or_write(tmp_path):
    out = tmp_path / "s.json"
    done = cli(
        "fit",
        "--target",
        "sin",
        "--steps",
        "30000",
        "--session-out",
        str(out),
        "--export-png",
        str(tmp_path / "f.png"),
        "--width",
        "0",
    )
    assert done.returncode == 2 and not out.exists(), done.stderr


def test_a_gif_that_would_not_fit_in_memory_is_refused_first(tmp_path):
    """F13: estimated and refused, naming the limit, before a single frame."""
    done = cli(
        "fit",
        "--target",
        "sin",
        "--export-gif",
        str(tmp_path / "g.gif"),
        "--gif-frames",
        "1000",
        "--width",
        "4000",
        "--height",
        "4000",
        timeout=30,
    )
    assert done.returncode == 2 and "GB" in done.stderr and "limit" in done.stderr
