"""Lesson files: read as the issue writes them, refused with the line when damaged, and
walked through as a student would (a check fails at the start, passes once solved)."""

from __future__ import annotations

import pytest

from uat_explorer.core import default_session
from uat_explorer.core.lessons.checks import describe, evaluate
from uat_explorer.core.lessons.parser import LessonError, load_lesson, parse_lesson
from uat_explorer.core.lessons.states import apply_change, start_session
from uat_explorer.core.lessons.walk import walk

TWO_STEPS = """# Steps that add up

Two step neurons, and what their output weights do.

## Two steps add up
Add two step neurons, one switching on at x = 0.4 and one at x = 0.6, so that the output
climbs two stairs.

```lesson
start = "empty"                 # or "example:NAME", "session:PATH", "current"
workspace = "compose"
[check]
kind = "output_at"
points = [[0.3, 0.0], [0.5, 1.0], [0.7, 2.0]]
tolerance = 0.05
[solution]
neurons = [{activation = "step", w = 1000, b = -400, v = 1}, \
{activation = "step", w = 1000, b = -600, v = 1}]
```

## Look at it
Nothing to do: read the formula.
"""


def test_the_issue_s_example_reads_as_a_lesson():
    lesson = parse_lesson(TWO_STEPS)
    assert lesson.title == "Steps that add up" and len(lesson.steps) == 2
    first = lesson.steps[0]
    assert first.heading == "Two steps add up" and first.line == 5
    assert "climbs two stairs" in first.text and "```" not in first.text
    assert first.start == "empty" and first.workspace == "compose"
    assert first.check is not None and first.check.kind == "output_at"
    assert "(0.5, 1)" in describe(first.check)
    assert first.solution is not None and len(first.solution.neurons or ()) == 2
    assert lesson.steps[1].check is None


def test_the_check_says_what_is_still_wrong_and_the_solution_passes():
    lesson = parse_lesson(TWO_STEPS)
    step = lesson.steps[0]
    start = start_session(step, lesson, default_session())
    assert start.network.size == 0
    result = evaluate(step.check, start)
    assert not result.passed
    assert result.message.startswith("1 of 3 points within 0.05; at x = 0.5 the output is 0")
    solved = apply_change(start, step.solution)
    assert evaluate(step.check, solved).passed
    assert [s.problem for s in walk(lesson)] == [None, None]


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (
            lambda t: t.replace('kind = "output_at"', 'kind = "output_near"'),
            "line 13: unknown check 'output_near'",
        ),
        (
            lambda t: t.replace("tolerance = 0.05", "tolerance = -1"),
            "line 15: tolerance must be a number > 0",
        ),
        (
            lambda t: t.replace('workspace = "compose"', "workspace = 'sandbox'"),
            "line 11: unknown workspace",
        ),
        (
            lambda t: t.replace("[solution]", "[solution\n"),
            "line 16: the lesson block is not valid TOML",
        ),
        (
            lambda t: t.replace('start = "empty"', 'start = "session:../../etc/passwd"'),
            "outside the lesson's folder",
        ),
        (lambda t: t.replace('start = "empty"', 'start = "elsewhere"'), "line 10: start must be"),
        (
            lambda t: t.replace("[check]", "colour = 'red'\n[check]"),
            "line 12: unknown key 'colour'",
        ),
        (lambda t: t.replace("# Steps", "Steps"), "line 1: a lesson starts with its title"),
        (lambda t: t.replace("```\n\n## Look", "\n## Look"), "is never closed"),
        (
            lambda t: t.replace("w = 1000, b = -400", "w = 1e40, b = -400"),
            "line 17: solution.neurons[0].w",
        ),
    ],
)
def test_a_damaged_lesson_is_refused_with_its_line(tmp_path, change, message):
    path = tmp_path / "two.lesson.md"
    path.write_text(change(TWO_STEPS))
    with pytest.raises(LessonError, match=message.replace("(", r"\(").replace("[", r"\[")):
        load_lesson(path)


def test_a_huge_or_binary_file_is_refused(tmp_path):
    huge = tmp_path / "huge.lesson.md"
    huge.write_text("# Big\n" + "x" * 2_000_000)
    with pytest.raises(LessonError, match="at most"):
        load_lesson(huge)
    binary = tmp_path / "bin.lesson.md"
    binary.write_bytes(b"\xff\xfe\x00# no")
    with pytest.raises(LessonError, match="not UTF-8"):
        load_lesson(binary)


def test_a_session_start_reads_a_file_beside_the_lesson(tmp_path):
    default_session().save(tmp_path / "start.json")
    path = tmp_path / "s.lesson.md"
    path.write_text(TWO_STEPS.replace('start = "empty"', 'start = "session:start.json"'))
    lesson = load_lesson(path)
    start = start_session(lesson.steps[0], lesson, default_session().copy())
    assert start.network.size == 6
    missing = tmp_path / "m.lesson.md"
    missing.write_text(TWO_STEPS.replace('start = "empty"', 'start = "session:gone.json"'))
    lesson = load_lesson(missing)
    with pytest.raises(LessonError, match=r"line 5: gone\.json"):
        start_session(lesson.steps[0], lesson, default_session())


def test_every_built_in_lesson_teaches_what_it_says():
    """One per idea of the app, 3–6 steps with at least two checked tasks (the challenge:
    one, scored, without Show me); every check fails at its step's start and passes on
    its solution."""
    from uat_explorer.core.lessons.builtin import builtin_lessons

    lessons = builtin_lessons()
    assert len(lessons) >= 10 and len({lesson.idea for lesson in lessons}) == len(lessons)
    for lesson in lessons:
        checked = [s for s in lesson.steps if s.check is not None]
        if lesson.idea == "a design challenge":
            assert [s.show_me for s in checked] == [False] and checked[0].score
        else:
            assert 3 <= len(lesson.steps) <= 6 and len(checked) >= 2, lesson.title
        problems = [(s.heading, s.problem) for s in walk(lesson) if s.problem]
        assert problems == [], lesson.title


def test_max_error_is_measured_over_the_domain_not_only_at_the_samples():
    """sin(2πx) at 0, ½ and 1 is 0: a flat network matches every sample, and misses by 1
    between them. The Construct panel measures over the domain; so does the check."""
    from uat_explorer.core import Network, Session, Target
    from uat_explorer.core.lessons.checks import evaluate
    from uat_explorer.core.lessons.lesson import Check

    session = Session(
        network=Network.from_neurons([], 0.0),
        target=Target.from_text("sin(2*pi*x)"),
        domain=(0.0, 1.0),
        samples=3,
    )
    result = evaluate(Check("max_error_below", {"epsilon": 0.05}), session)
    assert not result.passed and "max |error| is 1" in result.message
