"""The classes window's Loss landscape tab: the cross-entropy over two chosen parameters
(the others held), the weights now, one step of −lr·∇, and the path training took (the
history's θ), on the curve landscape's map. A click or drag sets the two parameters.

The grid is computed on a thread of its own (numpy lets go of the interpreter lock in
its array work), never on the window's: the window polls for the result, so no Qt object
is touched off its thread. Only while the tab is shown, at most four times a second.
"""

from __future__ import annotations

from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor
from typing import TYPE_CHECKING

import numpy as np
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import (
    QComboBox,
    QLabel,
    QPushButton,
    QSizePolicy,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from uat_explorer.core.errors import InputError
from uat_explorer.core.io.class_session import ClassSession
from uat_explorer.core.io.session_schema import MAX_PARAMETER
from uat_explorer.core.teaching.class_landscape import (
    MAX_POINTS,
    ClassLandscape,
    class_parameters,
    grid_axes,
)
from uat_explorer.core.teaching.landscape import default_range
from uat_explorer.gui.widgets.notice import NoticeLabel
from uat_explorer.plots.in_view import in_view
from uat_explorer.plots.landscape_plot import LandscapePlot
from uat_explorer.qt import debounced, props, row, throttled, when_shown

if TYPE_CHECKING:
    from uat_explorer.gui.classes.window import ClassesWindow

Grid = tuple[tuple[int, int], np.ndarray, np.ndarray, np.ndarray]
"""The two θ indices, xs, ys and the cross-entropy (len(ys), len(xs))."""
REFRESH_MS = 250
POLL_MS = 15
DEFAULT_POINTS = 41
POOL = ThreadPoolExecutor(max_workers=1, thread_name_prefix="class landscape")
"""One thread for every map: idle unless a shown map needs a grid."""


class OffThread:
    """One job at a time on a thread of its own; ``done(result or error)`` is called on
    the window's thread once it finishes (a timer looks for it). A job asked for while
    one runs waits, and only the newest waiting one runs: during training the map keeps
    up with the weights without queueing stale grids."""

    def __init__(self, parent: QWidget, done: Callable[[Grid | InputError], None]) -> None:
        self._done = done
        self._running: Future[Grid] | None = None
        self._waiting: Callable[[], Grid] | None = None
        self._poll = props(QTimer(parent), interval=POLL_MS)
        self._poll.timeout.connect(self._check)

    @property
    def busy(self) -> bool:
        return self._running is not None or self._waiting is not None

    def submit(self, job: Callable[[], Grid]) -> None:
        if self._running is None:
            self._running = POOL.submit(job)
            self._poll.start()
        else:
            self._waiting = job

    def _check(self) -> None:
        running = self._running
        if running is None or not running.done():
            return
        self._running = None
        if self._waiting is not None:
            job, self._waiting = self._waiting, None
            self.submit(job)
        else:
            self._poll.stop()
        error = running.exception()
        if isinstance(error, InputError):
            self._done(error)
        elif error is not None:
            raise error
        else:
            self._done(running.result())


class ClassLandscapeTab(QWidget):
    """Across and up: any two of w_j, b_j, v_jk and c_k, named as in the weights table."""

    def __init__(self, window: ClassesWindow) -> None:
        super().__init__()
        when_shown(self, self.refresh)
        self.setObjectName("classesLandscape")
        self.host = window
        self.across = props(QComboBox(), objectName="classesLandscapeAcross")
        self.across.setToolTip("The parameter across (named as in the weights table)")
        self.up = props(QComboBox(), objectName="classesLandscapeUp")
        self.up.setToolTip("The parameter up")
        self.points = props(
            QSpinBox(),
            objectName="classesLandscapeGrid",
            minimum=2,
            maximum=1000,
            value=DEFAULT_POINTS,
            keyboardTracking=False,
            toolTip=f"Grid points per axis (2 to {MAX_POINTS}): finer is sharper and slower",
        )
        fit = props(
            QPushButton("Fit"),
            toolTip="Centre the map on the weights now (± max(2, 2·|value|))",
        )
        self.note = props(QLabel(), objectName="classesLandscapeNote", wordWrap=True)
        self.message = NoticeLabel("classesLandscapeMessage")
        self.plot = LandscapePlot(picked=self._picked)
        self.plot.set_mode(2, ["", "", "cross-entropy"])
        # Its size hint would count as the height the wrapped note's page needs, and
        # take the class plot's room above: the tab gets its share, the map the rest.
        self.plot.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Ignored)
        choices = row(
            QLabel("across"), self.across, QLabel("up"), self.up, QLabel("grid"), self.points, fit
        )
        choices.addStretch(1)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addLayout(choices)
        layout.addWidget(self.note)
        layout.addWidget(self.message)
        layout.addWidget(self.plot, 1)

        self.xs = self.ys = self.losses = np.zeros(0)
        self._labels: list[tuple[str, int]] = []
        self._key: tuple[object, ...] | None = None
        self._fit_pending = True
        self._moved_by_hand = False
        """Panned or zoomed: the map stays where it was put, even if the point leaves."""
        self._before: ClassSession | None = None
        """The session when a drag began: the whole gesture is one undo step."""
        self.grids = OffThread(self, self._computed)
        self.refresh_soon = throttled(self.refresh, REFRESH_MS, self)
        self._view_moved = debounced(self.refresh, 300, self)
        for combo in (self.across, self.up):
            combo.currentIndexChanged.connect(lambda _: self.fit_view())
        self.points.valueChanged.connect(lambda _: self.refresh())
        fit.clicked.connect(self.fit_view)
        self.plot.getViewBox().sigRangeChangedManually.connect(lambda *_: self._moved())

    @property
    def axes(self) -> tuple[int, int]:
        """The θ indices of the two parameters shown."""
        return int(self.across.currentData()), int(self.up.currentData())

    def fit_view(self) -> None:
        self._fit_pending = True
        self._moved_by_hand = False
        self.refresh()

    def _moved(self) -> None:
        self._moved_by_hand = True
        self._view_moved()

    def _fill_names(self) -> None:
        """Items named like the weights table's cells; a choice that still exists is
        kept, else v1 and v2 of the first logit (v1 and c for one neuron)."""
        trainer = self.host.trainer
        assert trainer is not None
        problem = trainer.problem
        labels = class_parameters(problem.size, problem.outputs, self.host.target.names)
        if labels == self._labels:
            return
        self._labels = labels
        names = [name for name, _ in labels]
        head = "" if problem.outputs == 1 else f"→{self.host.target.names[0]}"
        wanted = [f"v1{head}", f"v2{head}" if problem.size > 1 else f"c{head}"]
        for combo, default in zip((self.across, self.up), wanted, strict=True):
            keep = combo.currentText()
            combo.blockSignals(True)
            combo.clear()
            for name, index in labels:
                combo.addItem(name, index)
            combo.setCurrentText(keep if keep in names else default)
            combo.blockSignals(False)
        self._fit_pending = True

    # -- the surface, off this thread ----------------------------------------------------
    def refresh(self) -> None:
        """The point and the path now; the surface again if what it depends on changed
        (only while the tab is seen)."""
        trainer = self.host.trainer
        if trainer is None or not in_view(self):
            return
        self._fill_names()
        first, second = self.axes
        names = self.across.currentText(), self.up.currentText()
        self.plot.setLabel("bottom", names[0])
        self.plot.setLabel("left", names[1])
        if first == second:
            self.note.setText(
                f"Choose two different parameters: across and up are both {names[0]}."
            )
            self.plot.image.clear()
            self.plot.contours.setData([], [])
            self.losses = np.zeros(0)
            return
        theta = trainer.theta.astype(np.float64)
        if self.losses.size and not self._moved_by_hand:
            inside = self.xs[0] <= theta[first] <= self.xs[-1]
            if not (inside and self.ys[0] <= theta[second] <= self.ys[-1]):
                self._fit_pending = True  # training walked off the map: centre it again
        if self._fit_pending:
            ranges = (default_range(theta[first]), default_range(theta[second]))
        else:
            x_range, y_range = self.plot.viewRange()
            ranges = (tuple(x_range), tuple(y_range))
        self.show_ranges(*ranges)

    def show_ranges(self, across: tuple[float, float], up: tuple[float, float]) -> None:
        """The map over these ranges (a bad range or grid is said, and the map stays)."""
        trainer = self.host.trainer
        assert trainer is not None
        try:
            xs, ys = grid_axes(across, up, self.points.value())
        except InputError as error:
            self.message.say(f"{error}: the map stays as it was.", True)
            return
        first, second = self.axes
        theta = trainer.theta.astype(np.float64)
        held = theta.copy()
        held[[first, second]] = 0.0  # moving the shown two moves the point, not the map
        problem = trainer.problem
        key = (
            held.tobytes(),
            tuple(problem.activations),
            problem.live.tobytes(),
            problem.x.tobytes(),
            problem.labels.tobytes(),
            (first, second),
            xs.tobytes(),
            ys.tobytes(),
        )
        if key != self._key:
            self._key = key
            landscape = ClassLandscape(problem, theta, first, second)
            self.grids.submit(lambda: ((first, second), xs, ys, landscape.grid(xs, ys)))
        if self._fit_pending:  # the view at once, the map when it comes
            self._fit_pending = False
            self.plot.setXRange(xs[0], xs[-1], padding=0)
            self.plot.setYRange(ys[0], ys[-1], padding=0)
        self._show_point()

    def _computed(self, result: Grid | InputError) -> None:
        if isinstance(result, InputError):
            self.message.say(str(result), True)
            return
        if result[0] != self.axes:
            return  # computed for the parameters shown before: theirs is on its way
        _, self.xs, self.ys, self.losses = result
        self.plot.show_surface(self.xs, self.ys, self.losses)
        self._show_point()
        self._describe()

    def _describe(self) -> None:
        names = " and ".join((self.across.currentText(), self.up.currentText()))
        lines = [
            f"Cross-entropy over {names}, every other weight held where it is (training"
            " moves them, so the map moves too)."
        ]
        finite = self.losses[np.isfinite(self.losses)]
        if finite.size == 0 or np.ptp(finite) == 0:
            lines.append("It is flat here: a muted neuron, or a range too small to see.")
        lines.append(
            f"● the weights now, → one step −lr·∇ (lr = {self.host.rate.value():g}),"
            " red: the path of training. Click or drag to set them; wheel zooms."
        )
        self.note.setText(" ".join(lines))

    # -- the point, the step and the path ------------------------------------------------
    def _show_point(self) -> None:
        trainer = self.host.trainer
        if trainer is None or self.losses.size == 0:
            return
        first, second = self.axes
        theta = trainer.theta.astype(np.float64)
        grad = np.empty_like(theta)
        trainer.problem.loss_and_grad(theta, grad)
        rate = self.host.rate.value()
        point = (float(theta[first]), float(theta[second]))
        following = (point[0] - rate * grad[first], point[1] - rate * grad[second])
        self.plot.set_point(point, following)
        thetas = self.host.history.thetas
        path = np.zeros((0, 2))
        if thetas and thetas[0].size == theta.size:
            path = np.array(thetas)[:, [first, second]]
        self.plot.set_path(path[np.isfinite(path).all(axis=1)])

    def _picked(self, x: float, y: float, phase: str) -> None:
        """Called inside a mouse event: the edit is made after it (see showEvent)."""
        QTimer.singleShot(0, lambda: self.set_at(x, y, phase))

    def set_at(self, x: float, y: float, phase: str) -> None:
        """The two parameters set to (x, y): a click ("click") is one undo step, a drag
        ("start", "move"…, "finish") one for the whole gesture (the window's)."""
        window, trainer = self.host, self.host.trainer
        if trainer is None or self.losses.size == 0:
            return
        if not (abs(x) <= MAX_PARAMETER and abs(y) <= MAX_PARAMETER):
            return
        if phase in ("click", "start") or self._before is None:
            self._before = window._paused_session()
        theta = trainer.theta.astype(np.float64)
        first, second = self.axes
        theta[[first, second]] = x, y
        network = trainer.network
        trainer.problem.unpack(theta, network)
        window._continue(network)
        if phase in ("click", "finish"):
            names = " and ".join((self.across.currentText(), self.up.currentText()))
            window._push(self._before, f"Set {names} on the landscape")
            self._before = None
