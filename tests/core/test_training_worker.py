"""The training worker process, driven over a real pipe exactly as the window drives it."""

import itertools
import math
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import numpy as np
import pytest

from uat_explorer.core import OptimizerSpec, StopRule, Target, random_network
from uat_explorer.core.training.timeline import RECENT
from uat_explorer.core.workers.messages import (
    Advance,
    Configure,
    Failed,
    Pause,
    Quit,
    Run,
)
from uat_explorer.core.workers.process import start_worker
from uat_explorer.core.workers.training import Job, Progress


@pytest.fixture
def worker():
    process, conn = start_worker()
    yield conn
    conn.send(Quit())
    assert process.wait(10) and process.exitcode == 0


def job(optimizer: OptimizerSpec | None = None) -> Job:
    domain = (-math.pi, math.pi)
    x, t = Target.preset("sin").samples(domain, 100)
    net = random_network(["sigmoid"] * 8, domain, seed=3)
    return Job(net, x, t, "mse", optimizer or OptimizerSpec("adam", 0.01), StopRule(), step=0)


def receive_until(conn, done, timeout=20.0) -> list[Progress]:
    replies = []
    while conn.poll(timeout):
        reply = conn.recv()
        assert not isinstance(reply, Failed), reply
        if not isinstance(reply, Progress):
            continue  # Alive: the heartbeat of a busy worker
        replies.append(reply)
        if done(reply):
            return replies
    pytest.fail("the worker did not answer in time")


def test_runs_streams_every_loss_and_pauses(worker):
    worker.send(job())
    worker.send(Run())
    replies = receive_until(worker, lambda p: p.step > 2000)
    worker.send(Pause())
    replies += receive_until(worker, lambda p: not p.running)
    last = replies[-1]
    losses = np.concatenate([p.losses for p in replies])
    # Every step's loss arrived exactly once, in order, without gaps.
    assert replies[0].first_step == 0
    for before, after in itertools.pairwise(replies):
        assert after.first_step == before.first_step + before.losses.size
    assert losses.size == last.step
    assert last.loss < losses[0] / 10
    assert last.steps_per_second > 0


def test_advance_runs_exactly_that_many_steps(worker):
    worker.send(job())
    worker.send(Advance(37))
    reply = receive_until(worker, lambda p: not p.running)[-1]
    assert reply.step == 37
    worker.send(Advance(5))
    assert receive_until(worker, lambda p: not p.running)[-1].step == 42


def test_divergence_is_reported_once_with_finite_weights(worker):
    worker.send(job(OptimizerSpec("sgd", 100.0)))
    worker.send(Run())
    final = receive_until(worker, lambda p: p.diverged is not None)[-1]
    assert "too high" in final.diverged and not final.running
    assert np.all(np.isfinite(final.network.w)) and math.isfinite(final.loss)
    worker.send(Pause())
    assert receive_until(worker, lambda p: True)[-1].diverged is None


def test_settings_change_while_running_without_losing_progress(worker):
    worker.send(job())
    worker.send(Run())
    before = receive_until(worker, lambda p: p.step > 200)[-1]
    worker.send(Configure(optimizer=OptimizerSpec("lm"), stop=StopRule(loss_below=1e-4)))
    done = receive_until(worker, lambda p: p.stopped is not None)[-1]
    assert done.step > before.step and done.loss <= 1e-4 and done.stopped == "loss ≤ 0.0001"


def test_paced_training_runs_the_set_steps_per_frame(worker):
    worker.send(job())
    worker.send(Configure(pace=3))
    worker.send(Run())
    replies = receive_until(worker, lambda p: p.step >= 30)
    worker.send(Pause())
    assert all(p.losses.size % 3 == 0 for p in replies)


def test_the_worker_exits_when_its_pipe_closes():
    process, conn = start_worker()
    conn.close()  # what the OS does when the window's process dies
    assert process.wait(10) and process.exitcode == 0


KILLED_PARENT = """
import os, signal, sys
from uat_explorer.core.workers.process import start_worker
process, conn = start_worker()  # no __main__ guard: the launch must not re-run this script
print(process.pid, flush=True)
os.kill(os.getpid(), signal.SIGKILL)
"""


def test_the_worker_exits_when_the_window_process_is_killed(tmp_path):
    """The one launch path (a localhost connection, as on Windows and macOS) leaves no
    orphan behind a parent killed with SIGKILL to keep a core busy; and an unguarded
    script starts exactly one worker (it printed one pid and was not re-run)."""
    script = tmp_path / "parent.py"
    script.write_text(KILLED_PARENT)
    done = subprocess.run([sys.executable, str(script)], capture_output=True, text=True, timeout=60)
    assert done.returncode == -signal.SIGKILL, done.stderr
    assert len(done.stdout.split()) == 1, done.stdout
    pid = int(done.stdout.split()[0])
    deadline = time.monotonic() + 15
    while _alive(pid):
        assert time.monotonic() < deadline, "the worker outlived its window"
        time.sleep(0.05)


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    status = Path(f"/proc/{pid}/status")
    return not (status.exists() and "State:\tZ" in status.read_text())


def test_at_max_replies_carry_the_window_s_rows_and_the_last_one_the_recent_steps(worker):
    worker.send(job())
    worker.send(Configure(timeline_stride=8))
    worker.send(Run())
    replies = receive_until(worker, lambda p: p.step > 3 * RECENT)
    worker.send(Pause())
    replies += receive_until(worker, lambda p: not p.running)
    under_way = [p.timeline for p in replies[:-1] if p.timeline is not None]
    assert under_way
    for rows in under_way:
        assert np.all(rows.steps[:-1] % 8 == 0)
    last = replies[-1]
    assert last.timeline is not None
    np.testing.assert_array_equal(last.timeline.steps, np.arange(last.step - RECENT, last.step))
