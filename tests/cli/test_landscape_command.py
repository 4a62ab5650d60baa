"""The loss landscape: the numbers (core), the panel (window) and the command line."""

from __future__ import annotations

import json

import pytest
from helpers import rows_of

from uat_explorer.cli import main
from uat_explorer.core import Network, random_network


def net6() -> Network:
    return random_network(["sigmoid", "tanh", "relu", "sigmoid", "tanh", "relu"], (-3, 3), 2)


def test_cli_landscape_writes_the_grid(capsys, session_file, tmp_path):
    out = tmp_path / "grid.csv"
    code = main(
        [
            "landscape",
            "--session",
            str(session_file),
            "--params",
            "v1",
            "v2",
            "--grid",
            "11",
            "--range",
            "-1",
            "1",
            "-2",
            "2",
            "--export-csv",
            str(out),
            "--json",
        ]
    )
    assert code == 0
    result = json.loads(capsys.readouterr().out)
    rows = rows_of(out)
    assert rows[0] == ["v1", "v2", "loss"] and len(rows) == 1 + 121
    assert [float(v) for v in rows[1]][:2] == [-1.0, -2.0]
    assert result["lowest_loss"] == pytest.approx(min(float(r[2]) for r in rows[1:]))


def test_cli_landscape_one_parameter_is_a_slice(capsys, session_file, tmp_path):
    out = tmp_path / "slice.csv"
    assert (
        main(
            ["landscape", "--session", str(session_file), "--params", "c", "--export-csv", str(out)]
        )
        == 0
    )
    rows = rows_of(out)
    assert rows[0] == ["c", "loss"] and len(rows) == 102


@pytest.mark.parametrize(
    "extra, says",
    [
        (["--params", "v9"], "unknown parameter 'v9'"),
        (["--params", "v1", "--range", "2", "1"], "the first smaller"),
        (["--params", "v1", "--grid", "0"], "2 to 1000"),
        (["--params", "v1", "--grid", "1001"], "2 to 1000"),
        (["--params", "v1", "v1"], "two different"),
        (["--params", "v1", "v2", "c"], "one or two"),
    ],
)
def test_cli_landscape_refuses_bad_input_in_one_line(capsys, session_file, extra, says):
    assert main(["landscape", "--session", str(session_file), *extra]) == 2
    err = capsys.readouterr().err
    assert says in err and err.count("\n") == 1
