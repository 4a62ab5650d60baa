"""Write a lesson file: the inverse of ``parser``, so a lesson made in the window (or by
a script) is a ``.lesson.md`` a teacher can read, edit and put on GitHub, and reading it
back gives the same lesson.

TOML has no writer in the standard library; the values a lesson holds are few (text,
numbers, true/false, lists and small tables), so they are written here.
"""

from __future__ import annotations

import json
import math
from pathlib import Path
from typing import Any

from uat_explorer.core.errors import InputError
from uat_explorer.core.files import atomic_write_bytes
from uat_explorer.core.io.session import Session
from uat_explorer.core.lessons.lesson import Change, Check, Lesson, Step


def toml_value(value: Any) -> str:
    """One TOML value (inline: lists and tables on one line)."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        if not math.isfinite(value):
            raise InputError(f"a lesson holds finite numbers only, not {value}")
        return repr(value)
    if isinstance(value, str):
        return json.dumps(value, ensure_ascii=False)  # a TOML basic string
    if isinstance(value, list | tuple):
        return "[" + ", ".join(toml_value(v) for v in value) + "]"
    if isinstance(value, dict):
        return "{" + ", ".join(f"{_key(k)} = {toml_value(v)}" for k, v in value.items()) + "}"
    raise InputError(f"a lesson cannot hold {type(value).__name__} values")


def _key(key: str) -> str:
    return key if key.replace("_", "").isalnum() else json.dumps(key)


def change_table(change: Change) -> dict[str, Any]:
    """A change as the keys of its TOML table (only those it sets)."""
    table: dict[str, Any] = {}
    if change.neurons is not None:
        table["neurons"] = [dict(n) for n in change.neurons]
    if change.construct is not None:
        table["construct"] = {"mode": change.construct[0], "neurons": change.construct[1]}
    if change.c is not None:
        table["c"] = change.c
    if change.target is not None:
        table["target"] = change.target
    if change.domain is not None:
        table["domain"] = list(change.domain)
    if change.samples is not None:
        table["samples"] = change.samples
    if change.settings:
        table["settings"] = dict(change.settings)
    if change.train_steps:
        table["train_steps"] = change.train_steps
    return table


def step_block(step: Step) -> str:
    """The step's ``lesson`` block, without the fences ("" if it sets nothing)."""
    lines = []
    if step.start != "current":
        lines.append(f"start = {toml_value(step.start)}")
    if step.workspace is not None:
        lines.append(f"workspace = {toml_value(step.workspace)}")
    for key, value, default in (
        ("required", step.required, True),
        ("show_me", step.show_me, True),
        ("score", step.score, False),
    ):
        if value != default:
            lines.append(f"{key} = {toml_value(value)}")
    if step.panels:
        lines.append(f"panels = {toml_value(step.panels)}")
    tables: list[tuple[str, dict[str, Any]]] = [("setup", change_table(step.setup))]
    if step.check is not None:
        tables.append(("check", check_table(step.check)))
    if step.solution is not None:
        tables.append(("solution", change_table(step.solution)))
    for name, table in tables:
        if table or name == "solution":
            lines.append(f"[{name}]")
            lines.extend(f"{_key(k)} = {toml_value(v)}" for k, v in table.items())
    return "\n".join(lines)


def check_table(check: Check) -> dict[str, Any]:
    """The check as the file says it: an unset optional value is left out, and the full
    batch is "full" (read back as None)."""
    values = {k: v for k, v in check.values.items() if v is not None}
    if check.kind == "batch_size" and "value" not in values:
        values["value"] = "full"
    return {"kind": check.kind, **values}


def lesson_text(lesson: Lesson) -> str:
    parts = [f"# {lesson.title}", ""]
    if lesson.intro:
        parts += [lesson.intro, ""]
    if lesson.idea:
        parts += ["```lesson", f"idea = {toml_value(lesson.idea)}", "```", ""]
    for step in lesson.steps:
        parts += [f"## {step.heading}", ""]
        if step.text:
            parts += [step.text, ""]
        block = step_block(step)
        if block:
            parts += ["```lesson", block, "```", ""]
    return "\n".join(parts)


def write_lesson(lesson: Lesson, path: str | Path) -> None:
    """Atomically, as UTF-8 Markdown."""
    atomic_write_bytes(path, lesson_text(lesson).encode("utf-8"))


def _held_out_settings(session: Session) -> dict[str, Any]:
    """Noise, test points, weight decay and early stopping, where they are on."""
    settings: dict[str, Any] = {}
    if session.noise:
        settings["noise"] = float(session.noise)
    if session.test_fraction:
        settings |= {"test_fraction": float(session.test_fraction), "test_mode": session.test_mode}
    if session.penalty.active:
        settings |= {"weight_decay": session.penalty.strength, "penalty": session.penalty.kind}
    if session.stop.test_patience is not None:
        settings["early_stop"] = session.stop.test_patience
    if session.stop.restore_best_test:
        settings["restore_best_test"] = True
    return settings


def state_change(session: Session) -> Change | None:
    """A session as a step's setup over an empty start (neurons, c, target, domain,
    samples and settings), or None if its target is not a formula (drawn or loaded
    points: the step then starts from a session file beside the lesson)."""
    target = session.target
    if target.is_data:
        return None
    net = session.network
    neurons = tuple(
        {
            "activation": str(net.activations[j]),
            "w": float(net.w[j]),
            "b": float(net.b[j]),
            "v": float(net.v[j]),
            **({"muted": True} if net.muted[j] else {}),
        }
        for j in range(net.size)
    )
    optimizer = session.optimizer
    settings: dict[str, Any] = {
        "optimizer": optimizer.name,
        "lr": float(optimizer.learning_rate),
        "loss": session.loss,
        "seed": int(session.seed),
        "batch_size": session.batch_size if session.batch_size is not None else "full",
    } | _held_out_settings(session)
    return Change(
        neurons=neurons,
        c=float(net.c),
        target=target.text,
        domain=(float(session.domain[0]), float(session.domain[1])),
        samples=int(session.samples),
        settings=settings,
    )
