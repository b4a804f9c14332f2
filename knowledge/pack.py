"""Load and validate the packaged knowledge pack (``knowledge/data``).

The pack is written by us: regulations with the provisions that matter for ASN neutrality (our
statements of their content, each with its source), the conduct catalogue (rulings) and notes on
socialisation events. It is validated on every load so a broken pack never reaches users.
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence, Set
from dataclasses import dataclass, field, replace
from functools import cached_property
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from knowledge.lexicon import WordLists, load_word_lists, packaged_data_dir, read_yaml
from knowledge.models import Provision, Regulation, Ruling, SocialisationNote, Status
from knowledge.pack_english import ENGLISH_FIELDS, PackFiles, apply_english, english_gaps
from knowledge.pack_refs import ProvisionRefs
from knowledge.regulation_ref import RegulationNames
from knowledge.sanctions import (
    SanctionTable,
    load_sanction_table,
    resolve_sanction_fields,
    table_gaps,
    table_problems,
)
from knowledge.situation import (
    Lexicon,
    RulingFacets,
    all_ruling_facets,
    facet_problems,
    load_lexicon,
)

SANCTIONS_FILE = "sanctions.yaml"


class PackError(ValueError):
    """The knowledge pack is malformed or inconsistent; the message lists every problem."""


def default_pack_dir() -> Path:
    """The pack shipped inside the installed ``knowledge`` package."""
    return packaged_data_dir()


@dataclass(frozen=True)
class KnowledgePack:
    """The validated contents of a pack directory."""

    name: str
    version: str
    regulations: dict[str, Regulation]
    rulings: list[Ruling]
    notes: list[SocialisationNote]
    content_hash: str
    problems: list[str] = field(default_factory=list)
    root: Path | None = None
    # Provisions every prohibition for civil servants rests on (pack.yaml `general_basis`).
    general_basis: tuple[str, ...] = ()
    sanction_table: SanctionTable = field(default_factory=SanctionTable)
    # Indonesian text fields without their English form (see knowledge.pack_english).
    english_gaps: list[str] = field(default_factory=list)

    @property
    def knowledge_version(self) -> str:
        """Version string stamped on every answer: pack version plus a content digest."""
        return f"{self.version}+{self.content_hash[:8]}"

    @cached_property
    def provisions(self) -> dict[str, Provision]:
        """Every provision in the pack by canonical label."""
        return {
            provision.label: provision
            for regulation in self.regulations.values()
            for provision in regulation.provisions
        }

    @cached_property
    def document_level_provisions(self) -> list[Provision]:
        """Provisions that cite a whole instrument (or a numbered part), not an article."""
        return [p for p in self.provisions.values() if p.document]

    @cached_property
    def rulings_by_id(self) -> dict[str, Ruling]:
        return {ruling.id: ruling for ruling in self.rulings}

    def without_examples(self, record_ids: Set[str]) -> KnowledgePack:
        """This pack with the example phrasings whose index records are ``record_ids`` removed
        (catalogue cross-validation; record ids as in ``knowledge.index.pack_records``)."""
        rulings = [
            ruling.model_copy(
                update={
                    "examples": [
                        e
                        for number, e in enumerate(ruling.examples)
                        if f"example:{ruling.id}:{number}" not in record_ids
                    ]
                }
            )
            for ruling in self.rulings
        ]
        return replace(self, rulings=rulings)

    @cached_property
    def lexicon(self) -> Lexicon:
        """The situation vocabulary (``situation.yaml``) of this pack."""
        return load_lexicon(
            (self.root or default_pack_dir()) / "situation.yaml", self.word_lists.slang
        )

    @cached_property
    def word_lists(self) -> WordLists:
        """The word lists (``lexicon.yaml``) of this pack."""
        return load_word_lists(self.root)

    @cached_property
    def regulation_names(self) -> RegulationNames:
        """The parser of regulations named in a text: the lexicon's types, this pack's
        regulations and their aliases."""
        known = [(r.id, r.type, r.aliases) for r in self.regulations.values()]
        return RegulationNames(self.word_lists.regulation_types, known)

    @cached_property
    def facets(self) -> dict[str, RulingFacets]:
        """Every ruling's facets (computed once per pack: it reads all example phrasings)."""
        return all_ruling_facets(self.rulings, self.lexicon)


_read_yaml = read_yaml


def _format_issues(error: ValidationError) -> list[str]:
    return [f"{'.'.join(str(p) for p in issue['loc'])}: {issue['msg']}" for issue in error.errors()]


def _format_error(path: Path, error: ValidationError) -> list[str]:
    return [f"{path.name}: {line}" for line in _format_issues(error)]


def _digest(root: Path, meta_path: Path) -> str:
    """Content hash of every pack file (it versions answers and decides index rebuilds)."""
    digest = hashlib.sha256()
    for path in dict.fromkeys([meta_path, *sorted(root.rglob("*.yaml"))]):
        if path.exists():
            digest.update(path.relative_to(root).as_posix().encode())
            digest.update(path.read_bytes())
    return digest.hexdigest()


def _loader_only(where: str, raw: dict[str, Any], names: Set[str]) -> list[str]:
    """Fields the loader fills (English forms, resolved sanctions) must not be written by hand."""
    return [
        f"{where}: {name} is filled by the loader (English forms live under en/, "
        "sanctions in sanctions.yaml)"
        for name in sorted(names & raw.keys())
    ]


def _load_regulations(root: Path, problems: list[str], files: PackFiles) -> dict[str, Regulation]:
    regulations: dict[str, Regulation] = {}
    for path in sorted((root / "regulations").glob("*.yaml")):
        raw = _read_yaml(path) or {}
        for provision in raw.get("provisions") or []:
            if isinstance(provision, dict):
                problems.extend(_loader_only(path.name, provision, ENGLISH_FIELDS))
        problems.extend(_loader_only(path.name, raw, ENGLISH_FIELDS))
        try:
            regulation = Regulation.model_validate(raw)
        except ValidationError as error:
            problems.extend(_format_error(path, error))
            continue
        if regulation.id in regulations:
            problems.append(f"{path.name}: duplicate regulation id {regulation.id}")
        regulations[regulation.id] = regulation
        files.regulation_of_file[path.name] = regulation.id
    return regulations


_RULING_LOADER_FIELDS = ENGLISH_FIELDS | {
    "sanction_ids",
    "sanction_by_ids",
    "sanction_en",
    "sanction_by_en",
}


def _ruling(
    where: str, raw: dict[str, Any], topic: str, refs: ProvisionRefs, table: SanctionTable
) -> tuple[Ruling | None, list[str]]:
    """One ruling with its basis resolved to labels and its sanction ids to texts."""
    problems = _loader_only(where, raw, _RULING_LOADER_FIELDS)
    sanction, found = resolve_sanction_fields(raw, table)
    problems += [f"{where}: {line}" for line in found]
    data = {
        **{k: v for k, v in raw.items() if k not in _RULING_LOADER_FIELDS},
        "topic": topic,
        "basis": refs.resolve_all(raw.get("basis") or []),
        **{k: v for k, v in sanction.items() if v},
    }
    try:
        return Ruling.model_validate(data), problems
    except ValidationError as error:
        return None, problems + [f"{where}: {line}" for line in _format_issues(error)]


def _load_rulings(
    root: Path, refs: ProvisionRefs, table: SanctionTable, problems: list[str], files: PackFiles
) -> list[Ruling]:
    rulings: list[Ruling] = []
    for path in sorted((root / "rulings").glob("*.yaml")):
        data = _read_yaml(path) or {}
        topic = data.get("topic", path.stem)
        for index, raw in enumerate(data.get("rulings", [])):
            where = f"{path.name}[{index}] {raw.get('id', '?')}"
            ruling, found = _ruling(where, raw, topic, refs, table)
            problems.extend(found)
            if ruling is not None:
                rulings.append(ruling)
                files.ruling_file.setdefault(ruling.id, path.name)
    return rulings


def _load_notes(
    root: Path, refs: ProvisionRefs, problems: list[str], files: PackFiles
) -> list[SocialisationNote]:
    notes: list[SocialisationNote] = []
    for path in sorted((root / "notes").glob("*.yaml")):
        raw = _read_yaml(path) or {}
        raw["rules_cited"] = refs.resolve_all(raw.get("rules_cited") or [])
        problems.extend(_loader_only(path.name, raw, ENGLISH_FIELDS))
        try:
            notes.append(SocialisationNote.model_validate(raw))
        except ValidationError as error:
            problems.extend(_format_error(path, error))
            continue
        files.note_of_file[path.name] = notes[-1].id
    return notes


def load_pack(directory: Path | None = None, *, strict: bool = True) -> KnowledgePack:
    """Load every file of the pack and check it; raise :class:`PackError` listing all problems.

    With ``strict=False`` the cross-reference problems are returned in ``problems`` instead of
    raised (the validator command prints them all at once). Missing English forms are listed in
    ``english_gaps``, apart from the problems: they fail ``netra validate`` and the tests, while
    a running Netra falls back to Indonesian for that field.
    """
    root = directory or default_pack_dir()
    problems: list[str] = []
    files = PackFiles()
    meta_path = root / "pack.yaml"
    meta = _read_yaml(meta_path) if meta_path.exists() else {}

    regulations = _load_regulations(root, problems, files)
    refs = ProvisionRefs(p for r in regulations.values() for p in r.provisions)
    table, found = load_sanction_table(root / SANCTIONS_FILE, _read_yaml)
    problems += found
    rulings = _load_rulings(root, refs, table, problems, files)
    notes = _load_notes(root, refs, problems, files)
    english = apply_english(root, regulations, rulings, notes, files, refs, _read_yaml)

    pack = KnowledgePack(
        name=str(meta.get("name", "netra")),
        version=str(meta.get("version", "0")),
        regulations=english.regulations,
        rulings=english.rulings,
        notes=english.notes,
        content_hash=_digest(root, meta_path),
        problems=problems,
        root=root,
        general_basis=tuple(refs.resolve_all(meta.get("general_basis", ()))),
        sanction_table=table,
        english_gaps=english_gaps(english, files) + table_gaps(table),
    )
    problems.extend(english.problems)
    problems.extend(refs.problems)
    problems.extend(cross_check(pack))
    problems.extend(
        table_problems(
            table, pack.rulings, refs, {p.label: p.regulation for p in pack.provisions.values()}
        )
    )
    if problems and strict:
        raise PackError("knowledge pack is invalid:\n- " + "\n- ".join(problems))
    return pack


MIN_DOCUMENT_SOURCES = 2
"""Independent sources a document-level provision needs (house rule: corpus or two sources)."""


def _document_level_problems(pack: KnowledgePack) -> list[str]:
    """A document-level citation stands on its sources alone, so it needs two, or the corpus."""
    problems: list[str] = []
    for provision in pack.document_level_provisions:
        regulation = pack.regulations[provision.regulation]
        in_corpus = "shared/corpus" in provision.source
        if not in_corpus and len(regulation.verified_against) < MIN_DOCUMENT_SOURCES:
            problems.append(
                f"document-level provision {provision.label} needs {MIN_DOCUMENT_SOURCES} "
                f"sources in {regulation.id} verified_against (or the corpus)"
            )
    return problems


def _alias_problems(pack: KnowledgePack) -> list[str]:
    """An alias names one regulation only, and never another regulation's id."""
    problems: list[str] = []
    owner: dict[str, str] = {r.id.lower(): r.id for r in pack.regulations.values()}
    for regulation in pack.regulations.values():
        for alias in regulation.aliases:
            other = owner.setdefault(" ".join(alias.lower().split()), regulation.id)
            if other != regulation.id:
                problems.append(f"{regulation.id}: alias {alias!r} already names {other}")
    return problems


def cross_check(pack: KnowledgePack) -> list[str]:
    """Consistency rules that span files (ids, citations, revoked bases)."""
    problems: list[str] = []
    seen_labels: set[str] = set()
    for regulation in pack.regulations.values():
        for provision in regulation.provisions:
            if provision.label in seen_labels:
                problems.append(f"duplicate provision {provision.label}")
            seen_labels.add(provision.label)
        for ref in [*regulation.replaces, *regulation.amends, *regulation.replaced_by]:
            if ref not in pack.regulations:
                problems.append(f"{regulation.id} refers to unknown regulation {ref}")

    problems.extend(_alias_problems(pack))
    problems.extend(_document_level_problems(pack))
    problems.extend(
        f"pack.yaml general_basis cites {label!r}, which is not in the pack"
        for label in pack.general_basis
        if label not in pack.provisions
    )

    seen_ids: set[str] = set()
    for ruling in pack.rulings:
        if ruling.id in seen_ids:
            problems.append(f"duplicate ruling id {ruling.id}")
        seen_ids.add(ruling.id)
        for label in ruling.basis:
            cited = pack.provisions.get(label)
            if cited is None:
                problems.append(f"ruling {ruling.id} cites {label!r}, which is not in the pack")
                continue
            regulation = pack.regulations[cited.regulation]
            revoked = regulation.status is Status.DICABUT or cited.status is Status.DICABUT
            if revoked and not ruling.notes:
                problems.append(f"ruling {ruling.id} cites revoked {label} as basis without a note")
        if ruling.facets:  # (the vocabulary is read only when a ruling names facets)
            problems.extend(facet_problems(ruling, pack.lexicon))
        for other in ruling.related:
            if other not in {r.id for r in pack.rulings}:
                problems.append(f"ruling {ruling.id} relates to unknown ruling {other}")

    problems += _shared_examples(pack.rulings)

    note_ids = [note.id for note in pack.notes]
    for duplicate in {n for n in note_ids if note_ids.count(n) > 1}:
        problems.append(f"duplicate note id {duplicate}")
    for note in pack.notes:
        for label in note.rules_cited:
            if label not in pack.provisions and label not in pack.regulations:
                problems.append(f"note {note.id} cites {label!r}, which is not in the pack")
    return problems


def _shared_examples(rulings: Sequence[Ruling]) -> list[str]:
    """An example phrasing listed under two rulings: retrieval cannot tell which one it is, and
    cross-validation scores it against whichever it was held out of."""
    owner: dict[str, str] = {}
    problems = []
    for ruling in rulings:
        for example in ruling.examples:
            key = " ".join(example.casefold().split())
            first = owner.setdefault(key, ruling.id)
            if first != ruling.id:
                problems.append(f"example {example!r} is listed under {first} and {ruling.id}")
    return problems
