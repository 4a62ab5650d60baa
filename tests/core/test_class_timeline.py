"""The class trainer's timeline: each recorded row is the network of its step (weights in
card order with one v and c per logit), the gradient there and each neuron's mean |a|;
recording changes no step; the rows go into the curve document's Timeline, and a class
session saves them (files from before open with none)."""

from __future__ import annotations

import json

import numpy as np
import pytest

from uat_explorer.core.io.class_session import ClassSession, load_session
from uat_explorer.core.io.session_schema import SessionError
from uat_explorer.core.nn.classifier import random_classifier
from uat_explorer.core.nn.parameters import class_parameter_names, parameter_values
from uat_explorer.core.targets.classes import class_preset
from uat_explorer.core.training.classtrainer import ClassTrainer
from uat_explorer.core.training.optimizers import OptimizerSpec
from uat_explorer.core.training.timeline import Timeline


def trainer(preset: str, record: bool, batch: int | None = None) -> ClassTrainer:
    target = class_preset(preset)
    x, labels = target.samples(target.natural_domain())
    kinds = ["sigmoid", "tanh", "relu", "sigmoid", "tanh"]
    network = random_classifier(kinds, target.natural_domain(), target.classes, 3)
    return ClassTrainer(network, x, labels, OptimizerSpec("adam", 0.05), batch, 7, 0, record)


@pytest.mark.parametrize(("preset", "outputs"), [("interval2", 1), ("bands3", 3)])
def test_each_row_is_the_network_its_gradient_and_activity_at_its_step(preset, outputs):
    recorded, reference = trainer(preset, True), trainer(preset, False)
    report = recorded.run(30)
    rows = report.timeline
    assert rows is not None and np.array_equal(rows.steps, np.arange(30))
    size = reference.network.size
    assert rows.weights.shape == (30, (2 + outputs) * size + outputs)
    problem = reference.problem
    for step in range(30):
        network = reference.network
        gradient = np.empty_like(reference.theta)
        problem.loss_and_grad(reference.theta, gradient)
        card = np.empty_like(gradient)
        card[problem.parameter_columns] = gradient
        np.testing.assert_allclose(rows.weights[step], parameter_values(network), rtol=1e-6)
        np.testing.assert_allclose(rows.gradients[step], card, rtol=1e-5, atol=1e-9)
        activity = np.abs(network.hidden(problem.x)).mean(axis=1)
        np.testing.assert_allclose(rows.activity[step], activity, rtol=1e-6)
        reference.run(1)
    np.testing.assert_array_equal(recorded.theta, reference.theta)  # recording changes nothing


def test_card_order_puts_each_neurons_v_row_after_its_w_and_b():
    t = trainer("bands3", True)
    network = t.network
    names = class_parameter_names(network.size, ("A", "B", "C"))
    values = dict(zip(names, parameter_values(network), strict=True))
    assert values["v2→C"] == network.v[1, 2] and values["b5"] == network.b[4]
    assert values["c→B"] == network.c[1] and names[:5] == ["w1", "b1", "v1→A", "v1→B", "v1→C"]
    rows = t.run(1).timeline
    assert rows is not None
    assert rows.weights[0, names.index("v2→C")] == np.float32(network.v[1, 2])


def test_mini_batch_rows_say_their_batch_and_fill_the_curve_timeline():
    t = trainer("bands3", True, batch=32)
    timeline = Timeline()
    for _ in range(3):
        timeline.extend(t.run(40).timeline)
    [segment] = timeline.segments
    assert segment.batch == 32 and np.array_equal(segment.steps, np.arange(120))
    assert segment.layout[0] == ("sigmoid", "tanh", "relu", "sigmoid", "tanh")


def trained_session(preset: str) -> ClassSession:
    target = class_preset(preset)
    domain = target.natural_domain()
    network = random_classifier(["sigmoid", "tanh"], domain, target.classes, 1)
    session = ClassSession(network, target, domain, OptimizerSpec("adam", 0.05))
    t = session.trainer()
    t.record = True
    session.timeline.extend(t.run(60).timeline)
    session.network, session.step = t.network, t.step
    return session


@pytest.mark.parametrize("preset", ["overlap2", "bands3"])
def test_a_class_session_saves_its_timeline_and_reopens_with_it(tmp_path, preset):
    session = trained_session(preset)
    session.save(tmp_path / "classes.json")
    opened = load_session(tmp_path / "classes.json")
    assert isinstance(opened, ClassSession)
    [saved], [reopened] = session.timeline.segments, opened.timeline.segments
    assert np.array_equal(reopened.steps, saved.steps) and reopened.layout == saved.layout
    for key in ("weights", "gradients", "activity"):
        np.testing.assert_array_equal(getattr(reopened, key), getattr(saved, key))


def test_a_class_file_from_before_the_timeline_opens_with_none(tmp_path):
    session = trained_session("bands3")
    data = session.to_dict()
    del data["timeline"]  # what a version 5 file held before the timeline was saved
    path = tmp_path / "old.json"
    path.write_text(json.dumps(data))
    opened = load_session(path)
    assert isinstance(opened, ClassSession) and opened.timeline.rows == 0
    assert opened.network == session.network and opened.step == 60
    untrained = ClassSession(session.network, session.target, session.domain)
    assert "timeline" not in untrained.to_dict()  # no rows: the file as before


def test_a_timeline_of_the_wrong_width_is_refused_with_the_field_named(tmp_path):
    data = trained_session("bands3").to_dict()
    segment = data["timeline"]["segments"][0]
    segment["activations"].append("sigmoid")  # three neurons' rows would be wider
    segment["muted"].append(False)
    with pytest.raises(SessionError, match="timeline"):
        ClassSession.from_dict(data)
