"""Domain errors become one-line messages (exit code 1) here, at the edge, never tracebacks."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

import click

from ingest.lock import IngestLockedError
from ingest.report import IngestError
from knowledge.config import ConfigError, LLMSetupError
from knowledge.embeddings import EmbeddingError
from knowledge.pack import PackError
from knowledge.store import IndexMismatchError, IndexMissingError

FRIENDLY_ERRORS = (
    ConfigError,
    EmbeddingError,
    IndexMismatchError,
    IndexMissingError,
    IngestError,
    IngestLockedError,
    LLMSetupError,
    PackError,
)


@contextmanager
def friendly_errors() -> Iterator[None]:
    """Turn domain errors into a one-line message instead of a traceback."""
    try:
        yield
    except FRIENDLY_ERRORS as error:
        raise click.ClickException(str(error)) from None
