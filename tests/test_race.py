"""Learning rates raced: the runs (core), the window, and `uat-explorer compare`."""

from __future__ import annotations

import json

import numpy as np
import pytest
from gui_helpers import rows_of
from PySide6.QtWidgets import QPushButton, QTableWidget

from uat_explorer.cli import main
from uat_explorer.core import OptimizerSpec, Session, StopRule, Target, Trainer, random_network
from uat_explorer.core.teaching.race import race, race_specs, race_table

X = np.linspace(-3, 3, 100)
T = np.sin(X)


def net():
    return random_network(["sigmoid"] * 6, (-3, 3), 5)


@pytest.mark.parametrize("spec", [OptimizerSpec("adam", 0.02), OptimizerSpec("lm")])
def test_a_race_of_one_is_exactly_a_plain_training_run(spec):
    [run] = race(net(), X, T, "mse", [spec], 300)
    trainer = Trainer(net(), X, T, "mse", spec, StopRule(max_steps=300))
    report = trainer.run(300)
    assert run.final_loss == report.loss and run.network == trainer.network
    _, losses = run.history.arrays()
    np.testing.assert_array_equal(losses[: report.losses.size], report.losses)


def test_too_big_a_rate_diverges_and_the_blow_up_stays_on_its_curve():
    small, big = race(net(), X, T, "mse", race_specs(["sgd"], [0.05, 30.0]), 500, 0.05)
    assert small.diverged_step is None and small.reached_step is not None
    assert big.diverged_step is not None and big.reached_step is None
    steps, losses = big.history.arrays()
    assert steps[-1] == big.diverged_step - 1 and losses[-1] > 1e6 * losses[0]


def test_reached_step_is_the_first_step_at_or_below_the_target():
    [run] = race(net(), X, T, "mse", [OptimizerSpec("adam", 0.05)], 400, 0.05)
    steps, losses = run.history.arrays()
    assert run.reached_step == steps[np.flatnonzero(losses <= 0.05)[0]]


def test_the_table_has_a_column_per_run_and_blanks_after_a_divergence():
    runs = race(net(), X, T, "mse", race_specs(["sgd"], [0.05, 30.0]), 50)
    header, rows = race_table(runs)
    assert header == ["step", "SGD, lr 0.05", "SGD, lr 30"]
    assert len(rows) == 50 and rows[-1][2] == ""


@pytest.mark.parametrize(
    "optimizers, rates, says",
    [
        (["sgd"], [], "at least one"),
        (["sgd"], [0.1] * 9, "at most 8"),
        (["sgd", "adam"], [0.1, 0.2, 0.3], "one per learning rate"),
        (["nope"], [0.1], "unknown optimizer"),
        (["sgd"], [-1.0], "learning rate"),
    ],
)
def test_bad_race_settings_are_refused(optimizers, rates, says):
    with pytest.raises(Exception, match=says):
        race_specs(optimizers, rates)


# -- the window -------------------------------------------------------------------------
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


# -- the command line -------------------------------------------------------------------
@pytest.fixture
def session_file(tmp_path):
    path = tmp_path / "s.json"
    Session(network=net(), target=Target.preset("sin"), domain=(-3, 3), samples=100).save(path)
    return path


def test_cli_compare_prints_one_json_object_per_the_issue(capsys, session_file, tmp_path):
    code = main(
        [
            "compare",
            "--session",
            str(session_file),
            "--lr",
            "0.001",
            "0.01",
            "0.1",
            "1",
            "--optimizer",
            "sgd",
            "--steps",
            "300",
            "--json",
            "--export-csv",
            str(tmp_path / "c.csv"),
            "--export-png",
            str(tmp_path / "c.png"),
        ]
    )
    assert code == 0
    result = json.loads(capsys.readouterr().out)
    assert [set(r) for r in result["runs"]] == [
        {"optimizer", "lr", "final_loss", "reached_step", "diverged_step"}
    ] * 4
    assert [r["lr"] for r in result["runs"]] == [0.001, 0.01, 0.1, 1.0]
    assert (tmp_path / "c.png").read_bytes()[:4] == b"\x89PNG"


def test_cli_compare_refuses_more_than_eight_runs(capsys, session_file):
    rates = [str(r) for r in range(1, 10)]
    assert main(["compare", "--session", str(session_file), "--lr", *rates]) == 2
    assert "at most 8 runs" in capsys.readouterr().err
