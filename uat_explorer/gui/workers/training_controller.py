"""Runs training in a worker process and shows it: the window stays free to draw.

Each frame the controller takes the worker's replies, keeps every step's loss, and shows
only the newest weights. Any edit by hand pauses training first (so the edit is never
overwritten by the next frame); the run so far becomes one undo step.
"""

from __future__ import annotations

import time
from typing import TypeVar

from PySide6.QtCore import QCoreApplication, QObject, Signal

from uat_explorer.core.nn.network import Network
from uat_explorer.core.nn.parameters import parameter_index, parameter_names
from uat_explorer.core.workers.messages import Advance, Configure, Pause, Run
from uat_explorer.core.workers.training import Job, Progress
from uat_explorer.gui.workers.worker_client import WorkerClient
from uat_explorer.model.document import DivergedRun
from uat_explorer.model.state import AppState
from uat_explorer.qt import connect

PAUSE_WAIT = 1.0
"""Seconds a pause waits for the worker's last weights; a worker busy with one long step
(or stopped) is then replaced, and the weights already shown are kept."""
STEP_CHUNK = 10
"""What Step advances in Auto mode; otherwise it advances the steps-per-frame setting."""


class TrainingController(QObject):
    runningChanged = Signal(bool)
    busyChanged = Signal(bool)  # training, or a Step being worked out
    progressed = Signal(object)  # Progress
    notice = Signal(str, bool)  # why training stopped or what went wrong; True: a problem

    def __init__(self, state: AppState, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.state = state
        self.running = False
        self.last: Progress | None = None
        self.client = WorkerClient("train", "training process", self)
        self._synced = -1  # the document revision the worker has
        self._sent = Configure()  # the settings the worker has
        self._sent_data = -1  # the revision of the samples it has
        self._run_start: tuple[Network, int] | None = None
        self._waiting = False  # an Advance not yet answered
        self._job = -1  # the revision of the job the worker trains: replies to others are late
        self.client.received.connect(self._show)
        self.client.lost.connect(self._worker_lost)
        state.editor.aboutToEdit.connect(self.pause)
        connect(
            self._send_settings,
            state.document.settingsChanged,
            state.view.paceChanged,
            state.view.trainedChanged,
        )

    @property
    def busy(self) -> bool:
        return self.running or self._waiting

    # -- the worker ------------------------------------------------------------------------
    def shutdown(self) -> None:
        self.client.stop(wait=True)

    def _sync(self) -> bool:
        """Give the worker the current network, data and settings if it lacks them
        (starting it first if there is none; the commands wait for it)."""
        self.client.start()
        document = self.state.document
        if self._synced == document.revision:
            return True
        session = document.session
        x, t = document.training_data()
        job = Job(
            session.network.copy(),
            x,
            t,
            session.loss,
            session.optimizer,
            session.stop,
            session.step,
            revision=document.revision,
            batch_size=session.batch_size,
            seed=session.seed,
            test=document.test_data(),
            penalty=session.penalty,
        )
        start = Configure(
            pace=self._pace(), trained=self._trained(), timeline_stride=self._stride()
        )
        if not (self.client.send(job) and self.client.send(start)):
            return False
        self._job = self._synced = document.revision
        self._sent, self._sent_data = self._settings(), document.data_revision
        return True

    def _pace(self) -> int:
        return self.state.view.steps_per_frame

    def _stride(self) -> int:
        return self.state.document.timeline.stride

    def _tell_stride(self) -> None:
        """The timeline thinned further (or started afresh): so may the replies."""
        if self._stride() != self._sent.timeline_stride:
            self._send_settings()

    def _trained(self) -> tuple[int, ...]:
        """The card-order columns training moves (the landscape's option); (): all."""
        names = self.state.view.trained_only
        size = self.state.document.network.size
        if names is None:
            return ()
        known = set(parameter_names(size))
        return tuple(parameter_index(n, size) for n in names if n in known)

    def _settings(self) -> Configure:
        """Everything the worker trains with but the data (sent by its revision)."""
        session = self.state.document.session
        return Configure(
            optimizer=session.optimizer,
            loss=session.loss,
            stop=session.stop,
            # the seed shuffles mini-batches; with full batches it means nothing here
            batches=(session.batch_size, session.seed if session.batch_size else 0),
            pace=self._pace(),
            penalty=session.penalty,
            trained=self._trained(),
            timeline_stride=self._stride(),
        )

    def _send_settings(self) -> None:
        """Send the worker only what changed: new data, loss or optimizer rebuild its
        trainer and so reset Adam's moments, which a new seed or stop rule must not."""
        if not self.client.active or self._synced < 0:
            return
        document = self.state.document
        now, sent = self._settings(), self._sent
        new_data = document.data_revision != self._sent_data
        changed = Configure(
            optimizer=_new(now.optimizer, sent.optimizer),
            loss=_new(now.loss, sent.loss),
            stop=_new(now.stop, sent.stop),
            data=document.training_data() if new_data else None,
            test=document.test_data() if new_data else None,
            batches=_new(now.batches, sent.batches),
            pace=_new(now.pace, sent.pace),
            penalty=_new(now.penalty, sent.penalty),
            trained=_new(now.trained, sent.trained),
            timeline_stride=_new(now.timeline_stride, sent.timeline_stride),
        )
        if changed != Configure() and self.client.send(changed):
            self._sent, self._sent_data = now, document.data_revision

    # -- intents -----------------------------------------------------------------------------
    def start(self) -> None:
        if self.running or not self._sync():
            return
        self._tell_stride()
        self.state.document.set_diverged_run(None)
        if self._run_start is None:
            self._run_start = (self.state.document.network.copy(), self.state.document.step)
        if self.client.send(Run()):
            self.client.expect(True)
            self._set_running(True)

    def pause(self) -> None:
        """Stop and wait for the worker's last weights, so what is shown is what stays."""
        if not self.busy:
            return
        if not self.client.connected:  # still starting: nothing was trained yet
            self.client.stop()
            self._synced = self._job = -1
            self._set_running(False)
            self._finish_run()
            return
        self.client.send(Pause())
        self._set_running(False)
        self._wait_until_idle()
        self._finish_run()

    def toggle(self) -> None:
        self.pause() if self.running else self.start()

    def step(self) -> None:
        """Advance one chunk (steps per frame, or STEP_CHUNK in Auto); the result shows
        when the worker has done it, and the chunk is one undo step."""
        self.advance(self._pace() or STEP_CHUNK)

    def advance(self, steps: int) -> None:
        """Train exactly ``steps`` steps (or to a stop rule) as one undo step."""
        self.pause()
        if not self._sync():
            return
        self._run_start = (self.state.document.network.copy(), self.state.document.step)
        if self.client.send(Advance(steps)):
            self._waiting = True
            self.client.expect(True)
            self.busyChanged.emit(True)

    def wait_until_idle(self, seconds: float = 10.0) -> bool:
        """For scripts and tests: wait (processing replies) until a Step is done."""
        deadline = time.monotonic() + seconds
        while self.busy and time.monotonic() < deadline:
            if self.client.connected:
                replies = self.client.take(0.02)
                if replies:
                    self._show(replies)
            else:
                QCoreApplication.processEvents()
                time.sleep(0.01)
        return not self.busy

    # -- replies ---------------------------------------------------------------------------
    def _wait_until_idle(self) -> None:
        """Take replies until the one that says the worker stopped, for at most
        PAUSE_WAIT; a worker that does not answer by then is replaced."""
        deadline = time.monotonic() + PAUSE_WAIT
        while self.client.connected:
            replies = self.client.take(0.02)
            if replies:
                self._show(replies)
                if self._stopped(replies):
                    return
            if time.monotonic() > deadline:
                self._replace_busy_worker()
                return

    def _stopped(self, replies: list[object]) -> bool:
        return any(
            isinstance(r, Progress) and r.revision == self._job and not r.running for r in replies
        )

    def _show(self, replies: list[object]) -> None:
        """Every reply's losses into the history; the newest weights on screen. Replies
        to an older job (trained from weights that are no longer the model's) are dropped."""
        fresh = [r for r in replies if isinstance(r, Progress) and r.revision == self._job]
        if not fresh:
            return
        document = self.state.document
        document.apply_training(fresh)
        last = self.last = fresh[-1]
        self._synced = document.revision  # the worker holds exactly these weights
        self._tell_stride()
        diverged = next((r for r in fresh if r.diverged), None)
        if diverged is not None and diverged.diverged_run is not None:
            steps, losses = diverged.diverged_run
            document.set_diverged_run(DivergedRun(steps, losses, diverged.step))
        self.progressed.emit(last)
        if diverged is not None:
            self.notice.emit(
                f"{diverged.diverged} The loss plot keeps the run in red."
                " Undo (Ctrl+Z) returns to the weights before this run.",
                True,
            )
        stopped = next((r for r in fresh if r.stopped), None)
        if stopped is not None and diverged is None:
            self.notice.emit(f"Training stopped at step {stopped.step}: {stopped.stopped}.", False)
        if not last.running and self.busy:
            self._set_running(False)
            self._finish_run()

    def _finish_run(self) -> None:
        """Record the run as one undo step: undo returns to the weights before it."""
        was_waiting, self._waiting = self._waiting, False
        self.client.expect(False)
        if was_waiting:
            self.busyChanged.emit(False)
        if self._run_start is None:
            return
        before, before_step = self._run_start
        self._run_start = None
        self.state.editor.record_training_run(before, before_step)

    def _set_running(self, running: bool) -> None:
        if running != self.running:
            self.running = running
            self.runningChanged.emit(running)
            self.busyChanged.emit(self.busy)

    def _replace_busy_worker(self) -> None:
        """The worker did not stop in time (one long step, or it hangs): keep the weights
        on screen, and start afresh next time. Never wait longer."""
        self._drop_worker()
        self._finish_run()
        self.notice.emit(
            "Paused. The training process was still busy (one long step) or not answering,"
            " so it was replaced; the weights shown are kept.",
            False,
        )

    def _drop_worker(self) -> None:
        self._set_running(False)
        self.client.kill()
        self._synced = self._job = -1

    def _worker_lost(self, why: str) -> None:
        """The worker died or hangs: the weights it sent are the document's (the run so far
        is one undo step, and autosaved), and a new worker starts at the next Train."""
        self._drop_worker()
        self._finish_run()
        self.notice.emit(f"Training stopped: {why}. The last weights shown are kept.", True)


T = TypeVar("T")


def _new(value: T, old: T) -> T | None:
    """``value`` if it differs from ``old``: a field of Configure to send."""
    return value if value != old else None
