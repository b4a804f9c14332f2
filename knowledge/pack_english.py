"""English forms of the pack (issue 15), read from overlay files under ``en/``.

The Indonesian files stay the source of truth; ``en/rulings/<file>.yaml`` and
``en/regulations/<file>.yaml`` (same file names) hold the English of their text fields, keyed by
ruling id and by provision label (or id). Loading copies them onto the models as ``<field>_en``,
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
from typing import Any

from knowledge.models import Provision, Regulation, Ruling
from knowledge.pack_refs import ProvisionRefs

RULING_FIELDS = ("act", "period", "conditions", "explanation", "notes", "unsettled")
PROVISION_FIELDS = ("text", "context", "note", "status_note")
REGULATION_FIELDS = ("title", "notes", "status_note")
ENGLISH_FIELDS = {
    *(f"{name}_en" for name in RULING_FIELDS),
    *(f"{name}_en" for name in PROVISION_FIELDS),
    *(f"{name}_en" for name in REGULATION_FIELDS),
}
# A ruling that names no period gets the model's default ("kapan saja"); this is its English.
DEFAULT_PERIOD_EN = "any time"

Reader = Callable[[Path], Any]


@dataclass
class PackFiles:
    """Which Indonesian file each ruling and regulation came from (overlays mirror them)."""

    ruling_file: dict[str, str] = field(default_factory=dict)  # ruling id -> file name
    regulation_of_file: dict[str, str] = field(default_factory=dict)  # file name -> id


@dataclass
class English:
    """The pack's models with their English forms, and what the overlays got wrong."""

    regulations: dict[str, Regulation]
    rulings: list[Ruling]
    problems: list[str] = field(default_factory=list)


def _present(item: Ruling | Provision | Regulation, name: str) -> bool:
    """Whether the Indonesian entry has the field (a ruling's period only when written)."""
    if isinstance(item, Ruling) and name == "period":
        return "period" in item.model_fields_set
    return bool(getattr(item, name, None))


def _english_fields(
    where: str, item: Ruling | Provision | Regulation, raw: object, allowed: Iterable[str]
) -> tuple[dict[str, str], list[str]]:
    """``{<field>_en: text}`` from one overlay entry, with the problems it has."""
    if not isinstance(raw, Mapping):
        return {}, [f"{where}: expected a mapping of fields"]
    update: dict[str, str] = {}
    problems: list[str] = []
    for name, value in raw.items():
        if name not in allowed:
            problems.append(f"{where}: unknown field {name!r} (allowed: {', '.join(allowed)})")
        elif not isinstance(value, str) or not value.strip():
            problems.append(f"{where}: {name} must be non-empty text")
        elif not _present(item, name):
            problems.append(f"{where}: {name} has no Indonesian text to translate")
        else:
            update[f"{name}_en"] = value.strip()
    return update, problems


def _overlay_files(root: Path, kind: str) -> list[Path]:
    return sorted((root / "en" / kind).glob("*.yaml"))


def _ruling_overlays(
    root: Path, rulings: list[Ruling], files: PackFiles, read: Reader
) -> tuple[list[Ruling], list[str]]:
    by_id = {ruling.id: ruling for ruling in rulings}
    updates: dict[str, dict[str, str]] = {}
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
    english = []
    for ruling in rulings:
        update = updates.get(ruling.id, {})
        if not _present(ruling, "period"):
            update.setdefault("period_en", DEFAULT_PERIOD_EN)
        english.append(ruling.model_copy(update=update) if update else ruling)
    return english, problems


def _provision_overlays(
    where: str, regulation: Regulation, raw: object, refs: ProvisionRefs
) -> tuple[list[Provision], list[str]]:
    if not isinstance(raw, Mapping):
        return regulation.provisions, [f"{where}: provisions must be a mapping by label"]
    by_label = {provision.label: provision for provision in regulation.provisions}
    updates: dict[str, dict[str, str]] = {}
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
    provisions = [
        p.model_copy(update=updates[p.label]) if updates.get(p.label) else p
        for p in regulation.provisions
    ]
    return provisions, problems


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


def apply_english(
    root: Path,
    regulations: dict[str, Regulation],
    rulings: list[Ruling],
    files: PackFiles,
    refs: ProvisionRefs,
    read: Reader,
) -> English:
    """The models with the English of every overlay under ``root/en`` copied onto them."""
    with_regulations, problems = _regulation_overlays(root, regulations, files, refs, read)
    with_rulings, found = _ruling_overlays(root, rulings, files, read)
    return English(with_regulations, with_rulings, problems + found)


def _missing(item: Ruling | Provision | Regulation, names: Iterable[str]) -> list[str]:
    return [n for n in names if _present(item, n) and not getattr(item, f"{n}_en", None)]


def english_gaps(
    regulations: dict[str, Regulation], rulings: list[Ruling], files: PackFiles
) -> list[str]:
    """Every Indonesian text field without its English form, one line per entry."""
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
    return gaps


__all__ = [
    "DEFAULT_PERIOD_EN",
    "ENGLISH_FIELDS",
    "English",
    "PackFiles",
    "apply_english",
    "english_gaps",
]
