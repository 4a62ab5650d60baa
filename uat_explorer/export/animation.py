"""Animated GIFs: a fit as it trains, Nielsen's construction neuron by neuron, the
backprop pass node by node, the landscape's path while training, the race's curves
growing. Each is drawn with the window's own view, and refused before any work if its
frames would be too many or too large (``check_animation``)."""

from __future__ import annotations

import io
import math
from collections.abc import Callable
from dataclasses import dataclass, replace
from pathlib import Path

import numpy as np
from PIL import Image
from PIL.ImageQt import fromqimage
from PySide6.QtCore import QRectF, Qt
from PySide6.QtGui import QColor, QFont, QImage, QPainter
from PySide6.QtWidgets import QApplication, QWidget

from uat_explorer.core import Network, Session, construct
from uat_explorer.core.errors import InputError
from uat_explorer.core.files import atomic_write_bytes
from uat_explorer.core.nn.formula import number
from uat_explorer.core.nn.parameters import parameter_index, parameter_values, parse_parameter
from uat_explorer.core.teaching.backprop import build_graph
from uat_explorer.core.teaching.graph import Graph
from uat_explorer.core.teaching.landscape import Landscape, check_grid, check_range
from uat_explorer.core.teaching.race import RaceRun
from uat_explorer.core.training.trainer import StopRule, TrainReport
from uat_explorer.export.figures import FigureOptions, _laid_out, function_figure, render
from uat_explorer.model.state import AppState
from uat_explorer.model.view import ModelView

ProgressCallback = Callable[[int, int], bool]
"""progress(done, total) -> False to cancel."""

MAX_FRAMES = 1000


@dataclass
class Recording:
    """The frames, and the session as training left it (weights and step count)."""

    images: list[Image.Image]
    session: Session
    report: TrainReport


def record_fit(
    session: Session,
    frames: int,
    steps_per_frame: int,
    options: FigureOptions,
    progress: ProgressCallback | None = None,
) -> Recording | None:
    """Train a copy of the session, rendering a frame every ``steps_per_frame`` steps with
    the step count and MSE written on it; it ends early where training does (a stop rule,
    divergence). None if ``progress`` cancels."""
    check_animation(frames, 15.0, options)
    if steps_per_frame < 1:
        raise InputError("there must be at least one training step between frames")
    state = AppState(session.copy())
    trainer = state.document.session.trainer()
    report = trainer.run(0)
    images = FrameList()
    with function_figure(state, options) as plot:
        for index in range(frames):
            if index:
                report = trainer.run(steps_per_frame)
                state.document.apply_weights(trainer.network)
                state.document.apply_step(trainer.step)
            caption = f"step {state.document.session.step}   MSE {number(report.metrics.mse)}"
            images.add(_captioned(render(plot, options), caption))
            if progress is not None and not progress(index + 1, frames):
                return None
            if report.stopped or report.diverged:
                break
    return Recording(images.frames, state.document.session.copy(), report)


def record_construction(
    session: Session,
    count: int,
    mode: str,
    activation: str,
    options: FigureOptions,
    transition: float | None = None,
    text_scale: float = 1.0,
) -> list[Image.Image]:
    """The construction growing: one frame per added step (staircase) or bump."""
    network = construct(session.target, session.domain, count, mode, activation, transition)
    group = 2 if mode == "bumps" else 1
    state = AppState(session.copy())
    state.document.apply_network(Network.from_neurons([], network.c), [])
    check_animation(count // group + 1, 15.0, options)
    images = FrameList()
    with function_figure(state, options) as plot:
        plot.set_scale(text_scale, options.scale)
        _settle(plot)
        for shown in range(0, count + 1, group):
            partial = Network.from_neurons(network.neurons()[:shown], network.c)
            state.document.apply_network(partial, list(range(shown)))
            plot.fit_view()
            caption = f"{shown} neurons   MSE {number(state.document.derived().metrics.mse)}"
            images.add(_captioned(render(plot, options), caption, text_scale))
    return images.frames


def backprop_frames(state: ModelView, sample: int, scope: str) -> int:
    """Frames of ``record_backprop_pass``: nothing shown, then one per value forward and
    one per gradient backward."""
    return 1 + 2 * len(_backprop_graph(state, sample, scope).nodes)


def _backprop_graph(state: ModelView, sample: int, scope: str) -> Graph:
    trace = state.document.derived().trace
    return build_graph(trace, sample, scope, state.view.selected_index)


def record_backprop_pass(
    state: ModelView,
    sample: int,
    scope: str,
    options: FigureOptions,
    text_scale: float = 1.0,
) -> list[Image.Image]:
    """One sample's backprop pass as the Backprop panel plays it: the graph with nothing
    shown, then the forward pass node by node (each value as it is computed, the node
    outlined), then the backward pass (each ∂L/∂node by the chain rule), the last frame the
    whole graph. ``scope`` "batch": the gradients of the training loss."""
    from uat_explorer.export.backprop import _paint
    from uat_explorer.plots.backprop_graph import BackpropGraphView

    graph = _backprop_graph(state, sample, scope)
    check_animation(1 + 2 * len(graph.nodes), 15.0, options)
    forward, backward = graph.forward_order(), graph.backward_order()
    view = BackpropGraphView()
    ids, selected = state.document.ids, state.view.selected_index
    what = "one sample's loss" if scope == "sample" else "the training loss (every sample)"
    shown: set[str] = set()
    reached: set[str] = set()
    steps: list[tuple[str | None, str]] = [(None, f"sample {sample}: {what}")]
    steps += [
        (key, f"forward {k + 1}/{len(forward)}: {graph.node(key).label}")
        for k, key in enumerate(forward)
    ]
    steps += [
        (key, f"backward {k + 1}/{len(backward)}: ∂L/∂{graph.node(key).name}")
        for k, key in enumerate(backward)
    ]
    images = FrameList()
    try:
        for index, (key, caption) in enumerate(steps):
            if key is not None and index <= len(forward):
                shown.add(key)
            elif key is not None:
                reached.add(key)
            view.show_graph(graph, ids, selected, set(shown), set(reached), key)
            image = _blank(options, view.backgroundBrush().color())
            painter = QPainter(image)
            painter.setRenderHint(QPainter.RenderHint.Antialiasing)
            painter.setRenderHint(QPainter.RenderHint.TextAntialiasing)
            _paint(view, painter, options.width, options.height)
            painter.end()
            images.add(_captioned(image, caption, text_scale, view.backgroundBrush().color()))
    finally:
        view.deleteLater()
    return images.frames


MAX_PATH_STEPS = 100_000
"""Training steps of a landscape's path: every one is a point on it."""


@dataclass
class PathRecording:
    """The frames, and the path: one point per step (across, up), and the steps."""

    images: list[Image.Image]
    path: np.ndarray
    steps: np.ndarray
    stopped: str | None


def record_landscape_path(
    session: Session,
    names: list[str],
    steps: int,
    frames: int,
    options: FigureOptions,
    grid: int = 61,
    ranges: list[tuple[float, float]] | None = None,
    text_scale: float = 1.0,
) -> PathRecording:
    """Train a copy of the session ``steps`` more steps (its optimizer, rate and batches) and
    draw the path of ``names`` (one or two parameters) over the landscape: a frame every
    few steps, ``frames`` at most. Each frame's landscape is the loss with the other weights
    where training has them at that frame (it moves as they do; the caption says so), the
    path one point per step. ``ranges`` (default: the path's extent, padded) fixes the
    view. A run that diverges ends where it did, its path kept."""
    from uat_explorer.plots.landscape_plot import LandscapePlot

    check_animation(frames, 15.0, options)
    check_grid(grid)
    if not 1 <= steps <= MAX_PATH_STEPS:
        raise InputError(f"the path needs between 1 and {MAX_PATH_STEPS:,} steps, got {steps}")
    if not 1 <= len(names) <= 2:
        raise InputError(f"a path is drawn over one or two parameters, got {len(names)}")
    for name in names:
        parse_parameter(name, session.network.size)
    if ranges is not None:
        ranges = [check_range(low, high) for low, high in ranges]
    snapshots, path, path_steps, losses, stopped = _train_path(session, names, steps, frames)
    x, t = session.training_data()
    shown = ranges or _path_ranges(path)
    xs = np.linspace(*shown[0], grid)
    ys = np.linspace(*shown[1], grid) if len(names) == 2 else None
    landscapes = [Landscape(network, x, t, session.loss, names) for _, network in snapshots]
    curves = [landscape.curve(xs) for landscape in landscapes] if ys is None else []
    if ys is None:  # one loss axis for every frame: the curve is seen to move
        finite = np.concatenate([*curves, losses])
        finite = finite[np.isfinite(finite)]
        low, high = (float(finite.min()), float(finite.max())) if finite.size else (0.0, 1.0)
        pad = 0.05 * (high - low or 1.0)
        shown = [shown[0], (low - pad, high + pad)]
    images = FrameList(shared=False)
    plot = LandscapePlot(line_scale=options.scale * text_scale)
    with _laid_out(plot, options):
        plot.set_scale(text_scale, options.scale)
        plot.set_mode(len(names), names)
        for k, (step, _) in enumerate(snapshots):
            upto = int(np.searchsorted(path_steps, step, side="right"))
            here = path[upto - 1]
            if ys is None:
                plot.show_curve(xs, curves[k])
                trail = np.column_stack([path[:upto, 0], losses[:upto]])
                point = (float(here[0]), float(landscapes[k].curve([here[0]])[0]))
            else:
                plot.show_surface(xs, ys, landscapes[k].grid(xs, ys))
                trail, point = path[:upto], (float(here[0]), float(here[1]))
            plot.setRange(xRange=shown[0], yRange=shown[1], padding=0)
            plot.set_path(trail)
            plot.set_point(point, point)
            _settle(plot)  # the colour scale's numbers change with each frame's map
            caption = (
                f"step {step:,}   loss {number(float(losses[upto - 1]))}"
                "   (the loss with the other weights as at this step)"
            )
            if stopped and step == snapshots[-1][0]:
                caption += f"   {stopped}"
            paper = plot.backgroundBrush().color()
            images.add(_captioned(render(plot, options), caption, text_scale, paper))
    return PathRecording(images.frames, path, path_steps, stopped)


def _train_path(
    session: Session, names: list[str], steps: int, frames: int
) -> tuple[list[tuple[int, Network]], np.ndarray, np.ndarray, np.ndarray, str | None]:
    """(step, network) at each frame; every step's point of ``names``, its step and loss;
    why training ended early (None: it ran every step). The session's own stop rules
    are set aside: the path is the ``steps`` asked for, unless the loss diverges."""
    budget = StopRule(max_steps=session.step + steps)
    trainer = replace(session, stop=budget).trainer(record=True)
    size = session.network.size
    columns = [parameter_index(name, size) for name in names]
    # Frame k shows step round(k·steps / (frames − 1)): ``frames`` frames, evenly spaced.
    ends = np.unique(np.round(np.linspace(0, steps, max(frames, 2))).astype(int))[1:]
    snapshots = [(trainer.step, trainer.network.copy())]
    points: list[np.ndarray] = []
    at: list[np.ndarray] = []
    losses: list[np.ndarray] = []
    stopped = None
    done = 0
    for end in ends.tolist():
        report = trainer.run(end - done)
        rows = report.timeline
        if rows is not None and rows.size:
            kept = rows.steps < trainer.step  # a diverged step's row is not a point
            points.append(rows.weights[kept][:, columns].astype(np.float64))
            at.append(rows.steps[kept])
            losses.append(report.losses[: int(kept.sum())])
        done += report.steps_run
        if report.diverged:
            where = f" at step {report.diverged_step:,}" if report.diverged_step is not None else ""
            stopped = f"diverged{where}"
        elif done < end:
            stopped = report.stopped or "stopped"
        snapshots.append((trainer.step, trainer.network.copy()))
        if stopped:
            break
    final = parameter_values(trainer.network)[columns]
    points.append(final[None, :])
    at.append(np.array([trainer.step]))
    losses.append(np.array([float(trainer.run(0).loss)]))  # the loss now, no step taken
    path = np.concatenate(points)
    if path.shape[1] == 1:
        path = np.column_stack([path[:, 0], np.zeros(path.shape[0])])
    return snapshots, path, np.concatenate(at), np.concatenate(losses), stopped


def _path_ranges(path: np.ndarray) -> list[tuple[float, float]]:
    """Each axis: the path's extent, padded by a quarter of it (at least ±0.5)."""
    shown = []
    for column in range(path.shape[1]):
        low, high = float(path[:, column].min()), float(path[:, column].max())
        pad = max(0.25 * (high - low), 0.5)
        shown.append((low - pad, high + pad))
    return shown


def record_race(
    runs: list[RaceRun], frames: int, options: FigureOptions, text_scale: float = 1.0
) -> list[Image.Image]:
    """The race's loss curves growing together, step by step, in the final frame's axes
    (so each curve is seen to crawl, bounce or blow up at its own pace)."""
    from uat_explorer.plots.race_plot import RaceLossPlot

    check_animation(frames, 15.0, options)
    last = max((int(run.history.arrays()[0][-1]) for run in runs if len(run.history)), default=0)
    if last < 1:
        raise InputError("the runs have no steps to animate: run the race first")
    plot = RaceLossPlot(line_scale=options.scale)
    images = FrameList(shared=False)
    with _laid_out(plot, options):
        plot.set_scale(text_scale, options.scale)
        plot.show_runs(runs)
        _settle(plot)
        x_range, y_range = plot.viewRange()
        for k in range(frames):
            upto = round(last * k / (frames - 1))
            plot.show_runs([_run_until(run, upto) for run in runs])
            plot.setRange(xRange=x_range, yRange=y_range, padding=0)
            image = render(plot, options)
            paper, centre = plot.backgroundBrush().color(), Qt.AlignmentFlag.AlignHCenter
            images.add(_captioned(image, f"step {upto:,}", text_scale, paper, centre))
    return images.frames


def _run_until(run: RaceRun, step: int) -> RaceRun:
    """The run as it stood at ``step``: its curve so far, a divergence once it happened."""
    steps, losses = run.history.arrays()
    keep = steps <= step
    partial = RaceRun(run.spec, run.target_loss)
    partial.history.add(steps[keep], losses[keep])
    if run.reached_step is not None and run.reached_step <= step:
        partial.reached_step = run.reached_step
    if run.diverged_step is not None and run.diverged_step <= step:
        partial.diverged_step = run.diverged_step
    partial.final_loss = float(losses[keep][-1]) if keep.any() else math.nan
    return partial


class FrameList:
    """Frames kept as they will be written: palette images (1 byte a pixel, a quarter of
    a rendered frame), so a long animation's memory is known in advance
    (``check_animation``) and small. ``shared``: all in the first frame's 255 colours (no
    flicker where little changes); else each frame its own, for animations whose colours
    come later (a path drawn in red over a map that changes, curves that grow: in the
    first frame's palette they came out in its nearest colour, purple)."""

    def __init__(self, shared: bool = True) -> None:
        self.frames: list[Image.Image] = []
        self.shared = shared

    def add(self, image: QImage) -> None:
        rgb = fromqimage(image).convert("RGB")
        if not self.frames or not self.shared:
            frame = rgb.quantize(colors=255, method=Image.Quantize.MEDIANCUT)
        else:
            frame = rgb.quantize(palette=self.frames[0], dither=Image.Dither.NONE)
        self.frames.append(frame)


def _settle(plot: QWidget) -> None:
    """One paint and the events it leaves: the axes take the room their labels need
    (a new text scale, new numbers) before the frame is rendered."""
    plot.grab()
    QApplication.processEvents()


MAX_GIF_MEMORY = 1536 * 1024 * 1024
"""An animation's frames take 1 byte a pixel as kept, about 2 while the GIF is written."""


def _check_frames(frames: int) -> None:
    if not 2 <= frames <= MAX_FRAMES:
        raise InputError(f"an animation needs between 2 and {MAX_FRAMES} frames, got {frames}")


def check_animation(frames: int, fps: float, options: FigureOptions) -> None:
    """Everything about an animation that can be refused before any work: the frame
    count, the speed, and the memory its frames would take."""
    _check_frames(frames)
    check_fps(fps)
    pixels = round(options.width * options.scale) * round(options.height * options.scale)
    need = frames * pixels * 2
    if need > MAX_GIF_MEMORY:
        raise InputError(
            f"{frames} frames of {options.width} × {options.height} (scale {options.scale:g})"
            f" would take {need / 2**30:.1f} GB of memory; the limit is"
            f" {MAX_GIF_MEMORY / 2**30:.1f} GB: use fewer frames or a smaller size"
        )


def check_fps(fps: float) -> None:
    if not 0.5 <= fps <= 50:
        raise InputError(f"frames per second must be between 0.5 and 50, got {fps:g}")


def _captioned(
    image: QImage,
    text: str,
    scale: float = 1.0,
    paper: QColor | None = None,
    align: Qt.AlignmentFlag = Qt.AlignmentFlag.AlignRight,
) -> QImage:
    """``text`` at the top (right, or as ``align`` says), 11 points times ``scale``, on a
    box of ``paper`` (the figure's background) when given, so it reads over a heat map."""
    painter = QPainter(image)
    font = QFont()
    font.setPointSizeF(11 * scale)
    font.setBold(True)
    painter.setFont(font)
    width = image.width() / image.devicePixelRatio()
    box = QRectF(14 * scale, 6 * scale, width - 28 * scale, 30 * scale)
    flags = align | Qt.AlignmentFlag.AlignTop
    if paper is not None:
        shown = painter.boundingRect(box, flags, text).adjusted(
            -5 * scale, -2 * scale, 5 * scale, 2 * scale
        )
        behind = QColor(paper)
        behind.setAlpha(215)
        painter.fillRect(shown, behind)
    painter.setPen(Qt.GlobalColor.darkGray)
    painter.drawText(box, flags, text)
    painter.end()
    return image


def _blank(options: FigureOptions, color: object) -> QImage:
    """An image of the figure's size and pixel scale, filled with ``color``."""
    image = QImage(
        round(options.width * options.scale),
        round(options.height * options.scale),
        QImage.Format.Format_ARGB32_Premultiplied,
    )
    if image.isNull():
        raise InputError("there is not enough memory for frames this large; make them smaller")
    image.setDevicePixelRatio(options.scale)
    image.fill(color)
    return image


def gif_bytes(frames: list[Image.Image], fps: float) -> bytes:
    """The frames (from FrameList) as an animated GIF, looping."""
    if not frames:
        raise InputError("there are no frames to save")
    check_fps(fps)
    buffer = io.BytesIO()
    frames[0].save(
        buffer,
        format="GIF",
        save_all=True,
        append_images=frames[1:],
        duration=round(1000 / fps),
        loop=0,
    )
    return buffer.getvalue()


def write_gif(images: list[Image.Image], path: str | Path, fps: float = 15.0) -> None:
    atomic_write_bytes(path, gif_bytes(images, fps))
