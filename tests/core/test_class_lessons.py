"""Lesson steps in the classes window: a class preset's start, settings laid over it,
checks that read accuracy and cross-entropy, and refusals (with the line) of what a
class step cannot hold."""

from __future__ import annotations

import numpy as np
import pytest

from uat_explorer.core.io.class_session import ClassSession
from uat_explorer.core.lessons.checks import evaluate
from uat_explorer.core.lessons.class_steps import apply_class_change, class_start, train_classes
from uat_explorer.core.lessons.parser import LessonError, parse_lesson
from uat_explorer.core.lessons.walk import states, walk
from uat_explorer.core.nn.classifier import accuracy, cross_entropy

TWO = """# Classes

Points on a line.

## Sort them

```lesson
start = "classes:bands3"
[setup]
settings = {neurons = 6, seed = 2, lr = 0.02}
[check]
kind = "accuracy_above"
accuracy = 0.97
[solution]
train_steps = 2000
```

## Then a curve again

```lesson
start = "default"
[check]
kind = "loss_below"
value = 0.01
[solution]
train_steps = 300
```
"""


def test_a_class_step_starts_on_its_preset_with_its_settings_and_its_check_reads_classes():
    lesson = parse_lesson(TWO)
    first, second = lesson.steps
    assert first.classes and not second.classes
    (_, start, end), (_, curve_start, _) = list(states(lesson))
    assert isinstance(start, ClassSession) and not isinstance(curve_start, ClassSession)
    assert start.network.size == 6 and start.seed == 2 and start.step == 0
    assert start.optimizer.learning_rate == 0.02 and start.target.classes == 3
    at_start = evaluate(first.check, start)
    assert not at_start.passed and "misclassified" in at_start.message
    assert isinstance(end, ClassSession) and end.step == 2000
    assert evaluate(first.check, end).passed
    assert [s.problem for s in walk(lesson)] == [None, None]


def test_the_check_s_numbers_are_the_network_s_own():
    session = train_classes(class_start("overlap2"), 300)
    x, labels = session.training_data()
    loss = cross_entropy(session.network.logits(x), labels)
    share = accuracy(session.network.probabilities(x), labels)
    lesson = parse_lesson(
        TWO.replace(
            'kind = "accuracy_above"\naccuracy = 0.97',
            f"kind = 'cross_entropy_below'\nloss = {loss * 1.001!r}",
        )
    )
    assert evaluate(lesson.steps[0].check, session).passed
    tighter = parse_lesson(TWO.replace("accuracy = 0.97", f"accuracy = {min(share + 1e-3, 1.0)!r}"))
    assert not evaluate(tighter.steps[0].check, session).passed
    assert f"{share:.3f}" in evaluate(tighter.steps[0].check, session).message


def test_a_current_start_after_a_class_step_goes_on_from_where_it_ended():
    text = TWO.replace(
        'start = "default"\n[check]\nkind = "loss_below"\nvalue = 0.01',
        '[check]\nkind = "cross_entropy_below"\nloss = 0.01',
    )
    lesson = parse_lesson(text.replace("train_steps = 300", "train_steps = 3000"))
    assert lesson.steps[1].classes
    (_, _, end), (_, start, _) = list(states(lesson))
    assert start.step == end.step == 2000
    assert np.array_equal(start.network.w, end.network.w)


def test_a_curve_check_on_a_class_session_says_where_the_task_is():
    result = evaluate(parse_lesson(TWO).steps[1].check, class_start("threshold2"))
    assert not result.passed and "curve window" in result.message


def test_a_new_size_makes_a_new_network_and_other_settings_keep_the_weights():
    start = class_start("threshold2")
    trained = train_classes(start, 50)
    lesson = parse_lesson(
        TWO.replace("settings = {neurons = 6, seed = 2, lr = 0.02}", "settings = {lr = 0.1}")
    )
    kept = apply_class_change(trained, lesson.steps[0].setup)
    assert kept.step == 50 and kept.optimizer.learning_rate == 0.1
    assert np.array_equal(kept.network.w, trained.network.w)
    renewed = apply_class_change(trained, parse_lesson(TWO).steps[0].setup)
    assert renewed.step == 0 and renewed.network.size == 6


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (lambda t: t.replace("classes:bands3", "classes:spirals"), "line 8: start must be"),
        (
            lambda t: t.replace("neurons = 6", "neurons = 0"),
            "line 10: setup.neurons must be a whole number from 1 to 64",
        ),
        (
            lambda t: t.replace("seed = 2", "optimizer = 'lm'"),
            "Levenberg–Marquardt cannot train classes",
        ),
        (lambda t: t.replace("seed = 2", "noise = 0.1"), "settings.noise: not for classes"),
        (
            lambda t: t.replace("[setup]", "[setup]\ntarget = 'sin(x)'"),
            "target: a class step sets only settings",
        ),
        (
            lambda t: t.replace(
                'start = "classes:bands3"', 'start = "classes:bands3"\nworkspace = "train"'
            ),
            "it has no workspace",
        ),
        (
            lambda t: t.replace(
                'kind = "accuracy_above"\naccuracy = 0.97', 'kind = "loss_below"\nvalue = 0.1'
            ),
            "loss_below is a check for a curve step",
        ),
        (
            lambda t: t.replace(
                'kind = "loss_below"\nvalue = 0.01', 'kind = "accuracy_above"\naccuracy = 0.9'
            ),
            "accuracy_above is a check for a class step",
        ),
        (
            lambda t: t.replace("accuracy = 0.97", "accuracy = 1.5"),
            "accuracy must be a number in (0, 1]",
        ),
    ],
)
def test_what_a_class_step_cannot_hold_is_refused_with_its_line(change, message):
    with pytest.raises(LessonError, match=message.replace("(", r"\(").replace("[", r"\[")):
        parse_lesson(change(TWO))
