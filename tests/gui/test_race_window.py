"""Learning rates raced: the runs (core), the window, and `uat-explorer compare`."""

from __future__ import annotations

import pytest
from helpers import rows_of
from PySide6.QtWidgets import QPushButton, QTableWidget

from uat_explorer.core.teaching.race import race, race_specs


def test_the_compare_window_races_fills_the_table_and_keeps_a_run(qtbot, sine_window):
    window = sine_window
    window.findChild(QPushButton, "compareButton").click()
    compare = window.compare_window
    assert compare.objectName() == "compareWindow" and compare.isVisible()
    assert [r.value() for r in compare.rates] == [0.001, 0.01, 0.1, 1.0]
    assert {c.currentData() for c in compare.optimizers} == {
        window.state.document.session.optimizer.name
    }
    compare.enabled[2].setChecked(False)
    compare.steps.setValue(400)
    compare.rates[3].setValue(50.0)
    for combo in compare.optimizers:
        combo.setCurrentIndex(combo.findData("sgd"))
    compare.findChild(QPushButton, "compareRunButton").click()
    qtbot.waitUntil(lambda: not compare.runner.running, timeout=20_000)
    table = compare.findChild(QTableWidget, "compareTable")
    assert table.rowCount() == 3
    cells = [[table.item(r, c).text() for c in range(2)] for r in range(3)]
    assert cells == [["SGD", "0.001"], ["SGD", "0.01"], ["SGD", "50"]]
    assert table.item(2, 4).text().startswith("diverged at step ")
    assert table.item(0, 3).text() == "never"
    assert float(table.item(1, 2).text()) == pytest.approx(
        compare.runner.runs[1].final_loss, rel=1e-3
    )
    headless = race(
        window.state.document.network,
        *window.state.document.training_data(),
        "mse",
        race_specs(["sgd"], [0.001]),
        400,
        compare.target.value(),
    )
    assert compare.runner.runs[0].final_loss == headless[0].final_loss
    table.selectRow(1)
    keep = compare.findChild(QPushButton, "compareKeepButton")
    assert keep.isEnabled()
    before = window.state.document.network.copy()
    keep.click()
    assert window.state.document.network == compare.runner.runs[1].network
    window.state.editor.undo_stack.undo()
    assert window.state.document.network == before


def test_the_comparison_exports_png_svg_and_csv(qtbot, sine_window, tmp_path):
    compare = sine_window.show_compare()
    compare.steps.setValue(100)
    compare.start()
    qtbot.waitUntil(lambda: not compare.runner.running, timeout=20_000)
    for kind in ("png", "svg", "csv"):
        assert compare.export.export(kind, str(tmp_path / f"c.{kind}"))
    rows = rows_of(tmp_path / "c.csv")
    assert rows[0][0] == "step" and len(rows[0]) == 5 and len(rows) == 101


def test_stop_ends_the_race_and_closing_leaves_no_process(qtbot, sine_window):
    compare = sine_window.show_compare()
    compare.steps.setValue(1_000_000)
    compare.start()
    qtbot.waitUntil(lambda: any(len(r.history) > 10 for r in compare.runner.runs), timeout=10_000)
    process = compare.runner.client.process
    compare.findChild(QPushButton, "compareRunButton").click()
    assert not compare.runner.running and compare.run.text() == "Run"
    qtbot.waitUntil(lambda: not process.alive(), timeout=3_000)  # ended off the GUI thread


# -- issue 19: the race window's choices, scale and animation ------------------------------
def test_the_race_window_keeps_its_choices(sine_window):
    from uat_explorer.core.io.view import read_view
    from uat_explorer.gui.panels.context import KeepsChoices

    compare = sine_window.show_compare()
    assert isinstance(compare, KeepsChoices) and compare.choice_key == "race"
    compare.enabled[1].setChecked(False)
    compare.optimizers[2].setCurrentIndex(compare.optimizers[2].findData("lm"))
    compare.rates[3].setValue(3.0)
    compare.steps.setValue(750)
    compare.target.setValue(2e-4)
    chosen = compare.choices()
    assert chosen["steps"] == 750 and chosen["target_loss"] == 2e-4
    assert [r["enabled"] for r in chosen["runs"]] == [True, False, True, True]
    assert chosen["runs"][2]["optimizer"] == "lm" and chosen["runs"][3]["lr"] == 3.0
    # what a session file keeps reads back as it was written
    assert read_view({"panels": {"race": chosen}}).choices["race"] == chosen
    compare.reset_configs()
    compare.enabled[1].setChecked(True)
    compare.steps.setValue(10)
    compare.restore_choices(chosen)
    assert compare.choices() == chosen
    assert not compare.rates[2].isEnabled()  # LM has no learning rate
    compare.restore_choices({"steps": 20})  # a key left out keeps what is shown
    assert compare.choices() == chosen | {"steps": 20}


def test_the_race_window_scales_its_plots(sine_window):
    from uat_explorer.gui.panels.context import Scales

    compare = sine_window.show_compare()
    assert isinstance(compare, Scales)
    compare.set_scale(2.0)
    assert compare.plot.text_scale == 2.0 and compare.plot.line_scale == 2.0
    assert all(fit.text_scale == 2.0 for fit in compare.fits)
    assert compare.plot.target.pen.widthF() == pytest.approx(2.4)


def test_the_race_exports_its_curves_growing(qtbot, sine_window, tmp_path):
    from PIL import Image

    from uat_explorer.export.figures import FigureOptions

    compare = sine_window.show_compare()
    labels = [a.text() for a in compare.export.menu().actions()]
    assert labels[-1] == "Animated GIF of the curves growing…"
    gif = tmp_path / "race.gif"
    assert not compare.export_gif(str(gif))  # nothing raced yet: said, nothing written
    assert "Run the race first" in compare.status.text() and not gif.exists()
    compare.steps.setValue(150)
    compare.start()
    qtbot.waitUntil(lambda: not compare.runner.running, timeout=20_000)
    assert compare.export_gif(str(gif), FigureOptions(320, 200))
    with Image.open(gif) as image:
        assert image.n_frames == 60 and image.size == (320, 200)


def test_opened_in_presentation_mode_the_race_is_drawn_at_its_scale(qtbot, sine_window):
    """Seen (merged with the window's presentation mode): a race window opened while
    presenting drew its legend, titles and lines at scale 1; only windows already open
    were told of the scale."""
    sine_window.state.view.set_presenting(True, 2.0)
    try:
        compare = sine_window.show_compare()
        assert compare.plot.text_scale == 2.0 and all(f.text_scale == 2.0 for f in compare.fits)
        compare.steps.setValue(50)
        compare.start()
        qtbot.waitUntil(lambda: not compare.runner.running, timeout=20_000)
        legend = compare.plot.getPlotItem().legend
        sizes = {label.opts.get("size") for _, label in legend.items}
        assert sizes == {"18.0pt"}
    finally:  # presentation mode scales the app's font: later tests need it back
        sine_window.state.view.set_presenting(False)
