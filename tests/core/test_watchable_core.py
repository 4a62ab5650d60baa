"""Tried as a teacher would (issue 13): training you can watch, a diverged run that still
shows what happened, and labels that stay readable at 1280 × 800."""

from __future__ import annotations

import math

import pytest
from PySide6.QtGui import QColor

from uat_explorer.core import OptimizerSpec, Session, SessionError, Target, Trainer, random_network
from uat_explorer.core.io.session import default_session
from uat_explorer.core.training.trainer import StopRule
from uat_explorer.plots.theme import MIN_CONTRAST, contrast, neuron_color


def test_the_plateau_rule_in_the_core():
    domain = (-math.pi, math.pi)
    x, t = Target.preset("sin").samples(domain, 50)
    net = random_network(["sigmoid"] * 4, domain, seed=1)
    trainer = Trainer(
        net, x, t, optimizer=OptimizerSpec("sgd", 1e-6), stop=StopRule(plateau_steps=40)
    )
    report = trainer.run(10_000)
    assert report.step == 40 and "stopped improving" in report.stopped
    again = trainer.run(10_000)  # Train again: a whole new window of patience
    assert again.step == 80


@pytest.mark.parametrize("background", ["#ffffff", "#1e1e1e", "#2b2b2b", "#f0f0f0"])
def test_neuron_colours_stand_out_on_light_and_dark(background):
    base = QColor(background)
    colours = [neuron_color(i, base) for i in range(8)]
    assert all(contrast(c, base) >= MIN_CONTRAST for c in colours)
    assert len({c.name() for c in colours}) == 8


def test_a_session_whose_app_field_is_wrong_is_refused():
    data = default_session().to_dict()
    data["app"] = ["uat-explorer"]
    with pytest.raises(SessionError, match="'app'"):
        Session.from_dict(data)
