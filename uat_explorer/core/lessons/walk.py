"""A lesson walked through as a student would, without a window: each step's start
state, then its solution; a check must fail on the start and pass on the solution, or
the lesson cannot teach what it says (``uat-explorer lesson check``)."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

from uat_explorer.core.io.class_session import ClassSession
from uat_explorer.core.io.session import Session, default_session
from uat_explorer.core.lessons.checks import CheckResult, evaluate
from uat_explorer.core.lessons.class_steps import (
    apply_class_change,
    step_start_classes,
    train_classes,
)
from uat_explorer.core.lessons.lesson import Lesson, Step
from uat_explorer.core.lessons.states import apply_change, start_session, train

State = Session | ClassSession
"""What a step works on: the curve document, or the classes window's session."""


@dataclass(frozen=True)
class StepCheck:
    """What walking one step found; ``problem`` is None when the step is sound."""

    index: int
    heading: str
    at_start: CheckResult | None
    solved: CheckResult | None
    problem: str | None


def states(lesson: Lesson, first: Session | None = None) -> Iterator[tuple[Step, State, State]]:
    """(step, its start, its end) in order: each "current" start is the state the step
    before ended in (its solution, trained, or its start if it has none); the first
    starts from ``first`` (what the app opens with, if None). Class steps carry their
    own state, so a curve step after them goes on from the last curve state."""
    curve = first if first is not None else default_session()
    classes: ClassSession | None = None
    for step in lesson.steps:
        if step.classes:
            class_begin = class_end = step_start_classes(step, classes)
            if step.solution is not None:
                solved = apply_class_change(class_begin, step.solution, step.line)
                class_end = train_classes(solved, step.solution.train_steps)
            classes = class_end
            yield step, class_begin, class_end
        else:
            begin = end = start_session(step, lesson, curve)
            if step.solution is not None:
                end = train(
                    apply_change(begin, step.solution, step.line), step.solution.train_steps
                )
            curve = end
            yield step, begin, end


def walk(lesson: Lesson, first: Session | None = None) -> list[StepCheck]:
    """Every step's check on its start (it must fail) and on its solution (it must pass)."""
    found = []
    for k, (step, start, end) in enumerate(states(lesson, first), start=1):
        at_start = solved = None
        problem = None
        if step.check is not None:
            at_start = evaluate(step.check, start)
            if at_start.passed:
                problem = f"its check already passes at the start ({at_start.message})"
            if step.solution is not None:
                solved = evaluate(step.check, end)
                if not solved.passed:
                    problem = f"its solution does not pass its check ({solved.message})"
        found.append(StepCheck(k, step.heading, at_start, solved, problem))
    return found
