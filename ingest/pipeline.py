"""The ingest pipeline: files -> provisions / transcript chunks -> a new, atomically activated index.

Callable as a function (the CLI and the bot's admin upload both use :func:`ingest_paths`):

* each file is hashed; a file whose hash matches the manifest costs nothing (its records and
  vectors are carried over from the active index);
* a changed file replaces all of its old records; a file that fails to load or parse is reported
  by name and its previous records (if any) are kept;
* the same content at a second path is reported as a duplicate and not indexed twice; when the
  first path is gone, the document has moved and is re-keyed to the new path;
* ``prune`` drops indexed documents whose files are gone;
* ``--kind auto`` takes a file as a regulation or a socialisation report only when it looks like
  one (:mod:`ingest.kinds`); the report names what each file was taken to be, and why;
* the new index is a complete new collection built by :func:`knowledge.index.build_index` and
  activated only when complete, so a crash leaves the previous index serving;
* an exclusive lock (``settings.lock_path``) keeps two ingests from interleaving.
"""

from __future__ import annotations

import hashlib
import time
from collections.abc import Sequence
from dataclasses import asdict, dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, Literal

import numpy as np

from ingest.kinds import KindDecision, decide_kind
from ingest.loaders import LoadError, collect_files, load_document, safe_resolve
from ingest.lock import ingest_lock
from ingest.regulation_parser import ParsedRegulation, ParseError
from ingest.regulation_parser import parse_regulation as _parse_regulation
from ingest.transcripts import ParsedTranscript, format_date, parse_transcript
from knowledge.config import Settings
from knowledge.embeddings import EmbeddingCache, make_embeddings
from knowledge.index import (
    ORIGIN_INGEST,
    build_index,
    ingested_records,
    seed_cache_from_package,
)
from knowledge.lock import PURPOSE_INGEST, PURPOSE_PACK_BUILD
from knowledge.models import Status
from knowledge.pack import KnowledgePack, load_pack
from knowledge.progress import ProgressFactory, no_progress
from knowledge.store import (
    IndexInfo,
    IndexMismatchError,
    IndexMissingError,
    IndexRecord,
    KnowledgeStore,
)

Kind = Literal["regulation", "transcript", "auto"]
EMBED_BATCH = 64
# How long an ingest waits for a first-use build of the pack index (it takes seconds: the pack's
# vectors ship with the package) before giving up; another ingest is never waited for.
PACK_BUILD_WAIT_SECONDS = 120.0


class IngestError(RuntimeError):
    """The ingest as a whole cannot run (bad options, index built with another embedding)."""


@dataclass
class FileResult:
    """What happened to one file."""

    path: str
    doc_id: str
    status: str  # added | updated | moved | unchanged | duplicate | failed | removed | would-...
    kind: str | None = None
    regulation: str | None = None
    title: str | None = None
    provisions: int = 0
    chunks: int = 0
    warnings: list[str] = field(default_factory=list)
    error: str | None = None
    identity: str | None = None  # what the file was taken to be, e.g. "PP 94/2021 — Disiplin PNS"
    reason: str | None = None  # why: "regulation heading and Pasal 1", "--kind transcript", ...
    duplicate_of: str | None = None  # the path already indexed with the same content


@dataclass
class IngestReport:
    """Summary of one ingest run (``--json`` prints :meth:`to_dict`)."""

    files: list[FileResult] = field(default_factory=list)
    dry_run: bool = False
    index: str | None = None
    records: int = 0
    embedded: int = 0
    seconds: float = 0.0

    def count(self, status: str) -> int:
        fixed = {"failed", "unchanged", "duplicate"}
        prefix = "would-" if self.dry_run and status not in fixed else ""
        return sum(1 for f in self.files if f.status == prefix + status)

    @property
    def failed(self) -> list[FileResult]:
        return [f for f in self.files if f.status == "failed"]

    @property
    def ok(self) -> bool:
        return not self.failed

    @property
    def provisions(self) -> int:
        return sum(f.provisions for f in self.files if f.status != "removed")

    @property
    def chunks(self) -> int:
        return sum(f.chunks for f in self.files if f.status != "removed")

    @property
    def warnings(self) -> int:
        return sum(len(f.warnings) for f in self.files)

    def to_dict(self) -> dict[str, Any]:
        return {
            "dry_run": self.dry_run,
            "index": self.index,
            "files": [asdict(f) for f in self.files],
            "totals": {
                "files": len(self.files),
                "provisions": self.provisions,
                "chunks": self.chunks,
                "added": self.count("added"),
                "updated": self.count("updated"),
                "moved": self.count("moved"),
                "unchanged": self.count("unchanged"),
                "duplicate": sum(1 for f in self.files if f.status == "duplicate"),
                "removed": self.count("removed"),
                "failed": len(self.failed),
                "warnings": self.warnings,
                "records": self.records,
                "embedded": self.embedded,
                "seconds": round(self.seconds, 3),
            },
        }


# --- identities -------------------------------------------------------------------------------


def file_hash(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def doc_id_for(path: Path) -> str:
    """Stable id of a document: its file name plus a short hash of its absolute path."""
    resolved = str(safe_resolve(path))
    return f"{path.stem[:40]}-{hashlib.sha1(resolved.encode()).hexdigest()[:8]}"  # noqa: S324


# --- records ------------------------------------------------------------------------------------


@dataclass
class StatusOverride:
    """``--status dicabut --replaced-by "UU 20/2023"``: applies to the regulations ingested now."""

    status: Status
    note: str | None = None
    replaced_by: str | None = None

    def describe(self) -> str:
        if self.note:
            return self.note
        if self.replaced_by:
            return f"{self.status.value}; diganti oleh {self.replaced_by}"
        return self.status.value


def regulation_status(
    regulation_id: str, pack: KnowledgePack | None, override: StatusOverride | None
) -> tuple[Status, str | None, str | None]:
    """(status, note, replaced_by): the override, else the pack's Regulation, else berlaku."""
    if override is not None:
        return override.status, override.describe(), override.replaced_by
    known = pack.regulations.get(regulation_id) if pack else None
    if known is not None:
        replaced = ", ".join(known.replaced_by) or None
        return known.status, known.status_note, replaced
    return Status.BERLAKU, None, None


def regulation_records(
    parsed: ParsedRegulation, *, doc_id: str, doc_hash: str, source: str
) -> list[IndexRecord]:
    """One record per provision, metadata flat as the engine and Chroma filters expect."""
    records = []
    for provision in parsed.provisions:
        label = provision.label
        records.append(
            IndexRecord(
                id=f"ingest:{doc_id}:{label}",
                text=f"{label}. {provision.full_text()}",
                kind="provision",
                metadata={
                    "origin": ORIGIN_INGEST,
                    "doc_id": doc_id,
                    "doc_hash": doc_hash,
                    "doc_title": f"{parsed.id} {parsed.identity.title}".strip(),
                    "source": source,
                    "label": label,
                    "regulation": provision.regulation,
                    "pasal": provision.pasal,
                    "ayat": provision.ayat,
                    "huruf": provision.huruf,
                    "angka": provision.angka,
                    "lampiran": provision.lampiran,
                    "row": provision.row,
                    "penjelasan": provision.penjelasan,
                    "status": provision.status.value,
                    "status_note": provision.status_note,
                    "official": True,
                    "amends": parsed.amends_map.get(label),
                    "explains": parsed.explains.get(label),
                    "part": parsed.parts.get(label),
                },
            )
        )
    return records


def transcript_records(
    parsed: ParsedTranscript, *, doc_id: str, doc_hash: str, source: str
) -> list[IndexRecord]:
    shown_date = parsed.date or format_date(None, parsed.date_partial)
    return [
        IndexRecord(
            id=f"ingest:{doc_id}:chunk:{chunk.index}",
            text=chunk.text
            if chunk.text.startswith(parsed.title)
            else f"{parsed.title}. {chunk.text}",
            kind="transcript",
            metadata={
                "origin": ORIGIN_INGEST,
                "doc_id": doc_id,
                "doc_hash": doc_hash,
                "doc_title": parsed.title,
                "source": source,
                "title": parsed.title,
                "date": shown_date,
                "place": parsed.place,
                "organiser": parsed.organiser,
                "speakers": ", ".join(parsed.speakers) or None,
                "speaker": chunk.speaker,
                "chunk": chunk.index,
            },
        )
        for chunk in parsed.chunks
    ]


# --- the pipeline -----------------------------------------------------------------------------------


@dataclass
class _Processed:
    result: FileResult
    records: list[IndexRecord]
    manifest: dict[str, Any]


def process_file(
    path: Path,
    *,
    kind: Kind,
    doc_id: str,
    doc_hash: str,
    pack: KnowledgePack | None,
    override: StatusOverride | None,
) -> _Processed:
    """Load and parse one file into records (raises LoadError/ParseError/ValueError)."""
    document = load_document(path)
    decision: KindDecision = decide_kind(document.text, kind)
    chosen = decision.kind
    result = FileResult(
        path=str(path), doc_id=doc_id, status="added", kind=chosen, reason=decision.reason
    )
    manifest: dict[str, Any] = {"doc_id": doc_id, "path": str(path), "kind": chosen}
    manifest["reason"] = decision.reason
    if chosen == "regulation":
        # status needs the id, which needs the text: parse once, then restamp the status
        parsed = _parse_regulation(document.text, source=path.name)
        status, note, replaced_by = regulation_status(parsed.id, pack, override)
        if status is not Status.BERLAKU or note:
            parsed.provisions = [
                p.model_copy(update={"status": status, "status_note": note})
                for p in parsed.provisions
            ]
        records = regulation_records(parsed, doc_id=doc_id, doc_hash=doc_hash, source=path.name)
        result.regulation = parsed.id
        result.title = parsed.identity.title
        result.identity = f"{parsed.id} — {parsed.identity.title}".strip(" —")
        result.provisions = len(parsed.provisions)
        result.warnings = [*parsed.warnings, *_unknown_regulation(parsed.id, pack)]
        manifest.update(
            regulation=parsed.id,
            status=status.value,
            status_note=note,
            replaced_by=replaced_by,
            title=parsed.identity.title,
            amends=parsed.amends,
        )
    else:
        transcript = parse_transcript(document.text, fallback_title=path.stem)
        records = transcript_records(transcript, doc_id=doc_id, doc_hash=doc_hash, source=path.name)
        result.title = transcript.title
        shown_date = transcript.date or format_date(None, transcript.date_partial)
        result.identity = ", ".join(
            x for x in (transcript.title, transcript.place, shown_date) if x
        )
        result.chunks = len(records)
        manifest.update(
            regulation=None,
            status=None,
            title=transcript.title,
            date=transcript.date or format_date(None, transcript.date_partial),
            place=transcript.place,
        )
    if document.encoding and document.encoding not in {"utf-8", "ascii", "utf-8-sig"}:
        result.warnings = [*result.warnings, f"decoded as {document.encoding}"]
    manifest.update(
        identity=result.identity,
        count=len(records),
        hash=doc_hash,
        ingested_at=datetime.now(UTC).isoformat(timespec="seconds"),
        warnings=len(result.warnings),
    )
    return _Processed(result, records, manifest)


def _unknown_regulation(regulation_id: str, pack: KnowledgePack | None) -> list[str]:
    """A warning when the knowledge pack does not know the regulation: its text will be quoted
    as official, so the maintainer should check the source is genuine."""
    if pack is None or regulation_id in pack.regulations:
        return []
    return [f"{regulation_id} is not a regulation the knowledge pack knows; check the source"]


def ingest_paths(
    settings: Settings,
    paths: Sequence[Path | str],
    *,
    kind: Kind = "auto",
    dry_run: bool = False,
    rebuild: bool = False,
    prune: bool = False,
    override: StatusOverride | None = None,
    progress: ProgressFactory = no_progress,
    store: KnowledgeStore | None = None,
    cache: EmbeddingCache | None = None,
    pack: KnowledgePack | None = None,
) -> IngestReport:
    """Ingest files/folders into the index; returns what happened (never half an index).

    Another ingest holding the lock fails this one at once; a first-use build from the pack
    (``netra ask`` on an empty data dir) is waited for, since it takes seconds.
    """
    started = time.perf_counter()
    options = _Options(kind, dry_run, rebuild, prune, override)
    if dry_run:
        return _run(settings, paths, options, progress, store, cache, pack, started)
    with ingest_lock(
        settings.lock_path,
        purpose=PURPOSE_INGEST,
        wait=PACK_BUILD_WAIT_SECONDS,
        wait_for=frozenset({PURPOSE_PACK_BUILD}),
    ):
        return _run(settings, paths, options, progress, store, cache, pack, started)


@dataclass(frozen=True)
class _Options:
    kind: Kind
    dry_run: bool
    rebuild: bool
    prune: bool
    override: StatusOverride | None

    @property
    def prefix(self) -> str:
        return "would-" if self.dry_run else ""


@dataclass
class _Run:
    """One run's working state: the manifest being edited, fresh records, and content hashes."""

    report: IngestReport
    manifest: dict[str, dict[str, Any]]
    fresh: dict[str, list[IndexRecord]] = field(default_factory=dict)
    changed: bool = False
    by_hash: dict[str, str] = field(default_factory=dict)  # content hash -> doc_id holding it
    paths: dict[str, str] = field(default_factory=dict)  # doc_id -> path, for this run's files

    def __post_init__(self) -> None:
        for doc_id, entry in self.manifest.items():
            digest = str(entry.get("hash", ""))
            holder = self.by_hash.get(digest)
            if holder is None or (not _exists(self._path(holder)) and _exists(entry.get("path"))):
                self.by_hash[digest] = doc_id

    def _path(self, doc_id: str) -> str:
        return self.paths.get(doc_id) or str(self.manifest.get(doc_id, {}).get("path", ""))

    def claim(self, doc_hash: str, doc_id: str, path: Path) -> None:
        self.by_hash[doc_hash] = doc_id
        self.paths[doc_id] = str(path)

    def twin(self, doc_hash: str, doc_id: str) -> tuple[str, str] | None:
        """(doc_id, path) of another document with this content, if any."""
        holder = self.by_hash.get(doc_hash)
        if holder is None or holder == doc_id:
            return None
        return holder, self._path(holder)


def _exists(path: object) -> bool:
    return bool(path) and Path(str(path)).exists()


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
    settings: Settings,
    paths: Sequence[Path | str],
    options: _Options,
    progress: ProgressFactory,
    store: KnowledgeStore | None,
    cache: EmbeddingCache | None,
    pack: KnowledgePack | None,
    started: float,
) -> IngestReport:
    report = IngestReport(dry_run=options.dry_run)
    files, missing = collect_files([Path(p).expanduser() for p in paths])
    pack = pack or load_pack(settings.pack_dir, strict=False)
    store = store or KnowledgeStore.from_settings(settings)
    own_cache = cache is None
    cache = cache or EmbeddingCache(settings.embedding_cache_path, make_embeddings(settings))
    try:
        info = _active_info(store, cache, options.rebuild)
        run = _Run(report, {str(d["doc_id"]): dict(d) for d in (info.documents if info else [])})
        for path, reason in missing:
            report.files.append(FileResult(str(path), doc_id_for(path), "failed", error=reason))
        with progress("Reading documents", len(files)) as advance:
            for path in files:
                _read_file(run, path, options, pack)
                advance(1)
        if options.prune:
            _prune_vanished(run, files, options)
        if options.dry_run or not (run.changed or options.rebuild or info is None):
            report.index = info.name if info else None
            report.records = info.count if info else 0
        else:
            before = cache.computed
            built = _build(settings, store, cache, pack, info, run, progress)
            report.index, report.records = built.name, built.count
            report.embedded = cache.computed - before
        report.seconds = time.perf_counter() - started
        return report
    finally:
        if own_cache:
            cache.close()


def _from_manifest(
    path: Path | str, doc_id: str, status: str, entry: dict[str, Any], **extra: Any
) -> FileResult:
    """The result line of a document known from the manifest (unchanged, duplicate, removed)."""
    return FileResult(
        str(path),
        doc_id,
        status,
        kind=entry.get("kind"),
        regulation=entry.get("regulation"),
        title=entry.get("title"),
        identity=entry.get("identity") or entry.get("regulation") or entry.get("title"),
        reason=entry.get("reason"),
        **extra,
    )


def _unchanged(path: Path, doc_id: str, known: dict[str, Any]) -> FileResult:
    count = int(known.get("count", 0))
    return _from_manifest(
        path,
        doc_id,
        "unchanged",
        known,
        provisions=count if known.get("kind") == "regulation" else 0,
        chunks=count if known.get("kind") == "transcript" else 0,
    )


def _read_file(run: _Run, path: Path, options: _Options, pack: KnowledgePack) -> None:
    """Hash, compare and (when new or changed) parse one file into ``run``.

    The same content at a second path is a duplicate while the first path still exists (not
    indexed twice); when the first path is gone the document has moved and is re-keyed to the
    new one.
    """
    report, doc_id = run.report, doc_id_for(path)
    try:
        doc_hash = file_hash(path)
    except OSError as error:
        report.files.append(FileResult(str(path), doc_id, "failed", error=str(error)))
        return
    known = run.manifest.get(doc_id)
    twin = run.twin(doc_hash, doc_id)
    moved_from = None
    if twin is not None and _exists(twin[1]):
        report.files.append(_duplicate(path, doc_id, twin, run.manifest.get(twin[0], {})))
        if known is not None:  # this path used to hold other content: that is gone now
            run.manifest.pop(doc_id)
            run.changed = True
        return
    if twin is not None:
        moved_from = str(run.manifest.pop(twin[0], {}).get("path", twin[1]))
        run.changed = True
    elif known and known.get("hash") == doc_hash and not options.rebuild and not options.override:
        report.files.append(_unchanged(path, doc_id, known))
        run.claim(doc_hash, doc_id, path)
        return
    try:
        processed = process_file(
            path, kind=options.kind, doc_id=doc_id, doc_hash=doc_hash, pack=pack,
            override=options.override,
        )  # fmt: skip
    except (LoadError, ParseError, ValueError) as error:
        report.files.append(FileResult(str(path), doc_id, "failed", error=str(error)))
        return
    status = "moved" if moved_from else "updated" if known else "added"
    processed.result.status = options.prefix + status
    if moved_from:
        processed.result.warnings.append(f"moved from {moved_from}")
    report.files.append(processed.result)
    run.fresh[doc_id] = processed.records
    run.manifest[doc_id] = processed.manifest
    run.changed = True
    run.claim(doc_hash, doc_id, path)


def _duplicate(path: Path, doc_id: str, twin: tuple[str, str], entry: dict[str, Any]) -> FileResult:
    return _from_manifest(
        path,
        doc_id,
        "duplicate",
        entry,
        warnings=[f"same content as {twin[1]}: not indexed twice"],
        duplicate_of=twin[1],
    )


def _prune_vanished(run: _Run, files: Sequence[Path], options: _Options) -> None:
    """Drop indexed documents whose files no longer exist (wherever they were)."""
    seen = {doc_id_for(p) for p in files}
    for doc_id, entry in list(run.manifest.items()):
        doc_path = Path(str(entry.get("path", "")))
        if doc_id in seen or doc_path.exists():
            continue
        run.report.files.append(_from_manifest(doc_path, doc_id, options.prefix + "removed", entry))
        run.manifest.pop(doc_id)
        run.changed = True


def _carried(
    store: KnowledgeStore, cache: EmbeddingCache, info: IndexInfo | None, run: _Run
) -> tuple[list[IndexRecord], list[np.ndarray | None]]:
    """Records of unchanged documents from the active index, with their vectors when usable."""
    by_doc: dict[str, list[tuple[IndexRecord, np.ndarray | None]]] = {}
    if info is not None:
        old_records, old_vectors = ingested_records(store, info.name)
        same_embedding = info.embedding == cache.embedder.id
        for i, record in enumerate(old_records):
            vector = old_vectors[i] if same_embedding and len(old_vectors) else None
            by_doc.setdefault(str(record.metadata.get("doc_id")), []).append((record, vector))
    records: list[IndexRecord] = []
    vectors: list[np.ndarray | None] = []
    for doc_id, pairs in by_doc.items():
        if doc_id in run.fresh or doc_id not in run.manifest:
            continue
        for record, vector in pairs:
            records.append(record)
            vectors.append(vector)
    return records, vectors


def _build(
    settings: Settings,
    store: KnowledgeStore,
    cache: EmbeddingCache,
    pack: KnowledgePack,
    info: IndexInfo | None,
    run: _Run,
    progress: ProgressFactory,
) -> IndexInfo:
    """The new index: carried records + fresh ones, embedded through the cache."""
    records, vectors = _carried(store, cache, info, run)
    new_records = [r for rs in run.fresh.values() for r in rs]
    seed_cache_from_package(cache, settings.pack_dir)
    with progress("Embedding documents", len(new_records)) as advance:
        new_vectors = _embed(cache, [r.text for r in new_records], advance)
    records.extend(new_records)
    vectors.extend(list(new_vectors))
    if any(v is None for v in vectors):
        # carried records without usable vectors (--rebuild with another embedding)
        missing_texts = [r.text for r, v in zip(records, vectors, strict=True) if v is None]
        with progress("Re-embedding kept documents", len(missing_texts)) as advance:
            redone = iter(_embed(cache, missing_texts, advance))
        vectors = [v if v is not None else next(redone) for v in vectors]
    matrix = np.stack([np.asarray(v, dtype=np.float32) for v in vectors]) if vectors else None
    return build_index(
        store,
        cache,
        pack,
        extra=records,
        extra_vectors=matrix,
        documents=list(run.manifest.values()),
        progress=progress,
    )


def _embed(cache: EmbeddingCache, texts: list[str], advance: Any) -> np.ndarray:
    """Embed in batches so the progress bar moves and memory stays flat."""
    if not texts:
        return np.zeros((0, cache.embedder.dim), dtype=np.float32)
    parts = []
    for start in range(0, len(texts), EMBED_BATCH * 8):
        parts.append(
            cache.embed_passages(
                texts[start : start + EMBED_BATCH * 8], batch_size=EMBED_BATCH, progress=advance
            )
        )
    return np.concatenate(parts)


def indexed_documents(
    settings: Settings, store: KnowledgeStore | None = None
) -> list[dict[str, Any]]:
    """The documents manifest of the active index (what ``netra sources`` prints)."""
    store = store or KnowledgeStore.from_settings(settings)
    try:
        return list(store.info().documents)
    except IndexMissingError:
        return []


def parse_regulation_file(path: Path, **kwargs: Any) -> ParsedRegulation:
    """Load and parse one regulation file (used by tests and the benchmark)."""
    return _parse_regulation(load_document(path).text, source=path.name, **kwargs)


def parse_transcript_file(path: Path) -> ParsedTranscript:
    return parse_transcript(load_document(path).text, fallback_title=path.stem)


__all__ = [
    "FileResult",
    "IngestError",
    "IngestReport",
    "StatusOverride",
    "doc_id_for",
    "indexed_documents",
    "ingest_paths",
]
