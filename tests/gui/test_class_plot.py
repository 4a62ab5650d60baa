"""The class plot draws what the classifier says: a curve per class probability, each
region where its class wins, and exactly the points it gets wrong."""

from __future__ import annotations

import numpy as np
import pytest

from uat_explorer.core.nn.classifier import ClassNetwork
from uat_explorer.core.targets.classes import CLASS_PRESETS, class_preset
from uat_explorer.plots.classes.class_plot import CLASS_HUES, ClassPlot
from uat_explorer.plots.theme import _NEURON_HUES


@pytest.mark.parametrize(("name", "curves"), [("interval2", 1), ("bands3", 3)])
def test_curves_regions_and_misclassified_points(qtbot, name, curves):
    target = class_preset(name)
    outputs = 1 if target.classes == 2 else target.classes
    # one steep neuron at x = 0: right for some points, wrong for others
    network = ClassNetwork([20.0], [0.0], np.linspace(-3, 3, outputs), np.zeros(outputs))
    plot = ClassPlot()
    qtbot.addWidget(plot)
    domain = target.natural_domain()
    plot.show_fit(network, target, domain)
    assert len(plot.curves) == curves and len(plot.points) == target.classes
    missed = network.probabilities(target.x).argmax(axis=1) != target.labels
    assert 0 < missed.sum() < target.x.size
    np.testing.assert_array_equal(plot.wrong.data["x"], target.x[missed])
    grid = plot.regions[0].xData
    winner = network.probabilities(grid).argmax(axis=1)
    for k, region in enumerate(plot.regions):
        np.testing.assert_array_equal(region.yData, winner == k)
    assert sum(points.data.size for points in plot.points) == target.x.size
    assert "accuracy" in plot.caption.textItem.toPlainText()


def test_class_colours_are_no_neurons_colours():
    assert not {h.lower() for h in CLASS_HUES} & {h.lower() for h in _NEURON_HUES}
    assert len(set(CLASS_HUES)) == 6


def test_the_true_probability_is_dashed_only_where_it_is_known(qtbot):
    plot = ClassPlot()
    qtbot.addWidget(plot)
    network = ClassNetwork([1.0], [0.0], [[1.0]], [0.0])
    overlap = class_preset("overlap2")
    plot.show_fit(network, overlap, overlap.natural_domain())
    expected = CLASS_PRESETS["overlap2"].probability(plot.truth.xData)[:, 1]
    np.testing.assert_allclose(plot.truth.yData, expected)
    names = [label.text for _sample, label in plot.getPlotItem().legend.items]
    assert "true p(B)" in names
    threshold = class_preset("threshold2")
    plot.show_fit(network, threshold, threshold.natural_domain())
    assert plot.truth.xData is None or plot.truth.xData.size == 0
    names = [label.text for _sample, label in plot.getPlotItem().legend.items]
    assert not any(name.startswith("true p") for name in names)
