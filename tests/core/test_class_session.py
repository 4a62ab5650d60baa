"""Class sessions: saved and opened exactly, refused with the field named, and curve
sessions untouched by them."""

import json

import numpy as np
import pytest
from helpers import write_session

from uat_explorer.core import Session, SessionError
from uat_explorer.core.io.class_session import ClassSession, load_session
from uat_explorer.core.nn.classifier import random_classifier
from uat_explorer.core.targets.classes import class_preset
from uat_explorer.core.training.optimizers import OptimizerSpec


def class_session(name: str = "bands3") -> ClassSession:
    target = class_preset(name, seed=3)
    domain = target.natural_domain()
    network = random_classifier(["sigmoid", "tanh", "relu"], domain, target.classes, seed=1)
    return ClassSession(network, target, domain, OptimizerSpec("adam", 0.05), seed=7, batch_size=50)


@pytest.mark.parametrize("name", ["overlap2", "bands3"])
def test_a_trained_class_session_reopens_exactly(tmp_path, name):
    session = class_session(name)
    trainer = session.trainer()
    trainer.run(200)
    session.network, session.step = trainer.network, trainer.step
    path = tmp_path / "classes.json"
    session.save(path)
    opened = load_session(path)
    assert isinstance(opened, ClassSession)
    assert opened.network == session.network and opened.target == session.target
    assert (opened.step, opened.seed, opened.batch_size) == (200, 7, 50)
    assert opened.optimizer == session.optimizer
    data = json.loads(path.read_text())
    assert (data["version"], data["task"]) == (5, "classes")
    outputs = 1 if name == "overlap2" else 3
    assert len(data["network"]["c"]) == outputs
    assert all(len(n["v"]) == outputs for n in data["network"]["neurons"])
    # the same steps from the reopened session continue the same way
    again, fresh = opened.trainer(), session.trainer()
    np.testing.assert_array_equal(again.run(30).losses, fresh.run(30).losses)


def test_curve_sessions_are_still_version_4_and_refuse_a_class_file(tmp_path):
    curve = write_session(tmp_path / "curve.json")
    assert json.loads(curve.read_text())["version"] == 4
    assert isinstance(load_session(curve), Session)
    path = tmp_path / "classes.json"
    class_session().save(path)
    with pytest.raises(SessionError, match="classification session"):
        Session.load(path)


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (lambda d: d["target"].update(labels=[9] * len(d["target"]["x"])), "class numbers 0"),
        (lambda d: d["target"].update(names=["A", "A", "B"]), "distinct class names"),
        (lambda d: d["network"].update(c=[0.0]), "network.c must be a list of 3 numbers"),
        (lambda d: d["network"]["neurons"][1].update(v=[1, 2]), r"neurons\[1\].v must be"),
        (lambda d: d["optimizer"].update(name="lm"), "cross-entropy is not"),
        (lambda d: d["target"]["labels"].__setitem__(0, 0.5), "whole class numbers"),
        (
            lambda d: d["target"]["x"].__setitem__(3, float("nan")),
            r"x\[3\] must be a finite",
        ),
        (lambda d: d.update(domain=[5, 6]), "fewer than 2"),
    ],
)
def test_a_bad_class_file_is_refused_naming_what(tmp_path, change, message):
    data = class_session().to_dict()
    change(data)
    with pytest.raises(SessionError, match=message):
        ClassSession.from_dict(json.loads(json.dumps(data)))


def trained_with_history(steps: int = 5) -> ClassSession:
    session = class_session()
    trainer = session.trainer()
    for _ in range(steps):
        report = trainer.run(10)
        session.history.record(report.step, report.loss, report.accuracy, trainer.theta)
    session.network, session.step, session.sample = trainer.network, trainer.step, 17
    return session


def test_the_history_and_the_followed_point_reopen(tmp_path):
    session = trained_with_history()
    path = tmp_path / "classes.json"
    session.save(path)
    opened = load_session(path)
    assert isinstance(opened, ClassSession) and opened.sample == 17
    assert opened.history.steps == [10, 20, 30, 40, 50]
    assert opened.history.losses == session.history.losses
    assert opened.history.accuracies == session.history.accuracies
    np.testing.assert_array_equal(opened.history.thetas, session.history.thetas)


def test_a_long_history_is_saved_thinned_keeping_its_ends(monkeypatch):
    monkeypatch.setattr("uat_explorer.core.training.class_history.MAX_SAVED_NUMBERS", 3 * 18)
    session = trained_with_history(9)
    assert session.history.thetas[0].size == 18  # 3 neurons · (w, b, 3 v) + 3 c
    data = session.to_dict()
    opened = ClassSession.from_dict(json.loads(json.dumps(data)))
    assert opened.history.steps == [10, 50, 90]
    assert len(session.history) == 9  # the session itself keeps every record


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (lambda h: h.update(records=h["records"] + 1), r"history\.steps must hold"),
        (lambda h: h.update(thetas=h["steps"]), r"history\.thetas must hold"),
        (lambda h: h.update(losses=h["accuracies"][:-4] + "AAAA"), r"history\.losses"),
    ],
)
def test_a_bad_history_is_refused_naming_its_field(change, message):
    data = trained_with_history().to_dict()
    change(data["history"])
    with pytest.raises(SessionError, match=message):
        ClassSession.from_dict(json.loads(json.dumps(data)))


def test_a_history_past_the_step_or_a_sample_past_the_points_is_refused():
    data = trained_with_history().to_dict()
    data["step"] = 20
    with pytest.raises(SessionError, match=r"history\.steps must rise"):
        ClassSession.from_dict(data)
    data = trained_with_history().to_dict()
    data["sample"] = 10_000
    with pytest.raises(SessionError, match="sample must lie between"):
        ClassSession.from_dict(data)
