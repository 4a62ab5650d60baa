"""Training in a separate process, driven over a pipe by typed messages.

On these 2-core machines a training thread holds the GIL and starves the window (measured:
41 fps and 12 % of headless speed); a process trains at full speed on the other core
while the window only draws. Everything here is plain Python and numpy.

Commands in (``messages``): a ``Job`` to load, then Run, Pause, Advance, Configure,
Quit. Replies out: ``Progress`` after each frame's work, ``Alive`` while busy,
``Failed`` if something broke.
"""

from __future__ import annotations

import contextlib
import time
import traceback
from dataclasses import dataclass, replace

import numpy as np

from uat_explorer.core.nn.gradients import Gradients
from uat_explorer.core.nn.metrics import FitMetrics
from uat_explorer.core.nn.network import Network
from uat_explorer.core.training.optimizers import OptimizerSpec
from uat_explorer.core.training.penalty import Penalty
from uat_explorer.core.training.timeline import TimelineRows, joined_rows
from uat_explorer.core.training.trainer import StopRule, Trainer, TrainReport
from uat_explorer.core.workers.live_rows import LiveRows
from uat_explorer.core.workers.messages import Advance, Configure, Failed, Pause, Quit, Run
from uat_explorer.core.workers.process import Channel
from uat_explorer.core.workers.threads import pin_blas_to_one_thread

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
    test: tuple[np.ndarray, np.ndarray] | None = None
    """Held-out points: their loss is measured at every step, never trained on."""
    penalty: Penalty | None = None


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
    test_losses: tuple[np.ndarray, np.ndarray] | None = None
    """With test points: (step, test loss) of every step since the last reply that had
    them; below, the test loss and metrics of ``network`` and the lowest test loss so
    far (step, loss)."""
    test_loss: float | None = None
    test_metrics: FitMetrics | None = None
    best_test: tuple[int, float] | None = None
    diverged_rows: TimelineRows | None = None
    """After a divergence: the weights of the steps from the restored one to the one that
    blew up, since the last reply (the rest of the run went in earlier replies)."""


class _Worker:
    def __init__(self, channel: Channel) -> None:
        self.channel = channel
        self.trainer: Trainer | None = None
        self.report: TrainReport | None = None
        self.running = False
        self.owed = 0  # steps still owed to an "advance"
        self.pace = 0  # steps per frame; 0 = as many as fit in half a frame
        self.losses: list[np.ndarray] = []
        self.test_losses: list[tuple[np.ndarray, np.ndarray]] = []
        self.rows = LiveRows()
        self.lost: list[TimelineRows] = []  # the rows of a run that diverged
        self.epochs: list[tuple[np.ndarray, np.ndarray]] = []
        self.first_step = 0
        self.last_sent = 0.0
        self.rate = (0, time.perf_counter())  # steps since "run", and when it came
        self.revision = 0

    @property
    def busy(self) -> bool:
        return self.trainer is not None and (self.running or self.owed > 0)

    def handle(self, command: object) -> bool:
        """Apply one command; False means quit."""
        if isinstance(command, Quit):
            return False
        if isinstance(command, Job):
            self.load(command)
            return True
        trainer = self.trainer
        if trainer is None:
            return True
        match command:
            case Run():
                self.running, self.owed = True, 0
                self.rate = (0, time.perf_counter())
            case Pause():
                self.running, self.owed = False, 0
                self.send()
            case Advance(steps):
                self.running, self.owed = False, int(steps)
            case Configure():
                self.configure(trainer, command)
            case _:
                raise ValueError(f"the training worker does not know {command!r}")
        return True

    def configure(self, trainer: Trainer, settings: Configure) -> None:
        if settings.optimizer is not None:
            trainer.set_optimizer(settings.optimizer)
        if settings.loss is not None:
            trainer.set_loss(settings.loss)
        if settings.stop is not None:
            trainer.stop = settings.stop
        if settings.data is not None:
            trainer.set_data(*settings.data, test=settings.test)
        if settings.penalty is not None:
            trainer.set_penalty(settings.penalty)
        if settings.batches is not None:
            trainer.set_batches(*settings.batches)
        if settings.pace is not None:
            self.pace = settings.pace
        if settings.trained is not None:
            trainer.set_trained(settings.trained or None)
        if settings.timeline_stride is not None:
            self.rows.stride = settings.timeline_stride

    def load(self, job: Job) -> None:
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
            test=job.test,
            penalty=job.penalty,
        )
        self.report = self.trainer.run(0)
        self.losses, self.first_step = [], job.step
        self.rows.clear()
        self.epochs, self.test_losses, self.lost = [], [], []
        self.revision = job.revision

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
        if report.test_losses is not None:
            self.test_losses.append(report.test_losses)
        if report.diverged_rows is not None:
            restored = report.step
            earlier = [rows.take(rows.steps >= restored) for rows in self.rows.since_last()]
            self.lost = [*earlier, report.diverged_rows]
        if report.timeline is not None:
            self.rows.add(report.timeline)
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
        at_max = self.running and not self.pace  # more replies to come, each a frame's
        elapsed = time.perf_counter() - since
        self.channel.send(
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
                epoch_losses=_joined(self.epochs),
                timeline=self.rows.reply(at_max, trainer.step),
                test_losses=_joined(self.test_losses),
                test_loss=report.test_loss,
                test_metrics=report.test_metrics,
                best_test=report.best_test,
                diverged_rows=joined_rows(self.lost),
            )
        )
        self.losses, self.epochs = [], []
        self.test_losses, self.lost = [], []
        self.first_step = trainer.step  # the next reply's losses start here
        self.last_sent = time.perf_counter()
        if report.stopped or report.diverged:  # say it once
            self.report = replace(
                report, stopped=None, diverged=None, diverged_run=None, diverged_step=None
            )


def _joined(
    parts: list[tuple[np.ndarray, np.ndarray]],
) -> tuple[np.ndarray, np.ndarray] | None:
    """(steps, losses) stretches as one (epoch ends, test losses); None if there are none."""
    if not parts:
        return None
    return np.concatenate([p[0] for p in parts]), np.concatenate([p[1] for p in parts])


def serve(channel: Channel) -> None:
    """The worker process's main loop: commands between chunks, replies at frame rate."""
    pin_blas_to_one_thread()
    worker = _Worker(channel)
    try:
        while True:
            channel.busy = worker.busy
            if not worker.busy:
                if not worker.handle(channel.recv()):
                    return
                continue
            while channel.poll(0):
                if not worker.handle(channel.recv()):
                    return
            if worker.busy:
                worker.work()
                if worker.pace and worker.running:
                    channel.poll(FRAME)  # paced: one chunk a frame, but wake for a command
    except (EOFError, BrokenPipeError, KeyboardInterrupt):
        return
    except Exception:
        with contextlib.suppress(BrokenPipeError, OSError):
            channel.send(Failed(traceback.format_exc()))
