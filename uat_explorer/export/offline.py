"""Big figures are painted in a separate process: the window keeps drawing, Cancel ends
the work at once, and its memory goes back to the system when the process exits.

A QGraphicsScene can only be painted on the thread that owns it, so "off the GUI thread"
means another process here, running the very same plot widgets.
"""

from __future__ import annotations

import json
import sys
from dataclasses import asdict
from pathlib import Path
from typing import Any

from uat_explorer.core.io.session import Session
from uat_explorer.export.figures import FigureOptions, function_figure, render, write_png

LAUNCH = "import sys; from uat_explorer.export.offline import main; main(sys.argv[1])"


def job(
    session: Session, options: FigureOptions, path: str | Path, kind: str = "figure", **more: Any
) -> dict[str, Any]:
    """Everything the other process needs, as JSON-ready data: ``kind`` "figure" (the
    function plot as a PNG), "backprop_gif" (``sample``, ``scope``, ``text_scale``) or
    "landscape_gif" (``names``, ``steps``, ``frames``, ``text_scale``)."""
    return {
        "kind": kind,
        "session": session.to_dict(),
        "options": asdict(options),
        "path": str(path),
        **more,
    }


def main(job_file: str) -> None:
    """Render the job file (named on the command line); exit 0, or 1 with the reason."""
    from uat_explorer.export.headless import ensure_application

    try:
        data = json.loads(Path(job_file).read_text(encoding="utf-8"))
        fields = data["options"]
        for key in ("x_range", "y_range"):
            if fields.get(key) is not None:
                fields[key] = tuple(fields[key])
        options = FigureOptions(**fields)
        ensure_application()
        _run(data, Session.from_dict(data["session"]), options)
    except Exception as error:  # the window shows it: one line, no traceback
        print(f"{type(error).__name__}: {error}", file=sys.stderr)
        sys.exit(1)


def _run(data: dict[str, Any], session: Session, options: FigureOptions) -> None:
    from uat_explorer.model.state import AppState

    path, kind = data["path"], data.get("kind", "figure")
    if kind == "figure":
        with function_figure(AppState(session), options) as plot:
            image = render(plot, options)
        write_png(image, path)
        return
    from uat_explorer.export.animation import (
        record_backprop_pass,
        record_landscape_path,
        write_gif,
    )

    scale = float(data.get("text_scale", 1.0))
    if kind == "backprop_gif":
        state = AppState(session)
        write_gif(record_backprop_pass(state, data["sample"], data["scope"], options, scale), path)
    elif kind == "landscape_gif":
        recording = record_landscape_path(
            session, data["names"], data["steps"], data["frames"], options, text_scale=scale
        )
        write_gif(recording.images, path)
    else:
        raise ValueError(f"unknown export job {kind!r}")
