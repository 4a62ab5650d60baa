"""fit with noise, test points, weight decay and early stopping: its flags, its JSON, the
split column of its CSV, and its refusals; compare's test loss."""

from __future__ import annotations

import json
import math

import numpy as np
import pytest
from helpers import rows_of

from uat_explorer.core import Network, Neuron, Session

OVERFIT = (
    "fit --target sin --samples 30 --noise 0.2 --test-fraction 0.33 --neurons 16"
    " --optimizer adam --steps 600 --seed 1 --json"
)


def fit_json(run_cli, words: str) -> dict:
    code, out, err = run_cli(words)
    assert code == 0, err
    return json.loads(out)


def test_without_test_points_the_test_fields_are_null(run_cli):
    result = fit_json(run_cli, "fit --target sin --neurons 4 --steps 20 --json")
    assert result["train_loss"] == result["loss"] and result["train_mse"] == result["mse"]
    for key in ("test_loss", "test_mse", "best_test_step", "best_test_loss"):
        assert result[key] is None
    assert result["test_samples"] == 0 and result["noise"] == 0.0
    assert result["true_error"] == pytest.approx(result["mse"], rel=0.2)  # no noise: close


def test_held_out_points_are_reported_and_never_trained_on(run_cli):
    result = fit_json(run_cli, OVERFIT)
    assert result["samples"] == 20 and result["test_samples"] == 10
    assert result["test_mse"] > result["train_mse"]
    assert 0 <= result["best_test_step"] < 600 and result["best_test_loss"] <= result["test_loss"]
    assert result["test_split"] == "random" and result["weight_decay"] == 0.0


def test_test_mse_is_that_of_the_exported_parameters_on_the_exported_test_points(run_cli, tmp_path):
    csv, params = tmp_path / "curves.csv", tmp_path / "params.json"
    result = fit_json(run_cli, f"{OVERFIT} --export-csv {csv} --export-params {params}")
    header, *rows = rows_of(csv)
    assert header[-2:] == ["sample", "split"]
    kinds = [row[-1] for row in rows]
    assert kinds.count("curve") == 1000 and kinds.count("train") == 20
    test = [row for row in rows if row[-1] == "test"]
    assert len(test) == 10
    saved = json.loads(params.read_text())
    network = Network.from_neurons(
        [Neuron(n["activation"], n["w"], n["b"], n["v"], n["muted"]) for n in saved["neurons"]],
        saved["c"],
    )
    x = np.array([float(row[0]) for row in test])
    t = np.array([float(row[-2]) for row in test])
    assert float(np.mean((network(x) - t) ** 2)) == pytest.approx(result["test_mse"], rel=1e-7)
    sample_rows = [row for row in rows if row[-1] != "curve"]
    clean = np.array([float(row[1]) for row in sample_rows])
    np.testing.assert_allclose(clean, np.sin([float(row[0]) for row in sample_rows]), atol=1e-9)


def test_weight_decay_and_early_stopping_keep_the_test_loss_low(run_cli):
    steps = OVERFIT.replace("--steps 600", "--steps 4000")
    plain = fit_json(run_cli, steps)
    decayed = fit_json(run_cli, f"{steps} --weight-decay 0.001")
    stopped = fit_json(run_cli, f"{steps} --early-stop 200 --restore-best-test")
    assert decayed["train_mse"] > plain["train_mse"]  # it no longer chases every point
    assert decayed["test_mse"] < plain["test_mse"] and decayed["true_error"] < plain["true_error"]
    assert stopped["total_steps"] < 4000 and stopped["message"].startswith("stopped early")
    assert f"the weights of step {stopped['best_test_step']:,}" in stopped["message"]
    assert stopped["test_loss"] == pytest.approx(stopped["best_test_loss"], rel=1e-5)
    assert stopped["early_stop"] == 200 and stopped["restore_best_test"] is True


def test_a_saved_session_keeps_the_samples_and_a_run_from_it_too(run_cli, tmp_path):
    path = tmp_path / "noisy.json"
    first = fit_json(
        run_cli, f"{OVERFIT} --test-split between --weight-decay 1e-4 --session-out {path}"
    )
    session = Session.load(path)
    assert (session.noise, session.test_fraction, session.test_mode) == (0.2, 0.33, "between")
    assert session.penalty.strength == 1e-4
    assert len(session.history.test) == 600
    again = fit_json(run_cli, f"fit --session-in {path} --steps 10 --json")
    assert again["test_samples"] == first["test_samples"] and again["weight_decay"] == 1e-4
    assert again["test_split"] == "between" and again["total_steps"] == 610


@pytest.mark.parametrize(
    ("flags", "message"),
    [
        ("--noise -0.5", "--noise must be a standard deviation ≥ 0"),
        ("--noise nan", "--noise must be a standard deviation ≥ 0"),
        ("--noise inf", "--noise must be a standard deviation ≥ 0"),
        ("--test-fraction 0.95", "the test fraction must be a number from 0 to 0.9"),
        ("--samples 10 --test-fraction 0.9", "leaves 1 to train on; at least 2 must train"),
        ("--weight-decay -1", "--weight-decay must be a number ≥ 0"),
        ("--weight-decay nan", "--weight-decay must be a number ≥ 0"),
        ("--early-stop 100", "hold out test points with --test-fraction"),
        ("--restore-best-test", "hold out test points with --test-fraction"),
        ("--test-fraction 0.2 --early-stop 0", "--early-stop must be 1 to"),
    ],
)
def test_bad_input_is_one_line_and_exit_2(run_cli, tmp_path, flags, message):
    out = tmp_path / "never.json"
    code, stdout, err = run_cli(f"fit --target sin --steps 5 {flags} --session-out {out}")
    assert code == 2 and stdout == ""
    assert message in err and err.count("\n") == 1
    assert not out.exists()  # nothing was written


def test_compare_reports_each_run_s_test_loss(run_cli, tmp_path):
    path = tmp_path / "noisy.json"
    fit_json(run_cli, f"{OVERFIT} --session-out {path}")
    code, out, err = run_cli(f"compare --session {path} --lr 0.01 0.1 --steps 50 --json")
    assert code == 0, err
    runs = json.loads(out)["runs"]
    assert all(math.isfinite(run["final_test_loss"]) for run in runs)


def test_figures_can_leave_the_neuron_curves_out(tmp_path):
    from uat_explorer.cli import build_parser
    from uat_explorer.cli.exports import figure_options

    args = build_parser().parse_args(["fit", "--target", "sin", "--no-neurons"])
    assert figure_options(args).components is False
    args = build_parser().parse_args(["fit", "--target", "sin"])
    assert figure_options(args).components is True
