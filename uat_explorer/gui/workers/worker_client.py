"""The window's end of one worker process: started off the GUI thread, read each frame,
and noticed at once when it dies, fails or stops answering.

Every client of a worker (training, the race, the construction's comparison) uses this
one: they differ in what they send and what they make of the replies, not in how a
process is managed.
"""

from __future__ import annotations

import contextlib
import threading
import time
from multiprocessing.connection import Connection

from PySide6.QtCore import QObject, Qt, QTimer, Signal

from uat_explorer.core.workers.messages import Alive, Failed, Quit
from uat_explorer.core.workers.process import WorkerProcess, close_worker, start_worker
from uat_explorer.qt import props

POLL_MS = 16
IDLE_POLL_MS = 250
"""While no reply is due, a slow look now and then: is the worker still there?"""
SILENCE = 1.2
"""Seconds without a word from a busy worker (it sends a heartbeat five times a second,
even inside one long step) before it is taken for stopped."""


class WorkerClient(QObject):
    """``start()`` launches the worker in a thread; commands sent meanwhile wait and go
    out once it has connected. ``received(replies)`` once a frame with the replies that
    arrived, in order (heartbeats dropped); ``lost(why)`` once if the worker cannot
    start, dies, reports a failure, or, while ``expecting`` replies, says nothing for
    SILENCE seconds. After ``lost`` or ``stop`` the client is idle and may start again."""

    received = Signal(list)
    lost = Signal(str)
    _launched = Signal(object)  # (WorkerProcess, Connection) or an OSError, from the thread

    def __init__(self, role: str, what: str, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.role, self.what = role, what
        self.process: WorkerProcess | None = None
        self._conn: Connection | None = None
        self._queued: list[object] = []
        self._starting = False
        self._generation = 0  # a launch that finishes after stop() belongs to nobody
        self._launcher: threading.Thread | None = None
        self.expecting = False
        self._heard = time.monotonic()
        self._timer = props(QTimer(self), interval=IDLE_POLL_MS)
        self._timer.setTimerType(Qt.TimerType.PreciseTimer)  # coarse timers drift to ~55 Hz
        self._timer.timeout.connect(self.poll)
        self._launched.connect(self._connected, Qt.ConnectionType.QueuedConnection)

    @property
    def active(self) -> bool:
        """Starting or connected."""
        return self._starting or self._conn is not None

    @property
    def connected(self) -> bool:
        return self._conn is not None

    def start(self) -> None:
        """Launch the worker unless one is starting or running; never waits."""
        if self.active:
            return
        self._starting = True
        self._generation += 1
        generation = self._generation

        def launch() -> None:
            try:
                result: object = start_worker(self.role)
            except OSError as error:
                result = error
            if generation != self._generation:  # stopped while it started
                if isinstance(result, tuple):
                    close_worker(*result)
                return
            self._launched.emit((generation, result))

        self._launcher = threading.Thread(target=launch, daemon=True, name=f"{self.role} start")
        self._launcher.start()

    def _connected(self, launched: tuple[int, object]) -> None:
        generation, result = launched
        if generation != self._generation:
            if isinstance(result, tuple):
                close_worker(*result)  # stopped while it started: it belongs to nobody
            return
        self._starting = False
        if isinstance(result, OSError):
            self._queued.clear()
            self.lost.emit(f"the {self.what} could not start ({result})")
            return
        assert isinstance(result, tuple)
        self.process, self._conn = result
        self._heard = time.monotonic()
        queued, self._queued = self._queued, []
        for command in queued:
            if not self.send(command):
                return
        self._timer.start()

    def send(self, command: object) -> bool:
        """Send now, or once connected; False (and ``lost``) if the worker is gone."""
        if self._starting:
            self._queued.append(command)
            return True
        if self._conn is None:
            return False
        try:
            self._conn.send(command)
        except (OSError, ValueError):
            self._lose(f"the {self.what} ended unexpectedly")
            return False
        return True

    def expect(self, on: bool) -> None:
        """Replies are due (training runs): silence now means the worker stopped."""
        if on and not self.expecting:
            self._heard = time.monotonic()
        self.expecting = on
        self._timer.setInterval(POLL_MS if on else IDLE_POLL_MS)

    def poll(self) -> None:
        """One frame: every reply that arrived, in order; then is the worker still there?"""
        replies = self.take(0.0)
        if replies:
            self.received.emit(replies)
        self.check_silence()

    def check_silence(self) -> None:
        if self.connected and self.expecting and time.monotonic() - self._heard > SILENCE:
            self._lose(f"the {self.what} did not answer for {SILENCE:g} s")

    def take(self, wait: float) -> list[object]:
        """The replies waiting (heartbeats dropped); with ``wait`` > 0, wait that long for
        the first. On a broken pipe or a failure report: ``lost``, and what came before."""
        conn = self._conn
        taken: list[object] = []
        try:
            while conn is not None and conn.poll(wait if not taken else 0):
                message = conn.recv()
                self._heard = time.monotonic()
                if isinstance(message, Failed):
                    self._lose(f"the {self.what} failed: {message.reason}")
                    break
                if not isinstance(message, Alive):
                    taken.append(message)
                wait = 0.0
        except (EOFError, OSError):
            self._lose(f"the {self.what} ended unexpectedly")
        except Exception as error:  # a reply that cannot be read: never an error per frame
            self._lose(f"a reply from the {self.what} was unreadable ({error})")
        return taken

    def stop(self, wait: bool = False) -> None:
        """Ask the worker to quit (killed within a second if it does not), in the
        background unless ``wait`` (closing the window: no process may outlive it). A
        start in progress is not waited for: its process is closed once it connects."""
        self._timer.stop()
        if self._starting:
            self._generation += 1  # the launch closes what it started
            if wait and self._launcher is not None:
                self._launcher.join(2.0)
        self._starting = False
        self._queued.clear()
        self.expecting = False
        process, conn = self.process, self._conn
        self.process = self._conn = None
        if conn is not None:
            with contextlib.suppress(OSError, ValueError):
                conn.send(Quit())
            conn.close()
        if process is None or not process.alive():
            return
        if wait:
            _reap(process)
        else:
            threading.Thread(target=_reap, args=(process,), daemon=True).start()

    def kill(self) -> None:
        """Now, without asking: the worker is stopped or hung."""
        process = self.process
        self.stop()
        if process is not None:
            process.kill()

    def _lose(self, why: str) -> None:
        self.kill()
        self.lost.emit(why)


def _reap(process: WorkerProcess) -> None:
    """Off the GUI thread: wait a second for a clean exit, then kill."""
    if not process.wait(1):
        process.kill()


class WorkerJob(QObject):
    """What every runner of a worker shares: its client, the replies handed to
    ``_received``, a lost worker told as ``failed(why)`` in the runner's own words, and
    whether it runs. Each runner says only what its job is and what its replies mean."""

    failed = Signal(str)

    def __init__(self, role: str, what: str, stopped: str, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._stopped = stopped
        self.client = WorkerClient(role, what, self)
        self.client.received.connect(self._received)
        self.client.lost.connect(self._lost)

    @property
    def running(self) -> bool:
        return self.client.active

    def launch(self, *commands: object) -> None:
        """Start the process (in the background), queue ``commands`` and wait for replies."""
        self.client.start()
        for command in commands:
            self.client.send(command)
        self.client.expect(True)

    def stop(self, wait: bool = False) -> None:
        self.client.stop(wait)

    def _received(self, replies: list[object]) -> None:
        raise NotImplementedError

    def _lost(self, why: str) -> None:
        self.failed.emit(f"{self._stopped}: {why}.")
