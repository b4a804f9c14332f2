"""The sanctions table (``sanctions.yaml``): every sanction text once, named by id.

The same sanction ("Hukuman disiplin berat (PP 94/2021 Pasal 14 huruf i angka 4 ...)") used to be
pasted into many rulings, so a correction had to be made in each copy and each copy translated.
Now a ruling names table entries: ``sanction: <id>`` or ``sanction: [<id>, <id>]`` (the texts
are joined by a space, in that order: a shared sanction and what is particular to the ruling),
and ``sanction_by: [<authority id>, ...]`` (joined by "; "). Each entry carries its English form
beside the Indonesian one, and optionally the provisions its text cites (``basis``: ids or
labels), which validation checks resolve and really are cited in the text.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Sequence
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from knowledge.models import PACK_ID_PATTERN, Ruling
from knowledge.pack_refs import ProvisionRefs

SANCTION_JOIN = " "
AUTHORITY_JOIN = "; "


class Sanction(BaseModel):
    """One sanction text (Indonesian, with its English form)."""

    model_config = ConfigDict(extra="forbid")

    text: str = Field(min_length=1)
    text_en: str | None = None
    basis: list[str] = Field(
        default_factory=list, description="Provisions (ids or labels) the text cites."
    )


class Authority(BaseModel):
    """Who imposes a sanction (Indonesian, with its English form)."""

    model_config = ConfigDict(extra="forbid")

    text: str = Field(min_length=1)
    text_en: str | None = None


class SanctionTable(BaseModel):
    """The whole ``sanctions.yaml``."""

    model_config = ConfigDict(extra="forbid")

    sanctions: dict[str, Sanction] = Field(default_factory=dict)
    authorities: dict[str, Authority] = Field(default_factory=dict)

    def id_problems(self) -> list[str]:
        pattern = re.compile(PACK_ID_PATTERN)
        return [
            f"sanctions.yaml: {kind} id {key!r} is not a short id (a-z, 0-9, -)"
            for kind, keys in (("sanction", self.sanctions), ("authority", self.authorities))
            for key in keys
            if not pattern.match(key)
        ]


def load_sanction_table(path: Path, read: Callable[[Path], Any]) -> tuple[SanctionTable, list[str]]:
    """The table at ``path`` (empty when the pack has none) and the problems found reading it."""
    if not path.exists():
        return SanctionTable(), []
    try:
        table = SanctionTable.model_validate(read(path) or {})
    except ValidationError as error:
        return SanctionTable(), [
            f"{path.name}: {'.'.join(str(p) for p in issue['loc'])}: {issue['msg']}"
            for issue in error.errors()
        ]
    return table, table.id_problems()


def _as_ids(value: object) -> list[str]:
    if value is None:
        return []
    if isinstance(value, str):
        return [value]
    if isinstance(value, list):
        return [str(item) for item in value]
    return [str(value)]


def _joined(parts: Sequence[str | None], separator: str) -> str | None:
    """Parts joined, or None when any is missing (a half-English text helps nobody)."""
    if not parts or any(not part for part in parts):
        return None
    return separator.join(part for part in parts if part)


def resolve_sanction_fields(
    raw: dict[str, Any], table: SanctionTable
) -> tuple[dict[str, Any], list[str]]:
    """The ruling fields ``sanction``/``sanction_by`` (and English) from the ids ``raw`` names."""
    sanction_ids = _as_ids(raw.get("sanction"))
    by_ids = _as_ids(raw.get("sanction_by"))
    problems = [
        f"names unknown sanction {ref!r} (sanctions.yaml)"
        for ref in sanction_ids
        if ref not in table.sanctions
    ]
    problems += [
        f"names unknown authority {ref!r} (sanctions.yaml)"
        for ref in by_ids
        if ref not in table.authorities
    ]
    if by_ids and not sanction_ids:
        problems.append("names who imposes a sanction (sanction_by) but no sanction")
    entries = [table.sanctions[ref] for ref in sanction_ids if ref in table.sanctions]
    authorities = [table.authorities[ref] for ref in by_ids if ref in table.authorities]
    fields = {
        "sanction_ids": sanction_ids,
        "sanction_by_ids": by_ids,
        "sanction": _joined([e.text for e in entries], SANCTION_JOIN),
        "sanction_en": _joined([e.text_en for e in entries], SANCTION_JOIN),
        "sanction_by": _joined([a.text for a in authorities], AUTHORITY_JOIN),
        "sanction_by_en": _joined([a.text_en for a in authorities], AUTHORITY_JOIN),
    }
    return fields, problems


def _cites(text: str, label: str, regulation: str) -> bool:
    """Whether ``text`` cites ``label``: it names the regulation and the article part."""
    article = label[len(regulation) :].strip()
    return regulation in text and (not article or article in text)


def table_problems(
    table: SanctionTable,
    rulings: Iterable[Ruling],
    refs: ProvisionRefs,
    regulations: dict[str, str],
) -> list[str]:
    """Entries no ruling names, and basis entries that do not resolve or are not in the text.

    ``regulations`` maps each provision label to its regulation id.
    """
    used = {ref for ruling in rulings for ref in ruling.sanction_ids}
    used_by = {ref for ruling in rulings for ref in ruling.sanction_by_ids}
    problems = [
        f"sanction {key} is named by no ruling" for key in table.sanctions if key not in used
    ]
    problems += [
        f"authority {key} is named by no ruling" for key in table.authorities if key not in used_by
    ]
    for key, entry in table.sanctions.items():
        for ref in entry.basis:
            label = refs.resolve(ref)
            if label is None:
                problems.append(f"sanction {key} basis {ref!r} is not in the pack")
            elif not _cites(entry.text, label, regulations[label]):
                problems.append(f"sanction {key} basis {ref!r} is not cited in its text")
    return problems


def table_gaps(table: SanctionTable) -> list[str]:
    """Entries without their English form."""
    gaps = [
        f"sanctions.yaml: sanction {key}: text"
        for key, e in table.sanctions.items()
        if not e.text_en
    ]
    return gaps + [
        f"sanctions.yaml: authority {key}: text"
        for key, a in table.authorities.items()
        if not a.text_en
    ]


__all__ = [
    "Authority",
    "Sanction",
    "SanctionTable",
    "load_sanction_table",
    "resolve_sanction_fields",
    "table_gaps",
    "table_problems",
]
