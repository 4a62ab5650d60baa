"""Lessons in the window: the lesson dock, its checks, the library and the author's tools."""
