"""Points a screen cannot show left out of a line (issue 23): the line drawn stays within
a quarter pixel of every point, and far fewer segments are swept."""

from __future__ import annotations

import numpy as np
import pyqtgraph as pg
import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QImage, QPainter, QTransform

from uat_explorer.plots.lines.simplify import TOLERANCE, kept_points
from uat_explorer.plots.lines.wide import SweptCurve, draw_swept, swept_pen

X = np.linspace(0.0, 900.0, 1001)
CURVES = {
    "smooth": 170 + 120 * np.sin(X / 90) + 30 * np.tanh((X - 400) / 20),
    "a step": 170 + 120 * np.tanh((X - 400) / 0.5),
    "a tight wave": 170 + 100 * np.sin(X / 15),
    "noise": 170 + 20 * np.random.default_rng(0).normal(size=X.size),
    "flat": np.full(X.size, 170.0),
}


def _distance_to_polyline(x: np.ndarray, y: np.ndarray, kept: np.ndarray) -> float:
    """The farthest any point of (x, y) lies from the polyline through the kept ones."""
    ax, ay, bx, by = x[kept[:-1]], y[kept[:-1]], x[kept[1:]], y[kept[1:]]
    dx, dy = bx - ax, by - ay
    t = np.clip(((x[:, None] - ax) * dx + (y[:, None] - ay) * dy) / (dx * dx + dy * dy), 0, 1)
    gaps = np.hypot(x[:, None] - ax - t * dx, y[:, None] - ay - t * dy)
    return float(gaps.min(axis=1).max())


@pytest.mark.parametrize("name", CURVES)
def test_every_point_left_out_lies_within_a_quarter_pixel_of_the_line(name):
    y = CURVES[name]
    kept = kept_points(X, y)
    assert kept[0] == 0 and kept[-1] == X.size - 1 and np.all(np.diff(kept) > 0)
    assert _distance_to_polyline(X, y, kept) <= TOLERANCE + 1e-9


def test_smooth_lines_keep_a_few_points_and_noise_keeps_all():
    assert kept_points(X, CURVES["flat"]).size <= 40  # a segment every 32 points
    assert kept_points(X, CURVES["smooth"]).size < 200
    assert kept_points(X, CURVES["a step"]).size < 80  # flat both sides of the jump
    assert kept_points(X, CURVES["noise"]).size > 990


@pytest.mark.parametrize("n", [0, 1, 2, 3, 9, 33, 40])
def test_short_and_odd_lengths(n):
    x = np.arange(n, dtype=float)
    kept = kept_points(x, x**2 / 3)
    if n:
        assert kept[0] == 0 and kept[-1] == n - 1
    assert _distance_to_polyline(x, x**2 / 3, kept) <= TOLERANCE if n > 1 else kept.size == n


def _ink(curve: SweptCurve, transform: QTransform) -> np.ndarray:
    image = QImage(920, 340, QImage.Format.Format_ARGB32_Premultiplied)
    image.fill(Qt.GlobalColor.white)
    painter = QPainter(image)
    painter.setTransform(transform)
    curve.paint(painter, None, None)
    painter.end()
    pixels = np.frombuffer(image.constBits(), np.uint8).reshape(image.height(), -1, 4)
    return 1.0 - pixels[..., 2] / 255.0


def test_a_swept_curve_draws_the_line_it_would_draw_with_every_point(qapp):
    y = CURVES["smooth"] / 100
    curve = SweptCurve(X, y, pen=pg.mkPen("k", width=3.5))
    scale = QTransform.fromScale(1.0, 100.0)
    drawn = _ink(curve, scale)
    full = QImage(920, 340, QImage.Format.Format_ARGB32_Premultiplied)
    full.fill(Qt.GlobalColor.white)
    painter = QPainter(full)
    painter.setTransform(scale)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    draw_swept(painter, *swept_pen(curve.opts["pen"]), curve.getPath())
    painter.end()
    pixels = np.frombuffer(full.constBits(), np.uint8).reshape(full.height(), -1, 4)
    every = 1.0 - pixels[..., 2] / 255.0
    inked = int((every > 0.5).sum())
    assert int((np.abs(drawn - every) > 0.25).sum()) < 0.01 * inked  # shades at a few edges
    assert abs(drawn.sum() - every.sum()) < 0.03 * every.sum()


def test_a_swept_curve_leaves_points_out_again_for_a_new_scale_or_new_data(qapp):
    y = CURVES["smooth"] / 100
    curve = SweptCurve(X, y, pen=pg.mkPen("k", width=3.5))
    coarse = curve._screen_path(QTransform.fromScale(1.0, 100.0))
    assert coarse.elementCount() < 200
    assert curve._screen_path(QTransform.fromScale(1.0, 100.0)) is coarse  # kept until…
    zoomed = curve._screen_path(QTransform.fromScale(1.0, 10_000.0))  # …a closer look
    assert zoomed.elementCount() > coarse.elementCount()
    curve.setData(X, np.full(X.size, 1.7))
    assert curve._screen_path(QTransform.fromScale(1.0, 10_000.0)).elementCount() <= 40


def test_a_line_with_a_gap_is_drawn_with_every_point(qapp):
    y = CURVES["smooth"] / 100
    y[495:506] = np.nan  # a diverged stretch: the line breaks there (x 445.5 … 454.5)
    curve = SweptCurve(X, y, pen=pg.mkPen("k", width=3.5), connect="finite")
    path = curve._screen_path(QTransform.fromScale(1.0, 100.0))
    assert path is curve.getPath()
    assert _ink(curve, QTransform.fromScale(1.0, 100.0))[:, 449:452].sum() == 0.0


def test_a_line_that_turns_back_is_drawn_with_every_point(qapp):
    t = np.linspace(0, 2 * np.pi, 400)
    curve = SweptCurve(np.cos(t), np.sin(t), pen=pg.mkPen("k", width=3.5))
    assert curve._screen_path(QTransform.fromScale(100.0, 100.0)) is curve.getPath()


def test_a_line_joined_by_an_array_is_drawn_with_every_point(qapp):
    joined = np.ones(X.size, bool)
    joined[::7] = False
    curve = SweptCurve(X, CURVES["smooth"] / 100, pen=pg.mkPen("k", width=3.5), connect=joined)
    assert curve._screen_path(QTransform.fromScale(1.0, 100.0)) is curve.getPath()
