"""Exports for slides: an image size shared by every Export button (1280 × 720 and
1920 × 1080 presets, or typed), copied images at that size, and whole-slide images."""

from __future__ import annotations

import pytest
from PySide6.QtGui import QImage
from PySide6.QtWidgets import QApplication

from uat_explorer.core import InputError
from uat_explorer.export.figures import SIZES, figure_size
from uat_explorer.gui.widgets.plot_export import ChosenSize


@pytest.fixture(autouse=True)
def _as_shown():
    yield
    ChosenSize.size = SIZES[0]


def landscape(qtbot, window):
    window.workspaces.show("landscape")
    panel = window.landscape
    qtbot.waitUntil(lambda: panel.losses.size > 0 and panel._job is None)
    qtbot.wait(50)  # the workspace's sizes settle after Qt has placed the docks
    QApplication.processEvents()
    return panel


@pytest.mark.parametrize(("preset", "pixels"), [(1, (1280, 720)), (2, (1920, 1080))])
def test_a_preset_size_gives_every_png_that_size(qtbot, window, tmp_path, preset, pixels):
    panel = landscape(qtbot, window)
    panel.export.choose(SIZES[preset])
    path = tmp_path / "slide.png"
    assert panel.export.export("png", str(path))
    image = QImage(str(path))
    assert (image.width(), image.height()) == pixels
    QApplication.processEvents()
    item = panel.plot.getPlotItem().geometry()  # the view on screen is laid out as it was
    assert (item.width(), item.height()) == (panel.plot.width(), panel.plot.height())
    panel.export.copy()
    copied = QApplication.clipboard().image()
    assert (copied.width(), copied.height()) == pixels


def test_as_shown_is_twice_the_pixels_of_the_view(qtbot, window, tmp_path):
    panel = landscape(qtbot, window)
    image = panel.export.image()
    assert (image.width(), image.height()) == (2 * panel.plot.width(), 2 * panel.plot.height())


def test_a_typed_size_is_read_or_refused():
    assert figure_size("1600 x 900").pixels == (1600, 900)
    assert figure_size("800×600").pixels == (800, 600)
    for bad in ("1600", "wide x tall", "10 x 10", "50000 x 900"):
        with pytest.raises(InputError):
            figure_size(bad)


def test_copy_figure_uses_the_chosen_size(window):
    ChosenSize.size = SIZES[2]
    window.files.exporter.copy_figure()
    copied = QApplication.clipboard().image()
    assert (copied.width(), copied.height()) == (1920, 1080)


def test_a_slide_of_the_workspace_and_of_curves_and_loss(qtbot, window, tmp_path):
    window.workspaces.show("train")
    qtbot.wait(30)
    ChosenSize.size = SIZES[1]
    path = tmp_path / "workspace.png"
    assert window.files.write_slide(str(path), workspace=True)
    image = QImage(str(path))
    assert image.width() == 1280 and 400 < image.height() < 800  # the window without its bars
    path = tmp_path / "curves.png"
    assert window.files.write_slide(str(path), workspace=False)
    image = QImage(str(path))
    assert (image.width(), image.height()) == (1280, 720)
    left, right = image.copy(0, 0, 640, 720), image.copy(640, 0, 640, 720)
    assert left != right
    assert not window.files.write_slide(str(tmp_path / "no" / "such.png"))


def test_the_backprop_panel_exports_its_graph_and_table(qtbot, window, tmp_path):
    window.workspaces.show("backprop")
    qtbot.wait(30)
    button = window.backprop.export
    ChosenSize.size = SIZES[1]
    assert button.export("png", str(tmp_path / "graph.png"))
    assert QImage(str(tmp_path / "graph.png")).size().toTuple() == (1280, 720)
    assert button.export("svg", str(tmp_path / "graph.svg"))
    assert b"<svg" in (tmp_path / "graph.svg").read_bytes()
    assert button.export("csv", str(tmp_path / "g.csv"))
    header = (tmp_path / "g.csv").read_text().splitlines()[0]
    assert header.startswith("parameter,value")


def test_the_backprop_and_landscape_panels_export_animations(qtbot, window, tmp_path):
    from PIL import Image

    ChosenSize.size = SIZES[0]
    window.workspaces.show("backprop")
    qtbot.wait(30)
    gif = tmp_path / "pass.gif"
    assert window.backprop.export.export("gif", str(gif))
    with Image.open(gif) as image:
        assert image.n_frames > 10
        image.seek(0)
        first = image.convert("RGB").tobytes()
        image.seek(image.n_frames - 1)
        assert image.convert("RGB").tobytes() != first
    panel = landscape(qtbot, window)
    gif = tmp_path / "path.gif"
    shown = (panel.plot.width(), panel.plot.height())  # before the notice takes a line
    assert panel.export.export("gif", str(gif))
    with Image.open(gif) as image:
        assert image.n_frames >= 10 and image.size == shown
