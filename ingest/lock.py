"""The build lock, re-exported for the ingest side (it lives in :mod:`knowledge.lock` because
the first-use pack build in ``knowledge.index`` takes it too)."""

from knowledge.lock import IngestLockedError, ingest_lock, try_ingest_lock

__all__ = ["IngestLockedError", "ingest_lock", "try_ingest_lock"]
