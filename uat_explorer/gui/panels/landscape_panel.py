"""The loss landscape gradient descent walks on: the loss over two parameters (or along
one) with the others held, where the weights are, where one step of −lr·∇ goes, and the
path training takes across it.

The surface is computed here in bands between events, so the window never waits for it:
at most four times a second while training, once (lazily, when shown) after an edit. The
gradient for the arrow and the tangent comes from the model's cache.
"""

from __future__ import annotations

import time
from collections.abc import Iterator
from typing import Any

import numpy as np
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from uat_explorer.core.errors import InputError
from uat_explorer.core.nn.network import Network
from uat_explorer.core.nn.parameters import (
    parameter_index,
    parameter_names,
    parameter_value,
    parameter_values,
    parse_parameter,
)
from uat_explorer.core.teaching.landscape import BAND_ELEMENTS, Landscape, default_range
from uat_explorer.core.training.timeline import TimelineRows, layout_of
from uat_explorer.core.workers.training import Progress
from uat_explorer.export.landscape import write_landscape_csv
from uat_explorer.export.offline import job
from uat_explorer.gui.panels.context import DockPanel, PanelContext
from uat_explorer.gui.widgets.notice import NoticeLabel
from uat_explorer.gui.widgets.plot_export import (
    Export,
    ExportButton,
    animation_options,
    offline_export,
    plot_exports,
)
from uat_explorer.plots.in_view import in_view
from uat_explorer.plots.landscape_plot import LandscapePlot
from uat_explorer.qt import connect, debounced, props, throttled, when_shown

MODES = {"Two parameters": 2, "One parameter": 1}
GRIDS = {"100 × 100": 100, "200 × 200": 200}
CURVE_POINTS = 400
BAND_SECONDS = 0.012
"""Work per turn of the event loop: a frame's worth, well under a 50 ms gap."""
SHOWN_ONLY_TIP = (
    "Training moves only the parameters shown, the rest held where they are, so its path"
    " on this map is the whole story (a clean bounce or crawl)"
)
GIF_STEPS, GIF_FRAMES = 400, 40
"""The animation: training's next 400 steps, a frame every ten."""
MAX_PATH = 4000
"""Path points kept; beyond this every other one is dropped (the shape stays)."""


class LandscapePanel(DockPanel):
    choice_key = "landscape"

    def __init__(self, context: PanelContext, parent: QWidget | None = None) -> None:
        super().__init__(context, "landscapePanel", parent)
        when_shown(self, self.refresh)
        state, training = self.state, self.training
        self.mode = props(QComboBox(), objectName="landscapeModeCombo")
        self.mode.addItems(list(MODES))
        self.mode.setToolTip(
            "Two parameters: the loss as a map over two dials. One parameter: the loss"
            " along one dial, with its slope ∂L/∂p and where one step lands"
        )
        self.x_combo = props(QComboBox(), objectName="landscapeXCombo")
        self.x_combo.setToolTip("The parameter across (named like the neuron cards)")
        self.y_combo = props(QComboBox(), objectName="landscapeYCombo")
        self.y_combo.setToolTip("The parameter up")
        self.grid_combo = props(QComboBox(), objectName="landscapeGridCombo")
        self.grid_combo.addItems(list(GRIDS))
        self.grid_combo.setToolTip("Grid points per axis: finer is sharper and slower")
        self.fit = props(QPushButton("Fit"), objectName="landscapeFitButton")
        self.fit.setToolTip("Centre the view on the current weights (± max(2, 2·|value|))")
        self.step = props(QPushButton("Step"), objectName="landscapeStepButton")
        self.step.setToolTip(
            "One plain gradient step along the shown parameters only, p ← p − lr·∂L/∂p,"
            " with the Training panel's learning rate (one undo step)"
        )
        self.shown_only = props(
            QCheckBox("Train only these"),
            objectName="landscapeShownOnlyCheck",
            toolTip=SHOWN_ONLY_TIP,
        )
        self.note = props(QLabel(), objectName="landscapeNoteLabel", wordWrap=True)
        self.message = NoticeLabel("landscapeMessageLabel")
        self.plot = LandscapePlot(picked=self._picked)
        self.export = ExportButton(
            "loss landscape",
            [
                *plot_exports("loss landscape", lambda: self.plot, self._write_csv),
                Export(
                    "Animation of training's path (GIF)…",
                    "gif",
                    "landscape.gif",
                    self._write_gif,
                ),
            ],
            self.message.say,
            object_name="landscapeExportButton",
        )

        # Two rows: what is drawn, then what to do; one row would make the panel (and so
        # the window) wider than a 1280-pixel projector beside the other docks.
        controls = QVBoxLayout()
        chooser, actions = QHBoxLayout(), QHBoxLayout()
        chooser.addWidget(self.mode)
        chooser.addWidget(QLabel("across"))
        chooser.addWidget(self.x_combo)
        self.y_label = QLabel("up")
        chooser.addWidget(self.y_label)
        chooser.addWidget(self.y_combo)
        chooser.addWidget(self.grid_combo)
        chooser.addStretch(1)
        actions.addWidget(self.shown_only)
        actions.addStretch(1)
        for button in (self.fit, self.step, self.export):
            actions.addWidget(button)
        controls.addLayout(chooser)
        controls.addLayout(actions)
        self.stack(controls, self.note, self.message, self.plot)

        self.names: list[str] = []
        self.ys: np.ndarray | None  # None: a curve over one parameter
        self.xs = self.ys = self.losses = np.zeros(0)
        self._job: Iterator[None] | None = None
        self._key: tuple[object, ...] | None = None  # what the shown surface was made from
        self._fit_pending = True
        self._path: list[tuple[float, float, int]] = []  # (across, up or loss, step)
        self._diverged: list[tuple[float, float, int]] = []  # a run that blew up
        self._path_behind = False  # training went on while out of view
        self._gesture: object | None = None
        self._worker = props(QTimer(self), interval=0)
        self._worker.timeout.connect(self._work)
        self._refresh_soon = throttled(self.refresh, 250, self)
        self._view_moved = debounced(self._recompute_view, 300, self)

        self._fill_names()
        connect(
            self._choice_changed,
            self.mode.currentIndexChanged,
            self.x_combo.currentIndexChanged,
            self.y_combo.currentIndexChanged,
        )
        self.grid_combo.currentIndexChanged.connect(lambda _: self._restart())
        self.shown_only.toggled.connect(lambda _: self._train_shown_only())
        state.document.settingsChanged.connect(self._can_train_shown_only)
        self._can_train_shown_only()
        self.fit.clicked.connect(self.fit_view)
        self.step.clicked.connect(self.step_by_hand)
        state.document.structureChanged.connect(self._structure_changed)
        document = state.document
        connect(
            self._refresh_soon,
            document.derivedChanged,
            document.settingsChanged,
            document.targetChanged,
        )
        state.document.stepChanged.connect(self._step_changed)
        training.progressed.connect(self._record_path)
        state.editor.steppedByHand.connect(self._stepped_by_hand)
        training.runningChanged.connect(self._running_changed)
        self.plot.getViewBox().sigRangeChangedManually.connect(lambda *_: self._view_moved())
        self._choice_changed()

    # -- choices -------------------------------------------------------------------------
    @property
    def dimensions(self) -> int:
        return MODES[self.mode.currentText()]

    def choices(self) -> dict[str, Any]:
        x_range, y_range = self.plot.viewRange()
        view = [*x_range, *y_range] if self.dimensions == 2 else [*x_range]
        return {
            "dimensions": self.dimensions,
            "x": self.x_combo.currentText(),
            "y": self.y_combo.currentText(),
            "grid": GRIDS[self.grid_combo.currentText()],
            "view": None if self._fit_pending else [float(v) for v in view],
            "shown_only": self.shown_only.isChecked(),
        }

    def restore_choices(self, choices: dict[str, Any]) -> None:
        """Names this network does not have keep the current choice; a saved view is
        shown as it was (else the view fits the weights)."""
        for combo, key in ((self.x_combo, "x"), (self.y_combo, "y")):
            if choices.get(key) in parameter_names(self.state.document.network.size):
                combo.blockSignals(True)
                combo.setCurrentText(choices[key])
                combo.blockSignals(False)
        if "grid" in choices:
            self.grid_combo.blockSignals(True)
            self.grid_combo.setCurrentText(
                next(t for t, n in GRIDS.items() if n == choices["grid"])
            )
            self.grid_combo.blockSignals(False)
        if "dimensions" in choices:
            self.mode.blockSignals(True)
            self.mode.setCurrentText(
                next(t for t, n in MODES.items() if n == choices["dimensions"])
            )
            self.mode.blockSignals(False)
        self._choice_changed()
        view = choices.get("view")
        if view is not None:
            self._fit_pending = False
            self.plot.setXRange(view[0], view[1], padding=0)
            if self.dimensions == 2 and len(view) == 4:
                self.plot.setYRange(view[2], view[3], padding=0)
            self._restart()

    def _train_shown_only(self) -> None:
        on = self.shown_only.isChecked() and self.shown_only.isEnabled()
        self.state.view.set_trained_only(tuple(self.names) if on else None)

    def _can_train_shown_only(self) -> None:
        """Levenberg–Marquardt solves for every parameter together: holding some back is
        not the same method, so the option waits for another optimizer."""
        spec = self.state.document.session.optimizer
        self.shown_only.setEnabled(spec.uses_learning_rate)
        if not spec.uses_learning_rate:
            self.shown_only.setToolTip(
                f"{spec.label} solves for every parameter together, so it cannot hold the"
                " others back: choose SGD, momentum or Adam to train only these"
            )
        else:
            self.shown_only.setToolTip(
                "Training moves only the parameters shown, the rest held where they are,"
                " so its path on this map is the whole story (a clean bounce or crawl)"
            )
        self._train_shown_only()

    def _fill_names(self) -> None:
        """Items named like the cards; a choice that still exists is kept, else v1, v2."""
        names = parameter_names(self.state.document.network.size)
        defaults = [n for n in ("v1", "v2") if n in names] + ["c", "c"]
        for combo, default in ((self.x_combo, defaults[0]), (self.y_combo, defaults[1])):
            keep = combo.currentText()
            combo.blockSignals(True)
            combo.clear()
            combo.addItems(names)
            combo.setCurrentText(keep if keep in names else default)
            combo.blockSignals(False)

    def _structure_changed(self) -> None:
        self._fill_names()
        self._choice_changed()

    def _choice_changed(self) -> None:
        two = self.dimensions == 2
        self.y_combo.setVisible(two)
        self.y_label.setVisible(two)
        self.grid_combo.setVisible(two)
        names = [self.x_combo.currentText()] + ([self.y_combo.currentText()] if two else [])
        self.names = names
        self._train_shown_only()
        self.plot.set_mode(self.dimensions, [*names, "loss"])
        self._path.clear()
        self._diverged = []
        if self.state.document.step > 0:
            # The run so far, from the document's timeline: the map opened (or turned to
            # other parameters) after training still shows the path it took.
            self._record_path()
        self._show_path()
        self._fit_pending = True
        self._restart()

    def _restart(self) -> None:
        self._key = None
        self.refresh()

    # -- computing, in bands -------------------------------------------------------------
    def came_into_view(self) -> None:
        """Its dock shown, or its tab brought to the front (the registry calls this): the
        path it skipped while out of view from the timeline (~0.4 ms a training frame
        saved), and the surface."""
        if self._path_behind:
            self._path_behind = False
            self._path.clear()
            self._record_path()
            self._show_path()
        self.refresh()

    def _surface_key(self) -> tuple[object, ...]:
        """Everything the surface depends on: every parameter but the shown ones (moving
        those moves the point, not the surface), the samples, the loss and the grid."""
        net = self.state.document.network
        values = parameter_values(net)
        for name in self.names:
            values[parameter_index(name, net.size)] = 0.0
        x_range, y_range = self.plot.viewRange()
        return (
            values.tobytes(),
            tuple(net.activations),
            net.muted.tobytes(),
            self.state.document.data_revision,
            self.state.document.session.loss,
            tuple(self.names),
            GRIDS[self.grid_combo.currentText()],
            None if self._fit_pending else (tuple(x_range), tuple(y_range)),
        )

    def refresh(self) -> None:
        """Redraw the point and arrow now; recompute the surface if what it depends on
        changed (lazily: not while hidden)."""
        if not in_view(self) or len(self.names) != self.dimensions:
            return
        if any(
            name not in parameter_names(self.state.document.network.size) for name in self.names
        ):
            return
        if self.dimensions == 2 and self.names[0] == self.names[1]:
            self.note.setText(
                f"Choose two different parameters: across and up are both {self.names[0]}."
                if self.state.document.network.size
                else "With no neurons there is only c: choose One parameter."
            )
            self.plot.image.clear()
            self.plot.contours.setData([], [])
            self.losses = np.zeros(0)
            return
        key = self._surface_key()
        if key != self._key:
            self._key = key
            self._job = self._compute()
            self._worker.start()
        self._show_point()

    def _recompute_view(self) -> None:
        self._key = None
        self.refresh()

    def _ranges(self) -> list[tuple[float, float]]:
        if self._fit_pending:
            values = [parameter_value(self.state.document.network, n) for n in self.names]
            return [default_range(v) for v in values]
        x_range, y_range = self.plot.viewRange()
        return [tuple(x_range), tuple(y_range)][: self.dimensions]

    def _compute(self) -> Iterator[None]:
        x, t = self.state.document.training_data()
        landscape = Landscape(
            self.state.document.network, x, t, self.state.document.session.loss, self.names
        )
        ranges = self._ranges()
        if self.dimensions == 2:
            points = GRIDS[self.grid_combo.currentText()]
            xs, ys = (np.linspace(*r, points) for r in ranges)
            losses: np.ndarray = np.empty((ys.size, xs.size))
            for rows, values in landscape.bands(xs, ys):
                losses[rows] = values
                yield
        else:
            xs, ys = np.linspace(*ranges[0], CURVE_POINTS), None
            losses = np.empty(xs.size)
            chunk = max(1, BAND_ELEMENTS // max(1, x.size))
            for start in range(0, xs.size, chunk):
                losses[start : start + chunk] = landscape.curve(xs[start : start + chunk])
                yield
        self._show_surface(xs, ys, losses, ranges)

    def _work(self) -> None:
        started = time.perf_counter()
        while self._job is not None and time.perf_counter() - started < BAND_SECONDS:
            try:
                next(self._job)
            except StopIteration:
                self._job = None
        if self._job is None:
            self._worker.stop()

    def _show_surface(
        self,
        xs: np.ndarray,
        ys: np.ndarray | None,
        losses: np.ndarray,
        ranges: list[tuple[float, float]],
    ) -> None:
        self.xs, self.ys, self.losses = xs, ys, losses
        if ys is not None:
            self.plot.show_surface(xs, ys, losses)
        else:
            self.plot.show_curve(xs, losses)
        if self._fit_pending:
            self._fit_pending = False
            self.plot.setXRange(*ranges[0], padding=0)
            if ys is not None:
                self.plot.setYRange(*ranges[1], padding=0)
            self._key = self._surface_key()
        if ys is None:
            finite = losses[np.isfinite(losses)]
            if finite.size:
                self.plot.setYRange(float(finite.min()), float(finite.max()), padding=0.05)
        self._show_point()
        self._describe(losses)

    def _describe(self, losses: np.ndarray) -> None:
        held = "every other parameter held where it is"
        net = self.state.document.network
        held_by = [parse_parameter(n, net.size)[1] for n in self.names]
        muted = [n for n, j in zip(self.names, held_by, strict=True) if j >= 0 and net.muted[j]]
        lines = [
            f"Training loss over {' and '.join(self.names)}, {held}. While training, the"
            " surface moves because the other weights move."
        ]
        finite = losses[np.isfinite(losses)]
        if muted:
            lines.append(f"{', '.join(muted)} belong to a muted neuron: the loss does not change.")
        elif finite.size == 0 or np.ptp(finite) == 0:
            lines.append("The loss is flat over this range.")
        spec = self.state.document.session.optimizer
        rate = f"lr = {spec.learning_rate:g}"
        if not spec.uses_learning_rate:
            rate += f" ({spec.label} uses no learning rate; the step shown is plain descent)"
        if self.dimensions == 2:
            lines.append(
                f"● the weights now, → one step −lr·∇ ({rate}; dashed: longer than the step,"
                " to show its direction), red: the path of training."
                " Click or drag to set them; wheel zooms, middle-drag pans."
            )
        else:
            lines.append(
                f"● now, dashed: the tangent (slope ∂L/∂p), × where one step lands ({rate})."
            )
        self.note.setText(" ".join(lines))

    # -- the point, the step, the path ---------------------------------------------------
    def _gradient(self) -> list[float]:
        size = self.state.document.network.size
        flat = self.state.document.derived().gradients.flat()
        return [float(flat[parameter_index(n, size)]) for n in self.names]

    def _show_point(self) -> None:
        if not self.names or self.losses.size == 0:
            return
        self._show_path()
        net = self.state.document.network
        values = [parameter_value(net, n) for n in self.names]
        grads = self._gradient()
        rate = self.state.document.session.optimizer.learning_rate
        following = [v - rate * g for v, g in zip(values, grads, strict=True)]
        if self.dimensions == 2:
            self.plot.set_point(tuple(values), tuple(following))
            return
        loss = self.state.document.derived().loss
        x, t = self.state.document.training_data()
        landscape = Landscape(net, x, t, self.state.document.session.loss, self.names)
        landed = float(landscape.curve([following[0]])[0])
        self.plot.set_point((values[0], loss), (following[0], landed), slope=grads[0])

    def step_by_hand(self) -> None:
        rate = self.state.document.session.optimizer.learning_rate
        try:
            self.state.editor.gradient_step(
                self.state.document.derived().gradients,
                rate,
                f"Step along {', '.join(self.names)}",
                names=self.names,
            )
        except InputError as error:
            self.message.say(str(error), True)

    def _picked(self, x: float, y: float, phase: str) -> None:
        """Click: one undo step; a drag: one undo step for the whole gesture."""
        if self.dimensions != 2:
            return
        if phase == "start" or self._gesture is None:
            self._gesture = object()
        text = f"Set {' and '.join(self.names)} on the landscape"
        values = dict(zip(self.names, (x, y), strict=True))
        self.state.editor.set_parameters(
            values, text, gesture=None if phase == "click" else self._gesture
        )
        if phase in ("click", "finish"):
            self._gesture = None

    # -- the path: one point per training step, and every hand step ----------------------
    def _point_now(self) -> tuple[float, float]:
        return self._point_of(self.state.document.network, self.state.document.derived().loss)

    def _point_of(self, net: Network, loss: float | None = None) -> tuple[float, float]:
        """Where ``net`` is on this map (across, up), or along the curve (value, loss)."""
        values = [parameter_value(net, n) for n in self.names]
        if self.dimensions == 1:
            if loss is None:
                x, t = self.state.document.training_data()
                document = self.state.document
                loss = float(
                    Landscape(net, x, t, document.session.loss, self.names).curve([values[0]])[0]
                )
            values.append(loss)
        return values[0], values[1]

    def _add_points(self, points: list[tuple[float, float, int]]) -> None:
        self._path.extend(points)
        while len(self._path) > MAX_PATH:
            self._path = self._path[::2]  # thinned: the shape stays
        self._refresh_soon()  # drawn with the point, at most 4 times a second

    def _record_path(self, progress: Progress | None = None) -> None:
        """Every step trained since the last frame, from the rows the worker recorded
        (the document's timeline), not one point per frame; a run that diverged keeps
        the steps that blew up, apart."""
        if not self.names:
            return
        if progress is not None and progress.diverged_rows is None and not in_view(self):
            self._path_behind = True  # read from the timeline when it comes into view
            return
        document = self.state.document
        if self._path and document.step < self._path[-1][2]:
            self._step_settled()  # rolled back (a divergence) or reset: before this frame
        if progress is not None and progress.diverged_rows is not None:
            run = document.diverged_run
            losses = (run.steps, run.losses) if run is not None else None
            self._diverged += self._points(progress.diverged_rows, -1, losses)
        segments = document.timeline.segments
        last = self._path[-1][2] if self._path else -1
        rows = segments[-1] if segments else None
        losses = document.history.arrays() if self.dimensions == 1 else None
        points = [] if rows is None else self._points(rows, last, losses)
        self._add_points([*points, (*self._point_now(), document.step)])

    def _points(
        self,
        rows: TimelineRows,
        after: int,
        losses: tuple[np.ndarray, np.ndarray] | None,
    ) -> list[tuple[float, float, int]]:
        """The shown parameters at each of ``rows``' steps past ``after`` (in one-parameter
        mode with the loss at that step, from ``losses``' steps and values); none if the
        rows are of another layout of neurons."""
        net = self.state.document.network
        if rows.layout != layout_of(net) or rows.steps.size == 0:
            return []
        first = int(np.searchsorted(rows.steps, after, side="right"))  # steps rise
        steps = rows.steps[first:]
        columns = [parameter_index(n, net.size) for n in self.names]
        values = rows.weights[first:, columns].astype(np.float64)  # the new rows' two
        if self.dimensions == 1:
            ys = values[:, 0]
            if losses is not None and losses[0].size:
                ys = np.interp(steps, *losses)
            values = np.column_stack([values[:, 0], ys])
        finite = np.isfinite(values).all(axis=1)
        across, up = values[finite].T.tolist()  # Python numbers in one go: ~100 a frame
        return list(zip(across, up, steps[finite].tolist(), strict=True))

    def _stepped_by_hand(self, before: Network) -> None:
        """Step or Apply update: the trail grows like training's, from where it was."""
        if not self.names or not self.isVisible():
            return
        step = self.state.document.step
        points = [] if self._path else [(*self._point_of(before), step)]
        self._add_points([*points, (*self._point_now(), step)])

    def _running_changed(self, running: bool) -> None:
        if running:
            self._record_path()

    def _step_changed(self) -> None:
        """Decided once the reply is applied (the rollback of a diverged run comes with
        its own signal)."""
        QTimer.singleShot(0, self._step_settled)

    def _step_settled(self) -> None:
        """A run that diverged keeps its path, marked, from its restored step; a reset or
        an undo past the path clears it (that was another run)."""
        step = self.state.document.session.step
        if not self._path or step >= self._path[-1][2]:
            return
        run = self.state.document.diverged_run
        if run is not None and run.restored_step == step:
            gone = [p for p in self._path if p[2] >= step]
            self._path = [p for p in self._path if p[2] <= step]
            self._diverged = gone
        else:
            self._path.clear()
            self._diverged = []
        self._show_path()

    def _show_path(self) -> None:
        path = np.array(self._path)[:, :2] if self._path else np.zeros((0, 2))
        gone = np.array(self._diverged)[:, :2] if self._diverged else None
        self.plot.set_path(path, gone)

    def fit_view(self) -> None:
        self._fit_pending = True
        self._restart()

    # -- messages and exports --------------------------------------------------------------

    def _write_gif(self, path: str) -> None:
        """Training from here, GIF_STEPS steps with the session's settings, its path drawn
        over the landscape as it grows; drawn by another process."""
        options = animation_options((self.plot.width(), self.plot.height()))
        job_data = job(
            self.state.document.session,
            options,
            path,
            "landscape_gif",
            names=self.names,
            steps=GIF_STEPS,
            frames=GIF_FRAMES,
            text_scale=self.state.view.text_scale,
        )
        offline_export(self, job_data, f"Training {GIF_STEPS} steps and drawing the path")

    def _write_csv(self, path: str) -> None:
        write_landscape_csv(path, self.names, self.xs, self.ys, self.losses)
