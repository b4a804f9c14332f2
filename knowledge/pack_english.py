"""English forms of the pack (issue 15), read from overlay files under ``en/``.

The Indonesian files stay the source of truth; ``en/rulings/<file>.yaml``,
``en/regulations/<file>.yaml`` and ``en/notes/<file>.yaml`` (same file names) hold the English of
their text fields, keyed by ruling id, by provision label (or id), and for a note by the file
itself (its ``speakers`` and ``points`` lists item by item). Loading copies them onto the models as ``<field>_en``,
which the composer reads for an English answer. Citations (labels) stay in their official
Indonesian form. Two kinds of findings:

* problems (the pack is invalid): an overlay file, ruling, provision or field that names nothing
  in the Indonesian pack, or English for a field the Indonesian entry does not have;
* gaps (``english_gaps``): an Indonesian text field without its English form. ``netra validate``
  and the test suite fail on them; at run time such a field falls back to Indonesian.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TypeVar

from pydantic import BaseModel

from knowledge.models import Provision, Regulation, Ruling, SocialisationNote
from knowledge.pack_refs import ProvisionRefs

RULING_FIELDS = ("act", "period", "conditions", "explanation", "notes", "unsettled")
PROVISION_FIELDS = ("text", "context", "note", "status_note")
REGULATION_FIELDS = ("title", "notes", "status_note")
NOTE_FIELDS = ("title", "organiser", "place", "date_note", "speakers", "points")
ENGLISH_FIELDS = {
    f"{name}_en"
    for names in (RULING_FIELDS, PROVISION_FIELDS, REGULATION_FIELDS, NOTE_FIELDS)
    for name in names
}
# A ruling that names no period gets the model's default ("kapan saja"); this is its English.
DEFAULT_PERIOD_EN = "any time"

Reader = Callable[[Path], Any]
M = TypeVar("M", bound=BaseModel)


@dataclass
class PackFiles:
    """Which Indonesian file each ruling and regulation came from (overlays mirror them)."""

    ruling_file: dict[str, str] = field(default_factory=dict)  # ruling id -> file name
    regulation_of_file: dict[str, str] = field(default_factory=dict)  # file name -> id
    note_of_file: dict[str, str] = field(default_factory=dict)  # file name -> note id


@dataclass
class English:
    """The pack's models with their English forms, and what the overlays got wrong."""

    regulations: dict[str, Regulation]
    rulings: list[Ruling]
    notes: list[SocialisationNote]
    problems: list[str] = field(default_factory=list)


Entry = Ruling | Provision | Regulation | SocialisationNote


def _present(item: Entry, name: str) -> bool:
    """Whether the Indonesian entry has the field (a ruling's period only when written)."""
    if isinstance(item, Ruling) and name == "period":
        return "period" in item.model_fields_set
    return bool(getattr(item, name, None))


def _english_value(item: Entry, name: str, value: object) -> str | list[str] | None:
    """The English ``value`` for field ``name``, or None when it cannot stand for it: a text
    for a text, a list of texts as long as the Indonesian list for a list."""
    original = getattr(item, name)
    if isinstance(original, list):
        if not isinstance(value, list) or len(value) != len(original):
            return None
        texts = [v.strip() for v in value if isinstance(v, str) and v.strip()]
        return texts if len(texts) == len(original) else None
    return value.strip() if isinstance(value, str) and value.strip() else None


def _english_fields(
    where: str, item: Entry, raw: object, allowed: Iterable[str]
) -> tuple[dict[str, object], list[str]]:
    """``{<field>_en: text}`` from one overlay entry, with the problems it has."""
    if not isinstance(raw, Mapping):
        return {}, [f"{where}: expected a mapping of fields"]
    update: dict[str, object] = {}
    problems: list[str] = []
    for name, value in raw.items():
        if name not in allowed:
            problems.append(f"{where}: unknown field {name!r} (allowed: {', '.join(allowed)})")
        elif not _present(item, name):
            problems.append(f"{where}: {name} has no Indonesian text to translate")
        elif (english := _english_value(item, name, value)) is None:
            problems.append(
                f"{where}: {name} must be non-empty text (a list as long as the Indonesian one)"
            )
        else:
            update[f"{name}_en"] = english
    return update, problems


def _updated(
    items: Iterable[M], updates: Mapping[str, dict[str, object]], key: Callable[[M], str]
) -> list[M]:
    """``items`` with their English forms set (an item without any is kept as it is)."""
    return [
        item.model_copy(update=updates[key(item)]) if updates.get(key(item)) else item
        for item in items
    ]


def _overlay_files(root: Path, kind: str) -> list[Path]:
    return sorted((root / "en" / kind).glob("*.yaml"))


def _ruling_overlays(
    root: Path, rulings: list[Ruling], files: PackFiles, read: Reader
) -> tuple[list[Ruling], list[str]]:
    by_id = {ruling.id: ruling for ruling in rulings}
    updates: dict[str, dict[str, object]] = {}
    problems: list[str] = []
    for path in _overlay_files(root, "rulings"):
        where = f"en/rulings/{path.name}"
        if path.name not in files.ruling_file.values():
            problems.append(f"{where}: no rulings/{path.name} to translate")
            continue
        entries = (read(path) or {}).get("rulings") or {}
        for ruling_id, raw in entries.items():
            if files.ruling_file.get(ruling_id) != path.name:
                problems.append(f"{where}: {ruling_id} is not a ruling of rulings/{path.name}")
                continue
            update, found = _english_fields(
                f"{where}: {ruling_id}", by_id[ruling_id], raw, RULING_FIELDS
            )
            updates[ruling_id], problems = update, problems + found
    for ruling in rulings:
        if not _present(ruling, "period"):
            updates.setdefault(ruling.id, {}).setdefault("period_en", DEFAULT_PERIOD_EN)
    return _updated(rulings, updates, lambda ruling: ruling.id), problems


def _provision_overlays(
    where: str, regulation: Regulation, raw: object, refs: ProvisionRefs
) -> tuple[list[Provision], list[str]]:
    if not isinstance(raw, Mapping):
        return regulation.provisions, [f"{where}: provisions must be a mapping by label"]
    by_label = {provision.label: provision for provision in regulation.provisions}
    updates: dict[str, dict[str, object]] = {}
    problems: list[str] = []
    for ref, fields in raw.items():
        label = refs.resolve(str(ref))
        if label not in by_label:
            problems.append(f"{where}: {ref!r} is not a provision of {regulation.id}")
            continue
        update, found = _english_fields(
            f"{where}: {ref}", by_label[label], fields, PROVISION_FIELDS
        )
        updates[label], problems = update, problems + found
    return _updated(regulation.provisions, updates, lambda p: p.label), problems


def _regulation_overlay(
    path: Path, regulation: Regulation, refs: ProvisionRefs, read: Reader
) -> tuple[Regulation, list[str]]:
    where = f"en/regulations/{path.name}"
    raw = dict(read(path) or {})
    problems = []
    if raw.pop("regulation", regulation.id) != regulation.id:
        problems.append(f"{where}: regulation must be {regulation.id}")
    provisions, found = _provision_overlays(where, regulation, raw.pop("provisions", {}), refs)
    update, own = _english_fields(where, regulation, raw, REGULATION_FIELDS)
    return (
        regulation.model_copy(update={**update, "provisions": provisions}),
        problems + found + own,
    )


def _regulation_overlays(
    root: Path,
    regulations: dict[str, Regulation],
    files: PackFiles,
    refs: ProvisionRefs,
    read: Reader,
) -> tuple[dict[str, Regulation], list[str]]:
    english = dict(regulations)
    problems: list[str] = []
    for path in _overlay_files(root, "regulations"):
        regulation_id = files.regulation_of_file.get(path.name)
        if regulation_id is None or regulation_id not in regulations:
            problems.append(f"en/regulations/{path.name}: no regulations/{path.name} to translate")
            continue
        english[regulation_id], found = _regulation_overlay(
            path, regulations[regulation_id], refs, read
        )
        problems += found
    return english, problems


def _note_overlays(
    root: Path, notes: list[SocialisationNote], files: PackFiles, read: Reader
) -> tuple[list[SocialisationNote], list[str]]:
    by_id = {note.id: note for note in notes}
    updates: dict[str, dict[str, object]] = {}
    problems: list[str] = []
    for path in _overlay_files(root, "notes"):
        where = f"en/notes/{path.name}"
        note_id = files.note_of_file.get(path.name)
        raw = dict(read(path) or {})
        if note_id is None or note_id not in by_id:
            problems.append(f"{where}: no notes/{path.name} to translate")
        elif raw.pop("id", note_id) != note_id:
            problems.append(f"{where}: id must be {note_id}")
        else:
            updates[note_id], found = _english_fields(where, by_id[note_id], raw, NOTE_FIELDS)
            problems += found
    return _updated(notes, updates, lambda note: note.id), problems


def apply_english(
    root: Path,
    regulations: dict[str, Regulation],
    rulings: list[Ruling],
    notes: list[SocialisationNote],
    files: PackFiles,
    refs: ProvisionRefs,
    read: Reader,
) -> English:
    """The models with the English of every overlay under ``root/en`` copied onto them."""
    with_regulations, problems = _regulation_overlays(root, regulations, files, refs, read)
    with_rulings, found = _ruling_overlays(root, rulings, files, read)
    with_notes, about_notes = _note_overlays(root, notes, files, read)
    return English(with_regulations, with_rulings, with_notes, problems + found + about_notes)


def _missing(item: Entry, names: Iterable[str]) -> list[str]:
    return [n for n in names if _present(item, n) and not getattr(item, f"{n}_en", None)]


def english_gaps(english: English, files: PackFiles) -> list[str]:
    """Every Indonesian text field without its English form, one line per entry."""
    regulations, rulings = english.regulations, english.rulings
    file_of = {regulation: name for name, regulation in files.regulation_of_file.items()}
    gaps = []
    for regulation in regulations.values():
        where = f"en/regulations/{file_of.get(regulation.id, '?')}"
        missing = _missing(regulation, REGULATION_FIELDS)
        if missing:
            gaps.append(f"{where}: regulation {regulation.id}: {', '.join(missing)}")
        for provision in regulation.provisions:
            missing = _missing(provision, PROVISION_FIELDS)
            if missing:
                gaps.append(f"{where}: provision {provision.label}: {', '.join(missing)}")
    for ruling in rulings:
        # A default period has its English default, so "period" is missing only when written.
        missing = _missing(ruling, RULING_FIELDS)
        if missing:
            where = f"en/rulings/{files.ruling_file.get(ruling.id, '?')}"
            gaps.append(f"{where}: ruling {ruling.id}: {', '.join(missing)}")
    note_file = {note: name for name, note in files.note_of_file.items()}
    for note in english.notes:
        missing = _missing(note, NOTE_FIELDS)
        if missing:
            where = f"en/notes/{note_file.get(note.id, '?')}"
            gaps.append(f"{where}: note {note.id}: {', '.join(missing)}")
    return gaps


__all__ = [
    "DEFAULT_PERIOD_EN",
    "ENGLISH_FIELDS",
    "English",
    "PackFiles",
    "apply_english",
    "english_gaps",
]
