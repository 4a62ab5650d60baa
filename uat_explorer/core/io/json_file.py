"""JSON files read and written as a careful desktop app does: a bounded read of a regular
file, every way the text can be wrong said in one sentence, and an atomic write."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from uat_explorer.core.errors import InputError
from uat_explorer.core.files import atomic_write_text, read_regular


def read_json(path: str | Path, limit: int, what: str, error: type[InputError]) -> Any:
    """The parsed contents, or ``error`` saying why not (missing, too large, not text,
    not JSON with the line and column, nested too deeply)."""
    path = Path(path)
    try:
        raw = read_regular(path, limit, what)
    except InputError as problem:
        raise error(str(problem)) from None
    try:
        return json.loads(raw.decode("utf-8"))
    except UnicodeDecodeError:
        raise error(f"{path.name} is not a {what} file (not text)") from None
    except json.JSONDecodeError as problem:
        raise error(
            f"{path.name} is not valid JSON (line {problem.lineno}, column {problem.colno}:"
            f" {problem.msg})"
        ) from None
    except ValueError as problem:  # e.g. an integer of too many digits
        raise error(f"{path.name} is not a usable {what}: {_plain(problem)}") from None
    except RecursionError:
        raise error(f"{path.name} is nested too deeply to be a {what}") from None


def _plain(problem: ValueError) -> str:
    """Python's message for an over-long integer cites sys.set_int_max_str_digits()."""
    text = str(problem)
    if "int_max_str_digits" in text or "integer string conversion" in text:
        return "it holds a number with thousands of digits"
    return text


def write_json(path: str | Path, data: Any) -> None:
    """Atomically; NaN and infinity are refused, never written as non-JSON."""
    atomic_write_text(path, json.dumps(data, indent=1, allow_nan=False) + "\n")
