"""The knowledge index in Chroma, switched atomically between complete builds.

Every build writes a *new* collection (``<prefix>-<timestamp>``) and only then moves the
``active`` pointer (kept in the metadata of the ``<prefix>-registry`` collection) to it. Readers
(the CLI, every bot replica) follow the pointer, so a crash or a bad file half-way through an
ingest leaves the previous index serving. Works the same with the embedded persistent client and
a Chroma server (``chroma run``) shared by several replicas.

Collections are never deleted under a reader: a superseded build is *retired* (the registry keeps
when) and dropped only ``retire_seconds`` later, by the next build; readers check the pointer
every few seconds (:meth:`knowledge.engine.Engine.answer`), and one that still finds its
collection gone reopens the active one. A collection that was never activated is a build that
died half-way (``kill -9``); it is dropped by whoever next holds the build lock
(:func:`knowledge.lock.ingest_lock`) - with a shared Chroma server, whose builds another host may
be running, only once it is older than ``ABANDONED_SHARED_SECONDS``.

Vectors are always computed by our embedder and passed in: chromadb's default embedding function
(which downloads a model) is never attached.
"""

from __future__ import annotations

import json
import time
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

import chromadb
import numpy as np
from chromadb.api import ClientAPI
from chromadb.api.models.Collection import Collection
from chromadb.errors import NotFoundError

from knowledge.config import Settings
from knowledge.embeddings import NetraEmbeddings
from knowledge.records import DocumentEntry, IndexRecord, Metadata

if TYPE_CHECKING:
    from langchain_chroma import Chroma

ADD_BATCH = 2000
ABANDONED_SHARED_SECONDS = 24 * 3600.0


class IndexMissingError(RuntimeError):
    """No index has been built yet."""


class IndexMismatchError(RuntimeError):
    """The index was built with a different embedding than the one configured."""


@dataclass
class IndexInfo:
    """What an index was built from; stored in its collection's metadata."""

    name: str
    embedding: str
    dim: int
    built_at: float
    pack_hash: str
    knowledge_version: str
    count: int
    documents: list[DocumentEntry] = field(default_factory=list)

    def to_metadata(self) -> Metadata:
        return {
            "embedding": self.embedding,
            "dim": self.dim,
            "built_at": self.built_at,
            "pack_hash": self.pack_hash,
            "knowledge_version": self.knowledge_version,
            "count": self.count,
            "documents_json": json.dumps(
                [entry.to_dict() for entry in self.documents], ensure_ascii=False
            ),
        }

    @classmethod
    def from_metadata(cls, name: str, meta: dict[str, Any] | None) -> IndexInfo:
        meta = meta or {}
        return cls(
            name=name,
            embedding=str(meta.get("embedding", "?")),
            dim=int(meta.get("dim", 0)),
            built_at=float(meta.get("built_at", 0.0)),
            pack_hash=str(meta.get("pack_hash", "")),
            knowledge_version=str(meta.get("knowledge_version", "")),
            count=int(meta.get("count", 0)),
            documents=[
                DocumentEntry.model_validate(entry)
                for entry in json.loads(str(meta.get("documents_json", "[]")))
            ],
        )


def make_client(settings: Settings) -> ClientAPI:
    """Embedded persistent Chroma by default; a Chroma server when ``NETRA_CHROMA_HOST`` is set."""
    chroma_settings = chromadb.config.Settings(anonymized_telemetry=False, allow_reset=False)
    if settings.chroma_host:
        return chromadb.HttpClient(
            host=settings.chroma_host,
            port=settings.chroma_port,
            ssl=settings.chroma_ssl,
            settings=chroma_settings,
        )
    settings.chroma_dir.mkdir(parents=True, exist_ok=True)
    return chromadb.PersistentClient(path=str(settings.chroma_dir), settings=chroma_settings)


class KnowledgeStore:
    """Builds, activates, opens and lists index collections in one Chroma database."""

    def __init__(
        self,
        client: ClientAPI,
        prefix: str = "netra",
        *,
        retire_seconds: float = 300.0,
        shared: bool = False,
        clock: Callable[[], float] = time.time,
    ) -> None:
        self.client = client
        self.prefix = prefix
        self.retire_seconds = retire_seconds
        self.shared = shared
        self.clock = clock

    @classmethod
    def from_settings(cls, settings: Settings) -> KnowledgeStore:
        return cls(
            make_client(settings),
            settings.collection_prefix,
            retire_seconds=settings.index_retire_seconds,
            shared=bool(settings.chroma_host),
        )

    # --- the active pointer ------------------------------------------------------------------
    @property
    def _registry_name(self) -> str:
        return f"{self.prefix}-registry"

    def _registry(self) -> Collection:
        return self.client.get_or_create_collection(self._registry_name, embedding_function=None)

    def active_name(self) -> str | None:
        active = (self._registry().metadata or {}).get("active")
        return str(active) if active else None

    def activate(self, name: str) -> None:
        """Point readers at ``name``; the previous build is retired, not deleted."""
        self.client.get_collection(name, embedding_function=None)  # must exist
        registry = self._registry()
        metadata = dict(registry.metadata or {})
        retired = _retired(metadata)
        previous = metadata.get("active")
        if previous and previous != name:
            retired[str(previous)] = self.clock()
        retired.pop(name, None)
        metadata.update(active=name, retired_json=json.dumps(retired))
        registry.modify(metadata=metadata)

    def info(self, name: str | None = None) -> IndexInfo:
        name = name or self.active_name()
        if not name:
            raise IndexMissingError("no knowledge index has been built yet")
        try:
            collection = self.client.get_collection(name, embedding_function=None)
        except NotFoundError:
            raise IndexMissingError(f"the active knowledge index {name} no longer exists") from None
        return IndexInfo.from_metadata(name, collection.metadata)

    def open(self, embedder: NetraEmbeddings) -> tuple[Collection, IndexInfo]:
        """The active collection, after checking it was built with ``embedder``."""
        info = self.info()
        if info.embedding != embedder.id:
            raise IndexMismatchError(
                f"the index was built with embedding {info.embedding!r} but "
                f"{embedder.id!r} is configured. Re-ingest to rebuild it with this embedding "
                "(netra ingest --rebuild), or set NETRA_EMBEDDING back."
            )
        return self.client.get_collection(info.name, embedding_function=None), info

    def vectorstore(self, embedder: NetraEmbeddings) -> Chroma:
        """The active collection as a langchain vector store (for retrievers and chains)."""
        from langchain_chroma import Chroma  # imported here: it costs ~0.5 s of every start

        collection, _ = self.open(embedder)
        return Chroma(
            client=self.client,
            collection_name=collection.name,
            embedding_function=embedder,
            create_collection_if_not_exists=False,
        )

    # --- building -------------------------------------------------------------------------------
    def build(
        self,
        records: list[IndexRecord],
        vectors: np.ndarray,
        info: IndexInfo,
        progress: Callable[[int], None] | None = None,
    ) -> IndexInfo:
        """Write a complete new collection, activate it, and drop superseded ones."""
        if len(records) != len(vectors):
            raise ValueError("one vector per record is required")
        name = f"{self.prefix}-{time.strftime('%Y%m%d%H%M%S')}-{time.time_ns() % 1_000_000:06d}"
        info = IndexInfo(**{**info.__dict__, "name": name, "count": len(records)})
        collection = self.client.create_collection(
            name,
            embedding_function=None,
            configuration={"hnsw": {"space": "cosine"}},
            metadata=info.to_metadata(),
        )
        try:
            for start in range(0, len(records), ADD_BATCH):
                batch = records[start : start + ADD_BATCH]
                collection.add(
                    ids=[r.id for r in batch],
                    documents=[r.text for r in batch],
                    metadatas=[r.flat_metadata() for r in batch],  # type: ignore[misc]
                    embeddings=vectors[start : start + ADD_BATCH],
                )
                if progress:
                    progress(len(batch))
        except BaseException:
            self.client.delete_collection(name)
            raise
        self.activate(name)
        self.drop_unused()
        return info

    def _index_names(self) -> list[str]:
        names = (c.name if hasattr(c, "name") else str(c) for c in self.client.list_collections())
        return [n for n in names if n.startswith(f"{self.prefix}-") and n != self._registry_name]

    def drop_unused(self) -> list[str]:
        """Delete builds retired longer than ``retire_seconds`` ago and abandoned half-builds.

        Call only while holding the build lock (:func:`knowledge.lock.ingest_lock`): a collection
        that is neither active nor retired is otherwise a build in progress.
        """
        registry = self._registry()
        metadata = dict(registry.metadata or {})
        active, retired, now = metadata.get("active"), _retired(metadata), self.clock()
        dropped = []
        for name in self._index_names():
            if name == active:
                continue
            if self._expired(name, retired, now):
                self.client.delete_collection(name)
                dropped.append(name)
        kept = {n: at for n, at in retired.items() if n not in dropped and n in self._index_names()}
        if kept != retired:
            metadata["retired_json"] = json.dumps(kept)
            registry.modify(metadata=metadata)
        return dropped

    def _expired(self, name: str, retired: dict[str, float], now: float) -> bool:
        if name in retired:
            return now - retired[name] >= self.retire_seconds
        return self._abandoned(name, now)

    def _abandoned(self, name: str, now: float) -> bool:
        """A never-activated build (see :meth:`drop_unused` for why this needs the lock)."""
        if not self.shared:
            return True
        try:
            meta = self.client.get_collection(name, embedding_function=None).metadata or {}
        except NotFoundError:
            return False
        return now - float(meta.get("built_at", now)) >= ABANDONED_SHARED_SECONDS

    # --- reading everything -----------------------------------------------------------------------
    def iter_records(
        self, name: str | None = None, *, with_vectors: bool = False, page: int = 5000
    ) -> Iterator[tuple[IndexRecord, np.ndarray | None]]:
        """All records of a collection (default: the active one), optionally with vectors."""
        name = name or self.active_name()
        if not name:
            raise IndexMissingError("no knowledge index has been built yet")
        collection = self.client.get_collection(name, embedding_function=None)
        include: list[Any] = ["documents", "metadatas"]
        if with_vectors:
            include.append("embeddings")
        offset = 0
        while True:
            got = collection.get(include=include, limit=page, offset=offset)
            ids = got["ids"]
            if not ids:
                return
            docs = got["documents"] or []
            metas = got["metadatas"] or []
            vecs = got.get("embeddings") if with_vectors else None
            for i, record_id in enumerate(ids):
                meta: Metadata = {
                    k: v
                    for k, v in dict(metas[i] or {}).items()
                    if isinstance(v, str | int | float)
                }
                kind = str(meta.pop("kind", ""))
                vector = np.asarray(vecs[i], dtype=np.float32) if vecs is not None else None
                yield IndexRecord(record_id, docs[i] or "", kind, meta), vector
            offset += len(ids)


def _retired(metadata: dict[str, Any]) -> dict[str, float]:
    """Retired build name -> when it was superseded (from the registry's metadata)."""
    try:
        retired = json.loads(str(metadata.get("retired_json") or "{}"))
    except json.JSONDecodeError:
        return {}
    return {str(k): float(v) for k, v in retired.items()} if isinstance(retired, dict) else {}


def records_and_vectors(
    pairs: Iterable[tuple[IndexRecord, np.ndarray | None]],
) -> tuple[list[IndexRecord], np.ndarray]:
    """Split (record, vector) pairs into a list and a matrix (for carrying records over)."""
    records: list[IndexRecord] = []
    vectors: list[np.ndarray] = []
    for record, vector in pairs:
        if vector is None:
            raise ValueError(f"record {record.id} has no vector")
        records.append(record)
        vectors.append(vector)
    if not vectors:
        return records, np.zeros((0, 0), dtype=np.float32)
    return records, np.stack(vectors)
