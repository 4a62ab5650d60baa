"""The model without a window: the document, the view state and the editor, built as
AppState builds them (no QApplication, no widget)."""

from __future__ import annotations

import math

import numpy as np
import pytest

from uat_explorer.core import InputError, Network, Neuron, Session, Target, random_network
from uat_explorer.core.nn.gradients import Gradients
from uat_explorer.core.nn.metrics import FitMetrics
from uat_explorer.core.workers.training import Progress
from uat_explorer.model import AppState, DivergedRun

DOMAIN = (-math.pi, math.pi)


@pytest.fixture
def state() -> AppState:
    network = random_network(["sigmoid"] * 4, DOMAIN, seed=7)
    return AppState(Session(network=network, target=Target.preset("sin"), domain=DOMAIN))


def heard(signal) -> list[tuple]:
    """Every emission of ``signal`` from now on, with its arguments."""
    got: list[tuple] = []
    signal.connect(lambda *args: got.append(args))
    return got


def test_one_gesture_is_one_undo_step_and_undo_is_exact(state):
    document, editor = state.document, state.editor
    before = document.network.copy()
    for w in (1.5, 2.0, 2.5):
        editor.edit_neuron(1, gesture="drag", w=w)
    editor.edit_neuron(1, gesture="another drag", b=0.25)
    assert editor.undo_stack.count() == 2 and document.network.w[1] == 2.5
    editor.undo_stack.undo()
    editor.undo_stack.undo()
    assert document.network == before
    editor.undo_stack.redo()
    assert document.network.w[1] == 2.5 and document.network.b[1] == before.b[1]


def test_a_gesture_back_to_where_it_started_leaves_no_step(state):
    w = state.document.network.w[0]
    state.editor.edit_neuron(0, gesture=1, w=w + 1)
    state.editor.edit_neuron(0, gesture=1, w=w)
    state.editor.undo_stack.undo()  # the obsolete step is gone: undo goes to Start
    assert state.editor.undo_stack.index() == 0 and state.document.network.w[0] == w


def test_neurons_keep_their_ids_through_insert_remove_and_undo(state):
    document, editor = state.document, state.editor
    ids = list(document.ids)
    editor.add_neurons([Neuron("step", 10, -1, 0.5)], "Add a step", index=1)
    new = document.ids[1]
    assert new not in ids and document.ids == [ids[0], new, *ids[1:]]
    assert state.view.selected == new  # added neurons are selected
    editor.remove_neuron(0)
    assert document.ids == [new, *ids[1:]]
    editor.undo_stack.undo()
    editor.undo_stack.undo()
    assert document.ids == ids and state.view.selected is None  # its neuron is gone


def test_a_replaced_network_keeps_the_ids_of_the_neurons_it_shares(state):
    ids = list(state.document.ids)
    bigger = [*state.document.network.neurons(), Neuron("sigmoid", 1, 0, 1)]
    state.editor.replace_network(Network.from_neurons(bigger), "Grow")
    assert state.document.ids[:4] == ids and state.document.ids[4] not in ids


def test_derived_values_are_computed_once_per_revision(state, monkeypatch):
    import uat_explorer.model.document as module

    calls = []
    real = module.evaluate
    monkeypatch.setattr(module, "evaluate", lambda *a: calls.append(1) or real(*a))
    first = state.document.derived()
    assert state.document.derived() is first and len(calls) == 1
    state.editor.edit_output_bias(0.3)
    again = state.document.derived()
    assert again is not first and len(calls) == 2
    x, t = state.document.training_data()
    assert again.loss == pytest.approx(np.mean((state.document.network(x) - t) ** 2))


def test_a_training_frame_is_taken_as_computed_not_recomputed(state, monkeypatch):
    import uat_explorer.model.document as module

    monkeypatch.setattr(module, "evaluate", lambda *a: pytest.fail("recomputed"))
    network = state.document.network.copy()
    network.c = 0.5
    frames = [
        Progress(
            step=step,
            network=network,
            loss=0.25,
            metrics=FitMetrics(1, 1, 1, 1, 0),
            gradients=Gradients.zeros(4),
            first_step=step - 6,
            losses=np.full(6, 0.3),
            running=True,
            steps_per_second=1.0,
        )
        for step in (6, 12)
    ]
    state.document.apply_training(frames)
    assert state.document.derived().loss == 0.25 and state.document.step == 12
    assert state.document.history.arrays()[0].tolist() == list(range(12))


def test_the_view_state_clips_the_probe_and_drops_gone_neurons(state):
    view, editor = state.view, state.editor
    view.set_probe_sample(150)
    editor.set_samples(100)
    assert view.probe_sample == 99
    view.select_index(3)
    view.set_solo(state.document.ids[3])
    selections, solos = heard(view.selectionChanged), heard(view.soloChanged)
    editor.set_neuron_count(2, "sigmoid")
    assert view.selected is None and view.solo is None
    assert len(selections) == 1 and len(solos) == 1


def test_a_gradient_step_moves_only_the_named_parameters(state):
    gradients = state.document.derived().gradients
    before = state.document.network.copy()
    state.editor.gradient_step(gradients, 0.1, "Step", names=["v1", "c"])
    after = state.document.network
    assert after.v[0] == pytest.approx(before.v[0] - 0.1 * gradients.v[0])
    assert after.c == pytest.approx(before.c - 0.1 * gradients.c)
    assert np.array_equal(after.w, before.w) and np.array_equal(after.v[1:], before.v[1:])


def test_a_gradient_step_that_leaves_the_numbers_changes_nothing(state):
    huge = Gradients(np.full(4, 1e300), np.zeros(4), np.zeros(4), 0.0)
    before = state.document.network.copy()
    with pytest.raises(InputError, match="Nothing changed"):
        state.editor.gradient_step(huge, 1e10, "Step")
    assert state.document.network == before and state.editor.undo_stack.count() == 0


def test_landscape_picks_are_held_to_what_a_session_holds(state):
    said = heard(state.editor.message)
    state.editor.set_parameters({"v1": 1e35, "v2": 0.5}, "Set")
    assert state.document.network.v[0] == 1e30 and state.document.network.v[1] == 0.5
    assert said and "1e+30" in said[0][0]
    state.document.session.to_dict()  # what it holds can be saved


def test_a_target_that_cannot_be_sampled_changes_nothing(state):
    before = state.document.target
    with pytest.raises(InputError):
        state.editor.set_target(Target.from_text("log(x)"), (-1.0, 1.0))
    assert state.document.target == before and state.editor.undo_stack.count() == 0


def test_a_new_session_says_everything_changed(state):
    steps, replaced = heard(state.document.stepChanged), heard(state.document.replaced)
    state.document.set_diverged_run(DivergedRun(np.arange(3), np.ones(3), 0))
    steps.clear()
    state.editor.reset(
        Session(
            network=random_network(["tanh"], DOMAIN, 1), target=Target.preset("abs"), domain=(-1, 1)
        )
    )
    assert steps and replaced and state.document.diverged_run is None
    assert state.editor.undo_stack.count() == 0 and state.document.network.size == 1
