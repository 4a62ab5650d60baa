"""The numbers behind a class fit: each point's probabilities, and the parameters."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from uat_explorer.core.files import atomic_write_text
from uat_explorer.core.io.class_session import TASK, ClassSession, neuron_records
from uat_explorer.core.io.export_data import write_table


def class_table(session: ClassSession) -> tuple[list[str], list[list[str]]]:
    """Header x, label, p_<class>… and one row per training point. Numbers are written
    in full (repr), so probabilities recomputed from the parameters match to the last
    digit; labels and the header use the class names."""
    x, labels = session.training_data()
    p = session.network.probabilities(x)
    names = session.target.names
    header = ["x", "label", *(f"p_{name}" for name in names)]
    rows = [
        [repr(float(xi)), names[k], *(repr(float(value)) for value in row)]
        for xi, k, row in zip(x, labels, p, strict=True)
    ]
    return header, rows


def class_parameters(session: ClassSession) -> dict[str, Any]:
    """Every weight by name: each neuron's v and c as lists of one entry per logit (one
    for two classes, the logit of the second; K otherwise), and how they become p."""
    net = session.network
    return {
        "task": TASK,
        "classes": list(session.target.names),
        "output": "sigmoid" if net.c.size == 1 else "softmax",
        "c": net.c.tolist(),
        "neurons": neuron_records(net),
    }


def write_class_table(path: str | Path, session: ClassSession) -> None:
    write_table(path, *class_table(session))


def write_class_parameters(path: str | Path, session: ClassSession) -> None:
    text = json.dumps(class_parameters(session), indent=1, allow_nan=False) + "\n"
    atomic_write_text(path, text)
