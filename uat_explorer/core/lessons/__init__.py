"""Lessons: Markdown files of steps, each with a start state, a task checked live against
the network, and a solution ("Show me")."""
