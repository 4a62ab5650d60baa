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


def job(session: Session, options: FigureOptions, path: str | Path) -> dict[str, Any]:
    """Everything the other process needs, as JSON-ready data."""
    return {"session": session.to_dict(), "options": asdict(options), "path": str(path)}


def main(job_file: str) -> None:
    """Render the job file (named on the command line); exit 0, or 1 with the reason."""
    from uat_explorer.export.headless import ensure_application
    from uat_explorer.model.state import AppState

    try:
        data = json.loads(Path(job_file).read_text(encoding="utf-8"))
        fields = data["options"]
        for key in ("x_range", "y_range"):
            if fields.get(key) is not None:
                fields[key] = tuple(fields[key])
        options = FigureOptions(**fields)
        ensure_application()
        state = AppState(Session.from_dict(data["session"]))
        with function_figure(state, options) as plot:
            image = render(plot, options)
        write_png(image, data["path"])
    except Exception as error:  # the window shows it: one line, no traceback
        print(f"{type(error).__name__}: {error}", file=sys.stderr)
        sys.exit(1)
