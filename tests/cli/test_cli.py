"""The headless command line: exit codes, JSON output, sessions in and out."""

import json
import subprocess
import sys

import pytest

from uat_explorer.core import Session


def test_fit_json_has_the_promised_keys(run_cli):
    code, out, err = run_cli("fit", "--target", "sin", "--neurons", "8", "--steps", "200", "--json")
    assert code == 0, err
    result = json.loads(out)
    for key in ("steps", "mse", "max_abs_error", "seconds", "diverged"):
        assert key in result
    assert result["diverged"] is False and result["steps"] <= 200
    assert result["mse"] < 1e-3 and result["optimizer"] == "lm"
    assert result["message"] == ""  # running the steps asked for is not news


def test_fit_stops_at_the_requested_mse(run_cli):
    code, out, _ = run_cli(
        "fit",
        "--target",
        "sines",
        "--neurons",
        "16",
        "--stop-mse",
        "1e-4",
        "--steps",
        "5000",
        "--json",
    )
    result = json.loads(out)
    assert code == 0 and result["mse"] <= 1e-4 and result["steps"] < 5000
    assert result["message"] == "stopped early: loss ≤ 0.0001"


def test_steps_zero_only_evaluates(run_cli):
    code, out, _ = run_cli("fit", "--target", "x**2", "--steps", "0", "--json")
    result = json.loads(out)
    assert code == 0 and result["steps"] == 0 and result["mse"] > 0


def test_human_summary(run_cli):
    code, out, _ = run_cli("fit", "--target", "abs(x)", "--domain", "-1", "1", "--steps", "50")
    assert code == 0
    assert "target      abs(x) on [-1, 1]" in out and "R²" in out


def test_session_out_then_in_continues_and_flags_override(run_cli, tmp_path):
    path = tmp_path / "s.json"
    run_cli(
        "fit",
        "--target",
        "cubic",
        "--neurons",
        "6",
        "--steps",
        "30",
        "--optimizer",
        "adam",
        "--session-out",
        str(path),
    )
    saved = Session.load(path)
    assert saved.step == 30 and saved.network.size == 6 and saved.optimizer.name == "adam"
    code, out, _ = run_cli("fit", "--session-in", str(path), "--steps", "20", "--json")
    result = json.loads(out)
    assert code == 0 and result["total_steps"] == 50 and result["optimizer"] == "adam"
    assert result["target"] == "x**3 - x"
    code, out, _ = run_cli(
        "fit",
        "--session-in",
        str(path),
        "--optimizer",
        "lm",
        "--samples",
        "99",
        "--steps",
        "5",
        "--json",
    )
    result = json.loads(out)
    assert result["optimizer"] == "lm" and result["samples"] == 99 and result["total_steps"] == 35


def test_fit_csv_data(run_cli, tmp_path):
    data = tmp_path / "pts.csv"
    data.write_text("x,y\n" + "\n".join(f"{i / 10},{(i / 10) ** 2}" for i in range(-10, 11)))
    code, out, _ = run_cli("fit", "--data", str(data), "--neurons", "8", "--json")
    result = json.loads(out)
    assert code == 0 and result["samples"] == 21 and result["mse"] < 1e-3  # the points given
    assert result["domain"] == [-1.0, 1.0] and "21 points" in result["target"]


def test_divergence_is_reported_not_crashed(run_cli):
    code, out, err = run_cli(
        "fit",
        "--target",
        "sin",
        "--optimizer",
        "sgd",
        "--lr",
        "100",
        "--steps",
        "500",
        "--json",
    )
    result = json.loads(out)
    assert code == 0 and result["diverged"] is True
    assert "too high" in result["message"] and "diverged" in err


def test_construct_json_has_the_same_keys(run_cli):
    errors = []
    for n in (4, 16, 64):
        code, out, _ = run_cli("construct", "--target", "sin", "--neurons", str(n), "--json")
        assert code == 0
        result = json.loads(out)
        assert {"steps", "mse", "max_abs_error", "seconds", "diverged"} <= result.keys()
        errors.append(result["max_abs_error"])
    assert errors[0] > errors[1] > errors[2]


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["fit"], "say what to fit"),
        (["fit", "--target", "os.system('x')"], "attribute access"),
        (["fit", "--target", "log(x)", "--domain", "-1", "1"], "NaN at x = -1"),
        (["fit", "--target", "sin", "--neurons", "100000"], "--neurons must be between 1 and 256"),
        (["fit", "--target", "sin", "--lr", "-1"], "learning rate must be"),
        (["fit", "--target", "sin", "--domain", "2", "1"], "must be less than"),
        (["fit", "--target", "sin", "--samples", "1"], "between 2 and 20000"),
        (["fit", "--target", "sin", "--steps", "-5"], "--steps must be 0 or more"),
        (["fit", "--data", "/nonexistent/file.csv"], "cannot read"),
        (["fit", "--session-in", "/nonexistent/s.json"], "cannot read"),
        (["fit", "--target", "sin", "--session-out", "/nonexistent/dir/s.json"], "cannot write"),
        (["construct", "--target", "sin", "--mode", "bumps", "--neurons", "3"], "even number"),
        (["fit", "--target", "sin", "--optimizer", "rmsprop"], "invalid choice"),
        (["fit", "--target", "sin", "--neurons", "many"], "invalid int value"),
    ],
)
def test_bad_input_exits_2_with_one_line(run_cli, args, message):
    code, out, err = run_cli(*args)
    assert code == 2
    assert message in err
    assert err.count("\n") == 1 and out == ""


def test_real_entry_point_and_module(tmp_path):
    for command in (["uat-explorer"], [sys.executable, "-m", "uat_explorer"]):
        exe = command[0]
        if exe == "uat-explorer":
            exe = str(__import__("pathlib").Path(sys.executable).with_name("uat-explorer"))
        done = subprocess.run(
            [exe, *command[1:], "fit", "--target", "sin", "--steps", "10", "--json"],
            capture_output=True,
            text=True,
            timeout=60,
        )
        assert done.returncode == 0, done.stderr
        assert json.loads(done.stdout)["steps"] == 10
    bad = subprocess.run(
        [sys.executable, "-m", "uat_explorer", "fit", "--target", "zzz"],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert bad.returncode == 2 and "unknown name 'zzz'" in bad.stderr


def test_progress_line_for_long_fits(run_cli, monkeypatch):
    monkeypatch.setattr("uat_explorer.cli.fit_command.PROGRESS_AFTER", 0.0)
    code, _, err = run_cli("fit", "--target", "sin", "--optimizer", "adam", "--steps", "3000")
    assert code == 0 and "fit: step" in err
