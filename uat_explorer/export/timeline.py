"""The D/W/A/G timeline as an image, drawn offscreen with the window's view at any size:
the panel's Export and ``render --timeline-png`` both come here."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import numpy as np
from PySide6.QtCore import QSize, Qt
from PySide6.QtGui import QFont, QImage
from PySide6.QtWidgets import QApplication

from uat_explorer.core.errors import InputError
from uat_explorer.core.files import atomic_write_bytes
from uat_explorer.core.io.session import Session
from uat_explorer.core.teaching.trace import trace
from uat_explorer.core.training.timeline import Timeline, now_row
from uat_explorer.export.figures import FigureOptions, _laid_out, png_bytes
from uat_explorer.plots.timeline_plot import LiveRow, TimelineView


def timeline_image(
    timeline: Timeline,
    live: LiveRow | None,
    seed: int,
    samples: int,
    matrix: np.ndarray | None,
    options: FigureOptions,
    text_scale: float = 1.0,
) -> QImage:
    """The lanes, the diagram and the activation matrix in an image of width × scale by
    height × scale pixels: laid out that large, with every text and line ``text_scale ×
    scale`` times its size (the captions too), so a bigger scale is a sharper image of
    the same figure."""
    scale = options.scale
    view = TimelineView()
    view.set_least_heights(False)  # the size asked for, not the dock's least
    view.set_scale(text_scale * scale)
    font = QFont(view.font())
    font.setPointSizeF(font.pointSizeF() * text_scale * scale)
    view.setFont(font)  # the captions are widget text: they follow the view's font
    laid_out = replace(
        options, width=round(options.width * scale), height=round(options.height * scale)
    )
    with _laid_out(view, replace(laid_out, scale=1.0)):
        view.show_timeline(timeline, live, seed, samples, matrix)
        QApplication.processEvents()  # each lane's row names for its laid-out height
        image = view.grab().toImage()
    wanted = QSize(laid_out.width, laid_out.height)
    if image.size() != wanted:  # smaller than the captions and the diagram need
        mode = Qt.TransformationMode.SmoothTransformation
        image = image.scaled(wanted, Qt.AspectRatioMode.IgnoreAspectRatio, mode)
    return image


def session_timeline_image(
    session: Session, options: FigureOptions, text_scale: float = 1.0
) -> QImage:
    """A saved session's timeline, its last column the session's weights now."""
    if session.history.timeline.rows == 0:
        raise InputError(
            "this session has no timeline yet: train it in the window, or with fit --session-out"
        )
    x, t = session.training_data()
    done = trace(session.network, x, t, session.loss)
    schedule = session.batch_schedule(x.size)
    batch = schedule.size if schedule is not None else 0
    row = now_row(session.network, done.gradients.flat(), done.a, session.step, batch)
    live = LiveRow(session.step, row)
    return timeline_image(
        session.history.timeline, live, session.seed, x.size, done.a, options, text_scale
    )


def write_timeline_png(
    session: Session, path: str | Path, options: FigureOptions, text_scale: float = 1.0
) -> None:
    atomic_write_bytes(path, png_bytes(session_timeline_image(session, options, text_scale)))
