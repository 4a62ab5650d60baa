"""One cache of derived values: loss, metrics and gradients are computed once per edit, and
never on the GUI thread while training streams them in."""

import numpy as np
import pytest
from gui_helpers import cards
from PySide6.QtWidgets import QApplication, QDoubleSpinBox, QLabel

import uat_explorer.model.derived as derived_module
from uat_explorer.core import trace
from uat_explorer.core.nn.formula import number


@pytest.fixture
def passes(monkeypatch):
    """Counts forward passes over the training samples made by the model's cache."""
    calls = []

    def counting(*args, **kwargs):
        calls.append(args)
        return trace(*args, **kwargs)

    monkeypatch.setattr(derived_module, "trace", counting)
    return calls


def test_a_dial_edit_costs_exactly_one_forward_pass(qtbot, window, passes):
    QApplication.processEvents()
    passes.clear()
    spin = cards(window)[0].findChild(QDoubleSpinBox, "weightSpin")
    spin.setValue(spin.value() + 0.5)
    qtbot.wait(300)  # every throttled view has refreshed by now
    assert len(passes) == 1
    x, t = window.state.document.training_data()
    expected = trace(window.state.document.network, x, t, window.state.document.session.loss)
    assert window.state.document.derived().loss == expected.loss
    label = window.findChild(QLabel, "statusLossLabel").text()
    assert label.startswith(f"loss {number(expected.loss)}")


def test_training_frames_cost_no_forward_pass_on_the_gui_thread(qtbot, window, passes):
    window.training.start()
    qtbot.waitUntil(lambda: window.state.document.session.step > 2000, timeout=20_000)
    frames = window.state.document.revision
    qtbot.wait(500)
    assert window.state.document.revision > frames  # frames kept coming
    assert passes == []
    window.training.pause()
    last = window.training.last
    derived = window.state.document.derived()
    assert passes == []
    assert derived.loss == last.loss and derived.metrics == last.metrics
    np.testing.assert_array_equal(derived.gradients.flat(), last.gradients.flat())
    status = window.findChild(QLabel, "statusLossLabel").text()
    assert status.startswith(f"loss {number(last.loss)}")


def test_a_new_loss_setting_invalidates_the_cache(window, passes):
    window.state.document.derived()
    passes.clear()
    window.state.editor.update_settings(loss="mae")
    assert window.state.document.derived().loss == pytest.approx(
        float(
            np.mean(
                np.abs(
                    window.state.document.network(window.state.document.training_data()[0])
                    - window.state.document.training_data()[1]
                )
            )
        )
    )
    assert len(passes) == 1
