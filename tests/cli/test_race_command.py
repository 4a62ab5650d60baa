"""Learning rates raced: the runs (core), the window, and `uat-explorer compare`."""

from __future__ import annotations

import json

from uat_explorer.cli import main
from uat_explorer.core import random_network


def net():
    return random_network(["sigmoid"] * 6, (-3, 3), 5)


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
