"""A lesson written out reads back as the same lesson: the built-in ones, and one made
from a session (what Lesson → New Lesson from This Window writes)."""

from __future__ import annotations

import dataclasses

import pytest

from uat_explorer.core import default_session
from uat_explorer.core.lessons.builtin import builtin_lessons
from uat_explorer.core.lessons.lesson import Check, Lesson, Step
from uat_explorer.core.lessons.parser import LessonError, load_lesson, parse_lesson
from uat_explorer.core.lessons.states import start_session
from uat_explorer.core.lessons.writer import lesson_text, state_change, toml_value, write_lesson


def without_lines(lesson: Lesson) -> tuple:
    steps = tuple(dataclasses.replace(step, line=0) for step in lesson.steps)
    return (lesson.title, lesson.intro, lesson.idea, steps)


@pytest.mark.parametrize("lesson", builtin_lessons(), ids=lambda lesson: lesson.name)
def test_every_builtin_lesson_survives_a_round_trip(lesson):
    again = parse_lesson(lesson_text(lesson), lesson.path)
    assert without_lines(again) == without_lines(lesson)


def test_a_lesson_from_a_session_starts_where_the_session_is(tmp_path):
    session = default_session()
    change = state_change(session)
    step = Step(
        "Where we are",
        "Some *Markdown* text.",
        0,
        start="empty",
        setup=change,
        workspace="train",
        check=Check("loss_below", {"value": 0.01}),
        panels={"backprop": {"sample": 3, "scope": "batch"}},
    )
    lesson = Lesson("Made in the window", "Intro.", (step,), "a test")
    path = tmp_path / "made.lesson.md"
    write_lesson(lesson, path)
    again = load_lesson(path)
    assert without_lines(again) == without_lines(lesson)
    started = start_session(again.steps[0], again, default_session())
    assert started.network == session.network
    assert started.target.text == session.target.text and started.domain == session.domain


def test_values_are_written_as_toml():
    assert toml_value({"a": [1, 2.5, "x"], "b": True}) == '{a = [1, 2.5, "x"], b = true}'
    assert toml_value('say "hi"') == '"say \\"hi\\""'
    with pytest.raises(Exception, match="finite"):
        toml_value(float("nan"))


def test_bad_panel_choices_in_a_step_are_refused_with_their_line():
    text = "# T\n\n## S\n\n```lesson\npanels = {landscape = {grid = 150}}\n```\n"
    with pytest.raises(LessonError, match=r"line 6: .*grid must be one of 100, 200"):
        parse_lesson(text)
