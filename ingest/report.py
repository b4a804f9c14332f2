"""What one ingest run did, file by file (``netra ingest --json`` prints :meth:`IngestReport.to_dict`)."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any

from knowledge.records import DocumentEntry

# Statuses that keep their name in a dry run (the others read "would-added", ...).
FIXED_STATUSES = frozenset({"failed", "unchanged", "duplicate"})


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

    @classmethod
    def known(cls, path: object, entry: DocumentEntry, status: str, **extra: Any) -> FileResult:
        """The result line of a document known from the manifest (unchanged, duplicate, removed)."""
        return cls(
            str(path),
            entry.doc_id,
            status,
            kind=entry.kind,
            regulation=entry.regulation,
            title=entry.title,
            identity=entry.identity or entry.regulation or entry.title,
            reason=entry.reason,
            **extra,
        )

    @classmethod
    def failure(cls, path: object, doc_id: str, error: str) -> FileResult:
        return cls(str(path), doc_id, "failed", error=error)


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
        prefix = "would-" if self.dry_run and status not in FIXED_STATUSES else ""
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

    def totals(self) -> dict[str, int | float]:
        return {
            "files": len(self.files),
            "provisions": self.provisions,
            "chunks": self.chunks,
            **{s: self.count(s) for s in ("added", "updated", "moved", "unchanged")},
            "duplicate": sum(1 for f in self.files if f.status == "duplicate"),
            "removed": self.count("removed"),
            "failed": len(self.failed),
            "warnings": self.warnings,
            "records": self.records,
            "embedded": self.embedded,
            "seconds": round(self.seconds, 3),
        }

    def to_dict(self) -> dict[str, Any]:
        return {
            "dry_run": self.dry_run,
            "index": self.index,
            "files": [asdict(f) for f in self.files],
            "totals": self.totals(),
        }
