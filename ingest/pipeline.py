"""The ingest pipeline: files -> provisions / transcript chunks -> a new, atomically activated index.

Callable as a function (the CLI and the bot's admin upload both reach :func:`ingest_paths`
through the application's wiring, which hands it the store, embedding cache and pack):

* each file is hashed; a file whose hash matches the manifest costs nothing (its records and
  vectors are carried over from the active index);
* a changed file replaces all of its old records; a file that fails to load or parse is reported
  by name and its previous records (if any) are kept;
* the same content at a second path is reported as a duplicate and not indexed twice; when the
  first path is gone, the document has moved and is re-keyed to the new path
  (:mod:`ingest.manifest`);
* ``prune`` drops indexed documents whose files are gone;
* ``--kind auto`` takes a file as a regulation or a socialisation report only when it looks like
  one (:mod:`ingest.kinds`); the report names what each file was taken to be, and why;
* the new index is a complete new collection built by :func:`knowledge.index.build_index` and
  activated only when complete, so a crash leaves the previous index serving;
* an exclusive lock (``settings.lock_path``) keeps two ingests from interleaving.
"""

from __future__ import annotations

import time
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from ingest.documents import (
    Kind,
    StatusOverride,
    doc_id_for,
    parse_regulation_file,
    parse_transcript_file,
)
from ingest.loaders import collect_files
from ingest.lock import ingest_lock
from ingest.manifest import ManifestEdit, Options, prune_vanished, read_file
from ingest.report import FileResult, IngestError, IngestReport
from knowledge.config import Settings
from knowledge.embeddings import EmbeddingCache
from knowledge.index import build_index, ingested_records, seed_cache_from_package
from knowledge.lock import PURPOSE_INGEST, PURPOSE_PACK_BUILD
from knowledge.pack import KnowledgePack
from knowledge.progress import ProgressFactory, Task, no_progress
from knowledge.records import DocumentEntry, IndexRecord
from knowledge.store import IndexInfo, IndexMismatchError, IndexMissingError, KnowledgeStore

EMBED_BATCH = 64
# How long an ingest waits for a first-use build of the pack index (it takes seconds: the pack's
# vectors ship with the package) before giving up; another ingest is never waited for.
PACK_BUILD_WAIT_SECONDS = 120.0


@dataclass(frozen=True)
class Target:
    """Where an ingest writes: the store, the embedding cache and the pack it builds beside."""

    settings: Settings
    store: KnowledgeStore
    cache: EmbeddingCache
    pack: KnowledgePack


def ingest_paths(
    target: Target,
    paths: Sequence[Path | str],
    *,
    kind: Kind = "auto",
    dry_run: bool = False,
    rebuild: bool = False,
    prune: bool = False,
    override: StatusOverride | None = None,
    progress: ProgressFactory = no_progress,
) -> IngestReport:
    """Ingest files/folders into the index; returns what happened (never half an index).

    Another ingest holding the lock fails this one at once; a first-use build from the pack
    (``netra ask`` on an empty data dir) is waited for, since it takes seconds.
    """
    started = time.perf_counter()
    options = Options(kind, dry_run, rebuild, prune, override)
    if dry_run:
        return _run(target, paths, options, progress, started)
    with ingest_lock(
        target.settings.lock_path,
        purpose=PURPOSE_INGEST,
        wait=PACK_BUILD_WAIT_SECONDS,
        wait_for=frozenset({PURPOSE_PACK_BUILD}),
    ):
        return _run(target, paths, options, progress, started)


def _active_info(store: KnowledgeStore, cache: EmbeddingCache, rebuild: bool) -> IndexInfo | None:
    try:
        info = store.info()
    except IndexMissingError:
        return None
    if info.embedding != cache.embedder.id and not rebuild:
        raise IndexMismatchError(
            f"the index was built with embedding {info.embedding!r} but {cache.embedder.id!r}"
            " is configured; run `netra ingest --rebuild PATH...` to rebuild it"
        )
    return info


def _run(
    target: Target,
    paths: Sequence[Path | str],
    options: Options,
    progress: ProgressFactory,
    started: float,
) -> IngestReport:
    report = IngestReport(dry_run=options.dry_run)
    info = _active_info(target.store, target.cache, options.rebuild)
    edit = ManifestEdit(
        report, {d.doc_id: d.model_copy() for d in (info.documents if info else [])}
    )
    _read_all(edit, paths, options, target.pack, progress)
    if options.dry_run or not (edit.changed or options.rebuild or info is None):
        report.index = info.name if info else None
        report.records = info.count if info else 0
    else:
        before = target.cache.computed
        built = _build(target, info, edit, progress)
        report.index, report.records = built.name, built.count
        report.embedded = target.cache.computed - before
    report.seconds = time.perf_counter() - started
    return report


def _read_all(
    edit: ManifestEdit,
    paths: Sequence[Path | str],
    options: Options,
    pack: KnowledgePack,
    progress: ProgressFactory,
) -> None:
    """Every named file and folder into ``edit``; missing paths are reported as failures."""
    files, missing = collect_files([Path(p).expanduser() for p in paths])
    for path, reason in missing:
        edit.report.files.append(FileResult.failure(path, doc_id_for(path), reason))
    with progress("Reading documents", len(files)) as advance:
        for path in files:
            read_file(edit, path, options, pack)
            advance(1)
    if options.prune:
        prune_vanished(edit, files, options)


def _carried(
    store: KnowledgeStore, cache: EmbeddingCache, info: IndexInfo | None, edit: ManifestEdit
) -> tuple[list[IndexRecord], list[np.ndarray | None]]:
    """Records of unchanged documents from the active index (grouped by document), with their
    vectors when usable."""
    if info is None:
        return [], []
    old_records, old_vectors = ingested_records(store, info.name)
    same_embedding = info.embedding == cache.embedder.id and len(old_vectors) > 0
    by_doc: dict[str, list[tuple[IndexRecord, np.ndarray | None]]] = {}
    for i, record in enumerate(old_records):
        vector = old_vectors[i] if same_embedding else None
        by_doc.setdefault(str(record.metadata.get("doc_id")), []).append((record, vector))
    kept = [
        pair
        for doc_id, pairs in by_doc.items()
        if doc_id not in edit.fresh and doc_id in edit.manifest
        for pair in pairs
    ]
    return [record for record, _ in kept], [vector for _, vector in kept]


def _build(
    target: Target, info: IndexInfo | None, edit: ManifestEdit, progress: ProgressFactory
) -> IndexInfo:
    """The new index: carried records + fresh ones, embedded through the cache."""
    cache = target.cache
    records, vectors = _carried(target.store, cache, info, edit)
    new_records = [r for rs in edit.fresh.values() for r in rs]
    seed_cache_from_package(cache, target.settings.pack_dir)
    with progress("Embedding documents", len(new_records)) as advance:
        new_vectors = _embed(cache, [r.text for r in new_records], advance)
    records.extend(new_records)
    vectors.extend(list(new_vectors))
    matrix = _complete(cache, records, vectors, progress)
    return build_index(
        target.store,
        cache,
        target.pack,
        extra=records,
        extra_vectors=matrix,
        documents=list(edit.manifest.values()),
        progress=progress,
    )


def _complete(
    cache: EmbeddingCache,
    records: list[IndexRecord],
    vectors: list[np.ndarray | None],
    progress: ProgressFactory,
) -> np.ndarray | None:
    """One matrix of vectors, re-embedding carried records that have none (``--rebuild`` with
    another embedding)."""
    missing_texts = [r.text for r, v in zip(records, vectors, strict=True) if v is None]
    if missing_texts:
        with progress("Re-embedding kept documents", len(missing_texts)) as advance:
            redone = iter(_embed(cache, missing_texts, advance))
        vectors = [v if v is not None else next(redone) for v in vectors]
    return np.stack([np.asarray(v, dtype=np.float32) for v in vectors]) if vectors else None


def _embed(cache: EmbeddingCache, texts: list[str], advance: Task) -> np.ndarray:
    """Embed in batches so the progress bar moves and memory stays flat."""
    if not texts:
        return np.zeros((0, cache.embedder.dim), dtype=np.float32)
    step = EMBED_BATCH * 8
    parts = [
        cache.embed_passages(texts[start : start + step], batch_size=EMBED_BATCH, progress=advance)
        for start in range(0, len(texts), step)
    ]
    return np.concatenate(parts)


def indexed_documents(store: KnowledgeStore) -> list[DocumentEntry]:
    """The documents manifest of the active index (what ``netra sources`` prints)."""
    try:
        return list(store.info().documents)
    except IndexMissingError:
        return []


__all__ = [
    "FileResult",
    "IngestError",
    "IngestReport",
    "StatusOverride",
    "Target",
    "doc_id_for",
    "indexed_documents",
    "ingest_paths",
    "parse_regulation_file",
    "parse_transcript_file",
]
