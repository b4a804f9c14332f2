"""Hybrid retrieval: dense (Chroma, the configured embedding) + lexical (bm25s), fused by RRF.

The lexical side needs every record's text in memory. It is read from the active Chroma collection
once per index build and kept as a snapshot file under ``NETRA_DATA_DIR/lexical/<collection>``
(so a cold start loads one file instead of paging through Chroma), which also makes it correct for
several replicas sharing a Chroma server: the snapshot is keyed by the collection name, and every
build has a new name.
"""

from __future__ import annotations

import logging
import pickle
import shutil
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import bm25s
import numpy as np
from chromadb.api.models.Collection import Collection

from knowledge.embeddings import QueryEmbedder
from knowledge.store import IndexInfo, IndexRecord, KnowledgeStore
from knowledge.text import TOKENIZER_ID, TypoCorrector, tokens

log = logging.getLogger(__name__)

RRF_K = 60
SNAPSHOT_VERSION = 1


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


def _snapshot_path(directory: Path, name: str) -> Path:
    return directory / name / "snapshot.pkl"


def load_snapshot(store: KnowledgeStore, info: IndexInfo, directory: Path) -> Snapshot:
    """The records of the active index, from the local snapshot file or (once) from Chroma."""
    path = _snapshot_path(directory, info.name)
    if path.exists():
        try:
            with path.open("rb") as handle:
                snapshot = pickle.load(handle)  # noqa: S301 - our own file in our data dir
            if (
                isinstance(snapshot, Snapshot)
                and snapshot.version == SNAPSHOT_VERSION
                and snapshot.tokenizer == TOKENIZER_ID
            ):
                return snapshot
        except (OSError, pickle.UnpicklingError, EOFError, AttributeError):
            log.warning("lexical snapshot %s unreadable; rebuilding it", path)
    records = [record for record, _ in store.iter_records(info.name)]
    snapshot = Snapshot(
        SNAPSHOT_VERSION, info.name, records, [tokens(r.text) for r in records], TOKENIZER_ID
    )
    _write_snapshot(snapshot, path)
    _prune(directory, keep=info.name)
    return snapshot


def _write_snapshot(snapshot: Snapshot, path: Path) -> None:
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp = path.with_suffix(".tmp")
        with tmp.open("wb") as handle:
            pickle.dump(snapshot, handle, protocol=pickle.HIGHEST_PROTOCOL)
        tmp.replace(path)
    except OSError as error:  # a read-only data dir only costs start-up time
        log.warning("cannot write lexical snapshot %s: %s", path, error)


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
    ) -> None:
        self.collection = collection
        self.records = snapshot.records
        self.by_id = {r.id: i for i, r in enumerate(self.records)}
        self.embed = query_embedder
        self.bm25 = bm25s.BM25()
        self.corpus_tokens = snapshot.corpus_tokens
        corpus_tokens = [t or ["_"] for t in snapshot.corpus_tokens]
        self.bm25.index(corpus_tokens, show_progress=False)
        self.vocabulary = set(self.bm25.vocab_dict)
        self.typos = TypoCorrector(self.vocabulary)
        self._kinds = np.array([r.kind for r in self.records])

    def record_tokens(self, record_id: str) -> list[str]:
        """The BM25 tokens of an indexed record (computed once, at snapshot time)."""
        index = self.by_id.get(record_id)
        return self.corpus_tokens[index] if index is not None else []

    def query_tokens(self, text: str) -> list[str]:
        known = [t for t in self.typos(tokens(text)) if t in self.vocabulary]
        return known

    def lexical(
        self, text: str, k: int, kinds: Sequence[str] | None = None
    ) -> list[tuple[int, float]]:
        """(record index, BM25 score) best first; empty when no query word is known."""
        query = self.query_tokens(text)
        if not query:
            return []
        mask = None
        if kinds:
            mask = np.isin(self._kinds, list(kinds)).astype(np.float32)
        n = min(k, len(self.records))
        docs, scores = self.bm25.retrieve(
            [query], k=n, show_progress=False, weight_mask=mask, n_threads=1
        )
        return [(int(d), float(s)) for d, s in zip(docs[0], scores[0], strict=True) if s > 0]

    def dense(
        self,
        vector: np.ndarray,
        k: int,
        kinds: Sequence[str] | None = None,
        where: dict[str, Any] | None = None,
    ) -> list[tuple[int, float]]:
        """(record index, cosine similarity) best first, via Chroma's HNSW index."""
        clauses: list[dict[str, Any]] = []
        if kinds:
            clauses.append({"kind": {"$in": list(kinds)}})
        if where:
            clauses.extend({key: value} for key, value in where.items())
        filter_: dict[str, Any] | None = None
        if len(clauses) == 1:
            filter_ = clauses[0]
        elif clauses:
            filter_ = {"$and": clauses}
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
            if index is not None:
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
