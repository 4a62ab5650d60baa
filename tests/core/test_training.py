import math

import numpy as np
import pytest

from uat_explorer.core import (
    InputError,
    OptimizerSpec,
    StopRule,
    Target,
    Trainer,
    random_network,
    trace,
)
from uat_explorer.core.training.loss_history import LossHistory


@pytest.mark.parametrize(
    ("name", "lr"), [("sgd", 0.5), ("momentum", 0.05), ("adam", 0.01), ("lm", 0.01)]
)
def test_every_optimizer_lowers_the_loss(sine_problem, name, lr):
    net, x, t = sine_problem
    trainer = Trainer(net, x, t, optimizer=OptimizerSpec(name, lr))
    start = trainer.run(0).loss
    report = trainer.run(300)
    assert report.diverged is None
    assert report.loss < 0.5 * start
    assert report.step == 300 == trainer.step


@pytest.mark.parametrize("loss", ["mae", "huber"])
@pytest.mark.parametrize("name", ["adam", "lm"])
def test_other_losses_train_too(sine_problem, loss, name):
    net, x, t = sine_problem
    trainer = Trainer(net, x, t, loss=loss, optimizer=OptimizerSpec(name, 0.01))
    start = trainer.run(0).loss
    assert trainer.run(200).loss < 0.5 * start


def test_levenberg_marquardt_reaches_a_tight_fit_in_few_steps():
    domain = (-math.pi, math.pi)
    x, t = Target.preset("sines").samples(domain, 256)
    for seed in range(5):
        net = random_network(["sigmoid"] * 16, domain, seed)
        trainer = Trainer(
            net, x, t, optimizer=OptimizerSpec("lm"), stop=StopRule(max_steps=400, loss_below=1e-5)
        )
        report = trainer.run(10_000)
        assert report.metrics.mse <= 1e-5, f"seed {seed}: {report.metrics.mse}"
        assert report.stopped == "loss ≤ 1e-05"


def test_step_neurons_train_through_the_surrogate():
    domain = (-1.0, 1.0)
    x, t = Target.preset("parabola").samples(domain, 100)
    net = random_network(["step"] * 10, domain, seed=2)
    trainer = Trainer(net, x, t, optimizer=OptimizerSpec("adam", 0.02))
    start_positions = net.step_positions()
    start = trainer.run(0).loss
    report = trainer.run(2000)
    assert report.loss < 0.2 * start
    assert not np.allclose(trainer.network.step_positions(), start_positions)


def test_divergence_restores_the_best_finite_weights(sine_problem):
    net, x, t = sine_problem
    trainer = Trainer(net, x, t, optimizer=OptimizerSpec("sgd", 100.0))
    report = trainer.run(500)
    assert report.diverged is not None
    assert "learning rate 100 is too high" in report.diverged
    assert f"weights of step {report.step}, the lowest loss of this run" in report.diverged
    restored = trainer.network
    for values in (restored.w, restored.b, restored.v):
        assert np.all(np.isfinite(values))
    assert math.isfinite(report.loss)
    assert report.step < 500
    start = Trainer(net, x, t).run(0).loss
    assert report.loss <= start * (1 + 1e-6)  # the best weights of the run came back
    steps, losses = trainer.history.arrays()
    assert np.all(steps < report.step) and np.all(np.isfinite(losses))
    # The trainer stays usable: a sane learning rate continues from the restored weights.
    trainer.set_optimizer(OptimizerSpec("sgd", 0.1))
    assert trainer.run(50).diverged is None


def test_stop_rules(sine_problem):
    net, x, t = sine_problem
    budget = Trainer(net, x, t, stop=StopRule(max_steps=120))
    report = budget.run(10_000)
    assert report.step == 120 and report.stopped == "step budget of 120 reached"
    assert budget.run(10).steps_run == 0

    threshold = Trainer(net, x, t, optimizer=OptimizerSpec("lm"), stop=StopRule(loss_below=1e-3))
    report = threshold.run(10_000)
    assert report.loss <= 1e-3 and report.stopped == "loss ≤ 0.001"
    with pytest.raises(InputError):
        StopRule(max_steps=-1)


def test_time_budget_returns_early(sine_problem):
    net, x, t = sine_problem
    report = Trainer(net, x, t).run(10**9, seconds=0.05)
    assert 0 < report.steps_run < 10**9


def test_changing_optimizer_keeps_the_weights(sine_problem):
    net, x, t = sine_problem
    trainer = Trainer(net, x, t, optimizer=OptimizerSpec("adam", 0.01))
    trainer.run(50)
    before = trainer.network
    trainer.set_optimizer(OptimizerSpec("lm"))
    after = trainer.network
    np.testing.assert_allclose(after.w, before.w)
    np.testing.assert_allclose(after.v, before.v)
    assert trainer.step == 50


@pytest.mark.parametrize("optimizer", ["adam", "lm"])
def test_report_carries_the_true_gradient_of_the_loss(sine_problem, optimizer):
    """The values, not only the shapes: for LM too, whose own step uses JᵀWr."""
    net, x, t = sine_problem
    trainer = Trainer(net, x, t, optimizer=OptimizerSpec(optimizer, 0.01))
    report = trainer.run(3)
    expected = trace(trainer.network, x, t, "mse").gradients
    # Adam works in float32, so its report is that precise; LM in float64.
    tolerance = 1e-4 if optimizer == "adam" else 1e-9
    np.testing.assert_allclose(
        report.gradients.flat(), expected.flat(), rtol=tolerance, atol=tolerance
    )
    assert np.linalg.norm(expected.flat()) > 1e-3


def test_same_seed_same_weights_and_new_seed_differs():
    domain = (-1.0, 1.0)
    a = random_network(["sigmoid"] * 6, domain, seed=11)
    b = random_network(["sigmoid"] * 6, domain, seed=11)
    c = random_network(["sigmoid"] * 6, domain, seed=12)
    assert a == b
    assert a != c


def test_initial_step_positions_cover_the_domain():
    net = random_network(["sigmoid"] * 8, (0.0, 8.0), seed=0)
    positions = np.sort(net.step_positions())
    assert np.all(np.floor(positions) == np.arange(8))


def test_loss_history_decimates_but_keeps_start_and_end():
    history = LossHistory(capacity=100)
    history.extend(0, np.linspace(1, 0.001, 1000))
    history.extend(1000, np.full(234, 0.0005))
    steps, losses = history.arrays()
    assert len(steps) <= 101
    assert steps[0] == 0 and steps[-1] == 1233 and losses[-1] == 0.0005
    assert np.all(np.diff(steps) > 0)
    history.truncate(500)
    assert history.arrays()[0][-1] < 500


def test_levenberg_marquardt_says_when_it_has_converged():
    x = np.linspace(-1, 1, 5)
    net = random_network(["tanh"] * 8, (-1.0, 1.0), seed=0)
    trainer = Trainer(net, x, x**2, optimizer=OptimizerSpec("lm"))
    report = trainer.run(1000)
    assert report.stopped == "converged: no step lowers the loss further"
    assert report.step < 1000 and report.loss < 1e-20


def test_history_after_divergence_has_each_step_once(sine_problem):
    net, x, t = sine_problem
    trainer = Trainer(net, x, t, optimizer=OptimizerSpec("sgd", 100.0))
    trainer.run(500)
    trainer.set_optimizer(OptimizerSpec("sgd", 0.01))
    trainer.run(5)
    steps, _ = trainer.history.arrays()
    assert np.all(np.diff(steps) == 1)


@pytest.mark.parametrize("name", ["sgd", "momentum", "adam"])
def test_training_only_some_parameters_holds_the_rest(sine_problem, name):
    """The landscape's "train only these two": the others stay bit for bit, the two
    move exactly as they would with the others held (the optimizers act per parameter)."""
    from uat_explorer.core.nn.parameters import parameter_index, parameter_values

    net, x, t = sine_problem
    size = net.size
    chosen = (parameter_index("w1", size), parameter_index("b2", size))
    trainer = Trainer(net, x, t, optimizer=OptimizerSpec(name, 0.01), record=True)
    trainer.set_trained(chosen)
    start = trainer.run(0).loss
    before = parameter_values(trainer.network)  # as trained (Adam works in float32)
    report = trainer.run(200)
    after = parameter_values(trainer.network)
    moved = np.flatnonzero(before != after)
    assert set(moved) == set(chosen)
    assert report.loss < start
    trainer.set_trained(None)
    trainer.run(10)
    assert np.count_nonzero(parameter_values(trainer.network) != after) > 2


def test_training_every_parameter_is_unchanged_by_the_option(sine_problem):
    net, x, t = sine_problem
    plain = Trainer(net, x, t, optimizer=OptimizerSpec("adam", 0.01))
    every = Trainer(net, x, t, optimizer=OptimizerSpec("adam", 0.01))
    every.set_trained(None)
    plain.run(100)
    every.run(100)
    assert plain.network == every.network


def test_a_diverged_run_gives_the_weights_it_went_through(sine_problem):
    net, x, t = sine_problem
    trainer = Trainer(net, x, t, optimizer=OptimizerSpec("sgd", 60.0), record=True)
    report = trainer.run(500)
    assert report.diverged is not None
    rows = report.diverged_rows
    restored = trainer.step
    assert rows is not None and rows.size >= 1
    assert rows.steps[0] == restored and np.all(np.diff(rows.steps) == 1)
    assert rows.steps[-1] <= report.diverged_step
    assert (
        Trainer(net, x, t, optimizer=OptimizerSpec("sgd", 0.01), record=True).run(20).diverged_rows
        is None
    )
