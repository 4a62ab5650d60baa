"""A lesson as data: its title and text, and steps, each with where it starts, what the
student should do (a check), and how it is done (a solution).

Everything here is what a ``.lesson.md`` file says, already validated; ``parser`` reads
one and ``writer`` writes one.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

WORKSPACES = ("compose", "train", "backprop", "landscape", "epochs", "theorem")
"""The window's workspaces, one per idea (a step may ask for one)."""
CLASS_START = "classes:"
"""A step in the classes window starts so, on a class preset's points: "classes:bands3"."""
MAX_CLASS_NEURONS = 64
"""As many as the classes window offers."""
NETWORK_KEYS = ("neurons", "activation", "seed")
"""A class step's settings that make a new network (fresh weights from the seed)."""
CLASS_SETTING_KEYS = {*NETWORK_KEYS, "optimizer", "lr", "batch_size"}


@dataclass(frozen=True)
class Check:
    """A task: ``kind`` names the test (see ``checks.CHECKS``), ``values`` its numbers as
    the file gives them (validated for that kind)."""

    kind: str
    values: dict[str, Any]


@dataclass(frozen=True)
class Change:
    """A partial session, laid over a state: neurons (replacing all, or Nielsen's
    construction of ``construct = {mode, neurons}`` on the target), the output bias, a
    target and domain, training settings, and a number of steps to train from there."""

    neurons: tuple[dict[str, Any], ...] | None = None
    construct: tuple[str, int] | None = None
    c: float | None = None
    target: str | None = None
    domain: tuple[float, float] | None = None
    samples: int | None = None
    settings: dict[str, Any] = field(default_factory=dict)
    train_steps: int = 0

    @property
    def empty(self) -> bool:
        return self == Change()


@dataclass(frozen=True)
class Step:
    """One step: its heading and Markdown text, where it starts (``start``: "current",
    "default" (what the app opens with), "empty" (no neurons), "example:NAME" or
    "session:PATH") and the change laid over that (``setup``),
    the workspace it shows, its task and its solution. ``line``: where it starts in the
    file. ``required``: Next waits for the check (else it may be skipped, marked so);
    ``show_me``: the solution may be shown (a challenge says no); ``score``: keep the best
    score the check reports (a challenge)."""

    heading: str
    text: str
    line: int
    start: str = "current"
    setup: Change = field(default_factory=Change)
    workspace: str | None = None
    check: Check | None = None
    solution: Change | None = None
    required: bool = True
    show_me: bool = True
    score: bool = False
    panels: dict[str, Any] = field(default_factory=dict)
    """Panel choices the step opens with (the session's "view" section)."""
    classes: bool = False
    """Taken in the classes window: its start is "classes:PRESET", or "current" after
    such a step (read from the file, not written: the starts say it)."""


@dataclass(frozen=True)
class Lesson:
    title: str
    intro: str
    steps: tuple[Step, ...]
    idea: str = ""
    """Which idea of the app it teaches, in a few words (for the list of lessons)."""
    path: Path | None = None
    """The file it was read from (``session:`` starts are found beside it)."""

    @property
    def length(self) -> str:
        """ "1 step", "4 steps": how lists and handouts say its size."""
        count = len(self.steps)
        return f"{count} step{'' if count == 1 else 's'}"

    @property
    def name(self) -> str:
        """The file's name without ``.lesson.md``: how the command line names it."""
        if self.path is None:
            return self.title
        return self.path.name.removesuffix(".lesson.md")
