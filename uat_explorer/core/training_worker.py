"""Training in a separate process, driven over a multiprocessing pipe.

On these 2-core machines a training thread holds the GIL and starves the window (measured:
41 fps and 12 % of headless speed); a process trains at full speed on the other core
while the window only draws. Everything here is plain Python and numpy.

Commands in (tuples): ("load", Job), ("run",), ("pause",), ("advance", n),
("optimizer", OptimizerSpec), ("loss", name), ("stop", StopRule), ("data", x, t),
("batches", batch_size or None, seed),
("pace", steps_per_frame or 0), ("quit",).
Replies out: Progress after each frame's work, or ("error", text) if something broke.
"""

from __future__ import annotations

import contextlib
import importlib
import os
import secrets
import socket
import subprocess
import sys
import time
import traceback
from dataclasses import dataclass, replace
from multiprocessing import AuthenticationError
from multiprocessing.connection import (
    Client,
    Connection,
    answer_challenge,
    deliver_challenge,
)
from typing import Any

import numpy as np

from uat_explorer.core.gradients import Gradients
from uat_explorer.core.metrics import FitMetrics
from uat_explorer.core.network import Network
from uat_explorer.core.optimizers import OptimizerSpec
from uat_explorer.core.threads import pin_blas_to_one_thread
from uat_explorer.core.timeline import TimelineRows, joined_rows
from uat_explorer.core.trainer import StopRule, Trainer, TrainReport

FRAME = 1 / 60
REPLY_EVERY = FRAME / 2
"""Twice a frame, so every frame the window draws finds new weights waiting (once a
frame beat against the window's own timer and skipped frames); it keeps the newest."""
CHUNK = FRAME / 4


@dataclass
class Job:
    """Everything the worker needs to train: what the window has at the moment."""

    network: Network
    x: np.ndarray
    t: np.ndarray
    loss: str
    optimizer: OptimizerSpec
    stop: StopRule
    step: int
    revision: int = 0
    """The window's model revision this job was made from; every reply carries it, so a
    reply to an older job (a late one, after the neurons changed) is recognised and dropped."""
    batch_size: int | None = None
    seed: int = 0


@dataclass
class Progress:
    """Where training stands, and the loss of every step since the previous reply
    (``losses[i]`` belongs to step ``first_step + i``)."""

    step: int
    network: Network
    loss: float
    metrics: FitMetrics
    gradients: Gradients
    first_step: int
    losses: np.ndarray
    running: bool
    steps_per_second: float
    stopped: str | None = None
    diverged: str | None = None
    diverged_run: tuple[np.ndarray, np.ndarray] | None = None
    """(steps, losses) of the stretch that blew up, when ``diverged`` is set."""
    diverged_step: int | None = None
    """The step whose loss was not finite, when ``diverged`` is set."""
    revision: int = 0
    """The ``Job.revision`` these weights were trained from."""
    epoch_losses: tuple[np.ndarray, np.ndarray] | None = None
    """Mini-batches: (step, full-batch loss) at each epoch's end since the last reply."""
    timeline: TimelineRows | None = None
    """W, G and A of every step since the last reply."""


class _Worker:
    def __init__(self, conn: Connection) -> None:
        self.conn = conn
        self.trainer: Trainer | None = None
        self.report: TrainReport | None = None
        self.running = False
        self.owed = 0  # steps still owed to an "advance"
        self.pace = 0  # steps per frame; 0 = as many as fit in half a frame
        self.losses: list[np.ndarray] = []
        self.rows: list[TimelineRows] = []
        self.epochs: list[tuple[np.ndarray, np.ndarray]] = []
        self.first_step = 0
        self.last_sent = 0.0
        self.rate = (0, time.perf_counter())  # steps since "run", and when it came
        self.revision = 0

    @property
    def busy(self) -> bool:
        return self.trainer is not None and (self.running or self.owed > 0)

    def handle(self, command: tuple[Any, ...]) -> bool:
        """Apply one command; False means quit."""
        kind, args = command[0], command[1:]
        if kind == "quit":
            return False
        if kind == "load":
            job: Job = args[0]
            self.trainer = Trainer(
                job.network,
                job.x,
                job.t,
                job.loss,
                job.optimizer,
                job.stop,
                job.step,
                job.batch_size,
                job.seed,
                record=True,
            )
            self.report = self.trainer.run(0)
            self.losses, self.first_step = [], job.step
            self.rows, self.epochs = [], []
            self.revision = job.revision
            return True
        trainer = self.trainer
        if trainer is None:
            return True
        if kind == "run":
            self.running, self.owed = True, 0
            self.rate = (0, time.perf_counter())
        elif kind == "pause":
            self.running, self.owed = False, 0
            self.send()
        elif kind == "advance":
            self.running, self.owed = False, int(args[0])
        elif kind == "optimizer":
            trainer.set_optimizer(args[0])
        elif kind == "loss":
            trainer.set_loss(args[0])
        elif kind == "stop":
            trainer.stop = args[0]
        elif kind == "data":
            trainer.set_data(*args)
        elif kind == "batches":
            trainer.set_batches(*args)
        elif kind == "pace":
            self.pace = int(args[0])
        return True

    def work(self) -> None:
        """One chunk of steps, then a reply if a frame has passed or training ended."""
        trainer = self.trainer
        assert trainer is not None
        if self.owed:
            report = trainer.run(self.owed, seconds=CHUNK)
            self.owed -= report.steps_run
        elif self.pace:
            # A frame's steps, but never much longer than a frame: a pause or a new job
            # is heard between chunks, however large the network and the data.
            report = trainer.run(self.pace, seconds=FRAME)
        else:
            report = trainer.run(10**9, seconds=CHUNK)
        self.report = report
        self.losses.append(report.losses)
        if report.timeline is not None:
            self.rows.append(report.timeline)
        if report.epoch_losses is not None:
            self.epochs.append(report.epoch_losses)
        self.rate = (self.rate[0] + report.steps_run, self.rate[1])
        if report.stopped or report.diverged or report.steps_run == 0:
            self.running, self.owed = False, 0
        if not self.busy or time.perf_counter() - self.last_sent >= REPLY_EVERY:
            self.send()

    def send(self) -> None:
        trainer, report = self.trainer, self.report
        if trainer is None or report is None:
            return
        steps, since = self.rate
        elapsed = time.perf_counter() - since
        self.conn.send(
            Progress(
                step=trainer.step,
                network=trainer.network,
                loss=report.loss,
                metrics=report.metrics,
                gradients=report.gradients,
                first_step=self.first_step,
                losses=np.concatenate(self.losses) if self.losses else np.zeros(0),
                running=self.busy,
                steps_per_second=steps / elapsed if elapsed > 0 else 0.0,
                stopped=report.stopped,
                diverged=report.diverged,
                diverged_run=report.diverged_run,
                diverged_step=report.diverged_step,
                revision=self.revision,
                epoch_losses=_joined_epochs(self.epochs),
                timeline=joined_rows(self.rows),
            )
        )
        self.losses, self.rows, self.epochs = [], [], []
        self.first_step = trainer.step  # the next reply's losses start here
        self.last_sent = time.perf_counter()
        if report.stopped or report.diverged:  # say it once
            self.report = replace(
                report, stopped=None, diverged=None, diverged_run=None, diverged_step=None
            )


def _joined_epochs(
    parts: list[tuple[np.ndarray, np.ndarray]],
) -> tuple[np.ndarray, np.ndarray] | None:
    if not parts:
        return None
    return np.concatenate([p[0] for p in parts]), np.concatenate([p[1] for p in parts])


def serve(conn: Connection) -> None:
    """The worker process's main loop: commands between chunks, replies at frame rate."""
    pin_blas_to_one_thread()
    worker = _Worker(conn)
    try:
        while True:
            if not worker.busy:
                if not worker.handle(conn.recv()):
                    return
                continue
            while conn.poll(0):
                if not worker.handle(conn.recv()):
                    return
            if worker.busy:
                worker.work()
                if worker.pace and worker.running:
                    conn.poll(FRAME)  # paced: one chunk a frame, but wake for a command
    except (EOFError, BrokenPipeError, KeyboardInterrupt):
        return
    except Exception:
        with contextlib.suppress(BrokenPipeError, OSError):
            conn.send(("error", traceback.format_exc()))


class WorkerProcess:
    """The training process: alive, killed, or waited for, the same on every desktop."""

    def __init__(self, process: subprocess.Popen[bytes]) -> None:
        self._process = process

    @property
    def pid(self) -> int:
        return self._process.pid

    @property
    def exitcode(self) -> int | None:
        """None while it runs; 0 after a clean exit."""
        return self._process.poll()

    def alive(self) -> bool:
        return self._process.poll() is None

    def wait(self, seconds: float) -> bool:
        """Wait up to ``seconds`` for it to end; True if it has."""
        try:
            self._process.wait(seconds)
        except subprocess.TimeoutExpired:
            return False
        return True

    def kill(self) -> None:
        self._process.kill()
        self.wait(2)


_LAUNCH = (
    "import sys; from uat_explorer.core.training_worker import connect_and_serve;"
    " connect_and_serve(int(sys.argv[1]), sys.argv[2])"
)
SERVERS = {
    "train": ("uat_explorer.core.training_worker", "serve"),
    "race": ("uat_explorer.core.race_worker", "serve_race"),
}
"""What a worker process can be: the window's training, or a race of learning rates."""
CONNECT_SECONDS = 30.0
"""A worker that has not called back by then is not coming (a broken install)."""


def start_worker(role: str = "train") -> tuple[WorkerProcess, Connection]:
    """Launch ``serve`` in a fresh interpreter that connects back over localhost.

    One path for Linux, macOS and Windows: a listening socket on 127.0.0.1, a child
    started with ``-c`` (in a bundle, its own executable with ``--worker``; not
    multiprocessing's spawn, which re-runs the launching script: any script that opens
    a window without an ``if __name__ == "__main__"`` guard would run twice), and
    multiprocessing's challenge with a random key handed over on the
    child's stdin, so no other local program can take its place. The worker exits when
    the connection closes, even if this process is killed.
    """
    key = secrets.token_bytes(32)
    with socket.create_server(("127.0.0.1", 0)) as server:
        server.settimeout(0.1)
        port = server.getsockname()[1]
        command = (
            [sys.executable, "--worker", str(port), role]  # a bundle's executable is the app
            if getattr(sys, "frozen", False)
            else [sys.executable, "-c", _LAUNCH, str(port), role]
        )
        process = subprocess.Popen(command, stdin=subprocess.PIPE)
        assert process.stdin is not None
        process.stdin.write(key)
        process.stdin.close()
        deadline = time.monotonic() + CONNECT_SECONDS
        while True:
            try:
                sock, _ = server.accept()
                break
            except TimeoutError:
                if process.poll() is not None or time.monotonic() > deadline:
                    process.kill()
                    raise OSError("the training process did not start") from None
    sock.settimeout(None)
    _no_delay(sock)
    conn = Connection(sock.detach())
    try:
        deliver_challenge(conn, key)
        answer_challenge(conn, key)
    except (AuthenticationError, OSError, EOFError):
        conn.close()
        process.kill()
        raise OSError("the training process could not be authenticated") from None
    return WorkerProcess(process), conn


def close_worker(process: WorkerProcess | None, conn: Connection | None) -> None:
    """Ask a worker to quit, and kill it if it has not within a second."""
    if conn is not None:
        with contextlib.suppress(OSError, BrokenPipeError):
            conn.send(("quit",))
        conn.close()
    if process is not None and not process.wait(1):
        process.kill()


def connect_and_serve(port: int, role: str = "train") -> None:
    """The worker's side: read the key from stdin, call the window back, serve."""
    module, function = SERVERS[role]
    server = getattr(importlib.import_module(module), function)
    key = sys.stdin.buffer.read(32)
    conn = Client(("127.0.0.1", port), authkey=key)
    with socket.socket(fileno=os.dup(conn.fileno())) as same:
        _no_delay(same)
    server(conn)


def _no_delay(sock: socket.socket) -> None:
    """Small messages go out at once: Nagle's algorithm held a frame's reply back by
    up to 40 ms on loopback TCP (a socket pair had no such delay)."""
    sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
