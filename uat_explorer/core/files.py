"""Files as a careful desktop app treats them.

Reading: only regular files (a FIFO would block for ever, /dev/zero never ends), and no
more than a stated number of bytes. Writing: atomic (a crash or a full disk mid-save never
destroys the previous file), through a symbolic link to its target (the link stays a
link), and never onto a device, a pipe or a folder.
"""

from __future__ import annotations

import contextlib
import errno
import os
import stat
import tempfile
import time
from collections.abc import Iterator
from contextvars import ContextVar
from pathlib import Path

from uat_explorer.core.errors import InputError

STALE_TEMP_SECONDS = 60.0
"""A temporary file of ours older than this was left by a save that was killed."""

_STAGED: ContextVar[list[tuple[Path, Path]] | None] = ContextVar("staged", default=None)


def read_regular(path: str | Path, limit: int, what: str = "file") -> bytes:
    """The bytes of a regular file of at most ``limit`` bytes, or an InputError saying
    why not (missing, unreadable, a link loop, not a regular file, too large)."""
    path = Path(path)
    try:
        info = os.stat(path)
    except OSError as error:
        raise InputError(f"cannot read {path}: {_reason(error)}") from None
    if not stat.S_ISREG(info.st_mode):
        raise InputError(
            f"{path.name} is not a regular file (a folder, a pipe or a device), so it is"
            f" not read as a {what}"
        )
    if info.st_size > limit:
        raise InputError(
            f"{path.name} is {_size(info.st_size)}; a {what} is at most {_size(limit)}"
        )
    try:
        with open(path, "rb") as handle:
            data = handle.read(limit + 1)
    except OSError as error:
        raise InputError(f"cannot read {path}: {_reason(error)}") from None
    if len(data) > limit:  # it grew while we looked
        raise InputError(f"{path.name} is larger than {_size(limit)}, the limit for a {what}")
    return data


def _reason(error: OSError) -> str:
    if error.errno == errno.ELOOP:
        return "its symbolic links lead round in a loop"
    return error.strerror or str(error)


def _size(count: int) -> str:
    return f"{count / (1024 * 1024):.1f} MB" if count >= 1024 * 1024 else f"{count:,} bytes"


def absolute(path: str | Path) -> Path:
    """The path with links followed as far as they go; never fails, not even on a link
    loop (Path.resolve raises RuntimeError there)."""
    return Path(os.path.realpath(path))


def _mode_for(path: Path) -> int:
    """The permissions the file would have had from a plain open(): those of the file it
    replaces, or 0666 less the umask (mkstemp alone would leave it private, 0600)."""
    try:
        return path.stat().st_mode & 0o777
    except FileNotFoundError:
        umask = os.umask(0)
        os.umask(umask)
        return 0o666 & ~umask


def save_target(path: str | Path) -> Path:
    """Where a save to ``path`` really writes: through symbolic links to their target.
    An OSError if that is not a regular file (or a new one)."""
    path = Path(path)
    try:
        info = os.stat(path)
    except FileNotFoundError:
        info = None
    except OSError as error:
        raise OSError(error.errno, _reason(error)) from None
    if info is not None and not stat.S_ISREG(info.st_mode):
        raise OSError(errno.EINVAL, "it is not a regular file (a folder, a pipe or a device)")
    return Path(os.path.realpath(path))


def atomic_write_bytes(path: str | Path, data: bytes) -> None:
    """Write to a temporary file beside the real target, flush it to disk, then rename it
    over the target; temporary files that killed saves left behind are removed."""
    target = save_target(path)
    mode = _mode_for(target)
    folder = target.parent
    prefix = f".{target.name}."
    _remove_stale_temps(folder, prefix)
    fd, temp = tempfile.mkstemp(prefix=prefix, suffix=".tmp", dir=folder)
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fchmod(handle.fileno(), mode)
            os.fsync(handle.fileno())
        staged = _STAGED.get()
        if staged is not None:
            staged.append((Path(temp), target))
            return
        os.replace(temp, target)
    except BaseException:
        Path(temp).unlink(missing_ok=True)
        raise


@contextlib.contextmanager
def all_or_nothing() -> Iterator[None]:
    """Every atomic write inside the block is held back, fully written beside its target,
    and renamed over it only if the block ends without an error; otherwise the written
    files are deleted. So a command whose last output fails leaves nothing behind."""
    staged: list[tuple[Path, Path]] = []
    token = _STAGED.set(staged)
    try:
        yield
    except BaseException:
        for temp, _ in staged:
            temp.unlink(missing_ok=True)
        raise
    else:
        for temp, target in staged:
            os.replace(temp, target)
    finally:
        _STAGED.reset(token)


def _remove_stale_temps(folder: Path, prefix: str) -> None:
    """Our own temporaries (".name.XXXX.tmp") older than a minute: a killed save's."""
    now = time.time()
    try:
        candidates = [p for p in folder.iterdir() if p.name.startswith(prefix)]
    except OSError:
        return
    for candidate in candidates:
        if not candidate.name.endswith(".tmp"):
            continue
        try:
            if now - candidate.lstat().st_mtime > STALE_TEMP_SECONDS:
                candidate.unlink()
        except OSError:
            continue


def atomic_write_text(path: str | Path, text: str) -> None:
    atomic_write_bytes(path, text.encode("utf-8"))
