"""Class training in a process of its own: the classes window only draws. Every step is
recorded for the timeline, as curve training's is.

In: a ClassJob, then Quit at any time. Out: ClassProgress twice a frame while training
(the weights, the step, the losses and the timeline rows since the last reply), Finished
once training cannot go on (it diverged, or reached the last step a session counts), or Failed.
"""

from __future__ import annotations

import time
from dataclasses import dataclass

import numpy as np

from uat_explorer.core.nn.classifier import ClassNetwork
from uat_explorer.core.training.classtrainer import ClassTrainer
from uat_explorer.core.training.optimizers import OptimizerSpec
from uat_explorer.core.training.timeline import TimelineRows, joined_rows
from uat_explorer.core.workers.process import Channel, serve_one_job
from uat_explorer.core.workers.training import CHUNK, REPLY_EVERY


@dataclass
class ClassJob:
    """Train ``network`` on the labelled points from ``step`` on, until told to quit (or,
    with ``until``, until that step: a lesson's Show me trains a given number)."""

    network: ClassNetwork
    x: np.ndarray
    labels: np.ndarray
    spec: OptimizerSpec
    batch_size: int | None
    seed: int
    step: int
    until: int | None = None


@dataclass
class ClassProgress:
    """θ and the step after the steps whose losses are ``losses`` (and, recording,
    whose rows are ``timeline``); why it diverged."""

    step: int
    theta: np.ndarray
    losses: np.ndarray
    diverged: str | None = None
    timeline: TimelineRows | None = None


def serve_classes(channel: Channel) -> None:
    serve_one_job(channel, ClassJob, _train)


def _train(channel: Channel, job: ClassJob) -> None:
    trainer = ClassTrainer(
        job.network, job.x, job.labels, job.spec, job.batch_size, job.seed, job.step, record=True
    )
    losses: list[np.ndarray] = []
    rows: list[TimelineRows] = []
    sent = time.perf_counter()
    while not channel.poll(0):
        budget = 10**9 if job.until is None else job.until - trainer.step
        report = trainer.run(budget, seconds=CHUNK)
        losses.append(report.losses)
        if report.timeline is not None:
            rows.append(report.timeline)
        stuck = report.diverged is not None or report.steps_run == 0
        if stuck or time.perf_counter() - sent >= REPLY_EVERY:
            progress = ClassProgress(
                trainer.step,
                trainer.theta.copy(),
                np.concatenate(losses),
                report.diverged,
                joined_rows(rows),
            )
            channel.send(progress)
            losses, rows, sent = [], [], time.perf_counter()
        if stuck:
            return
