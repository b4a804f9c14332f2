"""The answering engine: one object the CLI, the bot, the evaluator and the benchmarks share.

``Engine.open`` wires the components (pack, embedder + cache, Chroma store, hybrid retriever);
``Engine.answer`` turns a message into an :class:`Answer` deterministically: the best-matching
conduct rulings give the verdict, their basis provisions (resolved from the index; official text
when ingested) give the citations. Below a calibrated confidence it abstains. It never outputs a
citation that does not resolve to a provision in the index.
"""

from __future__ import annotations

import copy
import logging
import threading
from collections.abc import Mapping, Set
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING

from knowledge.analysis import Analysis, analyse
from knowledge.compose import Composer
from knowledge.config import Settings
from knowledge.embeddings import EmbeddingCache, NetraEmbeddings, QueryEmbedder, make_embeddings
from knowledge.index import ORIGIN_INGEST, ensure_index
from knowledge.intent import IntentReader
from knowledge.models import Answer, Provision, Status
from knowledge.pack import KnowledgePack, load_pack
from knowledge.progress import ProgressFactory, no_progress
from knowledge.retrieval import HybridRetriever, load_snapshot
from knowledge.store import IndexInfo, KnowledgeStore

if TYPE_CHECKING:
    from knowledge.generative import GenerativeAnswerer

log = logging.getLogger(__name__)

MAX_QUESTION_CHARS = 4000


@dataclass
class _Loaded:
    """Everything that changes together when the active index changes."""

    info: IndexInfo
    retriever: HybridRetriever
    provisions: dict[str, Provision]


class Engine:
    """Answers questions from the active knowledge index. Thread-safe for concurrent ``answer``."""

    def __init__(
        self,
        settings: Settings,
        pack: KnowledgePack,
        store: KnowledgeStore,
        cache: EmbeddingCache,
    ) -> None:
        self.settings = settings
        self.pack = pack
        self.store = store
        self.cache = cache
        self.embedder: NetraEmbeddings = cache.embedder
        self.query_embedder = QueryEmbedder(self.embedder)
        self._lock = threading.Lock()
        self.intent_reader = self._intent_reader_for(pack)
        self._loaded = self._load()
        self.generative: GenerativeAnswerer | None = None
        if settings.answer_mode == "llm":
            from knowledge.generative import GenerativeAnswerer

            self.generative = GenerativeAnswerer.from_settings(settings, self)

    @classmethod
    def open(
        cls,
        settings: Settings,
        *,
        embedder: NetraEmbeddings | None = None,
        store: KnowledgeStore | None = None,
        progress: ProgressFactory = no_progress,
        build: bool = True,
    ) -> Engine:
        """Open the index (building it from the pack on first use unless ``build`` is False)."""
        pack = load_pack(settings.pack_dir)
        embedder = embedder or make_embeddings(settings)
        store = store or KnowledgeStore.from_settings(settings)
        cache = EmbeddingCache(settings.embedding_cache_path, embedder)
        if build:
            ensure_index(store, cache, pack, progress=progress)
        return cls(settings, pack, store, cache)

    # --- loading ---------------------------------------------------------------------------------
    def _load(self) -> _Loaded:
        collection, info = self.store.open(self.embedder)
        snapshot = load_snapshot(self.store, info, self.settings.lexical_dir)
        retriever = HybridRetriever(collection, snapshot, self.query_embedder)
        provisions = dict(self.pack.provisions)
        for record in snapshot.records:
            meta = record.metadata
            if record.kind != "provision" or meta.get("origin") != ORIGIN_INGEST:
                continue
            official = _provision_from_record(record.text, meta)
            if official is not None:
                provisions[official.label] = _merge(provisions.get(official.label), official)
        return _Loaded(info, retriever, provisions)

    def reload(self) -> bool:
        """Follow the active-index pointer (after ``netra ingest``); True when it changed."""
        name = self.store.active_name()
        if name == self._loaded.info.name:
            return False
        loaded = self._load()
        with self._lock:
            self._loaded = loaded
        log.info("switched to index %s", loaded.info.name)
        return True

    # --- public API ------------------------------------------------------------------------------
    @property
    def info(self) -> IndexInfo:
        return self._loaded.info

    @property
    def retriever(self) -> HybridRetriever:
        return self._loaded.retriever

    @property
    def knowledge_version(self) -> str:
        return self.pack.knowledge_version

    def provision(self, label: str) -> Provision | None:
        """A provision by label: the official ingested text when present, else our statement."""
        return self._loaded.provisions.get(label)

    def provisions(self) -> dict[str, Provision]:
        return self._loaded.provisions

    def analyse(self, message: str, *, context: str | None = None) -> Analysis:
        return analyse(message[:MAX_QUESTION_CHARS], context=context, reader=self.intent_reader)

    def answer(self, question: str, *, context: str | None = None, mode: str = "hybrid") -> Answer:
        """Answer one message (which may hold several numbered questions)."""
        composer = self.composer(mode)
        analysis = self.analyse(question, context=context)
        extractive = composer.answer(question, analysis)
        if self.generative is None:
            return extractive
        return self.generative.answer(question, analysis, extractive, composer)

    def without_records(self, record_ids: Set[str]) -> Engine:
        """This engine answering as if ``record_ids`` were not in its index: catalogue
        cross-validation asks a ruling's held-out example phrasings through the normal path
        (see :meth:`HybridRetriever.without`). A view for evaluation; it does not follow reloads.
        """
        view = copy.copy(self)
        view._loaded = replace(self._loaded, retriever=self._loaded.retriever.without(record_ids))
        # What the answer derives from example phrasings must not see the held-out ones either:
        # the rulings' facets (knowledge/situation.py) and the intent reader's question class.
        view.pack = self.pack.without_examples(record_ids)
        view.intent_reader = self._intent_reader_for(view.pack)
        return view

    def _intent_reader_for(self, pack: KnowledgePack) -> IntentReader:
        return IntentReader.load(
            cache_dir=self.settings.data_dir / "intent",
            extra=[(example, "question") for r in pack.rulings for example in r.examples],
        )

    def composer(self, mode: str = "hybrid") -> Composer:
        """The deterministic composer over the current index (cheap; built per question)."""
        loaded = self._loaded
        return Composer(self.pack, loaded.retriever, loaded.provisions, self.settings, mode)


def _provision_from_record(text: str, meta: Mapping[str, object]) -> Provision | None:
    """An ingested official provision as a :class:`Provision` (None if it lacks a level)."""

    def level(key: str) -> str | None:
        value = meta.get(key)
        return str(value) if value not in (None, "") else None

    try:
        return Provision(
            regulation=str(meta.get("regulation", "")),
            pasal=level("pasal"),
            ayat=level("ayat"),
            huruf=level("huruf"),
            angka=level("angka"),
            lampiran=level("lampiran"),
            row=level("row"),
            status_note=level("status_note"),
            penjelasan=bool(meta.get("penjelasan", False)),
            text=text.split(". ", 1)[1] if text.startswith(str(meta.get("label", "\0"))) else text,
            official=True,
            status=Status(str(meta.get("status", "berlaku"))),
            source=str(meta.get("doc_title") or meta.get("source") or "dokumen yang diingest"),
        )
    except ValueError:
        return None


def _merge(ours: Provision | None, official: Provision) -> Provision:
    """Official text wins, but keep our context, topics and status notes."""
    if ours is None:
        return official
    return official.model_copy(
        update={
            "context": None,
            "topics": ours.topics,
            "status": ours.status if ours.status is not Status.BERLAKU else official.status,
            "status_note": ours.status_note,
            "note": ours.note,
            "source": f"{official.source} (teks resmi); {ours.source}",
        }
    )
