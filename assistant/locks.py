"""File locks: one writer at a time for a build target, and reader locks that keep a build alive.

Both are `flock` locks, which the kernel drops when the holding process exits (even on kill -9),
so a lock file left on disk is never stale: the next writer just takes it. The writer records its
pid in the file so a refusal can say who holds it.
"""

from __future__ import annotations

import contextlib
import fcntl
import os
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import IO


class LockedError(RuntimeError):
    """Another process holds the lock; the message says which and what to do."""


def lock_path(target: Path) -> Path:
    return target.parent / f".{target.name}.lock"


def _holder(handle: IO[str]) -> str:
    handle.seek(0)
    pid = handle.read().strip()
    return f" (pid {pid})" if pid.isdigit() else ""


@contextlib.contextmanager
def writer_lock(target: Path, wait: bool = False, what: str = "") -> Iterator[None]:
    """Hold the exclusive lock on `target`: a second writer is refused at once, or waits (`wait`)."""
    target.parent.mkdir(parents=True, exist_ok=True)
    # "a+" keeps the previous holder's pid readable until we hold the lock and rewrite it.
    with lock_path(target).open("a+", encoding="utf-8") as handle:
        try:
            fcntl.flock(handle, fcntl.LOCK_EX if wait else fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            raise LockedError(
                f"another process{_holder(handle)} is writing {what or target}; try again when it finishes"
            ) from None
        handle.seek(0)
        handle.truncate()
        handle.write(str(os.getpid()))
        handle.flush()
        yield


READERS = ".readers.lock"


def hold_for_reading(directory: Path) -> IO[str] | None:
    """A shared lock on `directory`, held as long as the returned handle stays open (the process
    lifetime, for a served index): garbage collection skips a directory someone holds. None when
    the directory is read-only to this process and has no lock file: it can read, not hold."""
    path = directory / READERS
    for mode in ("a+", "r"):  # a lock file another user created may be read-only to us
        try:
            handle = path.open(mode, encoding="utf-8")
        except OSError:
            continue
        fcntl.flock(handle, fcntl.LOCK_SH)
        return handle
    return None


def remove_unless_in_use(directory: Path) -> bool:
    """Delete `directory` unless a process holds it for reading; True when it was deleted. The
    exclusive lock is held while deleting, so no reader can take the directory half-way."""
    path = directory / READERS
    with path.open("a+", encoding="utf-8") as handle:
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            return False
        shutil.rmtree(directory, ignore_errors=True)
    return True
