"""The one exception type for bad user input, so every front end can show it as a message,
and the named choices (activations, losses, presets, …) a name is checked against."""

from collections.abc import Mapping
from typing import Protocol, TypeVar


class Named(Protocol):
    @property
    def name(self) -> str: ...


Value = TypeVar("Value")
Choice = TypeVar("Choice", bound=Named)


class InputError(ValueError):
    """Bad input from a person or a file: its message is written for that person."""


def known(what: str, name: object, choices: Mapping[str, Value]) -> Value:
    """``choices[name]``; any other name is an input error that lists the known ones."""
    if isinstance(name, str) and name in choices:
        return choices[name]
    raise InputError(f"unknown {what} {name!r} (known: {', '.join(choices)})")


def by_name(*choices: Choice) -> dict[str, Choice]:
    """``choices`` keyed by their names, in their order: a menu's entries."""
    return {choice.name: choice for choice in choices}
