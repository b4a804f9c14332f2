"""The narrow view of the answering engine the bot depends on.

Handlers are written against this protocol rather than :class:`knowledge.engine.Engine` so that
unit tests can use a tiny fake returning real :class:`Answer` objects, and so the bot never
reaches into engine internals.
"""

from __future__ import annotations

from typing import Any, Protocol

from knowledge.models import Answer, Provision


class AnswerEngine(Protocol):
    """What the bot needs from the engine (``knowledge.engine.Engine`` satisfies it)."""

    @property
    def knowledge_version(self) -> str: ...

    @property
    def info(self) -> Any: ...  # IndexInfo: ``documents`` (manifest list), ``name``, ``count``

    @property
    def pack(self) -> Any: ...  # KnowledgePack: ``regulations`` by id

    def answer(self, question: str, *, context: str | None = None) -> Answer: ...

    def provision(self, label: str) -> Provision | None: ...

    def reload(self) -> bool: ...
