"""Learning rates raced on a classifier: each run is the class trainer's own run, a
cross-entropy that climbs is a divergence, and the race's worker loop takes class jobs
as it takes curve jobs."""

from __future__ import annotations

from functools import partial

import numpy as np
import pytest

from uat_explorer.core import OptimizerSpec, random_network
from uat_explorer.core.errors import InputError
from uat_explorer.core.nn.classifier import random_classifier
from uat_explorer.core.targets.classes import class_preset
from uat_explorer.core.teaching.class_race import BLOWN_UP, ClassRaceTrainer
from uat_explorer.core.teaching.race import RaceRun, race, race_specs
from uat_explorer.core.training.classtrainer import ClassTrainer
from uat_explorer.core.workers.race import ClassRaceJob, RaceJob, RaceProgress, _race


def bands():
    target = class_preset("bands3")
    x, labels = target.samples(target.natural_domain())
    net = random_classifier(["sigmoid"] * 6, target.natural_domain(), target.classes, 1)
    return net, x, labels


class Pipe:
    """The worker's end of the pipe: never told to quit, keeping what is sent."""

    def __init__(self):
        self.sent = []

    def poll(self, timeout=0.0):
        return False

    def send(self, message):
        self.sent.append(message)


@pytest.mark.parametrize("batch_size", [None, 50])
def test_a_run_is_exactly_the_class_trainers_run_to_the_budget(batch_size):
    net, x, labels = bands()
    spec = OptimizerSpec("adam", 0.05)
    runner = ClassRaceTrainer(partial(ClassTrainer, net, x, labels, spec, batch_size, 4), 300)
    report = runner.run(10**9)
    plain = ClassTrainer(net, x, labels, spec, batch_size, 4).run(300)
    assert np.array_equal(report.losses, plain.losses) and report.steps_run == 300
    assert report.loss == plain.loss and report.accuracy == plain.accuracy
    assert report.stopped == "the step budget" and report.diverged is None
    assert runner.run(10).steps_run == 0  # the budget is spent


def test_a_cross_entropy_that_climbs_is_a_divergence_kept_on_its_curve():
    net, x, labels = bands()
    runner = ClassRaceTrainer(
        partial(ClassTrainer, net, x, labels, OptimizerSpec("sgd", 300.0)), 500
    )
    report = runner.run(10**9)
    assert report.diverged_step is not None and "times where it began" in report.diverged
    assert report.losses.size == report.diverged_step + 1
    assert report.losses[-1] > BLOWN_UP * report.losses[0] >= report.losses[:-1].max()
    # The table's numbers are those of the weights whose loss ends the curve.
    assert runner.step == report.diverged_step
    assert report.loss == pytest.approx(report.losses[-1], rel=1e-12)


def test_a_race_budget_outside_the_limits_is_refused():
    net, x, labels = bands()
    with pytest.raises(InputError, match="step budget"):
        ClassRaceTrainer(partial(ClassTrainer, net, x, labels, OptimizerSpec("adam", 0.01)), 0)


def test_the_worker_races_a_classifier_and_reports_accuracy():
    net, x, labels = bands()
    specs = race_specs(["adam", "sgd"], [0.05, 300.0])
    pipe = Pipe()
    _race(pipe, ClassRaceJob(net, x, labels, specs, 200))
    runs = [RaceRun(spec, 0.1) for spec in specs]
    for reply in pipe.sent:
        assert isinstance(reply, RaceProgress)
        reply.add_to(runs[reply.index])
    plain = ClassTrainer(net, x, labels, specs[0]).run(200)
    assert np.array_equal(runs[0].history.arrays()[1], plain.losses)
    assert runs[0].accuracy == plain.accuracy and runs[0].final_loss == plain.loss
    assert runs[0].done and runs[0].diverged_step is None
    assert runs[1].done and runs[1].diverged_step is not None
    assert all(0 <= run.accuracy <= 1 for run in runs)


def test_the_worker_races_a_curve_as_the_headless_race_does():
    net = random_network(["tanh"] * 4, (-2, 2), 0)
    x = np.linspace(-2, 2, 50)
    specs = race_specs(["sgd"], [0.01, 0.1])
    pipe = Pipe()
    _race(pipe, RaceJob(net, x, np.sin(x), "mse", specs, 150))
    headless = race(net, x, np.sin(x), "mse", specs, 150)
    finals = {reply.index: reply for reply in pipe.sent if reply.done}
    for k, run in enumerate(headless):
        assert finals[k].loss == run.final_loss and finals[k].accuracy is None
