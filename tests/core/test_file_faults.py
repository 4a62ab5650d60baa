"""Files that are not what they seem, numbers at the edge, and the app's own folders
(issue 14): a clear message, nothing lost, nothing frozen. Hangs are bounded by the
harness (subprocess timeouts), never by timed assertions."""

from __future__ import annotations

import os
import subprocess
import sys
import time

import pytest

from uat_explorer.core import InputError, Session, SessionError, default_session, parse_csv
from uat_explorer.core.files import STALE_TEMP_SECONDS, atomic_write_text

CLI = [sys.executable, "-m", "uat_explorer"]


def cli(*args: str, timeout: float = 60) -> subprocess.CompletedProcess:
    return subprocess.run([*CLI, *args], capture_output=True, text=True, timeout=timeout)


def test_stale_temporaries_of_killed_saves_are_cleaned(tmp_path):
    target = tmp_path / "s.json"
    old = tmp_path / ".s.json.killed.tmp"
    fresh = tmp_path / ".s.json.running.tmp"
    for path in (old, fresh):
        path.write_text("{")
    past = time.time() - STALE_TEMP_SECONDS - 5
    os.utime(old, (past, past))
    atomic_write_text(target, "{}")
    assert not old.exists() and fresh.exists() and target.read_text() == "{}"


def test_semicolons_and_decimal_commas_are_read_right():
    target = parse_csv("x;y\n0,5;1,2\n1,5;-2,25\n2;3\n", "euro.csv")
    assert target.x.tolist() == [0.5, 1.5, 2.0] and target.y.tolist() == [1.2, -2.25, 3.0]


def test_weights_beyond_what_a_session_holds_are_refused_at_load():
    """F3"""
    data = default_session().to_dict()
    data["network"]["neurons"][2]["w"] = 1e39
    with pytest.raises(SessionError, match=r"network.neurons\[2\].w"):
        Session.from_dict(data)


def test_values_whose_squares_overflow_are_refused_without_warnings():
    """F6 (pytest turns any RuntimeWarning into an error here)."""
    with pytest.raises(InputError, match="overflow"):
        parse_csv("0,1e308\n1,-1e308\n")
    done = cli("fit", "--target", "1e300*x", "--steps", "1")
    assert done.returncode == 2 and "overflow" in done.stderr and "Warning" not in done.stderr
