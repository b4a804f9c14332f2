"""Hybrid retrieval: dense (Chroma, the configured embedding) + lexical (bm25s), fused by RRF.

The lexical side needs every record's text in memory. It is read from the active Chroma collection
once per index build and kept as a snapshot under ``NETRA_DATA_DIR/lexical/<collection>`` (records,
their BM25 tokens and the saved bm25s index), so a cold start loads files instead of paging
through Chroma and re-indexing. That is also correct for several replicas sharing a Chroma server:
the snapshot is keyed by the collection name, and every build has a new name.

Why the conduct catalogue (rulings and their example phrasings) is searched in memory: every
answer ranks it, it is small (about a thousand vectors), and an exact dot product over it takes
well under a millisecond, whereas a Chroma query restricted by a metadata filter costs ~150 ms once
the index holds 50k ingested chunks. Chroma serves everything else, queried without a filter (the
kind is checked here), with a filtered query only as a fallback when the wanted kind is rare.
"""

from __future__ import annotations

import logging
import os
import pickle
import shutil
import threading
from collections import Counter
from collections.abc import Sequence, Set
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import bm25s
import numpy as np
from chromadb.api.models.Collection import Collection

from knowledge.embeddings import QueryEmbedder
from knowledge.lexicon import WordLists
from knowledge.recent import Recent
from knowledge.store import IndexInfo, IndexRecord, KnowledgeStore
from knowledge.text import TypoCorrector

log = logging.getLogger(__name__)
# bm25s sets its own logger to DEBUG when imported, so its "Building index from tokens" reached
# every user's terminal whatever the CLI had configured before the (lazy) import.
logging.getLogger("bm25s").setLevel(logging.WARNING)

RRF_K = 60
SNAPSHOT_VERSION = 2
# Record kinds searched in memory (see the module docstring).
MEMORY_KINDS = frozenset({"ruling", "example"})


@dataclass
class Hit:
    """One retrieved record with the evidence for it."""

    record: IndexRecord
    score: float
    dense: float | None = None
    lexical: float | None = None
    dense_rank: int | None = None
    lexical_rank: int | None = None


@dataclass
class Snapshot:
    """Records of one index build with their BM25 tokens (persisted per collection)."""

    version: int
    name: str
    records: list[IndexRecord]
    corpus_tokens: list[list[str]] = field(default_factory=list)
    tokenizer: str = ""
    # Vectors of the records whose kind is in MEMORY_KINDS, row i for record memory_rows[i].
    memory_rows: list[int] = field(default_factory=list)
    memory_vectors: np.ndarray | None = None
    bm25: bm25s.BM25 | None = field(default=None, repr=False, compare=False)


def _snapshot_path(directory: Path, name: str) -> Path:
    return directory / name / "snapshot.pkl"


def _bm25_dir(directory: Path, name: str) -> Path:
    return directory / name / "bm25"


def _index_bm25(corpus_tokens: list[list[str]], save_to: Path | None = None) -> bm25s.BM25:
    """A BM25 index of the corpus, saved to ``save_to`` when given (for the next start)."""
    bm25 = bm25s.BM25()
    bm25.index([t or ["_"] for t in corpus_tokens], show_progress=False)
    if save_to is not None:
        _save_bm25(bm25, save_to)
    return bm25


def load_snapshot(
    store: KnowledgeStore, info: IndexInfo, directory: Path, lists: WordLists
) -> Snapshot:
    """The records of the active index, from the local snapshot files or (once) from Chroma,
    tokenised with ``lists`` (a snapshot made with other word lists is rebuilt)."""
    path = _snapshot_path(directory, info.name)
    if path.exists():
        try:
            with path.open("rb") as handle:
                snapshot = pickle.load(handle)  # noqa: S301 - our own file in our data dir
            if (
                isinstance(snapshot, Snapshot)
                and snapshot.version == SNAPSHOT_VERSION
                and snapshot.tokenizer == lists.fingerprint
            ):
                bm25_dir = _bm25_dir(directory, info.name)
                snapshot.bm25 = _load_bm25(bm25_dir) or _index_bm25(
                    snapshot.corpus_tokens, bm25_dir
                )
                return snapshot
        except (OSError, pickle.UnpicklingError, EOFError, AttributeError, TypeError):
            log.warning("lexical snapshot %s unreadable; rebuilding it", path)
    records: list[IndexRecord] = []
    memory_rows: list[int] = []
    memory_vectors: list[np.ndarray] = []
    for record, vector in store.iter_records(info.name, with_vectors=True):
        if record.kind in MEMORY_KINDS and vector is not None:
            memory_rows.append(len(records))
            memory_vectors.append(vector)
        records.append(record)
    corpus_tokens = [lists.tokens(r.text) for r in records]
    snapshot = Snapshot(
        SNAPSHOT_VERSION,
        info.name,
        records,
        corpus_tokens,
        lists.fingerprint,
        memory_rows,
        np.stack(memory_vectors).astype(np.float32) if memory_vectors else None,
    )
    _write_snapshot(snapshot, path)
    snapshot.bm25 = _index_bm25(corpus_tokens, _bm25_dir(directory, info.name))
    _prune(directory, keep=info.name)
    return snapshot


def _write_snapshot(snapshot: Snapshot, path: Path) -> None:
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp = path.with_suffix(f".{os.getpid()}.{threading.get_ident()}.tmp")  # readers race
        with tmp.open("wb") as handle:
            pickle.dump(snapshot, handle, protocol=pickle.HIGHEST_PROTOCOL)
        tmp.replace(path)
    except OSError as error:  # a read-only data dir only costs start-up time
        log.warning("cannot write lexical snapshot %s: %s", path, error)


def _save_bm25(bm25: bm25s.BM25, target: Path) -> None:
    """Save the BM25 index beside the snapshot (written to a temporary dir, then renamed)."""
    tmp = target.with_name(f"{target.name}.{os.getpid()}.{threading.get_ident()}.tmp")
    try:
        shutil.rmtree(tmp, ignore_errors=True)
        bm25.save(str(tmp), show_progress=False)
        shutil.rmtree(target, ignore_errors=True)
        tmp.rename(target)
    except OSError as error:  # e.g. another reader renamed its (identical) copy first
        shutil.rmtree(tmp, ignore_errors=True)
        if not target.is_dir():
            log.warning("cannot save the BM25 index to %s: %s", target, error)


def _load_bm25(source: Path) -> bm25s.BM25 | None:
    if not source.is_dir():
        return None
    try:
        return bm25s.BM25.load(str(source), mmap=True, show_progress=False)
    except (OSError, ValueError, KeyError) as error:
        log.warning("BM25 index %s unreadable (%s); re-indexing", source, error)
        return None


def _top(scores: np.ndarray, k: int) -> np.ndarray:
    """Indices of the ``k`` highest scores, best first (ties keep index order)."""
    n = min(k, len(scores))
    if n <= 0:
        return np.zeros(0, dtype=np.int64)
    top = np.argpartition(-scores, n - 1)[:n]
    return top[np.argsort(-scores[top], kind="stable")]


def _prune(directory: Path, keep: str) -> None:
    if not directory.exists():
        return
    for child in directory.iterdir():
        if child.is_dir() and child.name != keep:
            shutil.rmtree(child, ignore_errors=True)


class HybridRetriever:
    """Dense + BM25 retrieval over one index build, with metadata filters."""

    def __init__(
        self,
        collection: Collection,
        snapshot: Snapshot,
        query_embedder: QueryEmbedder,
        lists: WordLists,
    ) -> None:
        self.collection = collection
        self.lists = lists
        self.records = snapshot.records
        self.by_id = {r.id: i for i, r in enumerate(self.records)}
        self.embed = query_embedder
        self.corpus_tokens = snapshot.corpus_tokens
        self.bm25 = snapshot.bm25 or _index_bm25(snapshot.corpus_tokens)
        self.vocabulary = set(self.bm25.vocab_dict)
        self.typos = TypoCorrector(self.vocabulary)
        self._query_tokens: Recent[str, list[str]] = Recent(256)
        self._kinds = np.array([r.kind for r in self.records])
        self.kind_counts = Counter(r.kind for r in self.records)
        self._memory_rows = np.array(snapshot.memory_rows, dtype=np.int64)
        self._memory_vectors = snapshot.memory_vectors
        self._memory_kinds = self._kinds[self._memory_rows] if len(self._memory_rows) else None
        self.excluded: frozenset[str] = frozenset()

    def without(self, record_ids: Set[str]) -> HybridRetriever:
        """This index as if ``record_ids`` had never been indexed (catalogue cross-validation).

        The records keep their positions (indices stay valid) but lose their BM25 tokens, so they
        add nothing to term statistics or the vocabulary (the BM25 index is rebuilt), their rows
        leave the in-memory vectors, and Chroma results drop them. Vectors are reused, never
        re-embedded.
        """
        excluded = frozenset(record_ids) | self.excluded
        corpus_tokens = [
            [] if record.id in excluded else self.corpus_tokens[index]
            for index, record in enumerate(self.records)
        ]
        keep = [
            row
            for row, index in enumerate(self._memory_rows.tolist())
            if self.records[index].id not in excluded
        ]
        vectors = self._memory_vectors[keep] if self._memory_vectors is not None else None
        snapshot = Snapshot(
            SNAPSHOT_VERSION,
            "",
            self.records,
            corpus_tokens,
            self.lists.fingerprint,
            self._memory_rows[keep].tolist(),
            vectors if vectors is not None and len(vectors) else None,
        )
        view = HybridRetriever(self.collection, snapshot, self.embed, self.lists)
        view.excluded = excluded
        return view

    def record_tokens(self, record_id: str) -> list[str]:
        """The BM25 tokens of an indexed record (computed once, at snapshot time)."""
        index = self.by_id.get(record_id)
        return self.corpus_tokens[index] if index is not None else []

    def query_tokens(self, text: str) -> list[str]:
        """BM25 tokens of a question, typo-corrected and restricted to the index vocabulary
        (remembered for recent questions: ranking asks for them more than once per answer)."""
        known = self._query_tokens.get(text)
        if known is None:
            known = [t for t in self.typos(self.lists.tokens(text)) if t in self.vocabulary]
            self._query_tokens.put(text, known)
        return list(known)

    def lexical(
        self, text: str, k: int, kinds: Sequence[str] | None = None
    ) -> list[tuple[int, float]]:
        """(record index, BM25 score) best first; empty when no query word is known."""
        query = self.query_tokens(text)
        if not query or (kinds and not any(self.kind_counts[kind] for kind in kinds)):
            return []
        mask = None
        if kinds:
            mask = np.isin(self._kinds, list(kinds)).astype(np.float32)
        # get_scores + argpartition: bm25s.retrieve would start a thread pool for every query.
        scores = self.bm25.get_scores(query, weight_mask=mask)
        return [(int(d), float(scores[d])) for d in _top(scores, k) if scores[d] > 0]

    def dense(
        self,
        vector: np.ndarray,
        k: int,
        kinds: Sequence[str] | None = None,
        where: dict[str, Any] | None = None,
    ) -> list[tuple[int, float]]:
        """(record index, cosine similarity) best first.

        The catalogue kinds are scored exactly in memory; other kinds through Chroma's HNSW index,
        unfiltered when possible (see the module docstring).
        """
        if kinds and not where:
            wanted = set(kinds)
            if not any(self.kind_counts[kind] for kind in wanted):
                return []
            if wanted <= MEMORY_KINDS and self._memory_vectors is not None:
                return self._dense_in_memory(vector, k, wanted)
            depth = min(len(self.records), max(4 * k, 64))
            found = [
                (index, similarity)
                for index, similarity in self._chroma_query(vector, depth, None)
                if self.records[index].kind in wanted
            ]
            if len(found) >= k or depth >= len(self.records):
                return found[:k]
        return self._chroma_query(vector, k, self._where(kinds, where))

    def _dense_in_memory(
        self, vector: np.ndarray, k: int, kinds: set[str]
    ) -> list[tuple[int, float]]:
        assert self._memory_vectors is not None and self._memory_kinds is not None
        similarities = self._memory_vectors @ np.asarray(vector, dtype=np.float32)
        allowed = np.isin(self._memory_kinds, list(kinds))
        similarities = np.where(allowed, similarities, -np.inf)
        top = _top(similarities, min(k, int(allowed.sum())))
        return [(int(self._memory_rows[i]), float(similarities[i])) for i in top]

    @staticmethod
    def _where(kinds: Sequence[str] | None, where: dict[str, Any] | None) -> dict[str, Any] | None:
        clauses: list[dict[str, Any]] = []
        if kinds:
            clauses.append({"kind": {"$in": list(kinds)}})
        if where:
            clauses.extend({key: value} for key, value in where.items())
        if len(clauses) == 1:
            return clauses[0]
        return {"$and": clauses} if clauses else None

    def _chroma_query(
        self, vector: np.ndarray, k: int, filter_: dict[str, Any] | None
    ) -> list[tuple[int, float]]:
        result = self.collection.query(
            query_embeddings=[vector],
            n_results=min(k, len(self.records)),
            where=filter_,
            include=["distances"],
        )
        ids = result["ids"][0]
        distances = (result.get("distances") or [[]])[0]
        out = []
        for record_id, distance in zip(ids, distances, strict=True):
            index = self.by_id.get(record_id)
            if index is not None and record_id not in self.excluded:
                out.append((index, 1.0 - float(distance)))
        return out

    def search(
        self,
        text: str,
        *,
        k: int = 20,
        kinds: Sequence[str] | None = None,
        where: dict[str, Any] | None = None,
        mode: str = "hybrid",
        vector: np.ndarray | None = None,
    ) -> list[Hit]:
        """Fused results; ``mode`` 'dense' or 'lexical' gives the single-retriever baselines."""
        depth = max(k * 3, 30)
        dense = []
        lexical = []
        if mode in ("hybrid", "dense"):
            dense = self.dense(self.embed(text) if vector is None else vector, depth, kinds, where)
        if mode in ("hybrid", "lexical"):
            lexical = self.lexical(text, depth, kinds)
            if where:
                lexical = [
                    (i, s)
                    for i, s in lexical
                    if all(
                        self.records[i].metadata.get(key) == value for key, value in where.items()
                    )
                ]
        hits: dict[int, Hit] = {}
        for rank, (index, similarity) in enumerate(dense):
            hit = hits.setdefault(index, Hit(self.records[index], 0.0))
            hit.dense, hit.dense_rank = similarity, rank
            hit.score += 1.0 / (RRF_K + rank + 1)
        for rank, (index, score) in enumerate(lexical):
            hit = hits.setdefault(index, Hit(self.records[index], 0.0))
            hit.lexical, hit.lexical_rank = score, rank
            hit.score += 1.0 / (RRF_K + rank + 1)
        return sorted(hits.values(), key=lambda h: h.score, reverse=True)[:k]
