"""The narrow views of the application's services that the bot depends on.

Handlers are written against these protocols rather than :class:`knowledge.engine.Engine` or the
ingest pipeline, so unit tests can use tiny fakes returning real :class:`Answer` objects, and so
the bot never reaches into engine internals nor imports ``ingest`` (the application's wiring,
:mod:`netra.wiring`, hands the real ones in).
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any, Protocol

from knowledge.models import Answer, Provision
from knowledge.store import IndexInfo


class AnswerEngine(Protocol):
    """What the bot needs from the engine (``knowledge.engine.Engine`` satisfies it)."""

    @property
    def knowledge_version(self) -> str: ...

    @property
    def info(self) -> IndexInfo: ...

    @property
    def pack(self) -> Any: ...  # KnowledgePack: ``regulations`` by id

    def answer(self, question: str, *, context: str | None = None) -> Answer: ...

    def provision(self, label: str) -> Provision | None: ...

    def reload(self) -> bool: ...


class IngestReportView(Protocol):
    """What the admin upload shows of an ingest report (``ingest.report.IngestReport``)."""

    @property
    def ok(self) -> bool: ...

    def to_dict(self) -> dict[str, Any]: ...


# Ingest uploaded files into a new index: (paths, kind) -> report; kind is regulation /
# transcript / auto, as the admin's caption asked.
IngestFunction = Callable[[list[Path], str], IngestReportView]


class PhrasingStats(Protocol):
    """The phrasing model's counters for ``/stats`` (``knowledge.generative.GenerativeAnswerer``)."""

    def stats(self) -> dict[str, Any]: ...
