"""What the window showed when a session was saved: the workspace, the open panels, each
panel's choices and the presentation scale. Saved with the session (version 3), so a
lesson reopens exactly as it was left; read as carefully as the rest of the file.

The choices are plain JSON values. Each panel's are listed here with their kinds, so a
damaged one is refused by name ("view.panels.landscape.grid must be one of 100, 200").
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from uat_explorer.core.fields import Fields, kind_of
from uat_explorer.core.nn.network import MAX_NEURONS
from uat_explorer.core.targets.target import MAX_SAMPLES

WORKSPACES = ("compose", "train", "backprop", "landscape", "epochs", "theorem")
PANELS = (
    "neurons",
    "target",
    "training",
    "loss",
    "formula",
    "history",
    "backprop",
    "construct",
    "landscape",
    "timeline",
)
MIN_SCALE, MAX_SCALE = 1.0, 3.0
"""Presentation mode makes text and lines 1–3 times their size."""
MAX_RACE_RUNS = 4

Reader = Callable[[Fields, str], Any]


def _choice(*options: Any) -> Reader:
    def read(fields: Fields, key: str) -> Any:
        value = fields.get(key)
        if isinstance(value, bool) and not any(isinstance(o, bool) for o in options):
            raise fields.fail(key, f"must be one of {', '.join(map(str, options))}")
        if value not in options:
            shown = ", ".join(map(str, options))
            raise fields.fail(key, f"must be one of {shown}, got {kind_of(value)}")
        return value

    return read


def _whole(low: int, high: int) -> Reader:
    return lambda fields, key: fields.integer(key, low, high)


def _number(low: float, high: float, open_low: bool = False) -> Reader:
    return lambda fields, key: fields.number(key, low, high, open_low=open_low)


def _flag(fields: Fields, key: str) -> bool:
    return fields.boolean(key, default=False)


def _name(fields: Fields, key: str) -> str:
    """A parameter's card name (w1 … c): checked against the network when used."""
    value = fields.string(key)
    if len(value) > 8:
        raise fields.fail(key, f"must be a parameter's name like w1 or c, got {kind_of(value)}")
    return value


def _view_range(fields: Fields, key: str) -> list[float] | None:
    if fields.get(key) is None:
        return None
    value = fields.get(key)
    if not (isinstance(value, list) and len(value) in (2, 4)):
        raise fields.fail(key, "must be a list of 2 or 4 numbers (x0 x1 [y0 y1])")
    pairs = Fields({str(k): v for k, v in enumerate(value)}, fields.name(key))
    numbers = [pairs.number(str(k), -1e30, 1e30) for k in range(len(value))]
    if any(numbers[k] >= numbers[k + 1] for k in range(0, len(numbers), 2)):
        raise fields.fail(key, "must give each range's start before its end")
    return numbers


def _runs(fields: Fields, key: str) -> list[dict[str, Any]]:
    items = fields.list_of(key, MAX_RACE_RUNS)
    return [
        {
            "enabled": item.boolean("enabled", default=True),
            "optimizer": _choice("sgd", "momentum", "adam", "lm")(item, "optimizer"),
            "lr": item.number("lr", 1e-6, 1000.0),  # what the race's spin boxes take
        }
        for item in items
    ]


CHOICES: dict[str, dict[str, Reader]] = {
    "backprop": {
        "sample": _whole(0, MAX_SAMPLES - 1),
        "scope": _choice("sample", "batch"),
        "table": _flag,
    },
    "landscape": {
        "dimensions": _choice(1, 2),
        "x": _name,
        "y": _name,
        "grid": _choice(100, 200),
        "view": _view_range,
        "shown_only": _flag,
    },
    "construct": {
        "mode": _choice("staircase", "bumps", "sigmoids"),
        "neurons": _whole(1, MAX_NEURONS),
        "epsilon": _number(1e-6, 10.0),
        "steepness": _number(0.05, 50.0),
    },
    "race": {
        "runs": _runs,
        "steps": _whole(1, 1_000_000),
        "target_loss": _number(1e-12, 1e3),
    },
    "loss": {"steps": _flag, "epochs": _flag, "in_epochs": _flag, "test": _flag},
    "plot": {"components": _flag, "samples": _flag, "band": _flag, "error_signal": _flag},
}
"""Each panel's choices and how each is read; a panel restores what it finds and keeps
its defaults for the rest."""


@dataclass
class ViewSettings:
    """``workspace`` (None: as the window is), the panels ``open`` (None: as they are),
    each panel's ``choices``, and the presentation ``scale`` (None: presentation off)."""

    workspace: str | None = None
    open: list[str] | None = None
    choices: dict[str, dict[str, Any]] = field(default_factory=dict)
    scale: float | None = None

    @property
    def empty(self) -> bool:
        return self == ViewSettings()

    def to_dict(self) -> dict[str, Any]:
        return {
            "workspace": self.workspace,
            "open": self.open,
            "panels": self.choices,
            "scale": self.scale,
        }

    @classmethod
    def from_fields(cls, fields: Fields) -> ViewSettings:
        workspace = fields.get("workspace")
        if workspace is not None:
            workspace = _choice(*WORKSPACES)(fields, "workspace")
        opened = None
        if fields.get("open") is not None:
            opened = fields.names("open", len(PANELS), PANELS)
        scale = fields.number("scale", MIN_SCALE, MAX_SCALE, optional=True)
        choices: dict[str, dict[str, Any]] = {}
        panels = fields.child("panels", optional=True)
        for name in panels.data:
            if name not in CHOICES:
                raise panels.fail(name, f"is not a panel with choices ({', '.join(CHOICES)})")
            read = panels.child(name)
            known = CHOICES[name]
            for key in read.data:
                if key not in known:
                    raise read.fail(key, f"is not one of {name}'s choices ({', '.join(known)})")
            choices[name] = {key: known[key](read, key) for key in read.data}
        return cls(workspace, opened, choices, scale)


def read_view(data: Any, where: str = "view") -> ViewSettings:
    """A session's "view" (or a lesson step's), or a FieldError naming the field."""
    return ViewSettings() if data is None else ViewSettings.from_fields(Fields(data, where))
