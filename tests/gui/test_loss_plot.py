"""The loss plot shows what the document holds, always, and its figures are slides: a
legend, the loss's name on the axis, an x range that ends at the data, epochs on x."""

from __future__ import annotations

import numpy as np
import pytest

from uat_explorer.export.figures import FigureOptions, loss_figure


def train_steps(window, chunks: int = 3) -> None:
    for _ in range(chunks):
        window.training.step()  # ten steps a chunk
        assert window.training.wait_until_idle()


def drawn(window) -> np.ndarray:
    data = window.loss_plot.curve.xData
    return np.zeros(0) if data is None else data


def legend_names(plot) -> list[str]:
    return [label.text for _sample, label in plot.legend.items]


def shows(qtbot, window, points: int) -> None:
    """The plot redraws at most ten times a second: wait for it to show ``points``."""
    qtbot.waitUntil(lambda: drawn(window).size == points, timeout=2000)
    assert window.loss_plot.hint.isVisible() == (points == 0)


def test_opening_a_trained_session_draws_its_curve(qtbot, window, tmp_path):
    train_steps(window)
    path = tmp_path / "trained.json"
    assert window.save_path(str(path))
    window.files.new()
    shows(qtbot, window, 0)
    assert window.open_path(str(path))
    assert window.state.document.step == 30
    shows(qtbot, window, 30)


def test_new_and_an_example_clear_the_old_curve(qtbot, window):
    train_steps(window)
    shows(qtbot, window, 30)
    window.load_example(window.examples_menu.actions()[0].objectName().removeprefix("example-"))
    assert window.state.document.step == 0
    shows(qtbot, window, 0)
    train_steps(window, 1)
    shows(qtbot, window, 10)
    window.files.new()
    shows(qtbot, window, 0)


@pytest.mark.parametrize(("loss", "name"), [("mse", "MSE"), ("mae", "MAE"), ("huber", "Huber")])
def test_the_axis_names_the_loss(window, loss, name):
    window.state.editor.update_settings(loss=loss)
    window.loss_plot.refresh()
    assert window.loss_plot.getAxis("left").labelText == f"training loss ({name})"


def test_the_legend_lists_the_series_drawn_and_nothing_before(window):
    plot = window.loss_plot
    assert legend_names(plot) == [] and not plot.legend.isVisible()
    train_steps(window, 1)
    plot.refresh()
    assert legend_names(plot) == ["training loss"]
    window.state.editor.update_settings(batch_size=16)
    train_steps(window, 4)
    plot.refresh()
    assert legend_names(plot) == ["loss at each step", "loss per epoch (all samples)"]


def test_a_loss_figure_ends_at_the_data_and_keeps_the_legend(window):
    train_steps(window)
    with loss_figure(window.state, FigureOptions(900, 320)) as plot:
        x_range = plot.viewRange()[0]
        assert x_range[1] == pytest.approx(29, rel=0.03)  # the last step is 29
        assert legend_names(plot) == ["training loss"]
        assert plot.getAxis("left").labelText == "training loss (MSE)"


def test_epochs_on_the_x_axis(window):
    window.state.editor.update_settings(batch_size=50)  # 200 samples: 4 steps an epoch
    train_steps(window, 2)
    schedule = window.state.document.batch_schedule()
    assert schedule is not None and schedule.batches_per_epoch == 4
    window.toggles["loss"]["in_epochs"].setChecked(True)
    plot = window.loss_plot
    plot.refresh()
    assert plot.getAxis("bottom").labelText == "epoch"
    assert drawn(window)[-1] == pytest.approx(19 / 4)
    with loss_figure(window.state, FigureOptions(900, 320)) as figure:
        assert figure.viewRange()[0][1] == pytest.approx(19 / 4, rel=0.03)
    window.toggles["loss"]["in_epochs"].setChecked(False)
    plot.refresh()
    assert drawn(window)[-1] == 19


def test_a_long_run_draws_a_high_and_a_low_every_two_pixels_and_keeps_its_spike(window):
    """10⁶ steps: the curve gets about as many vertices as the plot has pixel columns (a
    high and a low every two), and the one spike of the run is among them."""
    from uat_explorer.core.training.loss_history import LossHistory

    losses = np.full(1_000_000, 0.01)
    losses[2**18] = 5.0  # a step every thinning of the history keeps
    history = LossHistory()
    for first in range(0, losses.size, 10_000):
        history.extend(first, losses[first : first + 10_000])
    window.state.document.session.history.loss = history
    window.state.document.session.step = losses.size
    window.loss_plot.refresh()
    _, drawn_y = window.loss_plot.curve.getData()  # after downsampling: what is drawn
    columns = window.loss_plot.getViewBox().width()
    assert len(history) > 4 * columns
    assert drawn_y.size <= columns + 40
    assert np.isclose(drawn_y.max(), np.log10(5.0))


def test_thinning_keeps_each_runs_lowest_and_highest_point_every_second_run_reversed():
    from uat_explorer.plots.lines.thinning import peak_thinned

    x = np.arange(100_000, dtype=np.float64)
    y = np.sin(x / 500.0)
    y[12_345], y[67_890] = 9.0, -9.0
    kept_x, kept_y = peak_thinned(x, y, (0.0, x[-1]), 1000)  # 500 runs of 200 points
    assert kept_x.size == 2 * 500 + 2 and kept_x[0] == 0 and kept_x[-1] == x[-1]
    pairs = kept_y[1:-1].reshape(500, 2)  # each run's two points: down, up, down, …
    assert np.all(pairs[0::2, 0] <= pairs[0::2, 1]) and np.all(pairs[1::2, 0] >= pairs[1::2, 1])
    runs = y.reshape(500, 200)
    assert np.array_equal(np.sort(pairs, axis=1), np.stack([runs.min(1), runs.max(1)], 1))
    assert np.all(kept_x[1:-1].reshape(500, 2) // 200 == np.arange(500)[:, None])  # in turn
    assert {12_345.0, 67_890.0} <= set(kept_x.tolist())
    assert np.array_equal(kept_y, y[kept_x.astype(int)])
    in_view, _ = peak_thinned(x, y, (1000.0, 2000.0), 2000)
    assert in_view[0] == 999 and in_view[-1] == 2001  # one more each side of the view
    assert peak_thinned(x, y, (0.0, x[-1]), 2)[0].size == x.size  # not laid out yet


def test_thinning_buckets_span_only_the_columns_the_points_cover():
    """A growing view ends well past the data: 500 buckets over half the plot's 1000
    columns would be one a column, not one every two."""
    from uat_explorer.plots.lines.thinning import peak_thinned

    x = np.arange(100_000, dtype=np.float64)
    kept_x, _ = peak_thinned(x, np.sin(x / 500.0), (0.0, 2 * x[-1]), 1000)
    assert kept_x.size == 2 * 250 + 2
