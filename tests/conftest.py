"""Fixtures every layer may use: small fixed problems, a saved session, the command line
run in this process; and a sandbox for everything the app keeps between runs (settings,
autosaves), so tests never touch a real user's files and always start clean.

Qt is started only by the fixtures of the layers that use it (tests/gui, tests/cli,
tests/e2e): the core's and the model's tests run without a QApplication.
"""

import math
import os
import shlex
import tempfile

import numpy as np
import pytest
from helpers import write_session

from uat_explorer.core import Target, random_network

pytest_plugins = ["qt_fixtures"]  # not autouse: only the Qt layers' conftests ask for them

_SANDBOX = tempfile.mkdtemp(prefix="uat-tests-")
for _name in ("XDG_CONFIG_HOME", "XDG_DATA_HOME", "XDG_CACHE_HOME", "XDG_STATE_HOME"):
    os.environ[_name] = os.path.join(_SANDBOX, _name.lower())
os.environ["HOME"] = _SANDBOX  # Qt's test mode writes under $HOME/.qttest
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")  # `pytest` alone works, as make test


@pytest.fixture
def sine_problem():
    """sin(x) on [−π, π], 64 samples, and 8 sigmoid neurons from seed 3."""
    domain = (-math.pi, math.pi)
    x, t = Target.preset("sin").samples(domain, 64)
    return random_network(["sigmoid"] * 8, domain, seed=3), x, t


@pytest.fixture
def rng():
    return np.random.default_rng(12345)


@pytest.fixture
def session_file(tmp_path):
    """A saved session to run commands on: six mixed neurons on sin(x), 120 samples."""
    return write_session(tmp_path / "s.json")


@pytest.fixture
def run_cli(capsys):
    """Run the command line in this process: ``run_cli("fit --steps 5")`` or
    ``run_cli("fit", "--target", "sin(x) + 1")`` gives (exit code, stdout, stderr)."""
    from uat_explorer.cli import main

    def run(*words: str) -> tuple[int, str, str]:
        argv = shlex.split(words[0]) if len(words) == 1 else list(words)
        code = main(argv)
        out, err = capsys.readouterr()
        return code, out, err

    return run
