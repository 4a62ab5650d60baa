"""The classes window's Timeline tab: D, W, A and G of every step of class training, in
the curve document's timeline lanes, with one v (and one c) per logit.

The worker records every step (``ClassTrainer(record=True)``); the rows are kept thinned
in the session's ``Timeline`` as the curve document keeps its own, and saved with it. An
undo or an edit forgets the rows from its step on; new weights start a new timeline.
"""

from __future__ import annotations

import numpy as np
from PySide6.QtCore import QSize
from PySide6.QtWidgets import QLabel, QVBoxLayout, QWidget

from uat_explorer.core.nn.parameters import class_parameter_names
from uat_explorer.core.training.classtrainer import ClassTrainer
from uat_explorer.core.training.timeline import RECENT, Timeline, TimelineRows, now_row
from uat_explorer.plots.in_view import in_view
from uat_explorer.plots.timeline_plot import LANES, LiveRow, TimelineView
from uat_explorer.qt import props, throttled, when_shown

REFRESH_MS = 250
"""The lanes redraw at most four times a second while training, as the curve
document's Timeline panel does: a redraw costs ~30 ms at 64 neurons and 6 classes."""


class ClassTimelineTab(QWidget):
    """The stored rows plus now (the current weights, the gradient on every point and
    each neuron's mean |a|), redrawn only while the tab is in view."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        when_shown(self, self.refresh)
        self.setObjectName("classesTimeline")
        self.timeline = Timeline()
        self.view = TimelineView()
        self.view.set_least_heights(False)  # a tab under the class plot: the plot keeps its room
        self.note = props(QLabel(), objectName="classesTimelineNote", wordWrap=True)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 2, 0, 0)
        layout.addWidget(self.note)
        layout.addWidget(self.view, 1)
        self._shown: tuple[ClassTrainer, tuple[str, ...], int] | None = None
        self._refresh_soon = throttled(self.refresh, REFRESH_MS, self)

    def restart(self, step: int, fresh: bool) -> None:
        """A new run (``fresh``: new weights, step 0) gets a timeline of its own (the
        sessions an undo returns to keep theirs); otherwise the rows from ``step`` on go
        (undo went back there, or an edit changed its weights)."""
        if fresh:
            self.timeline = Timeline()
        else:
            self.timeline.truncate(step)

    def extend(self, rows: TimelineRows | None) -> None:
        if rows is not None:
            self.timeline.extend(rows)

    def show_training(self, trainer: ClassTrainer, names: tuple[str, ...], seed: int) -> None:
        """What to draw: the trainer's rows so far and its weights now."""
        self._shown = (trainer, names, seed)
        self._refresh_soon()

    def refresh(self) -> None:
        if self._shown is None or not in_view(self):
            return
        trainer, names, seed = self._shown
        heads = (names[1],) if len(names) == 2 else names
        self.view.names_for = lambda size: class_parameter_names(size, heads)
        legend = self.view.findChild(QLabel, "timelineLegendW")
        assert legend is not None
        legend.setText(  # one v and one c per logit
            f"<b style='color:{LANES['W'][0]}'>W</b> weights w1 b1 v1→{heads[0]} …"
            f" c→{heads[-1]} (blue −, red +)"
        )
        problem, theta = trainer.problem, trainer.theta
        gradient = np.empty_like(theta)
        with np.errstate(all="ignore"):
            problem.loss_and_grad(theta, gradient)
        card = np.empty_like(gradient)
        card[problem.parameter_columns] = gradient
        network = trainer.network
        a = network.hidden(problem.x)
        batch = trainer.schedule.size if trainer.schedule is not None else 0
        live = LiveRow(trainer.step, now_row(network, card, a, trainer.step, batch))
        self.view.show_timeline(self.timeline, live, seed, problem.x.size, a)
        kept = (
            "every step"
            if self.timeline.stride == 1
            else f"the last {RECENT:,} steps, and one in every {self.timeline.stride:,} before"
        )
        data = (
            "every step uses every point"
            if trainer.schedule is None
            else f"each step uses {trainer.schedule.size} of {problem.x.size} points"
        )
        self.note.setText(f"D: {data}. Shown: {kept}. The last column is now.")

    def hasHeightForWidth(self) -> bool:
        """No: the lanes' wrapped captions would ask ~2000 px of height for any width, and
        the tab would take the class plot's height."""
        return False

    def sizeHint(self) -> QSize:
        """For the same reason, a modest hint: the tab shares its column with the plot."""
        return QSize(600, 300)
