"""A check's numbers read off the state on screen, for a teacher writing a step from the
window: they start from what the network does now and edit from there."""

from __future__ import annotations

import math
from typing import Any

import numpy as np

from uat_explorer.core.io.session import Session
from uat_explorer.core.lessons.checks import CHECKS
from uat_explorer.core.nn.metrics import FitMetrics


def _round(value: float, digits: int = 3) -> float:
    """``value`` to a few significant figures: numbers a person would type."""
    if value == 0 or not math.isfinite(value):
        return 0.0
    return float(f"{value:.{digits}g}")


def _up(value: float) -> float:
    """A round number just above ``value`` (a threshold the state now meets)."""
    if value <= 0 or not math.isfinite(value):
        return 0.01
    exponent = math.floor(math.log10(value))
    step = 10.0**exponent
    return _round(math.ceil(value / step * 2) / 2 * step)


def suggest_check(kind: str, session: Session) -> dict[str, Any]:
    """The [check] table for ``kind`` that the state now passes (or nearly), so the
    teacher sees what the numbers mean before tightening them."""
    if kind not in CHECKS:
        raise ValueError(f"unknown check {kind!r}")
    net = session.network
    low, high = session.domain
    x, t = session.training_data()
    y = net(x)
    loss = float(session.trainer().run(0).loss)
    if kind == "output_at":
        xs = [_round(low + (high - low) * f) for f in (0.25, 0.5, 0.75)]
        points = [[px, _round(float(net(np.array([px]))[0]))] for px in xs]
        return {"kind": kind, "points": points, "tolerance": 0.05}
    if kind == "step_at":
        j = next((j for j in range(net.size) if net.w[j] != 0), 0)
        where = -net.b[j] / net.w[j] if net.size and net.w[j] != 0 else (low + high) / 2
        return {"kind": kind, "neuron": j + 1, "x": _round(float(where)), "tolerance": 0.02}
    if kind == "loss_below":
        return {"kind": kind, "value": _up(loss)}
    if kind == "max_error_below":
        error = FitMetrics.of(y, t).max_abs_error
        return {"kind": kind, "epsilon": _up(float(error)), "neurons_at_most": max(net.size, 1)}
    if kind == "trains_to":
        return {"kind": kind, "loss": _up(loss / 10), "steps": 2000}
    if kind == "diverges":
        return {"kind": kind, "steps": 200}
    if kind == "batch_size":
        return {"kind": kind, "value": session.batch_size or "full"}
    if kind == "test_loss_turned_up":
        return {"kind": kind, "factor": 1.5}
    if kind == "trains_test_below":
        test = session.trainer().run(0).test_loss
        return {"kind": kind, "loss": _up(test if test is not None else loss), "steps": 2000}
    deviation = float(np.mean(np.abs(y - t)))
    return {"kind": kind, "value": _up(deviation), "points": 101}
