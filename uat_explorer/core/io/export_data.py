"""The numbers behind a figure, for a spreadsheet or a paper: tables and parameters."""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any

import numpy as np

from uat_explorer.core.files import atomic_write_text
from uat_explorer.core.io.session import Session
from uat_explorer.core.nn.formula import network_formula
from uat_explorer.core.nn.network import Network

CURVE_POINTS = 1000


def curves_table(
    session: Session, points: int = CURVE_POINTS
) -> tuple[list[str], np.ndarray | list[list[Any]]]:
    """Header and rows: x over the domain, the target, the output, and each neuron's
    contribution (muted ones are 0, as they are in the sum).

    With noise or held-out points the samples follow the curve's rows, each with its
    noisy value in a ``sample`` column and ``split`` train or test (the curve's rows
    say ``curve``), so the test points and the network can be checked in a spreadsheet."""
    header, columns = _curves(session, np.linspace(*session.domain, points))
    samples = session.sample_set()
    if not samples.altered:
        return header, columns
    _, at_samples = _curves(session, samples.x)
    split = np.where(samples.test, "test", "train")
    rows = [[*row, "", "curve"] for row in columns.tolist()]
    rows += [
        [*row, float(t), kind]
        for row, t, kind in zip(at_samples.tolist(), samples.t, split, strict=True)
    ]
    return [*header, "sample", "split"], rows


def _curves(session: Session, x: np.ndarray) -> tuple[list[str], np.ndarray]:
    output, parts = session.network.forward(x)
    names = [f"neuron_{j + 1}_{kind}" for j, kind in enumerate(session.network.activations)]
    columns = np.column_stack([x, session.target(x), output, *parts])
    return ["x", "target", "output", *names], columns


def loss_table(
    steps: np.ndarray, losses: np.ndarray, test: tuple[np.ndarray, np.ndarray] | None = None
) -> tuple[list[str], np.ndarray | list[list[Any]]]:
    """step, loss; with a test history (steps, losses) a test_loss column too ("" at a
    step it does not hold)."""
    if test is None or test[0].size == 0:
        return ["step", "loss"], np.column_stack([steps, losses])
    held = dict(zip(test[0].tolist(), test[1].tolist(), strict=True))
    rows = [[s, v, held.get(s, "")] for s, v in zip(steps.tolist(), losses.tolist(), strict=True)]
    return ["step", "loss", "test_loss"], rows


def parameters(network: Network) -> dict[str, Any]:
    """Every weight by name, each neuron's step position, and the formula."""
    positions = network.step_positions()
    return {
        "formula": network_formula(network),
        "c": network.c,
        "neurons": [
            {
                "activation": n.activation,
                "w": n.w,
                "b": n.b,
                "v": n.v,
                "muted": n.muted,
                "step_position": None if np.isnan(positions[j]) else float(positions[j]),
            }
            for j, n in enumerate(network.neurons())
        ],
    }


def write_table(path: str | Path, header: list[str], rows: Iterable[Sequence[Any]]) -> None:
    """CSV with a header row; integers stay integers, text stays text; written atomically."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(header)
    for row in rows:
        writer.writerow([_cell(value) for value in row])
    atomic_write_text(path, buffer.getvalue())


def write_parameters(path: str | Path, network: Network) -> None:
    atomic_write_text(path, json.dumps(parameters(network), indent=1, allow_nan=False) + "\n")


def _cell(value: Any) -> str:
    if isinstance(value, str):
        return value
    return str(int(value)) if float(value).is_integer() and abs(value) < 2**53 else f"{value:.10g}"
