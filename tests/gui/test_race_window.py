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
