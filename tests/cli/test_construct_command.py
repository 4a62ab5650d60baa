"""The theorem, measured: the construction's error against N, for every ε an N (issue 12)."""

from __future__ import annotations

import json

import pytest


def test_cli_sweep_and_epsilon(run_cli):
    code, out, _ = run_cli("construct --target sin --sweep 1 64 --mode staircase --json")
    data = json.loads(out)
    assert code == 0 and [p["neurons"] for p in data["sweep"]] == list(range(1, 65))
    code, out, _ = run_cli("construct --target sin --epsilon 0.05 --mode staircase --json")
    result = json.loads(out)
    assert result["reached"] and result["max_abs_error"] <= 0.05
    code, out, _ = run_cli(
        f"construct --target sin --sweep {result['neurons'] - 1} {result['neurons'] - 1}"
        " --mode staircase --json",
    )
    assert json.loads(out)["sweep"][0]["max_abs_error"] > 0.05  # N − 1 misses


@pytest.mark.parametrize(
    "bad", ["--sweep 5 2", "--sweep 0 3", "--sweep 1 300", "--epsilon 0", "--epsilon -1"]
)
def test_cli_refuses_bad_ranges_in_one_line(run_cli, bad):
    code, _, err = run_cli(f"construct --target sin {bad}")
    assert code == 2 and len(err.strip().splitlines()) == 1


def test_epsilon_says_what_it_built_and_where_it_measured(run_cli):
    """Issue 19: the command said 126 where the window said 62, and neither said why (bumps
    here, a staircase there); the error is the construction's over the domain, so the
    samples (256 here, 200 in the window) no longer change the answer."""
    code, out, _ = run_cli("construct --target sin --epsilon 0.05")
    assert code == 0
    assert "N = 126 (63 bumps of two steps): max |error| 0.04985 over the domain ≤ ε = 0.05" in out
    code, out, _ = run_cli("construct --target sin --epsilon 0.05 --mode staircase --json")
    result = json.loads(out)
    assert result["neurons"] == 62 and result["mode"] == "staircase"
    assert result["max_abs_error_over_domain"] <= 0.05
    code, out, _ = run_cli("construct --target sin --epsilon 0.05 --samples 200 --json")
    assert json.loads(out)["neurons"] == 126


def test_a_square_wave_reaches_no_epsilon(run_cli):
    code, out, _ = run_cli("construct --target square --epsilon 0.05 --mode staircase --json")
    result = json.loads(out)
    assert code == 0 and result["reached"] is False
    assert result["max_abs_error_over_domain"] >= 1.0
