"""The race, in a process of its own: every run advances a slice at a time in turn, so
the curves grow together on screen, and the window only draws.

In: a RaceJob (curves) or a ClassRaceJob (classes), then Quit at any time. Out:
RaceProgress for each run at frame rate, Alive while racing, Finished when every run is
done, or Failed.
"""

from __future__ import annotations

import time
from collections.abc import Sequence
from dataclasses import dataclass
from functools import partial
from typing import Protocol

import numpy as np
from numpy.typing import NDArray

from uat_explorer.core.nn.classifier import ClassNetwork
from uat_explorer.core.nn.network import Network
from uat_explorer.core.teaching.class_race import ClassRaceReport, ClassRaceTrainer
from uat_explorer.core.teaching.race import RaceRun, RunSoFar, race_trainer
from uat_explorer.core.training.classtrainer import ClassTrainer
from uat_explorer.core.training.optimizers import OptimizerSpec
from uat_explorer.core.training.penalty import Penalty
from uat_explorer.core.workers.process import Channel, serve_one_job
from uat_explorer.core.workers.training import CHUNK, REPLY_EVERY


class RaceReport(RunSoFar, Protocol):
    """What the loop reads of a run's report: a curve TrainReport or a ClassRaceReport."""

    @property
    def losses(self) -> NDArray[np.floating]: ...
    @property
    def steps_run(self) -> int: ...
    @property
    def stopped(self) -> str | None: ...
    @property
    def diverged(self) -> str | None: ...


class RaceTrainer(Protocol):
    """One run: a curve Trainer or a ClassRaceTrainer."""

    @property
    def step(self) -> int: ...
    @property
    def network(self) -> Network | ClassNetwork: ...
    def run(self, steps: int, seconds: float | None = None) -> RaceReport: ...


class Race:
    """A job the race's worker takes: its runs' settings and trainers, from the same
    weights."""

    specs: list[OptimizerSpec]

    def trainers(self) -> Sequence[RaceTrainer]:
        raise NotImplementedError


@dataclass
class RaceJob(Race):
    network: Network
    x: np.ndarray
    t: np.ndarray
    loss: str
    specs: list[OptimizerSpec]
    steps: int
    batch_size: int | None = None
    seed: int = 0
    test: tuple[np.ndarray, np.ndarray] | None = None
    penalty: Penalty | None = None

    def trainers(self) -> Sequence[RaceTrainer]:
        return [
            race_trainer(
                self.network,
                self.x,
                self.t,
                self.loss,
                spec,
                self.steps,
                self.batch_size,
                self.seed,
                self.test,
                self.penalty,
            )
            for spec in self.specs
        ]


@dataclass
class ClassRaceJob(Race):
    """A classifier's race: each spec trains a copy of ``network`` on the labelled points
    (LM cannot: ClassTrainer refuses it)."""

    network: ClassNetwork
    x: np.ndarray
    labels: np.ndarray
    specs: list[OptimizerSpec]
    steps: int
    batch_size: int | None = None
    seed: int = 0

    def fresh(self, spec: OptimizerSpec) -> ClassTrainer:
        """A trainer of ``spec`` from the race's weights at step 0."""
        return ClassTrainer(self.network, self.x, self.labels, spec, self.batch_size, self.seed, 0)

    def trainers(self) -> Sequence[RaceTrainer]:
        return [ClassRaceTrainer(partial(self.fresh, spec), self.steps) for spec in self.specs]


@dataclass
class RaceProgress:
    """Run ``index``: the loss of each step from ``first_step`` on, its weights now, and,
    once ``done``, its final loss and whether (and where) it diverged."""

    index: int
    first_step: int
    losses: np.ndarray
    step: int
    loss: float
    network: Network | ClassNetwork
    done: bool
    diverged_step: int | None = None
    diverged_run: tuple[np.ndarray, np.ndarray] | None = None
    test_loss: float | None = None
    """The loss on the held-out points at ``network`` (None: no test points)."""
    accuracy: float | None = None
    """Classes: the share of points the run's weights classify right (None: a curve)."""

    def add_to(self, run: RaceRun) -> None:
        """These steps into the window's record of the run."""
        run.update(self.first_step, self.losses, self, self.network, self.done)


def serve_race(channel: Channel) -> None:
    serve_one_job(channel, Race, _race)


def _race(conn: Channel, job: Race) -> None:
    trainers = job.trainers()
    pending = list(range(len(trainers)))
    buffers: list[list[np.ndarray]] = [[] for _ in trainers]
    firsts = [0] * len(trainers)
    sent = [0.0] * len(trainers)
    while pending:
        if conn.poll(0):
            return  # "quit": whatever it says, the race is over
        for k in list(pending):
            trainer = trainers[k]
            report = trainer.run(10**9, seconds=CHUNK / len(pending))
            buffers[k].append(report.losses)
            done = bool(report.stopped or report.diverged or report.steps_run == 0)
            if done or time.perf_counter() - sent[k] >= REPLY_EVERY:
                conn.send(
                    RaceProgress(
                        k,
                        firsts[k],
                        np.concatenate(buffers[k]),
                        trainer.step,
                        report.loss,
                        trainer.network,
                        done,
                        report.diverged_step,
                        report.diverged_run,
                        report.test_loss,
                        report.accuracy if isinstance(report, ClassRaceReport) else None,
                    )
                )
                buffers[k], firsts[k], sent[k] = [], trainer.step, time.perf_counter()
            if done:
                pending.remove(k)
