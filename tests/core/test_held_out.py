"""Samples are not the function: noise and held-out points from the seed, the test loss at
every step, weight decay, early stopping, and nothing of it when it is off."""

from __future__ import annotations

import itertools
import math
from dataclasses import replace

import numpy as np
import pytest

from uat_explorer.core import (
    FitProblem,
    InputError,
    OptimizerSpec,
    Session,
    SessionError,
    StopRule,
    Target,
    Trainer,
    random_network,
    trace,
)
from uat_explorer.core.io.examples import example
from uat_explorer.core.lessons.parser import parse_lesson
from uat_explorer.core.lessons.walk import walk
from uat_explorer.core.nn.parameters import parameter_values
from uat_explorer.core.teaching.race import race
from uat_explorer.core.training.heldout import true_error
from uat_explorer.core.training.optimizers import SGD, LevenbergMarquardt
from uat_explorer.core.training.penalty import Penalty

DOMAIN = (-math.pi, math.pi)


def noisy(seed: int = 4, noise: float = 0.2, fraction: float = 0.3, mode: str = "random"):
    net = random_network(["sigmoid"] * 8, DOMAIN, seed=seed)
    return Session(
        network=net,
        target=Target.preset("sin"),
        domain=DOMAIN,
        samples=40,
        seed=seed,
        noise=noise,
        test_fraction=fraction,
        test_mode=mode,
    )


def test_the_same_seed_gives_the_same_noisy_points_and_split():
    first, again, other = noisy().sample_set(), noisy().sample_set(), noisy(seed=5).sample_set()
    np.testing.assert_array_equal(first.t, again.t)
    np.testing.assert_array_equal(first.test, again.test)
    assert not np.array_equal(first.t, other.t)
    assert not np.array_equal(first.test, other.test)
    clean = Target.preset("sin").samples(DOMAIN, 40)[1]
    np.testing.assert_array_equal(first.clean, clean)
    assert 0.1 < np.std(first.t - clean) < 0.3


def test_another_noise_level_scales_the_same_draws():
    low, high = noisy(noise=0.1).sample_set(), noisy(noise=0.4).sample_set()
    np.testing.assert_allclose(high.t - high.clean, 4 * (low.t - low.clean), rtol=1e-12)
    np.testing.assert_array_equal(low.test, high.test)  # the split does not depend on it


@pytest.mark.parametrize("mode", ["random", "between"])
def test_train_and_test_are_disjoint_and_together_the_samples(mode):
    session = noisy(mode=mode)
    samples = session.sample_set()
    (xr, tr), (xt, tt) = session.training_data(), session.test_data()
    assert xt.size == round(0.3 * 40) and xr.size + xt.size == 40
    assert not set(xr) & set(xt)
    order = np.argsort(np.concatenate([xr, xt]))
    np.testing.assert_array_equal(np.concatenate([xr, xt])[order], samples.x)
    np.testing.assert_array_equal(np.concatenate([tr, tt])[order], samples.t)


def test_in_between_test_points_are_spread_evenly_and_never_the_ends():
    samples = noisy(fraction=0.5, mode="between").sample_set()
    held = np.flatnonzero(samples.test)
    assert not samples.test[0] and not samples.test[-1]
    assert held.size == 20 and set(np.diff(held)) <= {1, 2, 3}


def test_test_points_never_appear_in_a_batch():
    session = replace(noisy(), batch_size=5, optimizer=OptimizerSpec("sgd", 0.1))
    test_x = set(session.test_data()[0].tolist())
    trainer = session.trainer()
    seen: set[float] = set()
    for _ in range(60):  # ten epochs of the 28 training points
        trainer.run(1)
        seen |= set(trainer.batch_problem.x.astype(np.float64).tolist())
    assert not seen & {float(np.float32(x)) for x in test_x}
    assert len(seen) == 28


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"noise": -0.1}, "the noise must be a standard deviation from 0"),
        ({"noise": math.nan}, "the noise must be a standard deviation from 0"),
        ({"noise": math.inf}, "the noise must be a standard deviation from 0"),
        ({"test_fraction": 0.95}, "the test fraction must be a number from 0 to 0.9"),
        ({"samples": 10, "test_fraction": 0.9}, "leaves 1 to train on; at least 2 must train"),
        ({"test_mode": "edges"}, "unknown test split 'edges'"),
    ],
)
def test_samples_that_cannot_be_drawn_are_refused_with_the_reason(change, message):
    with pytest.raises(InputError, match=message):
        replace(noisy(), **change).sample_set()


@pytest.mark.parametrize(
    ("make", "message"),
    [
        (lambda: Penalty("l2", -1e-3), "the weight decay λ must be a number from 0"),
        (lambda: Penalty("l2", math.nan), "the weight decay λ must be a number from 0"),
        (lambda: Penalty("l3", 1e-3), "unknown penalty 'l3'"),
        (lambda: StopRule(test_patience=0), "early stopping waits 1 to"),
    ],
)
def test_bad_weight_decay_and_patience_are_refused(make, message):
    with pytest.raises(InputError, match=message):
        make()


def _weights_after(trainer: Trainer, steps: int) -> tuple[np.ndarray, np.ndarray]:
    report = trainer.run(steps)
    return parameter_values(trainer.network), report.losses


@pytest.mark.parametrize(
    ("name", "batch"), [("sgd", None), ("momentum", 8), ("adam", None), ("adam", 8), ("lm", None)]
)
def test_no_noise_no_test_points_no_decay_is_todays_run_bit_for_bit(name, batch):
    """A session with the new settings off trains exactly as a trainer built from the
    target's own samples with none of them (today's code path): the same arrays, the
    same weights and losses to the last bit."""
    network = random_network(["sigmoid", "tanh", "relu"] * 3, DOMAIN, seed=9)
    session = Session(
        network=network,
        target=Target.preset("sines"),
        domain=DOMAIN,
        samples=64,
        optimizer=OptimizerSpec(name, 0.01),
        batch_size=batch,
        seed=3,
    )
    x, t = Target.preset("sines").samples(DOMAIN, 64)
    samples = session.sample_set()
    assert samples.t is samples.clean and not samples.altered
    np.testing.assert_array_equal(session.training_data()[0], x)
    plain = Trainer(network, x, t, "mse", OptimizerSpec(name, 0.01), None, 0, batch, 3)
    ours = session.trainer()
    assert ours.held is None and ours.optimizer.penalty is None
    for (w1, l1), (w2, l2) in zip(
        (_weights_after(plain, 150), _weights_after(plain, 150)),
        (_weights_after(ours, 150), _weights_after(ours, 150)),
        strict=True,
    ):
        assert w1.tobytes() == w2.tobytes() and l1.tobytes() == l2.tobytes()


def test_a_version_3_file_trains_as_it_did(tmp_path):
    session = replace(noisy(noise=0.0, fraction=0.0), stop=StopRule(max_steps=50))
    data = session.to_dict()
    data["version"] = 3
    for key in ("noise", "test_fraction", "test_mode", "penalty"):
        del data[key]
    for key in ("test_patience", "restore_best_test"):
        del data["stop"][key]
    del data["history"]["test"]
    old = Session.from_dict(data)
    assert (old.noise, old.test_fraction, old.penalty.active) == (0.0, 0.0, False)
    assert old.stop == session.stop and old == session
    a, b = old.trainer().run(50), session.trainer().run(50)
    assert a.losses.tobytes() == b.losses.tobytes() and a.test_losses is None


def _sgd_step(penalty: Penalty) -> tuple[np.ndarray, np.ndarray, np.ndarray, float]:
    """(values before, values after, ∂L/∂p from the trace, lr) of one SGD step in float64
    with ``penalty``, card order [w1, b1, v1, …, c]."""
    net = random_network(["sigmoid", "tanh", "relu", "sigmoid"], DOMAIN, seed=2)
    net.muted[3] = True
    x, t = Target.preset("sin").samples(DOMAIN, 50)
    problem = FitProblem(net, x, t)
    theta = problem.pack(net)
    lr = 0.05
    optimizer = SGD(problem.n_params, np.float64, lr)
    optimizer.penalty = penalty
    optimizer.step(problem, theta)
    after = net.copy()
    problem.unpack(theta, after)
    grad = trace(net, x, t, "mse").gradients.flat()
    return parameter_values(net), parameter_values(after), grad, lr


@pytest.mark.parametrize("kind", ["l2", "l1"])
def test_one_sgd_step_with_weight_decay_moves_w_b_v_by_the_penalised_gradient(kind):
    """Every w, b, v moves by exactly −lr·(∂L/∂p + λp) (L1: λ·sign(p)), c by −lr·∂L/∂c,
    and a muted neuron not at all: against the trace's gradient."""
    lam = 0.3
    before, after, grad, lr = _sgd_step(Penalty(kind, lam))
    pull = lam * (before if kind == "l2" else np.sign(before))
    pull[-1] = 0.0  # c
    pull[9:12] = 0.0  # the muted fourth neuron
    np.testing.assert_allclose(after - before, -lr * (grad + pull), rtol=1e-9, atol=1e-12)
    assert after[-1] - before[-1] == pytest.approx(-lr * grad[-1], rel=1e-9)
    assert np.array_equal(after[9:12], before[9:12])


def test_the_trainer_applies_weight_decay_and_records_the_data_loss():
    net, x, t = (
        random_network(["sigmoid"] * 6, DOMAIN, 1),
        *Target.preset("sin").samples(DOMAIN, 40),
    )
    spec = OptimizerSpec("sgd", 0.1)
    plain = Trainer(net, x, t, optimizer=spec)
    decayed = Trainer(net, x, t, optimizer=spec, penalty=Penalty("l2", 0.5))
    first, second = plain.run(1), decayed.run(1)
    assert first.losses[0] == second.losses[0]  # the data term, the same start
    moved = parameter_values(decayed.network) - parameter_values(plain.network)
    lam_p = 0.5 * np.append(parameter_values(net)[:-1], 0.0)
    np.testing.assert_allclose(moved, -0.1 * lam_p, rtol=1e-4, atol=1e-6)  # float32
    for _ in range(20):
        plain.run(50)
        decayed.run(50)
    norm = lambda trainer: float(np.sum(parameter_values(trainer.network)[:-1] ** 2))  # noqa: E731
    assert norm(decayed) < 0.5 * norm(plain)


@pytest.mark.parametrize("kind", ["l2", "l1"])
def test_levenberg_marquardt_minimises_the_penalised_loss(kind):
    net = random_network(["sigmoid"] * 12, DOMAIN, seed=5)
    x, t = Target.preset("sin").samples(DOMAIN, 30)
    t = t + 0.2 * np.random.default_rng(0).standard_normal(t.size)
    penalty = Penalty(kind, 1e-3)
    problem = FitProblem(net, x, t)
    theta = problem.pack(net)
    lm = LevenbergMarquardt(problem.n_params)
    lm.penalty = penalty
    objectives = [problem.loss(theta) + penalty.value(theta)]
    for _ in range(40):
        lm.step(problem, theta)
        objectives.append(problem.loss(theta) + penalty.value(theta))
    assert all(b <= a for a, b in itertools.pairwise(objectives))  # kept if lower
    assert objectives[-1] < 0.5 * objectives[0]
    plain = Trainer(net, x, t, optimizer=OptimizerSpec("lm"), stop=StopRule(max_steps=40))
    plain.run(40)
    assert penalty.value(theta) < penalty.value(plain.problem.pack(plain.network))


def test_the_test_loss_of_each_step_is_that_of_the_step_s_weights():
    session = noisy()
    trainer = session.trainer(record=True)
    report = trainer.run(30)
    steps, losses = report.test_losses
    assert steps.tolist() == list(range(30)) and losses.size == 30
    x, t = session.test_data()
    weights = report.timeline.weights.astype(np.float64)  # θ of each step, card order
    for k in (0, 17, 29):
        net = session.network.copy()
        for j in range(net.size):
            net.w[j], net.b[j], net.v[j] = weights[k, 3 * j : 3 * j + 3]
        net.c = weights[k, -1]
        assert losses[k] == pytest.approx(float(np.mean((net(x) - t) ** 2)), rel=1e-4)
    assert report.best_test == (int(np.argmin(losses)), pytest.approx(losses.min()))


def test_early_stopping_stops_and_restores_the_weights_with_the_lowest_test_loss():
    session = example("overfitting").build()
    session.stop = StopRule(max_steps=20_000, test_patience=200, restore_best_test=True)
    trainer = session.trainer()
    report = trainer.run(20_000)
    best_step, best_loss = report.best_test
    assert report.step == best_step + 201  # 200 steps without a new low, then stop
    assert "the test loss has not improved for 200 steps" in report.stopped
    assert f"the weights of step {best_step:,}" in report.stopped
    x, t = session.test_data()
    assert float(np.mean((trainer.network(x) - t) ** 2)) == pytest.approx(best_loss, rel=1e-5)
    assert report.test_loss == pytest.approx(best_loss, rel=1e-6)
    kept = trainer.network
    again = trainer.run(0)
    assert again.stopped is None and trainer.network == kept  # restored once, said once


def test_without_restore_the_last_weights_stay():
    session = example("overfitting").build()
    session.stop = StopRule(max_steps=3000)
    report = session.trainer().run(3000)
    assert report.stopped == "step budget of 3000 reached"
    assert report.test_loss > 1.5 * report.best_test[1]  # it overfits


def test_a_divergence_forgets_the_test_losses_after_the_restored_step():
    session = replace(noisy(), optimizer=OptimizerSpec("sgd", 200.0))
    trainer = session.trainer()
    report = trainer.run(200)
    assert report.diverged is not None
    session.history.record(0, report.losses, test_losses=report.test_losses)
    steps, _ = session.history.test.arrays()
    assert steps.size == report.losses.size and steps[-1] <= report.step


def test_the_true_error_measures_the_distance_to_the_function():
    exact = random_network(["sigmoid"] * 3, DOMAIN, seed=1)
    assert true_error(exact, exact, DOMAIN) == 0.0
    shifted = exact.copy()
    shifted.c += 0.5
    assert true_error(shifted, exact, DOMAIN) == pytest.approx(0.25)


def test_a_v4_session_keeps_its_samples_settings_and_its_test_curve(tmp_path):
    session = noisy()
    session.penalty = Penalty("l1", 2e-3)
    session.stop = StopRule(max_steps=40, test_patience=7, restore_best_test=True)
    trainer = session.trainer()
    report = trainer.run(40)
    session = replace(session, network=trainer.network, step=trainer.step)
    session.history.record(0, report.losses, test_losses=report.test_losses)
    session.save(tmp_path / "v4.json")
    loaded = Session.load(tmp_path / "v4.json")
    assert loaded == session and loaded.penalty == session.penalty and loaded.stop == session.stop
    assert (loaded.noise, loaded.test_fraction, loaded.test_mode) == (0.2, 0.3, "random")
    _, losses = loaded.history.test.arrays()
    np.testing.assert_array_equal(losses, report.test_losses[1])
    np.testing.assert_array_equal(loaded.sample_set().t, session.sample_set().t)


def _damaged(change) -> dict:
    data = noisy().to_dict()
    change(data)
    return data


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (lambda d: d.update(noise=-1), r"noise must lie in \[0, 1e\+06\]"),
        (lambda d: d.update(noise="loud"), "noise must be a number, got text 'loud'"),
        (lambda d: d.update(test_fraction=0.95), r"test_fraction must lie in \[0, 0.9\]"),
        (
            lambda d: d.update(samples=3, test_fraction=0.9),
            "test_fraction: a test fraction of 0.9 holds out 3 of the 3 samples",
        ),
        (lambda d: d.update(test_mode="edges"), "test_mode must be one of random, between"),
        (lambda d: d["penalty"].update(kind="l3"), "penalty.kind must be one of l2, l1"),
        (lambda d: d["penalty"].update(weight_decay=-2), r"penalty.weight_decay must lie in"),
        (lambda d: d["stop"].update(test_patience=0), "stop.test_patience must lie between 1"),
        (lambda d: d["stop"].update(restore_best_test=1), "stop.restore_best_test must be true"),
        (lambda d: d["history"]["test"].update(steps=5), "history.test.steps must be base64"),
    ],
)
def test_a_damaged_field_is_refused_by_name(change, message):
    with pytest.raises(SessionError, match=message):
        Session.from_dict(_damaged(change))


OVERFIT_LESSON = """# Overfitting

```lesson
idea = "a test"
```

## Train on

```lesson
start = "example:overfitting"
[check]
kind = "test_loss_turned_up"
factor = 2
[solution]
train_steps = 3000
```
"""


def test_a_lesson_step_is_checked_at_its_start_before_its_solution_trains():
    """The solution's training must not reach the start's history: the check reads it."""
    (found,) = walk(parse_lesson(OVERFIT_LESSON))
    assert found.problem is None
    assert not found.at_start.passed and "no history yet" in found.at_start.message
    assert found.solved.passed and "times its lowest" in found.solved.message


def test_a_race_reports_each_run_s_test_loss_when_there_are_test_points():
    session = noisy()
    x, t = session.training_data()
    specs = [OptimizerSpec("sgd", 0.1), OptimizerSpec("adam", 0.01)]
    runs = race(session.network, x, t, "mse", specs, 50, test=session.test_data())
    for run in runs:
        net = run.network
        xt, tt = session.test_data()
        assert run.to_dict()["final_test_loss"] == pytest.approx(
            float(np.mean((net(xt) - tt) ** 2)), rel=1e-4
        )
    plain = race(session.network, x, t, "mse", specs[:1], 50)
    assert "final_test_loss" not in plain[0].to_dict()
