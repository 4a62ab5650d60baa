"""Animated GIFs: a fit as it trains, or Nielsen's construction neuron by neuron."""

from __future__ import annotations

import io
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from PIL import Image
from PIL.ImageQt import fromqimage
from PySide6.QtCore import QRectF, Qt
from PySide6.QtGui import QFont, QImage, QPainter

from uat_explorer.core import Network, Session, construct
from uat_explorer.core.errors import InputError
from uat_explorer.core.files import atomic_write_bytes
from uat_explorer.core.nn.formula import number
from uat_explorer.core.training.trainer import TrainReport
from uat_explorer.export.figures import FigureOptions, function_figure, render
from uat_explorer.model.state import AppState

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
) -> list[Image.Image]:
    """The construction growing: one frame per added step (staircase) or bump."""
    network = construct(session.target, session.domain, count, mode, activation, transition)
    group = 2 if mode == "bumps" else 1
    state = AppState(session.copy())
    state.document.apply_network(Network.from_neurons([], network.c), [])
    check_animation(count // group + 1, 15.0, options)
    images = FrameList()
    with function_figure(state, options) as plot:
        for shown in range(0, count + 1, group):
            partial = Network.from_neurons(network.neurons()[:shown], network.c)
            state.document.apply_network(partial, list(range(shown)))
            plot.fit_view()
            caption = f"{shown} neurons   MSE {number(state.document.derived().metrics.mse)}"
            images.add(_captioned(render(plot, options), caption))
    return images.frames


class FrameList:
    """Frames kept as they will be written: palette images (1 byte a pixel, a quarter of
    a rendered frame), all in the first frame's 255 colours, so a long animation's
    memory is known in advance (``check_animation``) and small."""

    def __init__(self) -> None:
        self.frames: list[Image.Image] = []

    def add(self, image: QImage) -> None:
        rgb = fromqimage(image).convert("RGB")
        if not self.frames:
            frame = rgb.quantize(colors=255, method=Image.Quantize.MEDIANCUT)
        else:
            frame = rgb.quantize(palette=self.frames[0], dither=Image.Dither.NONE)
        self.frames.append(frame)


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


def _captioned(image: QImage, text: str) -> QImage:
    painter = QPainter(image)
    font = QFont()
    font.setPointSizeF(11)
    font.setBold(True)
    painter.setFont(font)
    painter.setPen(Qt.GlobalColor.darkGray)
    width = image.width() / image.devicePixelRatio()
    painter.drawText(QRectF(0, 6, width - 14, 30), Qt.AlignmentFlag.AlignRight, text)
    painter.end()
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
