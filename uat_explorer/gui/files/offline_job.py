"""An export painted by another process (a big figure, an animation), with a Cancel
button: the window keeps drawing while it works, and a cancelled job leaves nothing (its
write is atomic)."""

from __future__ import annotations

import json
import sys
import tempfile
from pathlib import Path
from typing import Any

from PySide6.QtCore import QEventLoop, QProcess, QProcessEnvironment, Qt
from PySide6.QtWidgets import QProgressDialog, QWidget

from uat_explorer.export.offline import LAUNCH

CANCELLED = "Export cancelled: nothing was written"


def run_offline(parent: QWidget, job: dict[str, Any], doing: str) -> str | None:
    """Run ``job`` (``export.offline.job``); None when it was written, else why not
    (CANCELLED if the person cancelled). ``doing`` is said while it works."""
    with tempfile.TemporaryDirectory(prefix="uat-export-") as folder:
        job_file = Path(folder) / "job.json"
        try:
            job_file.write_text(json.dumps(job))
        except (OSError, ValueError) as error:
            return f"the job could not be prepared ({error})"
        process = QProcess(parent)
        environment = QProcessEnvironment.systemEnvironment()
        environment.insert("QT_QPA_PLATFORM", "offscreen")  # no window, no display
        process.setProcessEnvironment(environment)
        dialog = QProgressDialog(f"{doing}…", "Cancel", 0, 0, parent)
        dialog.setObjectName("exportProgress")
        dialog.setWindowModality(Qt.WindowModality.WindowModal)
        dialog.setMinimumDuration(300)
        loop = QEventLoop()
        process.finished.connect(loop.quit)
        process.errorOccurred.connect(lambda _error: loop.quit())
        dialog.canceled.connect(process.kill)
        dialog.canceled.connect(loop.quit)
        frozen = getattr(sys, "frozen", False)  # a bundle's executable is the app
        launch = ["--export-job"] if frozen else ["-c", LAUNCH]
        process.start(sys.executable, [*launch, str(job_file)])
        loop.exec()
        dialog.close()
        if process.state() != QProcess.ProcessState.NotRunning:
            process.kill()
            process.waitForFinished(2000)
        if process.exitStatus() == QProcess.ExitStatus.NormalExit and process.exitCode() == 0:
            return None
        if dialog.wasCanceled():
            return CANCELLED
        reason = bytes(process.readAllStandardError().data()).decode(errors="replace")
        return reason.strip().splitlines()[-1] if reason.strip() else "it stopped"
