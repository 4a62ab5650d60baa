"""Mini-batches and epochs: the schedule, the trainer, the command line."""

from __future__ import annotations

import json

import pytest

from uat_explorer.cli import main


def test_cli_fit_batch_size_reports_epochs(capsys):
    code = main(
        [
            "fit",
            "--target",
            "sin",
            "--samples",
            "100",
            "--neurons",
            "6",
            "--optimizer",
            "sgd",
            "--lr",
            "0.1",
            "--steps",
            "250",
            "--batch-size",
            "8",
            "--json",
        ]
    )
    assert code == 0
    result = json.loads(capsys.readouterr().out)
    assert result["batch_size"] == 8 and result["epochs"] == 250 * 8 / 100
    code = main(["fit", "--target", "sin", "--optimizer", "adam", "--steps", "10", "--json"])
    assert json.loads(capsys.readouterr().out)["epochs"] == 10


@pytest.mark.parametrize(
    "extra, says",
    [
        (["--optimizer", "lm", "--batch-size", "10"], "full batch only"),
        (["--optimizer", "sgd", "--batch-size", "0"], "between 1 and"),
        (["--optimizer", "sgd", "--batch-size", "5000"], "between 1 and"),
    ],
)
def test_cli_fit_refuses_bad_batch_sizes(capsys, extra, says):
    assert main(["fit", "--target", "sin", "--steps", "5", *extra]) == 2
    assert says in capsys.readouterr().err
