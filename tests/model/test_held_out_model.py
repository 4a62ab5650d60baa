"""The document and the editor with noise, test points and weight decay: what changes, what
is refused, and what the derived values say (no widget)."""

from __future__ import annotations

import math

import numpy as np
import pytest

from uat_explorer.core import InputError, OptimizerSpec, Session, Target, random_network
from uat_explorer.core.io.examples import example
from uat_explorer.core.nn.parameters import parameter_values
from uat_explorer.core.training.penalty import Penalty
from uat_explorer.core.workers.training import Progress
from uat_explorer.model import AppState

DOMAIN = (-math.pi, math.pi)


@pytest.fixture
def state() -> AppState:
    network = random_network(["sigmoid"] * 4, DOMAIN, seed=7)
    return AppState(
        Session(network=network, target=Target.preset("sin"), domain=DOMAIN, samples=40, seed=7)
    )


def heard(signal) -> list[tuple]:
    got: list[tuple] = []
    signal.connect(lambda *args: got.append(args))
    return got


def test_noise_and_test_points_change_the_samples_once(state):
    document = state.document
    before = document.data_revision
    targets, derived = heard(document.targetChanged), heard(document.derivedChanged)
    state.editor.set_sampling(noise=0.3, test_fraction=0.25, test_mode="between")
    assert (document.session.noise, document.session.test_fraction) == (0.3, 0.25)
    assert document.data_revision == before + 1 and len(targets) == 1 and derived
    assert document.training_data()[0].size == 30 and document.test_data()[0].size == 10
    assert document.derived().test is not None and document.derived().true_error > 0


def test_samples_that_cannot_be_drawn_change_nothing(state):
    document = state.document
    state.editor.set_samples(10)
    before, heard_targets = document.data_revision, heard(document.targetChanged)
    with pytest.raises(InputError, match="at least 2 must train"):
        state.editor.set_sampling(test_fraction=0.9, noise=0.5)
    with pytest.raises(InputError, match="the noise must be a standard deviation"):
        state.editor.set_sampling(noise=-1.0)
    assert document.session.noise == 0.0 and document.session.test_fraction == 0.0
    assert document.data_revision == before and not heard_targets


def test_a_new_seed_draws_new_noise_but_leaves_plain_samples_alone(state):
    document = state.document
    before = document.data_revision
    state.editor.update_settings(seed=8)
    assert document.data_revision == before  # no noise, no split: nothing to redraw
    state.editor.set_sampling(noise=0.2)
    t = document.training_data()[1].copy()
    state.editor.update_settings(seed=9)
    assert not np.array_equal(document.training_data()[1], t)


def test_an_example_brings_its_samples_and_keeps_the_training_settings(state):
    document = state.document
    state.editor.update_settings(optimizer=OptimizerSpec("sgd", 0.2))
    state.editor.load_session(example("overfitting").build(), "Example: overfitting")
    session = document.session
    assert (session.samples, session.noise, session.test_mode) == (30, 0.2, "random")
    assert session.seed == 1 and document.test_data()[0].size == 10
    assert session.optimizer == OptimizerSpec("sgd", 0.2) and document.step == 0
    state.editor.load_session(example("two-steps").build(), "Example: two steps")
    assert (document.session.noise, document.session.test_fraction) == (0.0, 0.0)
    assert document.session.seed == 1  # a plain example does not touch the seed


def test_data_points_take_no_added_noise(state):
    said = heard(state.editor.message)
    state.editor.set_sampling(noise=0.2)
    state.editor.set_target(Target.from_points([0, 1, 2, 3], [0, 1, 0, 1], "points"))
    assert state.document.session.noise == 0.0 and "own noise" in said[0][0]
    np.testing.assert_array_equal(state.document.training_data()[1], [0, 1, 0, 1])


def test_a_step_by_hand_takes_weight_decay_as_training_does(state):
    document = state.document
    state.editor.update_settings(penalty=Penalty("l2", 0.5))
    network = document.network.copy()
    gradients = document.derived().gradients
    state.editor.gradient_step(gradients, 0.1, "Gradient step")
    before, after = parameter_values(network), parameter_values(document.network)
    pull = 0.5 * np.append(before[:-1], 0.0)
    np.testing.assert_allclose(after - before, -0.1 * (gradients.flat() + pull), atol=1e-12)


def test_training_frames_keep_the_test_loss_and_hand_it_to_the_views(state):
    document = state.document
    state.editor.set_sampling(test_fraction=0.25)
    session = document.session
    trainer = session.trainer()
    report = trainer.run(25)
    frame = Progress(
        step=trainer.step,
        network=trainer.network,
        loss=report.loss,
        metrics=report.metrics,
        gradients=report.gradients,
        first_step=0,
        losses=report.losses,
        running=False,
        steps_per_second=0.0,
        test_losses=report.test_losses,
        test_loss=report.test_loss,
        test_metrics=report.test_metrics,
        best_test=report.best_test,
    )
    document.apply_training([frame])
    steps, losses = document.test_history.arrays()
    assert steps.tolist() == list(range(25)) and losses.tolist() == report.test_losses[1].tolist()
    assert document.derived().test == (report.test_loss, report.test_metrics)
    document.apply_step(10)  # undoing the run forgets what came after
    assert document.test_history.arrays()[0].tolist() == list(range(10))


def test_a_lesson_state_brings_its_noise_test_points_and_weight_decay(state):
    start = example("overfitting").build()
    start.penalty = Penalty("l1", 1e-3)
    state.editor.load_state(start, "Lesson: overfitting")
    session = state.document.session
    assert (session.noise, session.test_fraction, session.seed) == (0.2, 1 / 3, 1)
    assert session.penalty == Penalty("l1", 1e-3)
    np.testing.assert_array_equal(state.document.training_data()[1], start.training_data()[1])
