"""The composition root: every Netra service built from one :class:`Settings`.

Nothing else constructs collaborators from settings: the engine, the ingest pipeline and the bot
take theirs as arguments, and :class:`Services` builds each one once, on first use, and shares it
(one embedder, one embedding cache, one Chroma client per process). ``bot`` and ``ingest`` never
import each other; the bot gets the ingest function from here.
"""

from __future__ import annotations

from collections.abc import Sequence
from functools import cached_property
from pathlib import Path
from typing import TYPE_CHECKING, Any

from knowledge.config import Settings
from knowledge.embeddings import EmbeddingCache, NetraEmbeddings, make_embeddings
from knowledge.engine import Engine
from knowledge.index import drop_unused_builds, ensure_index
from knowledge.pack import KnowledgePack, load_pack
from knowledge.progress import ProgressFactory, no_progress
from knowledge.store import IndexMissingError, KnowledgeStore

if TYPE_CHECKING:
    from telegram.ext import Application
    from telegram.request import BaseRequest

    from bot.app import BotServices
    from bot.storage import BotStorage
    from ingest.pipeline import IngestReport, Target
    from knowledge.generative import GenerativeAnswerer
    from knowledge.records import DocumentEntry


class Services:
    """Lazily built, shared services of one process. ``embedder``, ``store`` and ``cache``
    replace the configured ones (tests, benchmarks); a given cache brings its embedder."""

    def __init__(
        self,
        settings: Settings,
        *,
        embedder: NetraEmbeddings | None = None,
        store: KnowledgeStore | None = None,
        cache: EmbeddingCache | None = None,
    ) -> None:
        self.settings = settings
        self._embedder = embedder or (cache.embedder if cache else None)
        self._store = store
        self._cache = cache
        self._engine: Engine | None = None

    # --- knowledge ------------------------------------------------------------------------------
    @cached_property
    def embedder(self) -> NetraEmbeddings:
        return self._embedder or make_embeddings(self.settings)

    @cached_property
    def store(self) -> KnowledgeStore:
        return self._store or KnowledgeStore.from_settings(self.settings)

    @cached_property
    def cache(self) -> EmbeddingCache:
        return self._cache or EmbeddingCache(self.settings.embedding_cache_path, self.embedder)

    @cached_property
    def pack(self) -> KnowledgePack:
        """The knowledge pack the engine answers from (an invalid pack stops start-up)."""
        return load_pack(self.settings.pack_dir)

    @cached_property
    def lenient_pack(self) -> KnowledgePack:
        """The pack as ingest and ``netra validate`` read it: problems listed, not raised."""
        return load_pack(self.settings.pack_dir, strict=False)

    def generative(self) -> GenerativeAnswerer | None:
        """The phrasing model when ``NETRA_ANSWER_MODE=llm``, else None."""
        if self.settings.answer_mode != "llm":
            return None
        from knowledge.generative import GenerativeAnswerer

        return GenerativeAnswerer.from_settings(self.settings)

    def engine(self, *, build: bool = True, progress: ProgressFactory = no_progress) -> Engine:
        """The engine over the active index, built from the pack on first use when ``build``;
        without ``build`` a missing index is an :class:`IndexMissingError` saying what to run."""
        if self._engine is None:
            # the pack and the model first: a bad pack or model name fails before anything is
            # written to the data dir
            self.pack, self.embedder  # noqa: B018
            drop_unused_builds(self.store, self.settings.lock_path)
            if build:
                ensure_index(
                    self.store,
                    self.cache,
                    self.pack,
                    progress=progress,
                    lock_path=self.settings.lock_path,
                )
            elif self.store.active_name() is None:
                raise self._no_index()
            self._engine = Engine(
                self.settings, self.pack, self.store, self.cache, generative=self.generative()
            )
        return self._engine

    def _no_index(self) -> IndexMissingError:
        where = self.settings.chroma_host or self.settings.data_dir
        return IndexMissingError(
            f"no knowledge index in {where}. Build it first with `netra ingest` "
            '(or `netra ask "..."`, which builds it from the pack), then run `netra serve` again.'
        )

    # --- ingest ---------------------------------------------------------------------------------
    def ingest_target(self) -> Target:
        from ingest.pipeline import Target

        return Target(self.settings, self.store, self.cache, self.lenient_pack)

    def ingest(self, paths: Sequence[Path | str], **options: Any) -> IngestReport:
        """``netra ingest``: see :func:`ingest.pipeline.ingest_paths` for ``options``."""
        from ingest.pipeline import ingest_paths

        return ingest_paths(self.ingest_target(), paths, **options)

    def ingest_for_bot(self, paths: list[Path], kind: str) -> IngestReport:
        """The admin upload: the bot's :data:`bot.protocols.IngestFunction`."""
        return self.ingest(paths, kind=kind)

    def documents(self) -> list[DocumentEntry]:
        from ingest.pipeline import indexed_documents

        return indexed_documents(self.store)

    # --- bot ------------------------------------------------------------------------------------
    def bot_storage(self) -> BotStorage:
        from bot.storage import BotStorage

        return BotStorage.from_settings(self.settings)

    def bot_services(self, engine: Engine | None = None) -> BotServices:
        """What the bot's handlers use: the engine (over an existing index, never building one:
        that is ``netra ingest``'s job), the bot database, ingest, the phrasing model's
        counters."""
        from bot.app import BotServices

        engine = engine or self.engine(build=False)
        return BotServices(
            engine=engine,
            storage=self.bot_storage(),
            ingest=self.ingest_for_bot,
            phrasing=engine.generative,
        )

    def bot_application(
        self,
        engine: Engine | None = None,
        *,
        request: BaseRequest | None = None,
        updates_request: BaseRequest | None = None,
    ) -> Application:  # type: ignore[type-arg]
        """The configured Telegram Application (not started)."""
        from bot.app import build_application

        return build_application(
            self.settings,
            self.bot_services(engine),
            request=request,
            updates_request=updates_request,
        )

    def close(self) -> None:
        """Close what this object opened (a cache handed in belongs to its owner)."""
        if "cache" in self.__dict__ and self._cache is None:
            self.cache.close()


def open_engine(
    settings: Settings,
    *,
    embedder: NetraEmbeddings | None = None,
    store: KnowledgeStore | None = None,
    progress: ProgressFactory = no_progress,
    build: bool = True,
) -> Engine:
    """One engine from ``settings`` (scripts, tests and benchmarks that need nothing else)."""
    return Services(settings, embedder=embedder, store=store).engine(build=build, progress=progress)


def ingest_paths(
    settings: Settings,
    paths: Sequence[Path | str],
    *,
    cache: EmbeddingCache | None = None,
    **options: Any,
) -> IngestReport:
    """One ingest from ``settings``; ``cache`` shares an embedding cache (its embedder too)."""
    services = Services(settings, cache=cache)
    try:
        return services.ingest(paths, **options)
    finally:
        services.close()


def indexed_documents(settings: Settings) -> list[DocumentEntry]:
    """The documents manifest of the active index."""
    return Services(settings).documents()
