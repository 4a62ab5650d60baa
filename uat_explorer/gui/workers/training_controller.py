"""Runs training in a worker process and shows it: the window stays free to draw.

Each frame the controller drains the worker's replies, keeps every step's loss, and shows
only the newest weights. Any edit by hand pauses training first (so the edit is never
overwritten by the next frame); the run so far becomes one undo step.
"""

from __future__ import annotations

import contextlib
import time
from multiprocessing.connection import Connection

from PySide6.QtCore import QObject, Qt, QTimer, Signal

from uat_explorer.core import Network
from uat_explorer.core.workers.training import Job, Progress, WorkerProcess, start_worker
from uat_explorer.model.document import DivergedRun
from uat_explorer.model.state import AppState
from uat_explorer.qt import props

FRAME_MS = 16
PAUSE_WAIT = 1.0
"""Seconds a pause waits for the worker's last weights; a worker busy with one long step
(or stopped) is then replaced, and the weights already shown are kept."""
SILENCE = 5.0
"""Seconds without a reply while training runs before the worker is taken for hung."""
STEP_CHUNK = 10
"""What Step advances in Auto mode; otherwise it advances the steps-per-frame setting."""


class TrainingController(QObject):
    runningChanged = Signal(bool)
    progressed = Signal(object)  # Progress
    notice = Signal(str, bool)  # why training stopped or what went wrong; True: a problem

    def __init__(self, state: AppState, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.state = state
        self.running = False
        self.last: Progress | None = None
        self._process: WorkerProcess | None = None
        self._conn: Connection | None = None
        self._synced = -1  # the state revision the worker has
        self._sent: dict[str, object] = {}
        self._run_start: tuple[Network, int] | None = None
        self._waiting = False  # an Advance not yet answered
        self._job = -1  # the revision of the job the worker trains: replies to others are late
        self._heard = time.monotonic()  # when the worker last replied
        self._timer = props(QTimer(self), interval=FRAME_MS)
        self._timer.setTimerType(Qt.TimerType.PreciseTimer)  # coarse timers drift to ~55 Hz
        self._timer.timeout.connect(self.poll)
        state.editor.aboutToEdit.connect(self.pause)
        state.document.settingsChanged.connect(self._send_settings)
        state.view.paceChanged.connect(self._send_settings)

    # -- the worker ------------------------------------------------------------------------
    def _alive(self) -> bool:
        return self._process is not None and self._process.alive()

    def ensure_worker(self) -> None:
        """Start the worker process if it is not running (an OSError if it cannot)."""
        if self._alive():
            return
        self._process, self._conn = start_worker()
        self._synced = -1
        self._sent: dict[str, object] = {}  # the settings the worker has

    def shutdown(self) -> None:
        self._timer.stop()
        if self._process is None:
            return
        with contextlib.suppress(BrokenPipeError, OSError, AttributeError):
            self._conn.send(("quit",))
        if not self._process.wait(2):
            self._process.kill()
        if self._conn is not None:
            self._conn.close()
        self._process = self._conn = None

    def _send(self, *command: object) -> bool:
        try:
            self._conn.send(command)
        except (BrokenPipeError, OSError, AttributeError):
            self._worker_lost("the training process stopped unexpectedly")
            return False
        return True

    def _sync(self) -> bool:
        """Give the worker the current network, data and settings if it lacks them;
        False (and said why) if there is no worker to give them to."""
        try:
            self.ensure_worker()
        except OSError as error:
            self._worker_lost(str(error))
            return False
        if self._synced == self.state.document.revision:
            return True
        session = self.state.document.session
        x, t = self.state.document.training_data()
        job = Job(
            session.network.copy(),
            x,
            t,
            session.loss,
            session.optimizer,
            session.stop,
            session.step,
            revision=self.state.document.revision,
            batch_size=session.batch_size,
            seed=session.seed,
        )
        if not (self._send("load", job) and self._send("pace", self.state.view.steps_per_frame)):
            return False
        self._job = self._synced = self.state.document.revision
        self._sent = self._settings()
        return True

    def _settings(self) -> dict[str, object]:
        session = self.state.document.session
        return {
            "optimizer": session.optimizer,
            "loss": session.loss,
            "stop": session.stop,
            "data": self.state.document.training_data(),
            "pace": self.state.view.steps_per_frame,
            # the seed shuffles mini-batches; with full batches it means nothing here
            "batches": (session.batch_size, session.seed if session.batch_size else 0),
        }

    def _send_settings(self) -> None:
        """Send the worker only what changed: new data, loss or optimizer rebuild its
        trainer and so reset Adam's moments, which a new seed or stop rule must not."""
        if not self._alive():
            return
        for key, value in self._settings().items():
            old = self._sent.get(key)
            if value is old or (key != "data" and value == old):
                continue
            arguments = value if key in ("data", "batches") else (value,)
            if self._send(key, *arguments):
                self._sent[key] = value

    # -- intents -----------------------------------------------------------------------------
    def start(self) -> None:
        if self.running or not self._sync():
            return
        self.state.document.set_diverged_run(None)
        if self._run_start is None:
            self._run_start = (self.state.document.network.copy(), self.state.document.session.step)
        if self._send("run"):
            self._heard = time.monotonic()
            self._set_running(True)
            self._timer.start()

    def pause(self) -> None:
        """Stop and wait for the worker's last weights, so what is shown is what stays."""
        if not (self.running or self._waiting):
            return
        self._send("pause")
        self._set_running(False)
        self._drain(until_idle=True)
        self._finish_run()

    def toggle(self) -> None:
        self.pause() if self.running else self.start()

    def step(self) -> None:
        """Advance one chunk (steps per frame, or STEP_CHUNK in Auto) and wait for it."""
        self.pause()
        if not self._sync():
            return
        self._run_start = (self.state.document.network.copy(), self.state.document.session.step)
        if self._send("advance", self.state.view.steps_per_frame or STEP_CHUNK):
            self._waiting = True
            self._drain(until_idle=True)
            self._finish_run()

    # -- replies ---------------------------------------------------------------------------
    def poll(self) -> None:
        """One frame: take every reply that arrived, show the newest."""
        self._drain(until_idle=False)
        if self.running and time.monotonic() - self._heard > SILENCE:
            self._worker_lost(f"the training process did not answer for {SILENCE:g} s")

    def _drain(self, until_idle: bool) -> None:
        """Take the replies waiting; with ``until_idle``, wait (at most PAUSE_WAIT) for
        the one that says the worker stopped. Replies to an older job are dropped."""
        replies: list[Progress] = []
        deadline = time.monotonic() + PAUSE_WAIT
        try:
            while self._conn is not None:
                if not self._conn.poll(0.02 if until_idle else 0):
                    if not until_idle:
                        break
                    if time.monotonic() > deadline:
                        self._replace_busy_worker(replies)
                        return
                    continue
                reply = self._conn.recv()
                self._heard = time.monotonic()
                if isinstance(reply, tuple):
                    self._worker_lost(f"training failed: {reply[1].strip().splitlines()[-1]}")
                    return
                if reply.revision != self._job:
                    continue  # trained from weights that are no longer the model's
                replies.append(reply)
                if until_idle and not reply.running:
                    break
        except (EOFError, OSError):
            self._worker_lost("the training process stopped unexpectedly")
            return
        except Exception as error:  # a reply that cannot be read: never an error per frame
            self._worker_lost(f"a reply from the training process was unreadable ({error})")
            return
        if replies:
            self._show(replies)

    def _show(self, replies: list[Progress]) -> None:
        state = self.state
        for reply in replies:
            state.document.record_training(
                reply.first_step, reply.losses, reply.epoch_losses, reply.timeline
            )
        last = replies[-1]
        self.last = last
        state.document.apply_training_frame(
            last.network, last.step, last.loss, last.metrics, last.gradients
        )
        self._synced = state.document.revision  # the worker holds exactly these weights
        diverged = next((r for r in replies if r.diverged), None)
        if diverged is not None and diverged.diverged_run is not None:
            steps, losses = diverged.diverged_run
            state.document.set_diverged_run(DivergedRun(steps, losses, diverged.step))
        self.progressed.emit(last)
        if diverged is not None:
            self.notice.emit(
                f"{diverged.diverged} The loss plot keeps the run in red."
                " Undo (Ctrl+Z) returns to the weights before this run.",
                True,
            )
        stopped = next((r for r in replies if r.stopped), None)
        if stopped is not None and diverged is None:
            self.notice.emit(f"Training stopped at step {stopped.step}: {stopped.stopped}.", False)
        if not last.running and self.running:
            self._set_running(False)
            self._finish_run()

    def _finish_run(self) -> None:
        """Record the run as one undo step: undo returns to the weights before it."""
        self._waiting = False
        if not self.running:
            self._timer.stop()
        if self._run_start is None:
            return
        before, before_step = self._run_start
        self._run_start = None
        self.state.editor.record_training_run(before, before_step)

    def _set_running(self, running: bool) -> None:
        if running != self.running:
            self.running = running
            self.runningChanged.emit(running)

    def _replace_busy_worker(self, replies: list[Progress]) -> None:
        """The worker did not stop in time (one long step, or it hangs): show what came,
        keep the weights on screen, and start afresh next time. Never wait longer."""
        if replies:
            self._show(replies)
        self._stop_worker()
        self._finish_run()
        self.notice.emit(
            "Paused. The training process was still busy (one long step) or not answering,"
            " so it was replaced; the weights shown are kept.",
            False,
        )

    def _stop_worker(self) -> None:
        self._set_running(False)
        self._waiting = False
        self._timer.stop()
        if self._process is not None:
            self._process.kill()
        if self._conn is not None:
            self._conn.close()
        self._process = self._conn = None
        self._synced = self._job = -1

    def _worker_lost(self, why: str) -> None:
        """The worker died or hangs: the weights it sent are the document's (the run so far
        is one undo step, and autosaved), and a new worker starts at the next Train."""
        self._stop_worker()
        self._finish_run()
        self.notice.emit(f"Training stopped: {why}. The last weights shown are kept.", True)
