"""Lessons: Markdown files of steps, each with a start state, a task checked live against
the network, and a solution ("Show me")."""

SUFFIX = ".lesson.md"
"""A lesson file's name ends so; the window tells lessons from sessions by it."""
