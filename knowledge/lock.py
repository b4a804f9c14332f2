"""One index build at a time: an exclusive ``fcntl.flock`` on ``settings.lock_path``.

Two builds interleaving would each start from the same previous index and the later activation
would silently drop the other's documents; a build could also delete a collection another one is
still writing. Everything that writes an index takes this lock: ``netra ingest`` and the first-use
build from the knowledge pack (:func:`knowledge.index.ensure_index`). Readers never take it. The
lock is released by the kernel if the process dies, so a crash never leaves a stale lock.

The lock file holds ``<pid> <purpose>`` of the holder, so a waiting process can say who it waits
for, and an ingest can wait for a short pack build instead of failing.
"""

from __future__ import annotations

import fcntl
import os
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import IO

PURPOSE_INGEST = "ingest"
PURPOSE_PACK_BUILD = "index"  # building the index from the knowledge pack on first use
LOCK_POLL_SECONDS = 0.1


class IngestLockedError(RuntimeError):
    """Another process is building the index."""


def _holder(handle: IO[str]) -> tuple[str, str]:
    handle.seek(0)
    pid, _, purpose = handle.read().strip().partition(" ")
    return pid, purpose


def _acquire(handle: IO[str], path: Path, wait: float, wait_for: frozenset[str] | None) -> None:
    """Take the lock, waiting up to ``wait`` seconds while the holder's purpose is in
    ``wait_for`` (None: whatever the holder does)."""
    deadline = time.monotonic() + wait
    while True:
        try:
            fcntl.flock(handle.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
            return
        except BlockingIOError:
            pid, purpose = _holder(handle)
            patient = wait_for is None or purpose in wait_for
            if not patient or time.monotonic() >= deadline:
                raise IngestLockedError(
                    f"another ingest is running (lock {path}"
                    + (f", held by process {pid}" if pid else "")
                    + (f": {purpose}" if purpose else "")
                    + "); wait for it to finish and try again"
                ) from None
            time.sleep(LOCK_POLL_SECONDS)


@contextmanager
def _holding(handle: IO[str], purpose: str) -> Iterator[None]:
    """Record the holder in the lock file while the (already taken) lock is held."""
    handle.seek(0)
    handle.truncate()
    handle.write(f"{os.getpid()} {purpose}")
    handle.flush()
    try:
        yield
    finally:
        handle.seek(0)
        handle.truncate()
        fcntl.flock(handle.fileno(), fcntl.LOCK_UN)


def _open(path: Path) -> IO[str]:
    path.parent.mkdir(parents=True, exist_ok=True)
    return path.open("a+")


@contextmanager
def ingest_lock(
    path: Path,
    *,
    purpose: str = PURPOSE_INGEST,
    wait: float = 0.0,
    wait_for: frozenset[str] | None = None,
) -> Iterator[None]:
    """Hold the build lock for the block; fail at once (``wait=0``) or after ``wait`` seconds."""
    with _open(path) as handle:
        _acquire(handle, path, wait, wait_for)
        with _holding(handle, purpose):
            yield


@contextmanager
def try_ingest_lock(path: Path, purpose: str = "cleanup") -> Iterator[bool]:
    """The lock if it is free (True), else go on without it (False); never waits."""
    with _open(path) as handle:
        try:
            fcntl.flock(handle.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            yield False
            return
        with _holding(handle, purpose):
            yield True
