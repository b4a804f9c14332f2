"""Turn the knowledge pack (and ingested documents) into index records and (re)build the index.

The index holds the pack's records plus whatever ``netra ingest`` added. On first use the index
is built from the pack automatically; when the installed pack changes, the pack part is rebuilt and
ingested records are carried over with their vectors. Each distinct text is embedded once (the
content-hash cache), and the pack's vectors for the default engine ship with the package
(:mod:`knowledge.pack_vectors`).
"""

from __future__ import annotations

import logging
import math
import time
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path

import numpy as np

from knowledge.embeddings import EmbeddingCache, NetraEmbeddings
from knowledge.lock import PURPOSE_PACK_BUILD, ingest_lock
from knowledge.pack import KnowledgePack, default_pack_dir
from knowledge.pack_vectors import seed_cache
from knowledge.progress import ProgressFactory, no_progress
from knowledge.store import (
    IndexInfo,
    IndexMissingError,
    IndexRecord,
    KnowledgeStore,
    records_and_vectors,
)

log = logging.getLogger(__name__)

ORIGIN_PACK = "pack"
ORIGIN_INGEST = "ingest"


def provision_metadata(provision_label: str, **levels: str | None) -> dict[str, str | None]:
    """Flat citation metadata shared by pack and ingested provisions."""
    return {"label": provision_label, **levels}


def pack_records(pack: KnowledgePack) -> list[IndexRecord]:
    """Every searchable record of the pack, in a stable order."""
    records: list[IndexRecord] = []
    for regulation in pack.regulations.values():
        for p in regulation.provisions:
            records.append(
                IndexRecord(
                    id=f"provision:{p.label}",
                    text=f"{p.label}. {p.full_text()}",
                    kind="provision",
                    metadata={
                        "origin": ORIGIN_PACK,
                        "label": p.label,
                        "regulation": p.regulation,
                        "pasal": p.pasal,
                        "ayat": p.ayat,
                        "huruf": p.huruf,
                        "angka": p.angka,
                        "lampiran": p.lampiran,
                        "status": p.status.value,
                        "official": False,
                        "topics": ", ".join(p.topics),
                    },
                )
            )
    for ruling in pack.rulings:
        base = {
            "origin": ORIGIN_PACK,
            "ruling_id": ruling.id,
            "verdict": ruling.verdict,
            "topic": ruling.topic,
        }
        records.append(
            IndexRecord(
                id=f"ruling:{ruling.id}",
                text=f"{ruling.act}. {ruling.conditions or ''}".strip(),
                kind="ruling",
                metadata=dict(base),
            )
        )
        for number, example in enumerate(ruling.examples):
            records.append(
                IndexRecord(
                    id=f"example:{ruling.id}:{number}",
                    text=example,
                    kind="example",
                    metadata=dict(base),
                )
            )
    for note in pack.notes:
        records.append(
            IndexRecord(
                id=f"note:{note.id}",
                text=f"{note.title}. " + " ".join(note.points),
                kind="note",
                metadata={
                    "origin": ORIGIN_PACK,
                    "note_id": note.id,
                    "title": note.title,
                    "date": note.date or "",
                },
            )
        )
    return records


# --- shipped vectors (see knowledge.pack_vectors) ----------------------------------------------


def seed_cache_from_package(cache: EmbeddingCache, pack_dir: Path | None = None) -> int:
    """Put the pack's shipped vectors for the cache's embedding into the cache; returns how many."""
    return seed_cache(cache, pack_dir or default_pack_dir())


# --- building ----------------------------------------------------------------------------------


def build_index(
    store: KnowledgeStore,
    cache: EmbeddingCache,
    pack: KnowledgePack,
    *,
    extra: Sequence[IndexRecord] = (),
    extra_vectors: np.ndarray | None = None,
    documents: list[dict[str, object]] | None = None,
    progress: ProgressFactory = no_progress,
) -> IndexInfo:
    """Build a complete index (pack + ``extra`` records) and switch to it atomically.

    ``extra_vectors`` may carry vectors for ``extra`` (records carried over from the previous
    index); otherwise they are embedded (through the cache).
    """
    records = pack_records(pack)
    embedder: NetraEmbeddings = cache.embedder
    with progress("Embedding knowledge pack", len(records)) as advance:
        vectors = cache.embed_passages([r.text for r in records], progress=advance)
    if extra:
        if extra_vectors is None or len(extra_vectors) != len(extra):
            with progress("Embedding documents", len(extra)) as advance:
                extra_vectors = cache.embed_passages([r.text for r in extra], progress=advance)
        records = [*records, *extra]
        vectors = np.concatenate([vectors, extra_vectors]) if len(vectors) else extra_vectors
    info = IndexInfo(
        name="",
        embedding=embedder.id,
        dim=embedder.dim,
        built_at=time.time(),
        pack_hash=pack.content_hash,
        knowledge_version=pack.knowledge_version,
        count=len(records),
        documents=documents or [],
    )
    with progress("Writing index", len(records)) as advance:
        return store.build(records, vectors, info, progress=advance)


def ingested_records(
    store: KnowledgeStore, name: str | None = None
) -> tuple[list[IndexRecord], np.ndarray]:
    """Records added by ``netra ingest`` to an index, with their vectors."""
    pairs = (
        (record, vector)
        for record, vector in store.iter_records(name, with_vectors=True)
        if record.metadata.get("origin") == ORIGIN_INGEST
    )
    return records_and_vectors(pairs)


def _current(store: KnowledgeStore) -> IndexInfo | None:
    try:
        return store.info()
    except IndexMissingError:
        return None


def _up_to_date(info: IndexInfo | None, pack: KnowledgePack, cache: EmbeddingCache) -> bool:
    """Nothing to build: the pack is unchanged, or the index uses another embedding (opening it
    then fails with a message that says to re-ingest, see :meth:`KnowledgeStore.open`)."""
    return info is not None and (
        info.pack_hash == pack.content_hash or info.embedding != cache.embedder.id
    )


def ensure_index(
    store: KnowledgeStore,
    cache: EmbeddingCache,
    pack: KnowledgePack,
    *,
    progress: ProgressFactory = no_progress,
    lock_path: Path | None = None,
) -> IndexInfo:
    """The active index, built first if absent or rebuilt if the installed pack changed.

    Building takes the build lock (``lock_path``), waiting for a running ingest, and looks again
    once it holds it: the ingest has usually built the index meanwhile, and building beside it
    would drop its documents.
    """
    info = _current(store)
    if _up_to_date(info, pack, cache):
        assert info is not None
        return info
    with _build_lock(lock_path):
        info = _current(store)
        if _up_to_date(info, pack, cache):
            assert info is not None
            return info
        seed_cache_from_package(cache, pack.root)
        if info is None:
            return build_index(store, cache, pack, progress=progress)
        extra, vectors = ingested_records(store, info.name)
        return build_index(
            store,
            cache,
            pack,
            extra=extra,
            extra_vectors=vectors if len(extra) else None,
            documents=info.documents,
            progress=progress,
        )


@contextmanager
def _build_lock(lock_path: Path | None) -> Iterator[None]:
    if lock_path is None:  # a store nobody else writes (tests, benchmarks on a private dir)
        yield
        return
    if lock_path.exists() and lock_path.read_text(errors="replace").strip():
        log.warning("another process is building the index; waiting for it to finish")
    with ingest_lock(lock_path, purpose=PURPOSE_PACK_BUILD, wait=math.inf):
        yield
