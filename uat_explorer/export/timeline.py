"""A saved session's D/W/A/G timeline as a PNG, drawn offscreen with the window's view."""

from __future__ import annotations

from pathlib import Path

from uat_explorer.core.errors import InputError
from uat_explorer.core.files import atomic_write_bytes
from uat_explorer.core.io.session import Session
from uat_explorer.core.teaching.trace import trace
from uat_explorer.core.training.timeline import now_row
from uat_explorer.export.figures import FigureOptions, _laid_out, png_bytes
from uat_explorer.plots.timeline_plot import LiveRow, TimelineView


def write_timeline_png(session: Session, path: str | Path, options: FigureOptions) -> None:
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
    view = TimelineView()
    with _laid_out(view, options):
        view.show_timeline(session.history.timeline, live, session.seed, x.size, done.a)
        image = view.grab().toImage()
    atomic_write_bytes(path, png_bytes(image))
