"""Mini-batches and epochs: the schedule, the trainer, the command line."""

from __future__ import annotations

import numpy as np
import pytest

from uat_explorer.core import OptimizerSpec, Trainer, random_network
from uat_explorer.core.nn.activations import ACTIVATIONS
from uat_explorer.core.nn.parameters import parameter_values
from uat_explorer.core.training.batches import BatchSchedule, check_batch_size

X = np.linspace(-3, 3, 100)


T = np.sin(X)


def net():
    return random_network(["sigmoid", "tanh", "relu", "sigmoid"], (-3, 3), 4)


def test_the_same_seed_gives_the_same_batches_and_another_seed_others():
    a, b, c = BatchSchedule(100, 8, 3), BatchSchedule(100, 8, 3), BatchSchedule(100, 8, 4)
    for step in (0, 1, 12, 13, 500):
        np.testing.assert_array_equal(a.indices(step), b.indices(step))
    assert not np.array_equal(a.indices(0), c.indices(0))


@pytest.mark.parametrize("samples, size", [(100, 10), (10, 4), (7, 3), (50, 1), (9, 9)])
def test_every_sample_is_used_exactly_once_per_epoch(samples, size):
    schedule = BatchSchedule(samples, size, seed=1)
    epochs = 3
    steps = epochs * samples // size + 1
    used = np.concatenate([schedule.indices(k) for k in range(steps)])
    assert all(schedule.indices(k).size == size for k in range(steps))
    for epoch in range(epochs):
        chunk = used[epoch * samples : (epoch + 1) * samples]
        assert sorted(chunk.tolist()) == list(range(samples))
    assert schedule.epochs(steps) == steps * size / samples


def test_epoch_and_batch_positions_count_from_one():
    schedule = BatchSchedule(80, 10, 0)
    assert schedule.batches_per_epoch == 8
    assert schedule.position(0) == (1, 1)
    assert schedule.position(8) == (2, 1)
    assert schedule.position(602) == (76, 3)
    np.testing.assert_array_equal(schedule.epoch_ends(0, 20), [7, 15])


def test_a_batch_of_every_sample_is_exactly_the_full_batch():
    full = Trainer(net(), X, T, "mse", OptimizerSpec("adam", 0.02))
    same = Trainer(net(), X, T, "mse", OptimizerSpec("adam", 0.02), batch_size=100, seed=7)
    a, b = full.run(200), same.run(200)
    assert full.network == same.network and a.loss == b.loss
    np.testing.assert_array_equal(a.losses, b.losses)


def test_mini_batch_steps_use_the_scheduled_samples():
    """One SGD step on a batch moves θ by −lr·∇ of that batch's loss alone."""
    schedule = BatchSchedule(100, 10, 5)
    trainer = Trainer(net(), X, T, "mse", OptimizerSpec("sgd", 0.1), batch_size=10, seed=5)
    trainer.run(3)
    before = trainer.network
    report = trainer.run(1)
    chosen = schedule.indices(3)
    expected = Trainer(before, X[chosen], T[chosen], "mse", OptimizerSpec("sgd", 0.1))
    expected.spec = trainer.spec
    step = expected.run(1)
    np.testing.assert_allclose(report.losses, step.losses, rtol=1e-6)
    np.testing.assert_allclose(trainer.network.w, expected.network.w, rtol=1e-5, atol=1e-7)


def test_epoch_losses_are_full_batch_losses_at_each_epochs_end():
    trainer = Trainer(net(), X, T, "mse", OptimizerSpec("adam", 0.02), batch_size=25, seed=1)
    report = trainer.run(12)
    steps, losses = report.epoch_losses
    np.testing.assert_array_equal(steps, [4, 8, 12])
    replay = Trainer(net(), X, T, "mse", OptimizerSpec("adam", 0.02), batch_size=25, seed=1)
    replay.run(8)
    full = Trainer(replay.network, X, T, "mse", OptimizerSpec("adam", 0.02)).run(0)
    assert losses[1] == pytest.approx(full.loss, rel=1e-5)


def test_levenberg_marquardt_trains_full_batch_whatever_the_batch_size():
    a = Trainer(net(), X, T, "mse", OptimizerSpec("lm"))
    b = Trainer(net(), X, T, "mse", OptimizerSpec("lm"), batch_size=10)
    a.run(20)
    b.run(20)
    assert a.network == b.network


def test_recorded_rows_are_each_steps_weights_gradient_and_activity():
    network = net()
    network.muted[1] = True
    trainer = Trainer(network, X, T, "mse", OptimizerSpec("adam", 0.02), batch_size=20, record=True)
    befores = []
    for _ in range(5):
        befores.append(trainer.network)
        trainer.run(1)
    rows = (
        Trainer(network, X, T, "mse", OptimizerSpec("adam", 0.02), batch_size=20, record=True)
        .run(5)
        .timeline
    )
    assert rows.weights.shape == (5, 13) and rows.activity.shape == (5, 4)
    for k, before in enumerate(befores):
        np.testing.assert_allclose(rows.weights[k], parameter_values(before), rtol=1e-6)
    assert (rows.gradients[:, 3:6] == 0).all() and (rows.activity[:, 1] == 0).all()
    chosen = BatchSchedule(100, 20, 0).indices(0)
    z = np.multiply.outer(befores[0].w, X[chosen]) + befores[0].b[:, None]
    a0 = ACTIVATIONS["sigmoid"](z[0])
    assert rows.activity[0, 0] == pytest.approx(np.abs(a0).mean(), rel=1e-5)


@pytest.mark.parametrize("size", [0, 101])
def test_a_batch_size_outside_the_samples_is_refused(size):
    with pytest.raises(Exception, match="between 1 and the 100 samples"):
        check_batch_size(size, 100)
