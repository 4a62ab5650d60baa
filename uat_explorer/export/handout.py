"""A lesson as a handout: a PDF (Qt's QPdfWriter, no other dependency) with the title and
introduction, then a page per step: its text, its task in words and a figure of where it
starts; or a folder of Markdown and PNGs (a handout to edit, or to put online).

The figure is the step's workspace's main view drawn from its start state: the backprop
graph for the Backprop workspace, the function plot for the others, the class plot (its
probabilities and points) for a step in the classes window.
"""

from __future__ import annotations

import re
from pathlib import Path

from PySide6.QtCore import QBuffer, QByteArray, QIODevice, QMarginsF, QPointF, QRectF, QSizeF
from PySide6.QtGui import QImage, QPageLayout, QPageSize, QPainter, QPdfWriter, QTextDocument

from uat_explorer.core.errors import InputError
from uat_explorer.core.files import all_or_nothing, atomic_write_bytes
from uat_explorer.core.io.class_session import ClassSession
from uat_explorer.core.io.session import Session
from uat_explorer.core.lessons.checks import describe
from uat_explorer.core.lessons.lesson import Lesson, Step
from uat_explorer.core.lessons.walk import states
from uat_explorer.core.teaching.backprop import middle_sample
from uat_explorer.export.backprop import backprop_image
from uat_explorer.export.class_figures import class_figure
from uat_explorer.export.figures import FigureOptions, function_figure, png_bytes, render
from uat_explorer.model.state import AppState

FIGURE = FigureOptions(760, 430, 2.5)
"""Laid out smaller than the page and drawn sharper: its text reads at the size of the page's."""
DPI = 150
MARGIN_MM = 18.0


def start_figure(step: Step, session: Session | ClassSession) -> QImage:
    """Where the step starts, as its workspace (or the classes window) shows it."""
    if isinstance(session, ClassSession):
        with class_figure(session, FIGURE) as classes:
            return render(classes, FIGURE)
    state = AppState(session)
    if step.workspace == "backprop" and session.network.size:
        sample = middle_sample(state.document.training_data()[0].size)
        return backprop_image(state, sample, "sample", FIGURE)
    with function_figure(state, FIGURE) as plot:
        return render(plot, FIGURE)


def task_text(step: Step) -> str:
    if step.check is None:
        return ""
    return f"**Your task:** {describe(step.check)}"


def pages(lesson: Lesson) -> list[tuple[str, QImage | None]]:
    """The handout's pages as Markdown and a figure: the title page, then each step."""
    intro = f"# {lesson.title}\n\n{lesson.intro}"
    if lesson.idea:
        intro += f"\n\n*The idea:* {lesson.idea}."
    intro += f"\n\n{lesson.length.capitalize()}."
    found: list[tuple[str, QImage | None]] = [(intro, None)]
    total = len(lesson.steps)
    for k, (step, start, _end) in enumerate(states(lesson), start=1):
        text = f"## Step {k} of {total}: {step.heading}\n\n{step.text}"
        task = task_text(step)
        if task:
            text += f"\n\n{task}"
        found.append((text, start_figure(step, start)))
    return found


def handout_pdf(lesson: Lesson) -> bytes:
    """One page for the title, one per step (text, task, then the figure below it)."""
    data = QByteArray()
    buffer = QBuffer(data)
    buffer.open(QIODevice.OpenModeFlag.WriteOnly)
    writer = QPdfWriter(buffer)
    writer.setTitle(lesson.title)
    writer.setCreator("UAT Explorer")
    writer.setResolution(DPI)
    margins = QMarginsF(MARGIN_MM, MARGIN_MM, MARGIN_MM, MARGIN_MM)
    writer.setPageLayout(
        QPageLayout(
            QPageSize(QPageSize.PageSizeId.A4),
            QPageLayout.Orientation.Portrait,
            margins,
            QPageLayout.Unit.Millimeter,
        )
    )
    painter = QPainter(writer)
    if not painter.isActive():
        raise InputError("the PDF could not be started")
    area = QRectF(writer.pageLayout().paintRectPixels(DPI))
    area.moveTo(0, 0)
    try:
        for number, (markdown, figure) in enumerate(pages(lesson)):
            if number:
                writer.newPage()
            used = _text(painter, writer, markdown, area)
            if figure is not None:
                _figure(painter, figure, QRectF(0, used + DPI * 0.15, area.width(), area.height()))
    finally:
        painter.end()
    return bytes(data.data())


def _text(painter: QPainter, writer: QPdfWriter, markdown: str, area: QRectF) -> float:
    """The Markdown laid out in the page's width; how tall it is."""
    document = QTextDocument()
    document.documentLayout().setPaintDevice(writer)
    font = document.defaultFont()
    font.setPointSizeF(11)
    document.setDefaultFont(font)
    document.setMarkdown(markdown)
    document.setTextWidth(area.width())
    document.setPageSize(QSizeF(area.width(), 1e9))  # one page of text: no inner breaks
    document.drawContents(painter, QRectF(0, 0, area.width(), area.height()))
    return float(document.size().height())


def _figure(painter: QPainter, image: QImage, room: QRectF) -> None:
    """The image as large as fits under the text, its aspect kept, centred."""
    height = room.height() - room.top()
    if height < 40:
        return
    scale = min(room.width() / image.width(), height / image.height())
    size = QSizeF(image.width() * scale, image.height() * scale)
    left = (room.width() - size.width()) / 2
    painter.drawImage(QRectF(QPointF(left, room.top()), size), image)


def write_handout_pdf(lesson: Lesson, path: str | Path) -> None:
    atomic_write_bytes(path, handout_pdf(lesson))


def write_handout_folder(lesson: Lesson, folder: str | Path) -> None:
    """``folder``/README.md with every page's Markdown, and step-NN.png beside it; all of
    it written, or none of it."""
    folder = Path(folder)
    if folder.exists() and not folder.is_dir():
        raise InputError(f"{folder} is a file, not a folder")
    parts: list[str] = []
    images: dict[str, bytes] = {}
    for number, (markdown, figure) in enumerate(pages(lesson)):
        parts.append(markdown)
        if figure is not None:
            name = f"step-{number:02d}.png"
            images[name] = png_bytes(figure)
            parts.append(f"![Where step {number} starts]({name})")
    with all_or_nothing():
        folder.mkdir(parents=True, exist_ok=True)
        for name, data in images.items():
            atomic_write_bytes(folder / name, data)
        text = "\n\n".join(parts) + "\n"
        atomic_write_bytes(folder / "README.md", re.sub(r"\n{3,}", "\n\n", text).encode())
