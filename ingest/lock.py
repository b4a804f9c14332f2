"""One ingest at a time: an exclusive, non-blocking ``fcntl.flock`` on ``settings.lock_path``.

Two ingests interleaving would each build an index from the same previous one and the later
activation would silently drop the other's documents. The lock is advisory (readers never take
it) and released by the kernel if the process dies, so a crash never leaves a stale lock.
"""

from __future__ import annotations

import fcntl
import os
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path


class IngestLockedError(RuntimeError):
    """Another ingest holds the lock."""


@contextmanager
def ingest_lock(path: Path) -> Iterator[None]:
    """Hold the ingest lock for the duration of the block, or fail at once if it is taken."""
    path.parent.mkdir(parents=True, exist_ok=True)
    handle = path.open("a+")
    try:
        try:
            fcntl.flock(handle.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            handle.seek(0)
            holder = handle.read().strip()
            raise IngestLockedError(
                f"another ingest is running (lock {path}"
                + (f", held by process {holder}" if holder else "")
                + "); wait for it to finish and try again"
            ) from None
        handle.seek(0)
        handle.truncate()
        handle.write(str(os.getpid()))
        handle.flush()
        try:
            yield
        finally:
            handle.seek(0)
            handle.truncate()
            fcntl.flock(handle.fileno(), fcntl.LOCK_UN)
    finally:
        handle.close()
