"""Backprop, step by step: the network as a computational graph with the real numbers of
one sample, the chain rule written out, every gradient in a table, and the update.

Everything shown comes from the model's cache (``state.document.derived().trace``): the panel
never computes a pass of its own.
"""

from __future__ import annotations

import math
from typing import Any

import numpy as np
from PySide6.QtCore import Qt, QTimer
from PySide6.QtGui import QImage
from PySide6.QtWidgets import (
    QComboBox,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QSizePolicy,
    QSpinBox,
    QSplitter,
    QVBoxLayout,
    QWidget,
)

from uat_explorer.core.errors import InputError
from uat_explorer.core.teaching.backprop import (
    build_graph,
    fmt,
    gradient_rows,
    middle_sample,
)
from uat_explorer.core.teaching.graph import Graph
from uat_explorer.export.backprop import backprop_image, write_backprop, write_gradients
from uat_explorer.export.figures import FigureOptions, FigureSize, write_png
from uat_explorer.export.offline import job
from uat_explorer.gui.panels.context import DockPanel, PanelContext, select_quietly
from uat_explorer.gui.widgets.gradient_table import GradientTable
from uat_explorer.gui.widgets.notice import NoticeLabel
from uat_explorer.gui.widgets.plot_export import (
    ChosenSize,
    Export,
    ExportButton,
    animation_options,
    offline_export,
)
from uat_explorer.plots.backprop_graph import BackpropGraphView
from uat_explorer.plots.in_view import in_view
from uat_explorer.qt import connect, props, throttled

SCOPES = {"This sample": "sample", "Whole batch": "batch"}
PASS_SECONDS = {"Slow (6 s)": 6.0, "Normal (3 s)": 3.0, "Fast (1.5 s)": 1.5}


class BackpropPanel(DockPanel):
    choice_key = "backprop"

    def __init__(self, context: PanelContext, parent: QWidget | None = None) -> None:
        super().__init__(context, "backpropPanel", parent)
        state, plot = self.state, self.plot
        self.graph: Graph | None = None
        self.values: set[str] | None = None  # None: every value shown
        self.grads: set[str] | None = None
        self.current: str | None = None

        self.sample = props(QSpinBox(), objectName="backpropSampleSpin", keyboardTracking=False)
        self.sample.setToolTip(
            "Which sample to follow through the network (0-based); or click a sample"
            " point on the plot"
        )
        self.sample_label = props(QLabel(), objectName="backpropSampleLabel")
        # The numbers may be cut rather than widen the window (their tooltip has them).
        self.sample_label.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Preferred)
        self.scope = props(QComboBox(), objectName="backpropScopeCombo")
        self.scope.addItems(list(SCOPES))
        self.scope.setToolTip(
            "This sample: L is this sample's own loss. Whole batch: L is the training loss,"
            " the mean over every sample, whose gradient is the mean of theirs"
        )
        self.forward = props(QPushButton("Forward ▶"), objectName="forwardStepButton")
        self.forward.setToolTip("Reveal the next node's value, left to right")
        self.backward = props(QPushButton("◀ Backward"), objectName="backwardStepButton")
        self.backward.setToolTip("Reveal the next gradient, right to left (the chain rule)")
        self.play = props(QPushButton("Play pass"), objectName="playPassButton", checkable=True)
        self.play.setToolTip("Animate the forward pass, then the backward pass")
        self.pace = props(QComboBox(), objectName="playSpeedCombo")
        self.pace.addItems(list(PASS_SECONDS))
        self.pace.setCurrentIndex(1)
        self.pace.setToolTip("How long the whole pass takes")
        self.apply = props(QPushButton(), objectName="applyUpdateButton")
        self.apply.setToolTip(
            "One step of gradient descent on every unmuted parameter, p ← p − lr·∂L/∂p,"
            " with the Training panel's learning rate and the chosen scope (one undo step)"
        )
        self.chain = props(QLabel(), objectName="chainRuleLabel", wordWrap=True)
        self.chain.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.chain.setMinimumHeight(32)
        self.message = props(QLabel(), objectName="backpropMessageLabel", wordWrap=True)
        self.message.setStyleSheet("color: #d32f2f;")
        self.message.hide()
        self.notice = NoticeLabel("backpropNoticeLabel")  # what an export did
        self.view = BackpropGraphView()
        self.table = GradientTable()
        self.export = ExportButton(
            "backprop graph",
            [
                Export("PNG image…", "png", "backprop.png", self._write_png, self.image),
                Export("SVG image…", "svg", "backprop.svg", self._write_svg),
                Export("Gradient table (CSV)…", "csv", "gradients.csv", self._write_csv),
                Export("Animation of the pass (GIF)…", "gif", "backprop.gif", self._write_gif),
            ],
            lambda text, problem: self.notice.say(text, problem),
            object_name="backpropExportButton",
        )

        self.table_button = props(
            QPushButton("Table"),
            objectName="gradientTableButton",
            checkable=True,
            toolTip="Show every parameter's value, gradient and update beside the graph",
        )
        top = QHBoxLayout()
        top.addWidget(QLabel("Sample"))
        top.addWidget(self.sample)
        top.addWidget(self.sample_label, 1)
        top.addWidget(self.scope)
        for widget in (self.forward, self.backward, self.play, self.pace, self.table_button):
            top.addWidget(widget)
        top.addWidget(self.apply)
        top.addWidget(self.export)
        self.split = QSplitter(Qt.Orientation.Horizontal)
        self.split.addWidget(self.view)
        self.split.addWidget(self.table)
        self.split.setStretchFactor(0, 3)
        self.split.setStretchFactor(1, 2)
        self.split.setChildrenCollapsible(False)
        self.table.hide()
        layout = QVBoxLayout(self)
        layout.setContentsMargins(6, 2, 6, 2)
        layout.setSpacing(3)
        layout.addLayout(top)
        layout.addWidget(self.message)
        layout.addWidget(self.notice)
        layout.addWidget(self.chain)
        layout.addWidget(self.split, 1)

        self._timer = QTimer(self)
        self._timer.timeout.connect(self._tick)
        # Four times a second: numbers are read, not watched move (and paint costs).
        self._refresh_soon = throttled(self.refresh, 250, self)
        self.sample.valueChanged.connect(state.view.set_probe_sample)
        self.scope.currentIndexChanged.connect(
            lambda _: state.view.set_probe_scope(SCOPES[self.scope.currentText()])
        )
        self.forward.clicked.connect(self.step_forward)
        self.backward.clicked.connect(self.step_backward)
        self.play.toggled.connect(self._play_toggled)
        self.apply.clicked.connect(self.apply_update)
        self.table_button.toggled.connect(self.show_table)
        self.view.neuronClicked.connect(state.view.select_index)
        self.view.nodeClicked.connect(self._node_clicked)
        plot.sampleClicked.connect(state.view.set_probe_sample)
        connect(self._refresh_soon, state.document.derivedChanged, state.document.settingsChanged)
        connect(self.refresh, state.view.probeChanged, state.view.selectionChanged)

    def show_table(self, on: bool) -> None:
        """The gradient table beside the graph, wide enough for its headers and numbers;
        the graph keeps the rest (and refits)."""
        self.table_button.setChecked(on)
        self.table.setVisible(on)
        if on:
            self.refresh()
            self.table.resizeColumnsToContents()
            wanted = self.table.horizontalHeader().length() + self.table.frameWidth() * 2 + 4
            total = self.split.width()
            self.split.setSizes([max(total - wanted, total // 3), wanted])

    # -- which sample, which loss -----------------------------------------------------------
    @property
    def scope_name(self) -> str:
        return SCOPES[self.scope.currentText()]

    # -- exports ---------------------------------------------------------------------------
    def image(self, size: FigureSize) -> QImage:
        """The graph of the sample and scope shown, every value and gradient filled in."""
        shown = size.options((self.view.width(), self.view.height()))
        return backprop_image(self.state, self.sample.value(), self.scope_name, shown)

    def _write_png(self, path: str) -> None:
        write_png(self.image(ChosenSize.size), path)

    def _write_svg(self, path: str) -> None:
        options = FigureOptions(max(self.view.width(), 16), max(self.view.height(), 16))
        write_backprop(self.state, path, self.sample.value(), self.scope_name, options)

    def _write_gif(self, path: str) -> None:
        """The pass as Play shows it, forward node by node then backward, drawn by
        another process (the window keeps drawing)."""
        options = animation_options((self.view.width(), self.view.height()))
        sample, scope = self.sample.value(), self.scope_name
        job_data = job(
            self.state.document.session,
            options,
            path,
            "backprop_gif",
            sample=sample,
            scope=scope,
            text_scale=self.state.view.text_scale,
        )
        offline_export(self, job_data, f"Drawing the backprop pass of sample {sample}")

    def _write_csv(self, path: str) -> None:
        rate = self.state.document.session.optimizer.learning_rate
        write_gradients(self.state, path, self.sample.value(), self.scope_name, rate)

    def choices(self) -> dict[str, Any]:
        return {
            "sample": self.sample.value(),
            "scope": self.scope_name,
            "table": self.table_button.isChecked(),
        }

    def restore_choices(self, choices: dict[str, Any]) -> None:
        """A sample past this session's count is the last one (the spin box's range)."""
        if "sample" in choices:
            self.sample.setValue(int(choices["sample"]))
        if "scope" in choices:
            select_quietly(self.scope, SCOPES, choices["scope"])
            self.state.view.set_probe_scope(choices["scope"])
        if "table" in choices:
            self.show_table(bool(choices["table"]))

    def set_active(self, active: bool) -> None:
        """The panel came into view (its dock shown, or its tab raised) or left it: the
        plot marks the sample and shows the points only while the panel is seen."""
        if active:
            if self.state.view.probe_sample is None:
                self.state.view.set_probe_sample(
                    middle_sample(self.state.document.training_data()[0].size)
                )
            self.plot.samples.force(True)
            self.refresh()
        else:
            self.plot.samples.force(False)
            self.state.view.set_probe_sample(None)
            self.play.setChecked(False)

    def came_into_view(self) -> None:
        """Its dock shown, or its tab brought to the front (the registry calls this)."""
        self.refresh()

    # -- showing ------------------------------------------------------------------------------
    def refresh(self) -> None:
        """Graph, label, chain rule and table for the current weights (from the cache)."""
        probe = self.state.view.probe_sample
        if not in_view(self) or probe is None:
            return
        state = self.state
        trace = state.document.derived().trace
        index = min(probe, trace.size - 1)
        self.sample.blockSignals(True)
        self.sample.setRange(0, trace.size - 1)
        self.sample.setValue(index)
        self.sample.blockSignals(False)
        self.sample_label.setText(
            f"sample {index}: x = {trace.x[index]:.4f}, t = {trace.t[index]:.4f},"
            f" y = {trace.y[index]:.4f}"
        )
        self.sample_label.setToolTip(
            f"The sample followed: x = {trace.x[index]:.6g}, its target t = {trace.t[index]:.6g},"
            f" the output y = {trace.y[index]:.6g}"
        )
        graph = build_graph(
            trace, index, self.scope_name, state.view.selected_index, state.document.penalty
        )
        if self.graph is not None and [n.key for n in graph.nodes] != [
            n.key for n in self.graph.nodes
        ]:
            self._reveal_all()
        self.graph = graph
        self.view.show_graph(
            graph,
            state.document.ids,
            state.view.selected_index,
            self.values,
            self.grads,
            self.current,
        )
        lr = state.document.session.optimizer.learning_rate
        self.apply.setText(f"Apply update (lr {fmt(lr)})")
        if self.table.isVisible():
            penalty = state.document.penalty
            self.table.show_rows(gradient_rows(trace, index, self.scope_name, lr, penalty))
        self._show_problems(trace.network.muted, trace.y)
        if self.current is None:
            self.chain.setText(
                "Forward ▶ reveals the values node by node; ◀ Backward sends the gradient"
                " back by the chain rule. Hover a node to see what it does."
            )
        else:
            self._explain(
                self.current, backward=self.grads is not None and self.current in self.grads
            )

    def _show_problems(self, muted: np.ndarray, y: np.ndarray) -> None:
        problems = []
        if muted.size and muted.all():
            problems.append(
                "Every neuron is muted: they add nothing and get no gradient; only c learns."
            )
        if not np.isfinite(y).all():
            problems.append(
                "Some values overflowed (weights too large for the numbers to stay finite);"
                " Undo or Reset the weights."
            )
        self.message.setText(" ".join(problems))
        self.message.setVisible(bool(problems))

    def _explain(self, key: str, backward: bool) -> None:
        if self.graph is None:
            return
        node = self.graph.node(key)
        self.chain.setText(node.chain if backward else f"{node.label}: {node.forward}")

    # -- the walkthrough ---------------------------------------------------------------------
    def _reveal_all(self) -> None:
        self.values = self.grads = None
        self.current = None

    def step_forward(self) -> bool:
        """Reveal the next value; False when the forward pass is complete."""
        if self.graph is None:
            return False
        order = self.graph.forward_order()
        if self.values is None or (len(self.values) == len(order) and self.grads):
            self.values, self.grads = set(), set()  # start a new walk through
        return self._reveal_next(order, self.values)

    def step_backward(self) -> bool:
        """Reveal the next gradient (the forward pass first completes); False when done."""
        if self.graph is None:
            return False
        if self.grads is None:
            self.grads = set()
        self.values = {n.key for n in self.graph.nodes}
        return self._reveal_next(self.graph.backward_order(), self.grads)

    def _reveal_next(self, order: list[str], shown: set[str]) -> bool:
        """The first node of ``order`` not yet ``shown`` joins it and is marked."""
        pending = [key for key in order if key not in shown]
        if not pending:
            return False
        shown.add(pending[0])
        self.current = pending[0]
        self.refresh()
        return True

    def _play_toggled(self, on: bool) -> None:
        if not on:
            self._timer.stop()
            return
        if self.graph is None:
            self.play.setChecked(False)
            return
        self.values, self.grads, self.current = set(), set(), None
        steps = 2 * len(self.graph.nodes)
        self._timer.start(max(10, round(1000 * PASS_SECONDS[self.pace.currentText()] / steps)))

    def _tick(self) -> None:
        """Forward until every value shows, then backward until every gradient does."""
        if self.graph is None:
            self.play.setChecked(False)
            return
        forward = len(self.values or ()) < len(self.graph.nodes)
        if not (self.step_forward() if forward else self.step_backward()):
            self.play.setChecked(False)

    def _node_clicked(self, key: str) -> None:
        backward = self.grads is None or key in self.grads
        self.current = key
        self._explain(key, backward)

    # -- the update ----------------------------------------------------------------------------
    def apply_update(self) -> None:
        """p ← p − lr·∂L/∂p for the chosen scope, as one undo step."""
        self.training.pause()  # the gradient must be that of the weights it changes
        state = self.state
        trace = state.document.derived().trace
        index = min(state.view.probe_sample or 0, trace.size - 1)
        gradients = (
            trace.sample_gradients(index) if self.scope_name == "sample" else trace.gradients
        )
        lr = state.document.session.optimizer.learning_rate
        scope = "this sample" if self.scope_name == "sample" else "the whole batch"
        try:
            state.editor.gradient_step(gradients, lr, f"Gradient step (lr {lr:g}, {scope})")
        except InputError as error:
            self.message.setText(str(error))
            self.message.show()
            return
        if not math.isfinite(state.document.derived().loss):
            state.editor.message.emit(
                "That step made the loss overflow: Undo (Ctrl+Z) brings it back."
            )
