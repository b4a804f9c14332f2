"""One run's edits to the documents manifest: which files are new, changed, moved, duplicated,
unchanged or gone, decided by content hash and path.

The same content at a second path is a duplicate while the first path still exists (not indexed
twice); when the first path is gone the document has moved and is re-keyed to the new path.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

from ingest.documents import (
    Kind,
    Source,
    StatusOverride,
    doc_id_for,
    file_hash,
    process_file,
)
from ingest.loaders import LoadError
from ingest.regulation_parser import ParseError
from ingest.report import FileResult, IngestReport
from knowledge.pack import KnowledgePack
from knowledge.records import DocumentEntry, IndexRecord


@dataclass(frozen=True)
class Options:
    """What the maintainer asked for (``netra ingest`` flags)."""

    kind: Kind = "auto"
    dry_run: bool = False
    rebuild: bool = False
    prune: bool = False
    override: StatusOverride | None = None

    @property
    def prefix(self) -> str:
        return "would-" if self.dry_run else ""


def _exists(path: object) -> bool:
    return bool(path) and Path(str(path)).exists()


@dataclass
class ManifestEdit:
    """One run's working state: the manifest being edited, fresh records, and content hashes."""

    report: IngestReport
    manifest: dict[str, DocumentEntry]
    fresh: dict[str, list[IndexRecord]] = field(default_factory=dict)
    changed: bool = False
    by_hash: dict[str, str] = field(default_factory=dict)  # content hash -> doc_id holding it
    paths: dict[str, str] = field(default_factory=dict)  # doc_id -> path, for this run's files

    def __post_init__(self) -> None:
        for doc_id, entry in self.manifest.items():
            holder = self.by_hash.get(entry.hash)
            if holder is None or (not _exists(self._path(holder)) and _exists(entry.path)):
                self.by_hash[entry.hash] = doc_id

    def _path(self, doc_id: str) -> str:
        known = self.manifest.get(doc_id)
        return self.paths.get(doc_id) or (known.path if known else "")

    def claim(self, doc_hash: str, doc_id: str, path: Path) -> None:
        self.by_hash[doc_hash] = doc_id
        self.paths[doc_id] = str(path)

    def twin(self, doc_hash: str, doc_id: str) -> tuple[str, str] | None:
        """(doc_id, path) of another document with this content, if any."""
        holder = self.by_hash.get(doc_hash)
        if holder is None or holder == doc_id:
            return None
        return holder, self._path(holder)

    def drop(self, doc_id: str) -> DocumentEntry | None:
        self.changed = True
        return self.manifest.pop(doc_id, None)

    def add(self, processed_records: list[IndexRecord], entry: DocumentEntry) -> None:
        self.fresh[entry.doc_id] = processed_records
        self.manifest[entry.doc_id] = entry
        self.changed = True


def read_file(edit: ManifestEdit, path: Path, options: Options, pack: KnowledgePack) -> None:
    """Hash, compare and (when new or changed) parse one file into ``edit``."""
    report, doc_id = edit.report, doc_id_for(path)
    try:
        source = Source(path, doc_id, file_hash(path))
    except OSError as error:
        report.files.append(FileResult.failure(path, doc_id, str(error)))
        return
    known = edit.manifest.get(doc_id)
    twin = edit.twin(source.doc_hash, doc_id)
    if twin is not None and _exists(twin[1]):
        report.files.append(_duplicate(path, doc_id, twin, edit.manifest.get(twin[0])))
        if known is not None:  # this path used to hold other content: that is gone now
            edit.drop(doc_id)
        return
    moved_from = None
    if twin is not None:
        gone = edit.drop(twin[0])
        moved_from = gone.path if gone and gone.path else twin[1]
    elif known and known.hash == source.doc_hash and not (options.rebuild or options.override):
        report.files.append(_unchanged(path, known))
        edit.claim(source.doc_hash, doc_id, path)
        return
    _parse_into(edit, source, options, pack, _status(moved_from, known), moved_from)


def _status(moved_from: str | None, known: DocumentEntry | None) -> str:
    return "moved" if moved_from else "updated" if known else "added"


def _parse_into(
    edit: ManifestEdit,
    source: Source,
    options: Options,
    pack: KnowledgePack,
    status: str,
    moved_from: str | None,
) -> None:
    """Parse a new or changed file and put its records and entry into ``edit``."""
    try:
        processed = process_file(source, options.kind, pack, options.override)
    except (LoadError, ParseError, ValueError) as error:
        edit.report.files.append(FileResult.failure(source.path, source.doc_id, str(error)))
        return
    processed.result.status = options.prefix + status
    if moved_from:
        processed.result.warnings.append(f"moved from {moved_from}")
    edit.report.files.append(processed.result)
    edit.add(processed.records, processed.entry)
    edit.claim(source.doc_hash, source.doc_id, source.path)


def _unchanged(path: Path, known: DocumentEntry) -> FileResult:
    count = known.count
    return FileResult.known(
        path,
        known,
        "unchanged",
        provisions=count if known.kind == "regulation" else 0,
        chunks=count if known.kind == "transcript" else 0,
    )


def _duplicate(
    path: Path, doc_id: str, twin: tuple[str, str], entry: DocumentEntry | None
) -> FileResult:
    known = entry or DocumentEntry(doc_id=doc_id)
    result = FileResult.known(
        path,
        known,
        "duplicate",
        warnings=[f"same content as {twin[1]}: not indexed twice"],
        duplicate_of=twin[1],
    )
    result.doc_id = doc_id
    return result


def prune_vanished(edit: ManifestEdit, files: Sequence[Path], options: Options) -> None:
    """Drop indexed documents whose files no longer exist (wherever they were)."""
    seen = {doc_id_for(p) for p in files}
    for doc_id, entry in list(edit.manifest.items()):
        if doc_id in seen or Path(entry.path).exists():
            continue
        edit.report.files.append(
            FileResult.known(Path(entry.path), entry, options.prefix + "removed")
        )
        edit.drop(doc_id)
