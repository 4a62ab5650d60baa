"""The one exception type for bad user input, so every front end can show it as a message."""

from collections.abc import Mapping
from typing import TypeVar

Value = TypeVar("Value")


class InputError(ValueError):
    """Bad input from a person or a file: its message is written for that person."""


def known(what: str, name: object, choices: Mapping[str, Value]) -> Value:
    """``choices[name]``; any other name is an input error that lists the known ones."""
    if isinstance(name, str) and name in choices:
        return choices[name]
    raise InputError(f"unknown {what} {name!r} (known: {', '.join(choices)})")
