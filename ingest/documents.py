"""One file -> index records and its manifest entry: load, decide its kind, parse, stamp status.

A regulation's provisions carry their official text and links (amends, explains, part); a
socialisation report becomes overlapping chunks. The status of an ingested regulation is the
maintainer's ``--status`` override, else the knowledge pack's, else berlaku.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Literal

from ingest.kinds import decide_kind
from ingest.loaders import LoadedDocument, load_document, safe_resolve
from ingest.regulation_parser import ParsedRegulation
from ingest.regulation_parser import parse_regulation as _parse_regulation
from ingest.report import FileResult
from ingest.transcripts import ParsedTranscript, format_date, parse_transcript
from knowledge.models import Status
from knowledge.pack import KnowledgePack
from knowledge.records import (
    DocumentEntry,
    IndexRecord,
    ingested_provision_record,
    transcript_record,
)

Kind = Literal["regulation", "transcript", "auto"]
# Encodings that need no warning in the report.
PLAIN_ENCODINGS = frozenset({"utf-8", "ascii", "utf-8-sig"})


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
    title = f"{parsed.id} {parsed.identity.title}".strip()
    return [
        ingested_provision_record(
            provision,
            doc_id=doc_id,
            document={
                "doc_hash": doc_hash,
                "doc_title": title,
                "source": source,
                "amends": parsed.amends_map.get(provision.label),
                "explains": parsed.explains.get(provision.label),
                "part": parsed.parts.get(provision.label),
            },
        )
        for provision in parsed.provisions
    ]


def shown_date(parsed: ParsedTranscript) -> str | None:
    return parsed.date or format_date(None, parsed.date_partial)


def transcript_records(
    parsed: ParsedTranscript, *, doc_id: str, doc_hash: str, source: str
) -> list[IndexRecord]:
    metadata = {
        "doc_hash": doc_hash,
        "doc_title": parsed.title,
        "source": source,
        "title": parsed.title,
        "date": shown_date(parsed),
        "place": parsed.place,
        "organiser": parsed.organiser,
        "speakers": ", ".join(parsed.speakers) or None,
    }
    return [
        transcript_record(
            doc_id, chunk.index, parsed.title, chunk.text, {**metadata, "speaker": chunk.speaker}
        )
        for chunk in parsed.chunks
    ]


@dataclass
class Processed:
    """One parsed file: its report line, its records and its manifest entry."""

    result: FileResult
    records: list[IndexRecord]
    entry: DocumentEntry


@dataclass(frozen=True)
class Source:
    """A file about to be parsed, with its identity in the index."""

    path: Path
    doc_id: str
    doc_hash: str


def process_file(
    source: Source, kind: Kind, pack: KnowledgePack | None, override: StatusOverride | None
) -> Processed:
    """Load and parse one file into records (raises LoadError/ParseError/ValueError)."""
    document = load_document(source.path)
    decision = decide_kind(document.text, kind)
    result = FileResult(
        str(source.path), source.doc_id, "added", kind=decision.kind, reason=decision.reason
    )
    entry = DocumentEntry(
        doc_id=source.doc_id,
        path=str(source.path),
        kind=decision.kind,
        reason=decision.reason,
        hash=source.doc_hash,
    )
    if decision.kind == "regulation":
        records = _regulation(document, source, result, entry, pack, override)
    else:
        records = _transcript(document, source, result, entry)
    if document.encoding and document.encoding not in PLAIN_ENCODINGS:
        result.warnings = [*result.warnings, f"decoded as {document.encoding}"]
    entry.identity = result.identity
    entry.count = len(records)
    entry.ingested_at = datetime.now(UTC).isoformat(timespec="seconds")
    entry.warnings = len(result.warnings)
    return Processed(result, records, entry)


def _regulation(
    document: LoadedDocument,
    source: Source,
    result: FileResult,
    entry: DocumentEntry,
    pack: KnowledgePack | None,
    override: StatusOverride | None,
) -> list[IndexRecord]:
    # status needs the id, which needs the text: parse once, then restamp the status
    parsed = _parse_regulation(document.text, source=source.path.name)
    status, note, replaced_by = regulation_status(parsed.id, pack, override)
    if status is not Status.BERLAKU or note:
        parsed.provisions = [
            p.model_copy(update={"status": status, "status_note": note}) for p in parsed.provisions
        ]
    title = parsed.identity.title
    result.regulation, result.title = parsed.id, title
    result.identity = f"{parsed.id} — {title}".strip(" —")
    result.provisions = len(parsed.provisions)
    result.warnings = [*parsed.warnings, *_unknown_regulation(parsed.id, pack)]
    entry.regulation, entry.status, entry.status_note = parsed.id, status.value, note
    entry.replaced_by, entry.title, entry.amends = replaced_by, title, parsed.amends
    return regulation_records(
        parsed, doc_id=source.doc_id, doc_hash=source.doc_hash, source=source.path.name
    )


def _transcript(
    document: LoadedDocument, source: Source, result: FileResult, entry: DocumentEntry
) -> list[IndexRecord]:
    transcript = parse_transcript(document.text, fallback_title=source.path.stem)
    records = transcript_records(
        transcript, doc_id=source.doc_id, doc_hash=source.doc_hash, source=source.path.name
    )
    date = shown_date(transcript)
    result.title = transcript.title
    result.identity = ", ".join(x for x in (transcript.title, transcript.place, date) if x)
    result.chunks = len(records)
    entry.title, entry.date, entry.place = transcript.title, date, transcript.place
    return records


def _unknown_regulation(regulation_id: str, pack: KnowledgePack | None) -> list[str]:
    """A warning when the knowledge pack does not know the regulation: its text will be quoted
    as official, so the maintainer should check the source is genuine."""
    if pack is None or regulation_id in pack.regulations:
        return []
    return [f"{regulation_id} is not a regulation the knowledge pack knows; check the source"]


def parse_regulation_file(path: Path, **kwargs: object) -> ParsedRegulation:
    """Load and parse one regulation file (used by tests and the benchmark)."""
    return _parse_regulation(load_document(path).text, source=path.name, **kwargs)  # type: ignore[arg-type]


def parse_transcript_file(path: Path) -> ParsedTranscript:
    return parse_transcript(load_document(path).text, fallback_title=path.stem)
