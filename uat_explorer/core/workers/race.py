"""The race, in a process of its own: every run advances a slice at a time in turn, so
the curves grow together on screen, and the window only draws.

In: a RaceJob, then Quit at any time. Out: RaceProgress for each run at frame rate,
Alive while racing, Finished when every run is done, or Failed.
"""

from __future__ import annotations

import time
from dataclasses import dataclass

import numpy as np

from uat_explorer.core.nn.network import Network
from uat_explorer.core.teaching.race import race_trainer
from uat_explorer.core.training.optimizers import OptimizerSpec
from uat_explorer.core.training.penalty import Penalty
from uat_explorer.core.workers.process import Channel, serve_one_job
from uat_explorer.core.workers.training import CHUNK, REPLY_EVERY


@dataclass
class RaceJob:
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


@dataclass
class RaceProgress:
    """Run ``index``: the loss of each step from ``first_step`` on, its weights now, and,
    once ``done``, its final loss and whether (and where) it diverged."""

    index: int
    first_step: int
    losses: np.ndarray
    step: int
    loss: float
    network: Network
    done: bool
    diverged_step: int | None = None
    diverged_run: tuple[np.ndarray, np.ndarray] | None = None
    test_loss: float | None = None
    """The loss on the held-out points at ``network`` (None: no test points)."""


def serve_race(channel: Channel) -> None:
    serve_one_job(channel, RaceJob, _race)


def _race(conn: Channel, job: RaceJob) -> None:
    trainers = [
        race_trainer(
            job.network,
            job.x,
            job.t,
            job.loss,
            spec,
            job.steps,
            job.batch_size,
            job.seed,
            job.test,
            job.penalty,
        )
        for spec in job.specs
    ]
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
                    )
                )
                buffers[k], firsts[k], sent[k] = [], trainer.step, time.perf_counter()
            if done:
                pending.remove(k)
