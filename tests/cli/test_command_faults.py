"""Issue 18: the commands attacked; each cause's regression test (F1–F13 and the minor
ones), failing before its fix."""

from __future__ import annotations

import json
import math
import subprocess
import sys

import numpy as np
import pytest

from uat_explorer.core import OptimizerSpec, Session, Target, random_network
from uat_explorer.core.io.session import MAX_STEPS
from uat_explorer.core.training.trainer import Trainer

CLI = [sys.executable, "-m", "uat_explorer"]


def strict_json(text: str) -> dict:
    """JSON as a strict parser reads it: NaN and Infinity are refused."""

    def refuse(constant: str) -> None:
        raise AssertionError(f"{constant} in the JSON")

    return json.loads(text, parse_constant=refuse)


def one_line_error(code: int, err: str, *words: str) -> None:
    assert code == 2, err
    assert len(err.strip().splitlines()) == 1, err
    for word in words:
        assert word in err, err


# -- F1: a continued run appends to the history it came from -------------------------------
def test_a_continued_fit_keeps_the_history_it_came_from(run_cli, tmp_path):
    path = tmp_path / "run.json"
    args = "--optimizer adam --batch-size 16 --samples 64"
    code, _, err = run_cli(f"fit --target sin --neurons 6 --steps 3000 {args} --session-out {path}")
    assert code == 0, err
    before = Session.load(path).history
    code, _, err = run_cli(f"fit --session-in {path} --steps 100 --session-out {path}")
    assert code == 0, err
    after = Session.load(path)
    steps = after.history.loss.arrays()[0]
    assert after.step == 3100 and steps[0] == 0 and steps[-1] == 3099
    assert len(after.history.epochs) == len(before.epochs) + 100 * 16 // 64
    timeline = [int(s) for segment in after.history.timeline.segments for s in segment.steps]
    assert timeline[0] == 0 and timeline[-1] == 3099


# -- F2: what is saved reopens; what cannot be used is refused at open ---------------------
def test_a_history_past_the_step_is_refused_at_open_by_name(run_cli, tmp_path):
    path = tmp_path / "run.json"
    run_cli(f"fit --target sin --neurons 4 --optimizer adam --steps 300 --session-out {path}")
    data = json.loads(path.read_text())
    data["step"] = 100
    path.write_text(json.dumps(data))
    code, _, err = run_cli(f"fit --session-in {path} --steps 10")
    one_line_error(code, err, "history.loss.steps", "past the session's step 100")


def test_a_save_that_would_not_reopen_is_refused_and_the_old_file_stays(tmp_path):
    session = Session(
        network=random_network(["sigmoid"] * 2, (-1, 1), 0),
        target=Target.preset("abs"),
        domain=(-1, 1),
    )
    path = tmp_path / "s.json"
    session.save(path)
    old = path.read_bytes()
    session.history.loss.extend(0, np.ones(50))  # a history of 50 steps at step 0
    from uat_explorer.core import SessionError

    with pytest.raises(SessionError, match="past the session's step 0"):
        session.save(path)
    assert path.read_bytes() == old


def test_training_stops_at_the_most_steps_a_session_holds_and_the_file_reopens(run_cli, tmp_path):
    path = tmp_path / "near.json"
    session = Session(
        network=random_network(["sigmoid"] * 3, (-1, 1), 0),
        target=Target.preset("abs"),
        domain=(-1, 1),
        step=MAX_STEPS - 40,
    )
    session.save(path)
    code, out, err = run_cli(f"fit --session-in {path} --steps 100 --session-out {path} --json")
    assert code == 0, err
    assert strict_json(out)["total_steps"] == MAX_STEPS
    assert Session.load(path).step == MAX_STEPS
    trainer = Session.load(path).trainer()
    report = trainer.run(10)
    assert report.steps_run == 0 and "the most a session holds" in (report.stopped or "")


# -- F3: outputs checked before the work; a failed command leaves nothing -----------------
def test_an_output_folder_that_does_not_exist_is_refused_before_training(
    run_cli, tmp_path, monkeypatch
):
    monkeypatch.setattr(Trainer, "run", lambda *a, **k: pytest.fail("it trained first"))
    code, _, err = run_cli(
        "fit --target sin --steps 200000 --batch-size 16 --session-out /nonexistent/run.json"
    )
    one_line_error(code, err, "/nonexistent", "does not exist")
    code, _, err = run_cli(
        f"fit --target sin --steps 5 --session-out {tmp_path}/a.json --export-csv {tmp_path}/a.json"
    )
    one_line_error(code, err, "name the same file")
    code, _, err = run_cli("fit", "--target", "sin", "--steps", "5", "--session-out", "")
    one_line_error(code, err, "--session-out needs a file name")


@pytest.mark.parametrize("command", ["fit --target sin --steps 20", "construct --target sin"])
def test_when_a_later_output_fails_the_earlier_ones_are_not_left_behind(
    run_cli, tmp_path, monkeypatch, command
):
    import uat_explorer.export.figures as figures

    def broken(image, path):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(figures, "write_png", broken)
    outputs = {name: tmp_path / name for name in ("s.json", "c.csv", "p.json", "f.png")}
    code, _, err = run_cli(
        f"{command} --session-out {outputs['s.json']} --export-csv {outputs['c.csv']}"
        f" --export-params {outputs['p.json']} --export-png {outputs['f.png']}"
    )
    one_line_error(code, err, "No space left")
    assert list(tmp_path.iterdir()) == []  # neither the files nor their temporaries


def test_ctrl_c_during_a_long_fit_saves_what_was_trained(run_cli, tmp_path, monkeypatch):
    real = Trainer.run
    calls = []

    def interrupted(self, steps, seconds=None):
        calls.append(steps)
        if len(calls) == 4:
            raise KeyboardInterrupt
        return real(self, min(steps, 50), seconds)

    monkeypatch.setattr(Trainer, "run", interrupted)
    path = tmp_path / "run.json"
    code, _, err = run_cli(f"fit --target sin --optimizer adam --steps 100000 --session-out {path}")
    assert code == 130 and "interrupted after 100 of 100000 steps" in err, err
    saved = Session.load(path)
    assert saved.step == 100 and saved.history.loss.arrays()[0][-1] == 99


# -- F4 and F5: damaged or oversized histories are refused by name -------------------------
def _saved_run(tmp_path):
    path = tmp_path / "run.json"
    Session(
        network=random_network(["sigmoid"] * 3, (-1, 1), 0),
        target=Target.preset("abs"),
        domain=(-1, 1),
    ).save(path)
    trainer = Session.load(path).trainer(record=True)
    report = trainer.run(300)
    session = Session.load(path)
    session.network, session.step = trainer.network, trainer.step
    session.history.record(0, report.losses, report.epoch_losses, report.timeline)
    session.save(path)
    return path, json.loads(path.read_text())


def _segment(data):
    return data["history"]["timeline"]["segments"][0]


def _empty_segment() -> dict:
    """A layout with no rows: what 140,000 of make a 19 MB file."""
    empty = {"steps": "", "weights": "", "gradients": "", "activity": ""}
    return {"activations": ["sigmoid"], "muted": [False], "batch": 0} | empty


@pytest.mark.parametrize(
    ("damage", "field"),
    [
        (
            lambda d: _segment(d).update(weights=_segment(d)["gradients"][:-16]),
            "segments[0].weights",
        ),
        (lambda d: d["history"]["timeline"].update(stride=10**30), "timeline.stride"),
        (lambda d: d["history"]["loss"].update(stride=10**30), "history.loss.stride"),
        (lambda d: d["history"]["loss"].update(stride=True), "history.loss.stride"),
        (lambda d: _segment(d).update(activations=["foo"] * 3), "segments[0].activations[0]"),
        (lambda d: _segment(d).update(batch=10**30), "segments[0].batch"),
        (lambda d: _segment(d).update(batch=True), "segments[0].batch"),
        (lambda d: d.update(version=True), "version"),
        (
            lambda d: _segment(d).update(
                activations=["sigmoid"] * 300_000, muted=[False] * 300_000
            ),
            "segments[0].activations has 300000 entries; the limit is 256",
        ),
        (
            lambda d: d["history"]["timeline"].update(segments=[_empty_segment()] * 140_000),
            "timeline.segments has 140000 entries; the limit is 4,096",
        ),
    ],
)
def test_a_damaged_history_is_the_session_error_naming_its_field(run_cli, tmp_path, damage, field):
    path, data = _saved_run(tmp_path)
    damage(data)
    path.write_text(json.dumps(data))
    code, _, err = run_cli(f"fit --session-in {path} --steps 0 --json")
    one_line_error(code, err, field)


# -- F6: a huge step budget is a message, not an allocation --------------------------------
def test_a_huge_step_budget_is_refused_and_never_allocated(run_cli):
    code, _, err = run_cli("fit --target sin --steps 1000000000000")
    one_line_error(code, err, "--steps", "at most 10,000,000")
    x, t = Target.preset("sin").samples((-3, 3), 50)
    trainer = Trainer(random_network(["sigmoid"] * 4, (-3, 3), 0), x, t)
    report = trainer.run(10**12, seconds=0.05)  # a request, not an allocation
    assert 0 < report.steps_run < 10**6


# -- F7, F9, F10: construct refuses what it cannot do, and combinations that do nothing ---
@pytest.mark.parametrize(
    ("command", "words"),
    [
        ("construct --target sin --mode sigmoids --steepness 1e308 --sweep 1 8", ["--steepness"]),
        ("construct --target sin --mode sigmoids --steepness 1e308 --epsilon 0.1", ["--steepness"]),
        ("construct --target sin --mode sigmoids --steepness 1e-320 --neurons 10", ["--steepness"]),
        ("construct --target 1/x --domain -1 1 --sweep 1 4", ["not finite"]),
        ("construct --target sin --sweep 1 8 --export-svg f.svg", ["--export-svg", "--sweep"]),
        ("construct --target sin --sweep 1 8 --export-params p.json", ["--export-params"]),
        ("construct --target sin --sweep 1 8 --session-out s.json", ["--session-out"]),
        ("construct --target sin --sweep 1 8 --export-gif g.gif", ["--export-gif"]),
        ("construct --target sin --sweep 1 8 --epsilon 0.1", ["--epsilon", "--sweep"]),
        ("construct --target sin --steepness 2", ["--steepness", "--mode sigmoids"]),
        ("construct --target sin --sweep 1 1 --mode bumps", ["pairs", "no even count"]),
    ],
)
def test_construct_refuses_in_one_line(run_cli, tmp_path, monkeypatch, command, words):
    monkeypatch.chdir(tmp_path)
    code, _, err = run_cli(command + " --json")
    one_line_error(code, err, *words)
    assert list(tmp_path.iterdir()) == []


# -- F8: ranges whose width or losses are not finite; never NaN in JSON ---------------------
def test_a_landscape_over_ranges_that_overflow_is_refused(run_cli, session_file, tmp_path):
    csv = tmp_path / "grid.csv"
    code, _, err = run_cli(
        f"landscape --session {session_file} --params v1 v2 --range -1e308 1e308 -1e308 1e308"
        f" --json --export-csv {csv}"
    )
    one_line_error(code, err, "within ±1e+30")
    assert not csv.exists()


def test_json_never_holds_nan_or_infinity(run_cli, session_file):
    code, out, err = run_cli(f"compare --session {session_file} --optimizer sgd --lr 1000 --json")
    assert code == 0, err
    run = strict_json(out)["runs"][0]
    assert run["diverged_step"] is not None


# -- F13: long commands show progress, honour the batch size, and refuse the impossible ----
def test_compare_honours_the_sessions_batch_size(run_cli, tmp_path):
    path = tmp_path / "batches.json"
    session = Session(
        network=random_network(["sigmoid"] * 4, (-3, 3), 1),
        target=Target.preset("sin"),
        domain=(-3, 3),
        samples=100,
        batch_size=10,
        seed=4,
        optimizer=OptimizerSpec("sgd", 0.1),
    )
    session.save(path)
    code, out, err = run_cli(
        f"compare --session {path} --optimizer sgd --lr 0.1 --steps 200 --json"
    )
    assert code == 0, err
    trainer = session.trainer()
    trainer.stop = trainer.stop.__class__(max_steps=200)
    assert strict_json(out)["runs"][0]["final_loss"] == pytest.approx(trainer.run(200).loss)


@pytest.mark.parametrize(
    "command",
    [
        "compare --session {s} --steps 2000000",
        "landscape --session {s} --params w1 b1 --grid 1000",
    ],
)
def test_a_job_beyond_what_can_finish_is_refused_with_its_estimate(
    run_cli, session_file, monkeypatch, command
):
    monkeypatch.setattr("uat_explorer.cli.common.MAX_JOB_SECONDS", 1e-6)
    code, _, err = run_cli(command.format(s=session_file))
    one_line_error(code, err, "would take about", "the limit is")


def test_long_commands_show_progress(run_cli, session_file, monkeypatch):
    import uat_explorer.cli.common as common

    class Eager(common.ProgressLine):
        def __init__(self, after: float = 0.0) -> None:
            super().__init__(0.0)
            self.last = -math.inf

    monkeypatch.setattr(common, "ProgressLine", Eager)
    monkeypatch.setattr("uat_explorer.cli.race_command.ProgressLine", Eager)
    code, _, err = run_cli(f"compare --session {session_file} --steps 3000")
    assert code == 0 and "compare: run" in err, err
    code, _, err = run_cli(f"landscape --session {session_file} --params w1 b1 --grid 60")
    assert code == 0 and "landscape: row" in err, err


# -- the minor ones ------------------------------------------------------------------------
def test_negative_numbers_in_scientific_notation_are_numbers(run_cli, session_file):
    code, out, err = run_cli(
        f"landscape --session {session_file} --params v1 --range -1e-3 1e-3 --grid 5 --json"
    )
    assert code == 0, err
    assert strict_json(out)["ranges"] == [[-1e-3, 1e-3]]


@pytest.mark.parametrize(
    ("command", "words"),
    [
        ("fit --target sin --stop-mse inf", ["--stop-mse", "finite"]),
        ("compare --session {s} --lr 1e-320", ["learning rate", "1e-10"]),
    ],
)
def test_minor_refusals_say_what_is_wrong(run_cli, session_file, command, words):
    code, _, err = run_cli(command.format(s=session_file))
    one_line_error(code, err, *words)


def test_no_command_line_message_tells_a_person_to_undo(tmp_path):
    path = tmp_path / "huge.json"
    session = Session(
        network=random_network(["sigmoid"], (-1, 1), 0), target=Target.preset("abs"), domain=(-1, 1)
    )
    data = session.to_dict()
    data["network"]["neurons"][0]["w"] = 1e35
    path.write_text(json.dumps(data))
    done = subprocess.run(
        [*CLI, "fit", "--session-in", str(path)], capture_output=True, text=True, timeout=60
    )
    assert done.returncode == 2 and "undo" not in done.stderr.lower(), done.stderr


def test_a_number_of_thousands_of_digits_is_refused_in_plain_words(tmp_path, run_cli):
    path = tmp_path / "digits.json"
    path.write_text('{"app": "uat-explorer", "version": 2, "seed": ' + "9" * 5000 + "}")
    code, _, err = run_cli(f"fit --session-in {path} --steps 0")
    one_line_error(code, err, "thousands of digits")
    assert "set_int_max_str_digits" not in err


def run_command(*words: str) -> subprocess.CompletedProcess:
    return subprocess.run([*CLI, *words], capture_output=True, text=True, timeout=120)


def test_extreme_inputs_leak_no_warnings_and_a_render_prints_nothing_on_stderr(tmp_path):
    blown = run_command("fit", "--target", "sin", "--optimizer", "sgd", "--lr", "1000", "--json")
    assert blown.returncode == 0 and "Warning" not in blown.stderr, blown.stderr
    session = tmp_path / "s.json"
    made = run_command("fit", "--target", "sin", "--steps", "50", "--session-out", str(session))
    assert made.returncode == 0 and made.stderr == "", made.stderr
    drawn = run_command(
        "render",
        "--session",
        str(session),
        "--export-png",
        str(tmp_path / "f.png"),
        "--timeline-png",
        str(tmp_path / "t.png"),
    )
    assert drawn.returncode == 0 and drawn.stderr == "", drawn.stderr
