"""The index record schema, written and read in one place.

Every searchable unit (a provision of the pack or of an ingested regulation, a ruling and its
example phrasings, a socialisation note, a transcript chunk) becomes an :class:`IndexRecord` here,
and an ingested provision is read back here (``provision_from_record``), so the text layout
(``"<label>. <text>"``) and the metadata keys have one definition. The documents manifest that an
index carries (what ``netra ingest`` added) is a list of typed :class:`DocumentEntry`.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from pydantic import BaseModel, ConfigDict

from knowledge.models import Provision, Ruling, SocialisationNote, Status

Scalar = str | int | float | bool
Metadata = dict[str, Scalar | None]

ORIGIN_PACK = "pack"
ORIGIN_INGEST = "ingest"
# What an ingested provision cites as its source when the record names none.
DEFAULT_INGEST_SOURCE = "dokumen yang diingest"


@dataclass
class IndexRecord:
    """One searchable unit: a provision, a ruling (or one of its example phrasings), a
    socialisation note or a transcript chunk. Metadata is flat scalars so Chroma filters work."""

    id: str
    text: str
    kind: str
    metadata: Metadata = field(default_factory=dict)

    def flat_metadata(self) -> dict[str, Scalar]:
        """Chroma metadata: scalars only, absent levels omitted (Chroma rejects None)."""
        flat: dict[str, Scalar] = {"kind": self.kind}
        flat.update({k: v for k, v in self.metadata.items() if v is not None})
        return flat


class DocumentEntry(BaseModel):
    """One ingested document in the index's manifest (``netra sources`` lists them).

    Regulations fill ``regulation``/``status``/``amends``, transcripts ``date``/``place``; entries
    written by older versions load as they are (unknown keys ignored).
    """

    model_config = ConfigDict(extra="ignore")

    doc_id: str
    path: str = ""
    kind: str | None = None
    reason: str | None = None
    regulation: str | None = None
    status: str | None = None
    status_note: str | None = None
    replaced_by: str | None = None
    title: str | None = None
    amends: str | None = None
    date: str | None = None
    place: str | None = None
    identity: str | None = None
    count: int = 0
    hash: str = ""
    ingested_at: str = ""
    warnings: int = 0

    def to_dict(self) -> dict[str, Any]:
        """The JSON form stored in the index and printed by ``netra sources --json``."""
        return self.model_dump(mode="json")


# --- provisions -----------------------------------------------------------------------------


def provision_text(provision: Provision) -> str:
    """The embedded text of a provision: its label, then its text with the chapeau."""
    return f"{provision.label}. {provision.full_text()}"


def provision_levels(provision: Provision) -> Metadata:
    """The citation levels every provision record carries, flat."""
    return {
        "label": provision.label,
        "regulation": provision.regulation,
        "pasal": provision.pasal,
        "ayat": provision.ayat,
        "huruf": provision.huruf,
        "angka": provision.angka,
        "lampiran": provision.lampiran,
        "status": provision.status.value,
    }


def _provision_record(provision: Provision, record_id: str, metadata: Metadata) -> IndexRecord:
    return IndexRecord(
        id=record_id,
        text=provision_text(provision),
        kind="provision",
        metadata={**metadata, **provision_levels(provision)},
    )


def pack_provision_record(provision: Provision) -> IndexRecord:
    """A provision of the knowledge pack (our statement of it)."""
    metadata: Metadata = {
        "origin": ORIGIN_PACK,
        "official": False,
        "topics": ", ".join(provision.topics),
    }
    return _provision_record(provision, f"provision:{provision.label}", metadata)


def ingested_provision_record(
    provision: Provision, *, doc_id: str, document: Mapping[str, Scalar | None]
) -> IndexRecord:
    """An official provision from an ingested regulation; ``document`` holds the per-document
    metadata (hash, title, source) and the provision's links (amends, explains, part)."""
    metadata: Metadata = {
        "origin": ORIGIN_INGEST,
        "doc_id": doc_id,
        **document,
        "row": provision.row,
        "penjelasan": provision.penjelasan,
        "status_note": provision.status_note,
        "official": True,
    }
    return _provision_record(provision, f"ingest:{doc_id}:{provision.label}", metadata)


def _level(meta: Mapping[str, object], key: str) -> str | None:
    value = meta.get(key)
    return str(value) if value not in (None, "") else None


def provision_from_record(record: IndexRecord) -> Provision | None:
    """An ingested official provision read back as a :class:`Provision` (None if it lacks a
    level). Its text is the record's text without the leading label."""
    meta = record.metadata
    prefix = f"{meta.get('label', '')}. "
    try:
        return Provision(
            regulation=str(meta.get("regulation", "")),
            pasal=_level(meta, "pasal"),
            ayat=_level(meta, "ayat"),
            huruf=_level(meta, "huruf"),
            angka=_level(meta, "angka"),
            lampiran=_level(meta, "lampiran"),
            row=_level(meta, "row"),
            status_note=_level(meta, "status_note"),
            penjelasan=bool(meta.get("penjelasan", False)),
            text=record.text.removeprefix(prefix) if meta.get("label") else record.text,
            official=True,
            status=Status(str(meta.get("status", Status.BERLAKU.value))),
            source=str(meta.get("doc_title") or meta.get("source") or DEFAULT_INGEST_SOURCE),
        )
    except ValueError:
        return None


def is_ingested_provision(record: IndexRecord) -> bool:
    return record.kind == "provision" and record.metadata.get("origin") == ORIGIN_INGEST


# --- rulings, notes, transcripts ------------------------------------------------------------


def ruling_records(ruling: Ruling) -> list[IndexRecord]:
    """A ruling's own record (act and conditions) and one record per example phrasing."""
    base: Metadata = {
        "origin": ORIGIN_PACK,
        "ruling_id": ruling.id,
        "verdict": ruling.verdict,
        "topic": ruling.topic,
    }
    own = IndexRecord(
        id=f"ruling:{ruling.id}",
        text=f"{ruling.act}. {ruling.conditions or ''}".strip(),
        kind="ruling",
        metadata=dict(base),
    )
    examples = [
        IndexRecord(
            id=f"example:{ruling.id}:{number}", text=text, kind="example", metadata=dict(base)
        )
        for number, text in enumerate(ruling.examples)
    ]
    return [own, *examples]


def note_record(note: SocialisationNote) -> IndexRecord:
    return IndexRecord(
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


def transcript_record(
    doc_id: str, index: int, title: str, text: str, metadata: Mapping[str, Scalar | None]
) -> IndexRecord:
    """One chunk of an ingested socialisation report; its text opens with the report's title."""
    return IndexRecord(
        id=f"ingest:{doc_id}:chunk:{index}",
        text=text if text.startswith(title) else f"{title}. {text}",
        kind="transcript",
        metadata={"origin": ORIGIN_INGEST, "doc_id": doc_id, **metadata, "chunk": index},
    )
