"""`uat-explorer lesson list | check | handout`: the built-in lessons, whether a lesson
teaches what it says (every check fails at its start and passes on its solution), and
a lesson as a printable handout."""

from __future__ import annotations

import argparse
import sys

from uat_explorer.cli.common import Commands, print_json
from uat_explorer.cli.exports import writing
from uat_explorer.core.lessons.builtin import builtin_lessons, find_lesson
from uat_explorer.core.lessons.walk import walk


def add_parser(commands: Commands) -> None:
    lesson = commands.add_parser("lesson", help="list, check or print lessons")
    actions = lesson.add_subparsers(dest="action", metavar="ACTION", required=True)
    listed = actions.add_parser("list", help="the built-in lessons, in teaching order")
    listed.add_argument("--json", action="store_true", help="print one JSON object on stdout")
    listed.set_defaults(handler=run_list)
    check = actions.add_parser(
        "check", help="walk a lesson: each check must fail at its start and pass on its solution"
    )
    check.add_argument("lesson", metavar="FILE|NAME", help="a .lesson.md file or a built-in name")
    check.add_argument("--json", action="store_true", help="print one JSON object on stdout")
    check.set_defaults(handler=run_check)
    handout = actions.add_parser("handout", help="a lesson as a PDF or a folder of Markdown")
    handout.add_argument("lesson", metavar="FILE|NAME", help="a .lesson.md file or a built-in name")
    where = handout.add_mutually_exclusive_group(required=True)
    where.add_argument("--pdf", metavar="OUT", help="a PDF: a page for the title and each step")
    where.add_argument("--folder", metavar="DIR", help="README.md and a PNG per step")
    handout.set_defaults(handler=run_handout)


def run_list(args: argparse.Namespace) -> int:
    lessons = builtin_lessons()
    if args.json:
        print_json(
            {
                "lessons": [
                    {
                        "name": lesson.name.split("-", 1)[-1],
                        "title": lesson.title,
                        "idea": lesson.idea,
                        "steps": len(lesson.steps),
                        "path": str(lesson.path),
                    }
                    for lesson in lessons
                ]
            }
        )
        return 0
    width = max(len(lesson.name) for lesson in lessons)
    for lesson in lessons:
        print(f"{lesson.name:<{width}}  {lesson.length:<8}  {lesson.title}")
    return 0


def run_check(args: argparse.Namespace) -> int:
    """Exit 1 naming the first step that cannot teach what it says; a file that cannot
    be read is exit 2 (an InputError, with its line)."""
    lesson = find_lesson(args.lesson)
    found = walk(lesson)
    problems = [step for step in found if step.problem is not None]
    if args.json:
        print_json(
            {
                "lesson": lesson.title,
                "ok": not problems,
                "steps": [
                    {
                        "step": step.index,
                        "heading": step.heading,
                        "at_start": step.at_start.message if step.at_start else None,
                        "solved": step.solved.message if step.solved else None,
                        "problem": step.problem,
                    }
                    for step in found
                ],
            }
        )
    else:
        for step in found:
            mark = "ok  " if step.problem is None else "FAIL"
            print(f"{mark} step {step.index}: {step.heading}")
    for step in problems:
        print(
            f"uat-explorer: lesson {lesson.name}, step {step.index} ({step.heading}): "
            f"{step.problem}",
            file=sys.stderr,
        )
    return 1 if problems else 0


def run_handout(args: argparse.Namespace) -> int:
    from uat_explorer.export.handout import write_handout_folder, write_handout_pdf
    from uat_explorer.export.headless import ensure_application

    lesson = find_lesson(args.lesson)
    ensure_application()
    if args.pdf:
        writing(args.pdf, lambda: write_handout_pdf(lesson, args.pdf))
        print(f"wrote {args.pdf} ({len(lesson.steps) + 1} pages)")
    else:
        writing(args.folder, lambda: write_handout_folder(lesson, args.folder))
        print(f"wrote {args.folder}/README.md and {len(lesson.steps)} figures")
    return 0
