"""Targets from CSV files: two columns x, y; an optional header; clear errors by line."""

from __future__ import annotations

import re
from pathlib import Path

import numpy as np

from uat_explorer.core.errors import InputError
from uat_explorer.core.files import read_regular
from uat_explorer.core.targets.target import MAX_SAMPLES, Target

MAX_FILE_BYTES = 10 * 1024 * 1024
_DECIMAL_COMMA = re.compile(r"^[+-]?\d*,\d+(?:[eE][+-]?\d+)?$")


def delimiter_of(lines: list[str]) -> str | None:
    """One delimiter for the whole file, so "0,5;1,2" (semicolons between columns,
    decimal commas, as spreadsheets write in much of Europe) is never read as 0 and 5:
    a semicolon anywhere wins, then a tab, then a comma; None means runs of spaces."""
    sample = "\n".join(lines[:50])
    for candidate in (";", "\t", ","):
        if candidate in sample:
            return candidate
    return None


def split_fields(line: str, delimiter: str | None) -> list[str]:
    parts = line.split(delimiter) if delimiter else line.split()
    fields = [f.strip().strip('"').strip("'") for f in parts]
    if delimiter != ",":  # a comma inside a field can only be a decimal comma
        fields = [f.replace(",", ".") if _DECIMAL_COMMA.match(f) else f for f in fields]
    return fields


def read_points_text(path: Path) -> str:
    """A points file's text: bounded, a regular file, UTF-8 (a BOM is dropped)."""
    raw = read_regular(path, MAX_FILE_BYTES, "points file")
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise InputError(f"{path.name}: not a text file (it is not UTF-8)") from None


def load_csv(path: str | Path) -> Target:
    """Read a CSV of (x, y) rows; the target is named after the file."""
    path = Path(path)
    return parse_csv(read_points_text(path), path.name)


def parse_csv(text: str, name: str = "data") -> Target:
    """Rows of numbers separated by commas, semicolons, tabs or spaces (one kind per file;
    with semicolons, tabs or spaces, decimal commas are read too); '#' starts a comment.

    The first row may be a header; if it names columns "x" and "y" those are used,
    otherwise the first two columns.
    """
    columns = (0, 1)
    xs: list[float] = []
    ys: list[float] = []
    first = True
    lines = [(n, raw.strip()) for n, raw in enumerate(text.splitlines(), start=1)]
    lines = [(n, line) for n, line in lines if line and not line.startswith("#")]
    delimiter = delimiter_of([line for _, line in lines])
    for number, line in lines:
        fields = split_fields(line, delimiter)
        if first:
            first = False
            if not is_number(fields[0]):
                columns = _header_columns(fields, name, number)
                continue
        if len(fields) <= max(columns):
            raise InputError(
                f"{name}, line {number}: expected at least {max(columns) + 1} columns (x, y),"
                f" found {len(fields)}"
            )
        try:
            x, y = float(fields[columns[0]]), float(fields[columns[1]])
        except ValueError:
            bad = next(f for f in (fields[columns[0]], fields[columns[1]]) if not is_number(f))
            raise InputError(f"{name}, line {number}: {bad!r} is not a number") from None
        if not (np.isfinite(x) and np.isfinite(y)):
            raise InputError(f"{name}, line {number}: values must be finite numbers")
        xs.append(x)
        ys.append(y)
        if len(xs) > MAX_SAMPLES:
            raise InputError(f"{name}: more than {MAX_SAMPLES} rows; the limit is {MAX_SAMPLES}")
    if not xs:
        raise InputError(f"{name}: no data rows found (expected lines like '0.5, 1.2')")
    return Target.from_points(np.array(xs), np.array(ys), name)


def is_number(field: str) -> bool:
    try:
        float(field)
    except ValueError:
        return False
    return True


def _header_columns(fields: list[str], name: str, number: int) -> tuple[int, int]:
    lowered = [f.lower() for f in fields]
    if "x" in lowered and "y" in lowered:
        return lowered.index("x"), lowered.index("y")
    if len(fields) < 2:
        raise InputError(f"{name}, line {number}: the header needs two columns, x and y")
    return 0, 1
