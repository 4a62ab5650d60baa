"""Every file a command will write, checked before any work: a long fit never finds out
at its end that its folder does not exist. A command writes all its files or none
(``core.files.all_or_nothing`` holds them back until it succeeds)."""

from __future__ import annotations

import argparse
import os
from pathlib import Path

from uat_explorer.core.errors import InputError
from uat_explorer.core.files import absolute, save_target

OUTPUTS = (
    "session_out",
    "export_png",
    "export_svg",
    "export_csv",
    "export_params",
    "export_gif",
    "backprop_png",
    "backprop_svg",
    "backprop_gif",
    "gradients_csv",
    "timeline_png",
    "pdf",
    "folder",
)
"""The options that name a file (or, for --folder, a folder) a command writes."""


def check_outputs(args: argparse.Namespace) -> None:
    """An InputError naming the option if a file could not be written: an empty name, a
    folder that does not exist or cannot be written, a folder or device in the file's
    place, or two options naming one file."""
    seen: dict[Path, str] = {}
    for key in OUTPUTS:
        value = getattr(args, key, None)
        if value is None:
            continue
        flag = "--" + key.replace("_", "-")
        if not str(value).strip():
            raise InputError(f"{flag} needs a file name")
        path = Path(value)
        folder = path if key == "folder" else path.parent
        if key == "folder" and not folder.exists():
            folder = folder.parent
        where = f"cannot write {value} ({flag})"
        if not folder.is_dir():
            raise InputError(f"{where}: the folder {folder} does not exist")
        if not os.access(folder, os.W_OK):
            raise InputError(f"{where}: no permission to write in {folder}")
        if key != "folder":
            try:
                save_target(path)
            except OSError as error:
                raise InputError(f"{where}: {error.strerror or error}") from None
        resolved = absolute(path)
        if resolved in seen:
            raise InputError(f"{flag} and {seen[resolved]} name the same file, {value}")
        seen[resolved] = flag
