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
import time
from collections.abc import Callable, Mapping, Set
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING

from chromadb.errors import NotFoundError

from knowledge import phrases
from knowledge.analysis import Analysis, analyse
from knowledge.compose import Composer
from knowledge.config import Settings
from knowledge.embeddings import EmbeddingCache, NetraEmbeddings, QueryEmbedder, make_embeddings
from knowledge.index import ORIGIN_INGEST, ensure_index
from knowledge.intent import IntentReader, catalogue_questions
from knowledge.lexicon import WordLists
from knowledge.lock import try_ingest_lock
from knowledge.models import Answer, Provision, Status, Truncation
from knowledge.pack import KnowledgePack, load_pack
from knowledge.present import rendered
from knowledge.progress import ProgressFactory, no_progress
from knowledge.retrieval import HybridRetriever, load_snapshot
from knowledge.store import IndexInfo, KnowledgeStore

if TYPE_CHECKING:
    from knowledge.generative import GenerativeAnswerer

log = logging.getLogger(__name__)

# The longest message read in full. With each embedded text cut to the model's window (see
# knowledge.embeddings) this bounds the cost of any one message to well under a second.
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
        self._reload_lock = threading.Lock()
        self.intent_reader = self._intent_reader_for(pack)
        self._loaded = self._load()
        self._clock: Callable[[], float] = time.monotonic
        self._checked_at = self._clock()
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
        drop_unused_builds(store, settings)
        if build:
            ensure_index(store, cache, pack, progress=progress, lock_path=settings.lock_path)
        return cls(settings, pack, store, cache)

    # --- loading ---------------------------------------------------------------------------------
    def _load(self) -> _Loaded:
        collection, info = self.store.open(self.embedder)
        lists = self.pack.word_lists
        snapshot = load_snapshot(self.store, info, self.settings.lexical_dir, lists)
        retriever = HybridRetriever(collection, snapshot, self.query_embedder, lists)
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
        """Follow the active-index pointer (after ``netra ingest``); True when it changed.

        One thread loads the new build while the others go on answering from the current one.
        """
        with self._reload_lock:
            self._checked_at = self._clock()
            name = self.store.active_name()
            if name == self._loaded.info.name:
                return False
            loaded = self._load()
            with self._lock:
                self._loaded = loaded
        log.info("switched to index %s", loaded.info.name)
        return True

    def follow_active(self) -> None:
        """Switch to a new build by ourselves (every replica, not only one that got ``/reload``):
        look at the pointer at most every ``NETRA_INDEX_CHECK_SECONDS``. A failed look keeps the
        current build serving."""
        if self._clock() - self._checked_at < self.settings.index_check_seconds:
            return
        if self._reload_lock.locked():  # another thread is switching already
            return
        try:
            self.reload()
        except Exception as error:
            log.warning("cannot switch to the new index yet (%s); still serving %s",
                        error, self._loaded.info.name)  # fmt: skip

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
        return analyse(
            message[:MAX_QUESTION_CHARS],
            context=context,
            reader=self.intent_reader,
            lists=self.pack.word_lists,
            names=self.pack.regulation_names,
        )

    def answer(self, question: str, *, context: str | None = None, mode: str = "hybrid") -> Answer:
        """Answer one message (which may hold several numbered questions).

        Only the first ``MAX_QUESTION_CHARS`` of a message are read (the answer says so). When the
        build in use was dropped under us (several ingests in a row), reopen and answer again.
        """
        self.follow_active()
        read, truncation = read_message(question, self.pack.word_lists)
        try:
            answer = self._answer(read, context, mode)
        except NotFoundError:
            log.info("index %s is gone; reopening the active one", self._loaded.info.name)
            self.reload()
            answer = self._answer(read, context, mode)
        return answer if truncation is None else _noted(answer, truncation)

    def _answer(self, question: str, context: str | None, mode: str) -> Answer:
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
            cache_dir=self.settings.data_dir / "intent", extra=catalogue_questions(pack.rulings)
        )

    def composer(self, mode: str = "hybrid") -> Composer:
        """The deterministic composer over the current index (cheap; built per question)."""
        loaded = self._loaded
        return Composer(self.pack, loaded.retriever, loaded.provisions, self.settings, mode)


def drop_unused_builds(store: KnowledgeStore, settings: Settings) -> list[str]:
    """Half-built collections (a killed ingest) and long-retired builds, dropped at open when no
    build is running (see :meth:`KnowledgeStore.drop_unused`)."""
    try:
        with try_ingest_lock(settings.lock_path) as held:
            return store.drop_unused() if held else []
    except OSError as error:  # a read-only data dir: serving matters more than tidying
        log.warning("cannot take the build lock to tidy old index builds: %s", error)
        return []


def read_message(message: str, lists: WordLists) -> tuple[str, Truncation | None]:
    """The part of ``message`` that is read, and a note when that is not all of it."""
    if len(message) <= MAX_QUESTION_CHARS:
        return message, None
    cut = message[:MAX_QUESTION_CHARS]
    space = cut.rfind(" ", MAX_QUESTION_CHARS - 200)
    cut = cut[:space] if space > 0 else cut
    en = lists.is_english(cut)
    total, read = f"{len(message):,}", f"{len(cut):,}"
    if not en:  # Indonesian groups thousands with a dot
        total, read = total.replace(",", "."), read.replace(",", ".")
    note = phrases.MESSAGE_CUT.format(en, total=total, read=read)
    return cut, Truncation(chars_read=len(cut), chars_total=len(message), note=note)


def _noted(answer: Answer, truncation: Truncation) -> Answer:
    return rendered(answer.model_copy(update={"truncated": truncation}))


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
    """Official text wins, but keep our id, context, topics, status notes and English forms
    (our English statement of the content stays the English of the official text)."""
    if ours is None:
        return official
    return official.model_copy(
        update={
            "id": ours.id,
            "text_en": ours.text_en,
            "context_en": ours.context_en,
            "note_en": ours.note_en,
            "status_note_en": ours.status_note_en,
            "context": None,
            "topics": ours.topics,
            "status": ours.status if ours.status is not Status.BERLAKU else official.status,
            "status_note": ours.status_note,
            "note": ours.note,
            "source": f"{official.source} (teks resmi); {ours.source}",
        }
    )
