"""The answering engine: one object the CLI, the bot, the evaluator and the benchmarks share.

The application's wiring (:mod:`netra.wiring`) builds its collaborators (pack, embedder cache,
Chroma store, the optional phrasing model) and hands them in. ``Engine.answer`` turns a message
into an :class:`Answer` deterministically: the best-matching conduct rulings give the verdict,
their basis provisions (resolved from the index; official text when ingested) give the citations.
Below a calibrated confidence it abstains. It never outputs a citation that does not resolve to a
provision in the index.
"""

from __future__ import annotations

import copy
import logging
import threading
import time
from collections.abc import Callable, Set
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING

from chromadb.errors import NotFoundError

from knowledge import phrases
from knowledge.analysis import Analysis, analyse
from knowledge.compose import Composer
from knowledge.config import Settings
from knowledge.embeddings import EmbeddingCache, NetraEmbeddings, QueryEmbedder
from knowledge.intent import IntentReader, catalogue_questions
from knowledge.lexicon import WordLists
from knowledge.models import Answer, Provision, Status, Truncation
from knowledge.pack import KnowledgePack
from knowledge.present import rendered
from knowledge.records import is_ingested_provision, provision_from_record
from knowledge.retrieval import HybridRetriever, load_snapshot
from knowledge.situation import read_situation
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
        *,
        generative: GenerativeAnswerer | None = None,
    ) -> None:
        """``generative`` phrases ruling answers (``NETRA_ANSWER_MODE=llm``); None keeps every
        answer extractive."""
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
        self.generative = generative

    # --- loading ---------------------------------------------------------------------------------
    def _load(self) -> _Loaded:
        collection, info = self.store.open(self.embedder)
        lists = self.pack.word_lists
        snapshot = load_snapshot(self.store, info, self.settings.lexical_dir, lists)
        retriever = HybridRetriever(collection, snapshot, self.query_embedder, lists)
        provisions = dict(self.pack.provisions)
        for record in filter(is_ingested_provision, snapshot.records):
            official = provision_from_record(record)
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
            names_act=lambda text: bool(read_situation(text, self.pack.lexicon).acts),
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
            cache_dir=self.settings.intent_dir, extra=catalogue_questions(pack.rulings)
        )

    def composer(self, mode: str = "hybrid") -> Composer:
        """The deterministic composer over the current index (cheap; built per question)."""
        loaded = self._loaded
        return Composer(self.pack, loaded.retriever, loaded.provisions, self.settings, mode)


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
