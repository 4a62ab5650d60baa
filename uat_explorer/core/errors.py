"""The one exception type for bad user input, so every front end can show it as a message."""


class InputError(ValueError):
    """Bad input from a person or a file: its message is written for that person."""
