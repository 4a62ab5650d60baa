"""`uat-explorer --install-desktop-entry`: UAT Explorer in this user's app menu on Linux.

What it writes under $XDG_DATA_HOME (~/.local/share), and nothing else:

- ``applications/uat-explorer.desktop``: the menu entry; it runs the very command that
  wrote it (the bundle's executable, the ``uat-explorer`` script, or ``python -m``), so
  it starts the installation the person just used, with the double-clicked file as %f.
- ``icons/hicolor/<N>x<N>/apps/uat-explorer.png`` and ``scalable/apps/uat-explorer.svg``.
- ``mime/packages/uat-explorer.xml``: the two file types the entry opens. A session is
  an ordinary ``.json`` file with ``"app": "uat-explorer"`` in its first lines, so its type
  is told by that content: a ``*.json`` glob of low weight puts it beside
  application/json, and the magic rule picks it only when the content says so (checked
  with GIO and Qt: without the glob, Qt never looks at the content of a ``.json``, and
  other JSON stays application/json). A lesson is ``*.lesson.md``, a longer glob than
  ``*.md``, so it wins over text/markdown.

Then the desktop's databases are refreshed by their own tools where present.
``--uninstall-desktop-entry`` removes those files (and icon folders left empty) and
refreshes the databases again, so they no longer mention the app.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from importlib import resources
from pathlib import Path

from uat_explorer.core import InputError
from uat_explorer.core.files import atomic_write_bytes

APP_ID = "uat-explorer"
SESSION_TYPE = "application/x-uat-explorer-session"
LESSON_TYPE = "text/x-uat-explorer-lesson"
_ICON_NAME = re.compile(rf"{APP_ID}-(\d+)\.png")

MIME_PACKAGE = f"""\
<?xml version="1.0" encoding="UTF-8"?>
<mime-info xmlns="http://www.freedesktop.org/standards/shared-mime-info">
  <mime-type type="{SESSION_TYPE}">
    <comment>UAT Explorer session</comment>
    <sub-class-of type="application/json"/>
    <icon name="{APP_ID}"/>
    <glob pattern="*.json" weight="10"/>
    <magic priority="80">
      <match type="string" value="&quot;app&quot;: &quot;uat-explorer&quot;" offset="0:64"/>
      <match type="string" value="&quot;app&quot;:&quot;uat-explorer&quot;" offset="0:64"/>
    </magic>
  </mime-type>
  <mime-type type="{LESSON_TYPE}">
    <comment>UAT Explorer lesson</comment>
    <sub-class-of type="text/markdown"/>
    <icon name="{APP_ID}"/>
    <glob pattern="*.lesson.md"/>
  </mime-type>
</mime-info>
"""

_EXEC_RESERVED = set(" \t\n\"'\\><~|&;$*?#()`")
_EXEC_ESCAPED = set('"`$\\')


def data_home() -> Path:
    """$XDG_DATA_HOME if it is an absolute path (the spec ignores a relative one), else
    ~/.local/share."""
    configured = os.environ.get("XDG_DATA_HOME", "")
    if configured and Path(configured).is_absolute():
        return Path(configured)
    return Path.home() / ".local" / "share"


def launch_command() -> list[str]:
    """How to start the installation that is running now, as an absolute command."""
    if getattr(sys, "frozen", False):  # a PyInstaller bundle: its executable is the app
        return [sys.executable]
    script = Path(sys.argv[0])
    if script.name == APP_ID and script.is_file():
        return [str(script.absolute())]  # links kept: ~/.local/bin/uat-explorer stays valid
    return [sys.executable, "-m", "uat_explorer"]


def _exec_argument(argument: str) -> str:
    """One argument of an Exec key: quoted if it has a reserved character, with the
    escapes the Desktop Entry spec asks for inside quotes, then %% for a literal %."""
    if any(char in _EXEC_RESERVED for char in argument):
        inner = "".join("\\" + c if c in _EXEC_ESCAPED else c for c in argument)
        argument = f'"{inner}"'
    return argument.replace("%", "%%")


def _string_value(text: str) -> str:
    """A desktop file's string escapes (applied before the Exec quoting is read)."""
    return text.replace("\\", "\\\\").replace("\n", "\\n").replace("\t", "\\t").replace("\r", "\\r")


def desktop_entry(command: list[str]) -> str:
    exec_line = " ".join([*(_exec_argument(part) for part in command), "%f"])
    return f"""\
[Desktop Entry]
Type=Application
Version=1.1
Name=UAT Explorer
GenericName=Neural network explorer
Comment=Compose neurons by hand, then watch backprop fit a curve
Exec={_string_value(exec_line)}
TryExec={_string_value(command[0])}
Icon={APP_ID}
Terminal=false
Categories=Education;Science;Math;
MimeType={SESSION_TYPE};{LESSON_TYPE};
Keywords=neural network;universal approximation;backpropagation;sigmoid;
StartupNotify=true
"""


def _icons() -> dict[str, bytes]:
    """The icon files of the package, by their path under icons/hicolor."""
    folder = resources.files("uat_explorer") / "resources" / "icons"
    sizes = sorted(int(m[1]) for e in folder.iterdir() if (m := _ICON_NAME.fullmatch(e.name)))
    found = {"scalable/apps/uat-explorer.svg": (folder / f"{APP_ID}.svg").read_bytes()}
    for n in sizes:
        found[f"{n}x{n}/apps/{APP_ID}.png"] = (folder / f"{APP_ID}-{n}.png").read_bytes()
    return found


def files(home: Path, command: list[str]) -> dict[Path, bytes]:
    """Every file the install writes, with its content."""
    written = {
        home / "applications" / f"{APP_ID}.desktop": desktop_entry(command).encode(),
        home / "mime" / "packages" / f"{APP_ID}.xml": MIME_PACKAGE.encode(),
    }
    for name, data in _icons().items():
        written[home / "icons" / "hicolor" / name] = data
    return written


def _refresh(home: Path) -> None:
    """Tell the desktop: its databases of file types, of which app opens them, of icons."""
    runs = [
        ("update-mime-database", [str(home / "mime")]),
        ("update-desktop-database", ["-q", str(home / "applications")]),
    ]
    icons = home / "icons" / "hicolor"
    if (icons / "icon-theme.cache").exists():  # without a cache, GTK reads the folder
        runs.append(("gtk-update-icon-cache", ["-q", "-f", "-t", str(icons)]))
    for tool, arguments in runs:
        if shutil.which(tool) is None:
            continue
        done = subprocess.run([tool, *arguments], capture_output=True, text=True, check=False)
        if done.returncode == 0:
            print(f"ran {tool} {arguments[-1]}")
        else:
            last = (done.stderr.strip().splitlines() or ["no reason given"])[-1]
            print(f"uat-explorer: warning: {tool} failed: {last}", file=sys.stderr)


def _linux_only() -> None:
    if not sys.platform.startswith("linux"):
        raise InputError(
            "the desktop entry is for Linux desktops only; on macOS and Windows, use the"
            " standalone app (see packaging/ in the source)"
        )


def install() -> int:
    _linux_only()
    home = data_home()
    for path, data in files(home, launch_command()).items():
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            atomic_write_bytes(path, data)
        except OSError as error:
            raise InputError(f"cannot write {path}: {error.strerror or error}") from None
        print(f"wrote {path}")
    _refresh(home)
    return 0


def uninstall() -> int:
    _linux_only()
    home = data_home()
    icons = home / "icons" / "hicolor"
    removed = 0
    for path in files(home, launch_command()):
        try:
            path.unlink()
        except FileNotFoundError:
            continue
        except OSError as error:
            raise InputError(f"cannot remove {path}: {error.strerror or error}") from None
        removed += 1
        print(f"removed {path}")
        if icons in path.parents:
            _prune(path.parent, icons)
    if removed == 0:
        print(f"nothing to remove: no UAT Explorer desktop entry under {home}")
        return 0
    _refresh(home)
    return 0


def _prune(folder: Path, stop: Path) -> None:
    """Remove ``folder`` and its parents below ``stop`` while they are empty (the icon
    folders the install made, such as 22x22/apps)."""
    while folder != stop:
        try:
            folder.rmdir()
        except OSError:  # not empty: another app's icons are there too
            return
        folder = folder.parent
