"""A lesson's training checks ("training from here reaches L < 0.01 within 2,000 steps",
"… diverges"), run in a process of their own: the window keeps drawing while they train.

In: a CheckJob at a time, Quit at any time. Out: CheckDone with the job's number, Alive
while checking, or Failed.
"""

from __future__ import annotations

import contextlib
import traceback
from dataclasses import dataclass
from typing import Any

from uat_explorer.core.io.session import Session
from uat_explorer.core.lessons.checks import CheckResult, evaluate
from uat_explorer.core.lessons.lesson import Check
from uat_explorer.core.workers.messages import Failed
from uat_explorer.core.workers.process import Channel
from uat_explorer.core.workers.threads import pin_blas_to_one_thread


@dataclass
class CheckJob:
    """``session`` as its dict: a formula target is compiled, and compiled code does not
    cross a process boundary; the dict is what a saved file holds."""

    number: int
    check: Check
    session: dict[str, Any]


@dataclass
class CheckDone:
    number: int
    result: CheckResult


def serve_check(channel: Channel) -> None:
    pin_blas_to_one_thread()
    try:
        while True:
            job = channel.recv()
            if not isinstance(job, CheckJob):
                return  # Quit, or anything else: the window is done with us
            channel.busy = True
            result = evaluate(job.check, Session.from_dict(job.session))
            channel.busy = False
            channel.send(CheckDone(job.number, result))
    except (EOFError, BrokenPipeError, KeyboardInterrupt):
        return
    except Exception:
        with contextlib.suppress(BrokenPipeError, OSError):
            channel.send(Failed(traceback.format_exc()))
