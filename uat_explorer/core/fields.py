"""Typed reads from JSON that trust nothing: every refusal names the field.

A session, its loss curve and its timeline are read through ``Fields``, so a hand-edited
or damaged file is refused with the dotted path of the culprit ("history.timeline.
segments[2].stride must be a whole number between 1 and 1048576, got true"), never with
a traceback, and never accepted with a value the app would not itself write: booleans
are not numbers, every integer has bounds, arrays have the shape their neighbours say.
"""

from __future__ import annotations

import base64
import math
from collections.abc import Collection
from typing import Any

import numpy as np

from uat_explorer.core.errors import InputError


class FieldError(InputError):
    """A field that cannot be used; the message starts with its path."""


def kind_of(value: Any) -> str:
    """What a JSON value is, for a message: null, true, text 'abc', 3.5, an object."""
    if value is None:
        return "null"
    if isinstance(value, bool):
        return str(value).lower()
    if isinstance(value, str):
        return f"text {value[:20]!r}"
    if isinstance(value, int) and value.bit_length() > 80:  # repr may refuse it
        return f"a whole number of about {int(value.bit_length() * 0.30103) + 1} digits"
    if isinstance(value, float | int):
        return repr(value)
    if isinstance(value, dict):
        return "an object"
    if isinstance(value, list):
        return "a list"
    return type(value).__name__


def encode_array(array: np.ndarray) -> str:
    """A little-endian array as base64 text: exact, and a quarter of JSON's size."""
    return base64.b64encode(np.ascontiguousarray(array).tobytes()).decode("ascii")


class Fields:
    """One JSON object at ``path`` (empty: the file itself)."""

    def __init__(self, data: Any, path: str = "") -> None:
        if not isinstance(data, dict):
            where = path or "the file"
            raise FieldError(f"{where} must be a JSON object, got {kind_of(data)}")
        self.data: dict[str, Any] = data
        self.path = path

    def name(self, key: str) -> str:
        return f"{self.path}.{key}" if self.path else key

    def fail(self, key: str, why: str) -> FieldError:
        """An error about ``key`` (or the object itself, with key ""); ``why`` follows
        the name after a space, or directly if it starts with a colon."""
        where = self.name(key) if key else self.path or "the file"
        return FieldError(f"{where}{'' if why.startswith(':') else ' '}{why}")

    def get(self, key: str) -> Any:
        return self.data.get(key)

    def has(self, key: str) -> bool:
        return key in self.data

    def _required(self, key: str) -> Any:
        if key not in self.data:
            raise self.fail(key, "is missing")
        return self.data[key]

    def child(self, key: str, optional: bool = False) -> Fields:
        if optional and self.data.get(key) is None:
            return Fields({}, self.name(key))
        return Fields(self._required(key), self.name(key))

    def _list(self, key: str, limit: int, what: str) -> list[Any]:
        items = self._required(key)
        if not isinstance(items, list):
            raise self.fail(key, f"must be a list{what}, got {kind_of(items)}")
        if len(items) > limit:
            raise self.fail(key, f"has {len(items)} entries; the limit is {limit:,}")
        return items

    def list_of(self, key: str, limit: int) -> list[Fields]:
        name = self.name(key)
        return [Fields(item, f"{name}[{i}]") for i, item in enumerate(self._list(key, limit, ""))]

    def number(
        self,
        key: str,
        low: float = -math.inf,
        high: float = math.inf,
        open_low: bool = False,
        optional: bool = False,
    ) -> Any:
        if optional and self.data.get(key) is None:
            return None
        value = self._required(key)
        if isinstance(value, bool) or not isinstance(value, int | float):
            raise self.fail(key, f"must be a number, got {kind_of(value)}")
        try:
            value = float(value)
        except OverflowError:
            raise self.fail(key, f"must lie in [{low:g}, {high:g}]") from None
        if not math.isfinite(value):
            raise self.fail(key, f"must be a finite number, got {value}")
        if value < low or value > high or (open_low and value == low):
            raise self.fail(key, f"must lie in {'(' if open_low else '['}{low:g}, {high:g}]")
        return value

    def integer(self, key: str, low: int, high: int, optional: bool = False) -> Any:
        if optional and self.data.get(key) is None:
            return None
        value = self._required(key)
        if isinstance(value, bool) or not isinstance(value, int):
            raise self.fail(key, f"must be a whole number, got {kind_of(value)}")
        if not low <= value <= high:
            raise self.fail(key, f"must lie between {low} and {high}, got {kind_of(value)}")
        return value

    def boolean(self, key: str, default: bool) -> bool:
        value = self.data.get(key, default)
        if not isinstance(value, bool):
            raise self.fail(key, f"must be true or false, got {kind_of(value)}")
        return value

    def string(self, key: str) -> str:
        value = self._required(key)
        if not isinstance(value, str):
            raise self.fail(key, f"must be text, got {kind_of(value)}")
        return value

    def choice(self, key: str, choices: Collection[str]) -> str:
        value = self.string(key)
        if value not in choices:
            raise self.fail(key, f"must be one of {', '.join(choices)}; got {value!r}")
        return value

    def pair(self, key: str, limit: float) -> tuple[float, float]:
        value = self._required(key)
        if not (isinstance(value, list) and len(value) == 2):
            raise self.fail(key, "must be a list of two numbers [start, end]")
        pair = Fields({"start": value[0], "end": value[1]}, self.name(key))
        low = pair.number("start", -limit, limit)
        high = pair.number("end", -limit, limit)
        if not low < high:
            raise self.fail(key, ": the start must be less than the end")
        return low, high

    def numbers(self, key: str, limit: int) -> np.ndarray:
        name = self.name(key)
        values = self._list(key, limit, " of numbers")
        for i, value in enumerate(values):
            if isinstance(value, bool) or not isinstance(value, int | float):
                raise FieldError(f"{name}[{i}] must be a number, got {kind_of(value)}")
            if not math.isfinite(value):
                raise FieldError(f"{name}[{i}] must be a finite number, got {value}")
        return np.array(values, dtype=np.float64)

    def names(self, key: str, limit: int, choices: Collection[str]) -> list[str]:
        """A list of names, each one of ``choices``."""
        name = self.name(key)
        values = self._list(key, limit, " of names")
        for i, value in enumerate(values):
            if not isinstance(value, str) or value not in choices:
                raise FieldError(
                    f"{name}[{i}] must be one of {', '.join(choices)}, got {kind_of(value)}"
                )
        return list(values)

    def flags(self, key: str, limit: int) -> list[bool]:
        name = self.name(key)
        values = self._list(key, limit, " of true/false")
        for i, value in enumerate(values):
            if not isinstance(value, bool):
                raise FieldError(f"{name}[{i}] must be true or false, got {kind_of(value)}")
        return list(values)

    def array(self, key: str, dtype: str, rows: int | None = None, width: int = 1) -> np.ndarray:
        """Base64 little-endian numbers; with ``rows``, exactly rows × width of them, as
        a (rows, width) array (width 1: a flat one)."""
        text = self._required(key)
        if not isinstance(text, str):
            raise self.fail(key, f"must be base64 text, got {kind_of(text)}")
        try:
            raw = base64.b64decode(text.encode("ascii"), validate=True)
        except (ValueError, UnicodeEncodeError):
            raise self.fail(key, "is not valid base64") from None
        size = np.dtype(dtype).itemsize
        if len(raw) % size:
            raise self.fail(key, f"does not hold whole numbers of {size} bytes")
        values = np.frombuffer(raw, dtype=dtype).copy()
        if rows is None:
            return values
        if values.size != rows * width:
            raise self.fail(key, f"must hold {rows:,} rows of {width} numbers, not {values.size:,}")
        return values.reshape(rows, width) if width > 1 else values
