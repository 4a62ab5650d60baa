"""File → Export from the window: figures, clipboard, data, animation.

Every export reports where it wrote; a failure (no such folder, no permission, a full
disk) is a clear message, and the session itself is never touched.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from pathlib import Path

from PySide6.QtCore import QObject, Qt, Signal
from PySide6.QtWidgets import QApplication, QProgressDialog, QWidget

from uat_explorer.core import InputError
from uat_explorer.core.io.export_data import (
    curves_table,
    loss_table,
    write_parameters,
    write_table,
)
from uat_explorer.core.teaching.backprop import middle_sample
from uat_explorer.export.backprop import write_backprop, write_gradients
from uat_explorer.export.figures import (
    FigureOptions,
    function_figure,
    loss_figure,
    render,
    write_png,
    write_svg,
)
from uat_explorer.export.offline import job
from uat_explorer.gui.files.offline_job import CANCELLED, run_offline
from uat_explorer.gui.widgets.plot_export import ChosenSize
from uat_explorer.model.state import AppState
from uat_explorer.plots.function.plot import FunctionPlot

OFFLINE_PIXELS = 16_000_000
"""Above this many pixels (a 4000 × 4000 figure) a PNG is painted by another process."""


class Exporter(QObject):
    done = Signal(str)  # "Exported … to …"
    failed = Signal(str)  # what went wrong

    def __init__(self, state: AppState, plot: FunctionPlot, parent: QWidget) -> None:
        super().__init__(parent)
        self.state, self.plot, self.window = state, plot, parent

    def on_screen(self) -> FigureOptions:
        """The function plot as the window shows it: size, curves, and the view range."""
        x_range, y_range = self.plot.view_box.viewRange()
        return FigureOptions(
            width=max(self.plot.width(), 16),
            height=max(self.plot.height(), 16),
            components=self.plot.components_visible,
            samples=self.plot.samples.asked,
            band=self.plot.band.visible,
            x_range=tuple(x_range),
            y_range=tuple(y_range),
        )

    def write(self, path: str | Path, what: str, write: Callable[[], None]) -> bool:
        try:
            write()
        except OSError as error:
            self.failed.emit(
                f"Could not write {what} to {path}: {error.strerror or error}."
                " Nothing else changed."
            )
            return False
        except InputError as error:
            self.failed.emit(str(error))
            return False
        self.done.emit(f"Exported {what} to {path}")
        return True

    def figure(
        self, path: str | Path, options: FigureOptions, loss: bool = False, svg: bool = False
    ) -> bool:
        what = ("loss plot" if loss else "function plot") + (" (SVG)" if svg else "")
        if svg:
            options = replace(options, scale=1.0)
        make = loss_figure if loss else function_figure

        pixels = options.width * options.height * options.scale**2
        if not svg and not loss and pixels > OFFLINE_PIXELS:
            return self._figure_offline(path, options, what)

        def write() -> None:
            with make(self.state, options) as plot:
                if svg:
                    write_svg(plot, path)
                else:
                    write_png(render(plot, options), path)

        return self.write(path, what, write)

    def _figure_offline(self, path: str | Path, options: FigureOptions, what: str) -> bool:
        """A big function plot, painted by another process (the window never freezes, and
        the memory is returned when the process ends)."""
        doing = f"Rendering the {what} ({options.width} × {options.height})"
        why = run_offline(self.window, job(self.state.document.session, options, path), doing)
        if why == CANCELLED:
            self.done.emit(why)
            return False
        if why is not None:
            self.failed.emit(f"Could not write the {what} to {path}: {why}. Nothing else changed.")
            return False
        self.done.emit(f"Exported {what} to {path}")
        return True

    def copy_figure(self) -> None:
        """The function plot at the image size chosen (as shown: at the screen's pixels)."""
        shown = self.on_screen()
        size = ChosenSize.size
        if size.pixels is None:
            screen = self.window.screen()
            options = replace(shown, scale=screen.devicePixelRatio() if screen else 1.0)
        else:
            laid = size.options((shown.width, shown.height))
            options = replace(shown, width=laid.width, height=laid.height, scale=laid.scale)
        with function_figure(self.state, options) as plot:
            image = render(plot, options)
        QApplication.clipboard().setImage(image)
        self.done.emit(
            f"Copied the function plot to the clipboard ({image.width()} × {image.height()})"
        )

    def data(self, path: str | Path) -> bool:
        header, rows = curves_table(self.state.document.session)
        return self.write(path, "the curves (CSV)", lambda: write_table(path, header, rows))

    def loss_history(self, path: str | Path) -> bool:
        document = self.state.document
        header, rows = loss_table(*document.history.arrays(), document.test_history.arrays())
        return self.write(path, "the loss history (CSV)", lambda: write_table(path, header, rows))

    def parameters(self, path: str | Path) -> bool:
        network = self.state.document.network
        return self.write(path, "the parameters (JSON)", lambda: write_parameters(path, network))

    def _probe(self) -> tuple[int, str]:
        """The sample and scope the Backprop panel shows (the middle sample if closed)."""
        sample = self.state.view.probe_sample
        if sample is None:
            sample = middle_sample(self.state.document.training_data()[0].size)
        return sample, self.state.view.probe_scope

    def backprop(self, path: str | Path, options: FigureOptions) -> bool:
        sample, scope = self._probe()
        if Path(path).suffix.lower() == ".svg":
            options = replace(options, scale=1.0)
        return self.write(
            path,
            f"the backprop graph of sample {sample}",
            lambda: write_backprop(self.state, path, sample, scope, options),
        )

    def gradients(self, path: str | Path) -> bool:
        sample, scope = self._probe()
        rate = self.state.document.session.optimizer.learning_rate
        return self.write(
            path,
            "the gradient table (CSV)",
            lambda: write_gradients(self.state, path, sample, scope, rate),
        )

    def animation(
        self, path: str | Path, frames: int, steps: int, fps: float, options: FigureOptions
    ) -> bool:
        """Record with a progress dialog that can cancel (then nothing is written)."""
        # Here, not at the top: Pillow costs ~80 ms of start-up for a rare command.
        from uat_explorer.export.animation import record_fit, write_gif

        progress = QProgressDialog(
            "Recording the training animation…", "Cancel", 0, frames, self.window
        )
        progress.setObjectName("animationProgress")
        progress.setWindowModality(Qt.WindowModality.WindowModal)
        progress.setMinimumDuration(300)

        def step(done: int, total: int) -> bool:
            progress.setValue(done)
            QApplication.processEvents()
            return not progress.wasCanceled()

        try:
            recording = record_fit(self.state.document.session, frames, steps, options, step)
        except InputError as error:
            self.failed.emit(str(error))
            return False
        finally:
            progress.close()
        if recording is None:
            self.done.emit("Recording cancelled: nothing was written")
            return False
        return self.write(
            path,
            f"a {len(recording.images)}-frame animation",
            lambda: write_gif(recording.images, path, fps),
        )
