"""Read a lesson file: Markdown readable on GitHub as it is, with one fenced block per
step (info string ``lesson``) holding the step's settings in TOML.

    # Title                       the first line
    free text                     the lesson's introduction
    ## A step's heading           each starts a step; its text runs to the next heading
    ```lesson                     start, workspace, [check], [solution], …
    ```

Nothing is trusted: a refusal says the line ("line 14: unknown check 'output_near'"), a
``session:`` start may not leave the lesson's folder, and sizes are bounded.
"""

from __future__ import annotations

import math
import re
import tomllib
from collections.abc import Callable
from pathlib import Path
from typing import Any

from uat_explorer.core.errors import InputError
from uat_explorer.core.files import read_regular
from uat_explorer.core.io.view import read_view
from uat_explorer.core.lessons.checks import CHECKS, validate_check
from uat_explorer.core.lessons.lesson import (
    CLASS_SETTING_KEYS,
    CLASS_START,
    MAX_CLASS_NEURONS,
    WORKSPACES,
    Change,
    Lesson,
    Step,
)
from uat_explorer.core.nn.activations import ACTIVATIONS
from uat_explorer.core.nn.network import MAX_NEURONS
from uat_explorer.core.targets.classes import CLASS_PRESETS
from uat_explorer.core.targets.samples import MAX_NOISE, MAX_TEST_FRACTION, TEST_MODES
from uat_explorer.core.targets.target import MAX_DOMAIN, MAX_SAMPLES
from uat_explorer.core.teaching.construct import MODES
from uat_explorer.core.training.optimizers import OPTIMIZERS
from uat_explorer.core.training.penalty import MAX_WEIGHT_DECAY, PENALTIES

MAX_LESSON_BYTES = 1_000_000
MAX_STEPS = 60
MAX_TRAIN_STEPS = 200_000
"""A solution's training is watched, not waited for: a few seconds of work at most."""
MAX_PARAMETER = 1e30
STEP_KEYS = {"start", "workspace", "setup", "check", "solution", "required", "show_me", "score"}
STEP_KEYS |= {"panels"}
LESSON_KEYS = {"idea"}
CHANGE_KEYS = {"neurons", "construct", "c", "target", "domain", "samples", "settings"}
CHANGE_KEYS |= {"train_steps"}
SETTING_KEYS = {"optimizer", "lr", "loss", "batch_size", "seed"}
SETTING_KEYS |= {"noise", "test_fraction", "test_mode", "weight_decay", "penalty"}
SETTING_KEYS |= {"early_stop", "restore_best_test"}
NEURON_KEYS = {"activation", "w", "b", "v", "muted"}
_FENCE = re.compile(r"^(`{3,}|~{3,})\s*([\w-]*)\s*$")
_TOML_LINE = re.compile(r"line (\d+)")


class LessonError(InputError):
    """A lesson file that cannot be used; the message starts with the line."""


def load_lesson(path: str | Path) -> Lesson:
    path = Path(path)
    try:
        raw = read_regular(path, MAX_LESSON_BYTES, "lesson")
    except InputError as error:
        raise LessonError(str(error)) from None
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise LessonError(f"{path.name} is not a lesson (not UTF-8 text)") from None
    return parse_lesson(text, path)


def parse_lesson(text: str, path: Path | None = None) -> Lesson:
    lines = text.splitlines()
    first = next((n for n, line in enumerate(lines) if line.strip()), None)
    if first is None or not lines[first].startswith("# "):
        raise LessonError("line 1: a lesson starts with its title, a line like '# Title'")
    title = lines[first][2:].strip()
    if not title:
        raise LessonError(f"line {first + 1}: the title is empty")
    sections = _sections(lines, first + 1)
    intro_text, intro_block = sections[0][2], sections[0][3]
    lesson_settings = _toml(intro_block) if intro_block else {}
    if intro_block:
        _only(lesson_settings, LESSON_KEYS, intro_block, "a lesson's own block")
    steps: list[Step] = []
    for heading, line, body, block in sections[1:]:
        after_classes = bool(steps) and steps[-1].classes
        steps.append(_step(heading, line, body, block, path, after_classes))
    if not steps:
        raise LessonError("the lesson has no steps: each '## Heading' starts one")
    if len(steps) > MAX_STEPS:
        raise LessonError(f"line {steps[MAX_STEPS].line}: at most {MAX_STEPS} steps")
    idea = lesson_settings.get("idea", "")
    if not isinstance(idea, str):
        raise _error(intro_block, "idea", "idea must be text")
    return Lesson(title, intro_text, tuple(steps), idea, path)


_Block = tuple[int, list[str]]
"""A lesson block: the line number of its opening fence, and its lines."""


def _sections(lines: list[str], start: int) -> list[tuple[str, int, str, _Block | None]]:
    """(heading, line, Markdown text, lesson block) for the introduction (heading "")
    and each step, fenced code skipped when looking for headings."""
    sections: list[tuple[str, int, list[str], _Block | None]] = [("", start + 1, [], None)]
    fence: str | None = None
    block: list[str] | None = None
    block_line = 0
    for n in range(start, len(lines)):
        line = lines[n]
        match = _FENCE.match(line.strip())
        heading, at, body, found = sections[-1]
        if block is not None:
            if match and match.group(1)[0] == fence and not match.group(2):
                if found is not None:
                    raise LessonError(f"line {block_line}: one lesson block per step")
                sections[-1] = (heading, at, body, (block_line, block))
                block, fence = None, None
            else:
                block.append(line)
            continue
        if fence is not None:
            body.append(line)
            if match and match.group(1)[0] == fence and not match.group(2):
                fence = None
            continue
        if match:
            fence = match.group(1)[0]
            if match.group(2) == "lesson":
                block, block_line = [], n + 1
                continue
            body.append(line)
            continue
        if line.startswith("## "):
            sections.append((line[3:].strip(), n + 1, [], None))
            continue
        body.append(line)
    if block is not None or fence is not None:
        raise LessonError(f"line {block_line or len(lines)}: a fenced block is never closed")
    return [(h, at, "\n".join(body).strip(), b) for h, at, body, b in sections]


def _toml(block: _Block) -> dict[str, Any]:
    at, lines = block
    try:
        return tomllib.loads("\n".join(lines))
    except tomllib.TOMLDecodeError as error:
        message = str(error)
        found = _TOML_LINE.search(message)
        # No line in the message means "at end of document": the block's last line.
        line = at + (int(found.group(1)) if found else max(len(lines), 1))
        reason = re.sub(r"\s*\(at line \d+, column \d+\)", "", message)
        raise LessonError(f"line {line}: the lesson block is not valid TOML ({reason})") from None


def _line_of(block: _Block | None, key: str, table: str | None = None) -> int:
    """The file line where ``key`` is set (inside ``[table]`` if given), else the block's."""
    if block is None:
        return 0
    at, lines = block
    inside = table is None
    for n, line in enumerate(lines, start=1):
        stripped = line.strip()
        if table is not None and stripped.startswith("["):
            inside = stripped.strip("[]").strip() == table
            if inside and key == "":
                return at + n
            continue
        if inside and re.match(rf"{re.escape(key)}\s*=", stripped):
            return at + n
    return at


def _error(block: _Block | None, key: str, message: str, table: str | None = None) -> LessonError:
    return LessonError(f"line {_line_of(block, key, table)}: {message}")


def _only(values: dict[str, Any], allowed: set[str], block: _Block, what: str) -> None:
    for key in values:
        if key not in allowed:
            known = ", ".join(sorted(allowed))
            raise _error(block, key, f"unknown key '{key}' in {what} (known: {known})")


def _step(
    heading: str,
    line: int,
    text: str,
    block: _Block | None,
    path: Path | None,
    after_classes: bool = False,
) -> Step:
    """One step; ``after_classes``: the step before was in the classes window, so a
    "current" start stays there."""
    if not heading:
        raise LessonError(f"line {line}: a step's heading is empty")
    if block is None:
        return Step(heading, text, line, classes=after_classes)
    values = _toml(block)
    _only(values, STEP_KEYS, block, "a step")
    start = values.get("start", "current")
    if not isinstance(start, str) or not _valid_start(start):
        raise _error(
            block,
            "start",
            'start must be "current", "default", "empty", "example:NAME", "session:PATH" or'
            f' "classes:PRESET" (presets: {", ".join(CLASS_PRESETS)}), got {start!r}',
        )
    if start.startswith("session:"):
        session_path(start, path, _line_of(block, "start"))
    classes = start.startswith(CLASS_START) or (start == "current" and after_classes)
    workspace = values.get("workspace")
    if workspace is not None and workspace not in WORKSPACES:
        raise _error(
            block, "workspace", f"unknown workspace {workspace!r} (known: {', '.join(WORKSPACES)})"
        )
    if workspace is not None and classes:
        raise _error(
            block, "workspace", "a class step is taken in the classes window: it has no workspace"
        )
    check = None
    if "check" in values:
        table = _table(values, "check", block)

        def fail(key: str, message: str) -> LessonError:
            return _error(block, key, message, table="check")

        kind = table.get("kind")
        if kind not in CHECKS:
            raise _error(
                block,
                "kind",
                f"unknown check {kind!r} (known: {', '.join(CHECKS)})",
                table="check",
            )
        check = validate_check(table, fail)
        if CHECKS[check.kind].classes != classes:
            where = 'a class step (start = "classes:PRESET")' if not classes else "a curve step"
            raise _error(block, "kind", f"{check.kind} is a check for {where}", table="check")
    flags = {}
    for key, default in (("required", True), ("show_me", True), ("score", False)):
        value = values.get(key, default)
        if not isinstance(value, bool):
            raise _error(block, key, f"{key} must be true or false")
        flags[key] = value
    panels = values.get("panels", {})
    if not isinstance(panels, dict):
        raise _error(block, "panels", "panels must be a table")
    try:
        read_view({"panels": panels}, "step")  # each panel's choices, read as a session's
    except InputError as error:
        raise _error(block, "panels", str(error).replace("step.panels", "panels")) from None
    return Step(
        heading,
        text,
        line,
        start=start,
        setup=_change(values, "setup", block, classes),
        workspace=workspace,
        check=check,
        solution=_change(values, "solution", block, classes) if "solution" in values else None,
        panels=panels,
        classes=classes,
        **flags,
    )


def _valid_start(start: str) -> bool:
    kind, _, rest = start.partition(":")
    return (
        start in ("current", "empty", "default")
        or (kind in ("example", "session") and bool(rest))
        or (kind + ":" == CLASS_START and rest in CLASS_PRESETS)
    )


def session_path(start: str, lesson: Path | None, line: int = 0) -> Path:
    """Where a ``session:PATH`` start points: inside the lesson's folder, or refused."""
    relative = start.removeprefix("session:")
    if lesson is None:
        raise LessonError(f"line {line}: a session: start needs the lesson to be a saved file")
    folder = lesson.resolve().parent
    target = (folder / relative).resolve()
    if Path(relative).is_absolute() or folder not in (target, *target.parents):
        raise LessonError(
            f"line {line}: {relative!r} is outside the lesson's folder; a lesson may only read"
            " files beside it"
        )
    return target


def _table(values: dict[str, Any], key: str, block: _Block) -> dict[str, Any]:
    table = values[key]
    if not isinstance(table, dict):
        raise _error(block, key, f"{key} must be a table, [{key}]")
    return table


def _change(values: dict[str, Any], key: str, block: _Block, classes: bool = False) -> Change:
    if key not in values:
        return Change()
    table = _table(values, key, block)

    def fail(name: str, message: str) -> LessonError:
        return _error(block, name, f"{key}.{message}", table=key)

    if classes:
        return _class_change(table, fail)
    for name in table:
        if name not in CHANGE_KEYS:
            raise fail(name, f"{name}: unknown key (known: {', '.join(sorted(CHANGE_KEYS))})")
    neurons = None
    if "neurons" in table:
        items = table["neurons"]
        if not isinstance(items, list) or len(items) > MAX_NEURONS:
            raise fail("neurons", f"neurons must be a list of at most {MAX_NEURONS} neurons")
        neurons = tuple(_neuron(item, k, fail) for k, item in enumerate(items))
    construction = None
    if "construct" in table:
        built = table["construct"]
        if not (
            isinstance(built, dict)
            and set(built) == {"mode", "neurons"}
            and built["mode"] in MODES
            and isinstance(built["neurons"], int)
            and not isinstance(built["neurons"], bool)
            and 1 <= built["neurons"] <= MAX_NEURONS
        ):
            raise fail(
                "construct",
                f'construct must be {{mode = "{"|".join(MODES[:2])}", neurons = N}}, N 1 to'
                f" {MAX_NEURONS}",
            )
        construction = (str(built["mode"]), int(built["neurons"]))
    settings = table.get("settings", {})
    if not isinstance(settings, dict):
        raise fail("settings", "settings must be a table")
    for name, value in settings.items():
        _setting(name, value, fail)
    domain = table.get("domain")
    if domain is not None:
        if not (
            isinstance(domain, list)
            and len(domain) == 2
            and all(_number(v) and abs(v) <= MAX_DOMAIN for v in domain)
            and domain[0] < domain[1]
        ):
            raise fail("domain", "domain must be two numbers [start, end], start < end")
        domain = (float(domain[0]), float(domain[1]))
    target = table.get("target")
    if target is not None and not isinstance(target, str):
        raise fail("target", "target must be a formula in x or a preset's name")
    return Change(
        neurons=neurons,
        construct=construction,
        c=_bounded(table, "c", fail),
        target=target,
        domain=domain,
        samples=_whole(table, "samples", 2, MAX_SAMPLES, fail),
        settings=dict(settings),
        train_steps=_whole(table, "train_steps", 0, MAX_TRAIN_STEPS, fail) or 0,
    )


def _class_change(table: dict[str, Any], fail: Callable[[str, str], LessonError]) -> Change:
    """A class step's setup or solution: its settings (the network's size, kind and seed,
    the optimizer, rate and batch) and the steps to train."""
    for name in table:
        if name not in ("settings", "train_steps"):
            raise fail(name, f"{name}: a class step sets only settings and train_steps")
    settings = table.get("settings", {})
    if not isinstance(settings, dict):
        raise fail("settings", "settings must be a table")

    def at_settings(_: str, message: str) -> LessonError:
        return fail("settings", message)  # its keys sit in the settings line

    for name, value in settings.items():
        if name not in CLASS_SETTING_KEYS:
            known = ", ".join(sorted(CLASS_SETTING_KEYS))
            raise at_settings(name, f"settings.{name}: not for classes (known: {known})")
        if name == "neurons":
            _whole(settings, name, 1, MAX_CLASS_NEURONS, at_settings)
        elif name == "activation" and value not in ACTIVATIONS:
            raise at_settings(name, f"settings.activation: unknown {value!r}")
        elif name == "optimizer" and value == "lm":
            raise at_settings(name, "settings.optimizer: Levenberg–Marquardt cannot train classes")
        else:
            _setting(name, value, at_settings)
    return Change(
        settings=dict(settings),
        train_steps=_whole(table, "train_steps", 0, MAX_TRAIN_STEPS, fail) or 0,
    )


def _neuron(item: Any, k: int, fail: Callable[[str, str], LessonError]) -> dict[str, Any]:
    if not isinstance(item, dict):
        raise fail("neurons", f'neurons[{k}] must be a table like {{activation = "step", w = 1}}')
    for name in item:
        if name not in NEURON_KEYS:
            raise fail(
                "neurons", f"neurons[{k}].{name}: unknown (known: {', '.join(sorted(NEURON_KEYS))})"
            )
    activation = item.get("activation", "sigmoid")
    if activation not in ACTIVATIONS:
        raise fail("neurons", f"neurons[{k}].activation: unknown {activation!r}")
    for name in ("w", "b", "v"):
        if name in item and not (_number(item[name]) and abs(item[name]) <= MAX_PARAMETER):
            raise fail("neurons", f"neurons[{k}].{name} must be a number within ±{MAX_PARAMETER:g}")
    if not isinstance(item.get("muted", False), bool):
        raise fail("neurons", f"neurons[{k}].muted must be true or false")
    return dict(item)


def _setting(name: str, value: Any, fail: Callable[[str, str], LessonError]) -> None:
    if name not in SETTING_KEYS:
        raise fail(
            "settings", f"settings.{name}: unknown (known: {', '.join(sorted(SETTING_KEYS))})"
        )
    if name == "optimizer" and value not in OPTIMIZERS:
        raise fail(
            "optimizer", f"settings.optimizer: unknown {value!r} (known: {', '.join(OPTIMIZERS)})"
        )
    if name == "lr" and not (_number(value) and 0 < value <= 1000):
        raise fail("lr", "settings.lr must be a number in (0, 1000]")
    if name == "loss" and value not in ("mse", "mae", "huber"):
        raise fail("loss", "settings.loss must be mse, mae or huber")
    if name == "batch_size" and not (
        (isinstance(value, int) and not isinstance(value, bool) and 1 <= value <= MAX_SAMPLES)
        or value == "full"
    ):
        raise fail("batch_size", f'settings.batch_size must be 1 … {MAX_SAMPLES} or "full"')
    if name == "seed" and not (
        isinstance(value, int) and not isinstance(value, bool) and 0 <= value < 2**32
    ):
        raise fail("seed", "settings.seed must be a whole number ≥ 0")
    _held_out_setting(name, value, fail)


def _held_out_setting(name: str, value: Any, fail: Callable[[str, str], LessonError]) -> None:
    """The settings of samples that are not the function: noise, test points, weight
    decay and early stopping."""
    if name == "noise" and not (_number(value) and 0 <= value <= MAX_NOISE):
        raise fail("noise", f"settings.noise must be a number from 0 to {MAX_NOISE:g}")
    if name == "test_fraction" and not (_number(value) and 0 <= value <= MAX_TEST_FRACTION):
        raise fail("test_fraction", f"settings.test_fraction must be 0 … {MAX_TEST_FRACTION:g}")
    if name == "test_mode" and value not in TEST_MODES:
        raise fail("test_mode", f"settings.test_mode must be {' or '.join(TEST_MODES)}")
    if name == "weight_decay" and not (_number(value) and 0 <= value <= MAX_WEIGHT_DECAY):
        raise fail("weight_decay", f"settings.weight_decay must be 0 … {MAX_WEIGHT_DECAY:g}")
    if name == "penalty" and value not in PENALTIES:
        raise fail("penalty", f"settings.penalty must be {' or '.join(PENALTIES)}")
    if name == "early_stop" and not (
        value is False
        or (
            isinstance(value, int) and not isinstance(value, bool) and 1 <= value <= MAX_TRAIN_STEPS
        )
    ):
        raise fail("early_stop", "settings.early_stop must be a number of steps ≥ 1, or false")
    if name == "restore_best_test" and not isinstance(value, bool):
        raise fail("restore_best_test", "settings.restore_best_test must be true or false")


def _number(value: Any) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool) and math.isfinite(value)


def _bounded(
    table: dict[str, Any], key: str, fail: Callable[[str, str], LessonError]
) -> float | None:
    if key not in table:
        return None
    value = table[key]
    if not (_number(value) and abs(value) <= MAX_PARAMETER):
        raise fail(key, f"{key} must be a number within ±{MAX_PARAMETER:g}")
    return float(value)


def _whole(
    table: dict[str, Any], key: str, low: int, high: int, fail: Callable[[str, str], LessonError]
) -> int | None:
    if key not in table:
        return None
    value = table[key]
    if isinstance(value, bool) or not isinstance(value, int) or not low <= value <= high:
        raise fail(key, f"{key} must be a whole number from {low} to {high:,}")
    return value
