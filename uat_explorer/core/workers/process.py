"""Worker processes: launched the same way on every desktop, authenticated, and heard
from while busy.

A worker is a fresh interpreter started with ``-c`` (in a bundle, the app's own
executable with ``--worker``) that calls the window back over localhost (not
multiprocessing's spawn, which re-runs the launching script: any script
that opens a window without an ``if __name__ == "__main__"`` guard would run twice).
multiprocessing's challenge, with a random key handed over on the child's stdin, keeps
any other local program from taking its place. The worker exits when the connection
closes, even if the window's process is killed.
"""

from __future__ import annotations

import contextlib
import importlib
import os
import socket
import struct
import subprocess
import sys
import threading
import time
import traceback
from collections.abc import Callable
from multiprocessing import AuthenticationError
from multiprocessing.connection import Client, Connection, answer_challenge, deliver_challenge
from typing import TypeVar

from uat_explorer.core.workers.messages import Alive, Failed, Finished, Quit
from uat_explorer.core.workers.threads import pin_blas_to_one_thread

Job = TypeVar("Job")

CONNECT_SECONDS = 30.0
"""A worker that has not called back by then is not coming (a broken install). Waited
for off the window's thread: a loaded machine may take seconds to start Python."""
HANDSHAKE_SECONDS = 2.0
"""A connection that does not finish the challenge by then was dropped or is not ours."""
HEARTBEAT_SECONDS = 0.2
"""How often a busy worker says it is alive: a window that hears nothing for several
of these knows the worker stopped (SIGSTOP, a hung machine), not that it is slow."""

_LAUNCH = (
    "import sys; from uat_explorer.core.workers.process import connect_and_serve;"
    " connect_and_serve(int(sys.argv[1]), sys.argv[2])"
)
SERVERS = {
    "train": ("uat_explorer.core.workers.training", "serve"),
    "race": ("uat_explorer.core.workers.race", "serve_race"),
    "check": ("uat_explorer.core.workers.lesson_check", "serve_check"),
    "classes": ("uat_explorer.core.workers.classes", "serve_classes"),
}
"""What a worker process can be: training (the window's, or the construction's
comparison), a race of learning rates, a lesson's training check, or a classifier's
training."""


class WorkerProcess:
    """The worker process: alive, killed, or waited for, the same on every desktop."""

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


def start_worker(role: str = "train") -> tuple[WorkerProcess, Connection]:
    """Launch a worker of ``role`` (a key of SERVERS) that connects back over localhost;
    an OSError saying why if it does not."""
    if role not in SERVERS:
        raise ValueError(f"unknown worker role {role!r}")
    key = os.urandom(32)  # what secrets.token_bytes draws (secrets loads OpenSSL: 3 ms)
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
                    raise OSError("the worker process did not start") from None
    sock.settimeout(None)
    _no_delay(sock)
    _receive_timeout(sock, HANDSHAKE_SECONDS)
    conn = Connection(sock.detach())
    try:
        deliver_challenge(conn, key)
        answer_challenge(conn, key)
    except (AuthenticationError, OSError, EOFError):
        conn.close()
        process.kill()
        raise OSError("the worker process could not be authenticated in time") from None
    with socket.socket(fileno=os.dup(conn.fileno())) as same:
        _receive_timeout(same, 0.0)  # from now on, reads wait as long as poll says
    return WorkerProcess(process), conn


def close_worker(process: WorkerProcess | None, conn: Connection | None) -> None:
    """Ask a worker to quit, and kill it if it has not within a second."""
    if conn is not None:
        with contextlib.suppress(OSError, BrokenPipeError):
            conn.send(Quit())
        conn.close()
    if process is not None and not process.wait(1):
        process.kill()


class Channel:
    """The worker's end of the pipe: replies from the serving loop and heartbeats from a
    thread of their own (while ``busy``), one message at a time."""

    def __init__(self, conn: Connection) -> None:
        self.conn = conn
        self.busy = False
        self._lock = threading.Lock()
        threading.Thread(target=self._beat, daemon=True).start()

    def send(self, message: object) -> None:
        with self._lock:
            self.conn.send(message)

    def recv(self) -> object:
        return self.conn.recv()

    def poll(self, timeout: float = 0.0) -> bool:
        return self.conn.poll(timeout)

    def _beat(self) -> None:
        """Numpy releases the interpreter lock inside long steps, so this thread is heard
        even then; a stopped process sends nothing at all."""
        alive = Alive()
        while True:
            time.sleep(HEARTBEAT_SECONDS)
            if self.busy:
                try:
                    self.send(alive)
                except (OSError, EOFError, ValueError):
                    return


def serve_one_job(channel: Channel, kind: type[Job], work: Callable[[Channel, Job], None]) -> None:
    """A worker with one job (a race, a classifier's training): the job of type ``kind``
    (anything else means quit), ``work`` while the heartbeat says busy, Finished, then
    wait until told, so the window reads the last replies first. A failure is reported
    with its trace; a closed pipe or Ctrl+C ends the worker quietly."""
    pin_blas_to_one_thread()
    try:
        job = channel.recv()
        if not isinstance(job, kind):
            return
        channel.busy = True
        work(channel, job)
        channel.busy = False
        channel.send(Finished())
        channel.recv()
    except (EOFError, BrokenPipeError, KeyboardInterrupt):
        return
    except Exception:
        with contextlib.suppress(BrokenPipeError, OSError):
            channel.send(Failed(traceback.format_exc()))


def connect_and_serve(port: int, role: str = "train") -> None:
    """The worker's side: read the key from stdin, call the window back, serve."""
    module, function = SERVERS[role]
    server: Callable[[Channel], None] = getattr(importlib.import_module(module), function)
    key = sys.stdin.buffer.read(32)
    conn = Client(("127.0.0.1", port), authkey=key)
    with socket.socket(fileno=os.dup(conn.fileno())) as same:
        _no_delay(same)
    server(Channel(conn))


def _no_delay(sock: socket.socket) -> None:
    """Small messages go out at once: Nagle's algorithm held a frame's reply back by
    up to 40 ms on loopback TCP (a socket pair had no such delay)."""
    sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)


def _receive_timeout(sock: socket.socket, seconds: float) -> None:
    """A blocking read that gives up after ``seconds`` (0: never): the socket stays
    blocking, as multiprocessing's Connection needs, unlike ``settimeout``."""
    if sys.platform == "win32":
        value = struct.pack("L", int(seconds * 1000))
    else:
        whole = int(seconds)
        value = struct.pack("ll", whole, int((seconds - whole) * 1_000_000))
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_RCVTIMEO, value)
