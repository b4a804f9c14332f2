"""Regulations named in a text: one parser for message analysis, ingest and the LLM checks.

A regulation is named by its type and number ("PP 94/2021", "Peraturan Pemerintah Nomor 94
Tahun 2021", "pp no. 94", "Law 10/2016") or by one of its aliases ("UU Pemilu"). The type names
come from the pack's ``lexicon.yaml`` (``regulation_types``) and from the ``type`` of every
regulation in the pack; the aliases from each regulation file (``aliases:``). So adding a
regulation, a type or an alias is a data edit only.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from knowledge.lexicon import RegulationType, load_word_lists, packaged_data_dir, read_yaml

# (id, type, aliases) of one known regulation
Known = tuple[str, str, Sequence[str]]


@dataclass(frozen=True)
class RegulationRef:
    """One regulation named in a text, where it was named (``start``/``end``)."""

    type: str  # the type's code, e.g. "PP"
    number: str  # e.g. "94"
    year: str | None  # None when the text gives no year ("pp 94")
    start: int
    end: int
    known: str | None = None  # the pack regulation an alias names ("UU Pemilu" -> "UU 7/2017")

    @property
    def id(self) -> str:
        """ "PP 94/2021"; "PP 94/*" without a year; the pack's id for an alias."""
        return self.known or f"{self.type} {self.number}/{self.year or '*'}"

    @property
    def complete(self) -> bool:
        """Named with its year, or as a known regulation."""
        return self.known is not None or self.year is not None


def _key(name: str) -> str:
    """Names compare without case, spaces or hyphens ("Undang-Undang" = "undang undang")."""
    return re.sub(r"[\s-]+", "", name.lower())


def _alternation(names: Iterable[str]) -> str:
    """Names as one regex, longest first; words may be joined by spaces or "-" (or nothing)."""
    patterns = {
        r"[\s-]*".join(re.escape(word) for word in re.split(r"[\s-]+", name.strip()) if word)
        for name in names
    }
    return "|".join(sorted(patterns, key=len, reverse=True))


class RegulationNames:
    """Finds the regulations a text names, and resolves them against the known ones."""

    def __init__(self, types: Sequence[RegulationType], known: Iterable[Known] = ()) -> None:
        known = list(known)
        self.known_ids = [regulation_id for regulation_id, _, _ in known]
        names = [(name, t.code) for t in types for name in t.all_names]
        names += [(code, code) for _, code, _ in known if code]
        self._codes: dict[str, str] = {}
        for name, code in names:
            self._codes.setdefault(_key(name), code)
        self._headings = {t.heading.lower(): t.code for t in types if t.heading}
        one_word = {_key(name) for name, _ in names if name.isalpha()}
        self._one_word = sorted(one_word, key=len, reverse=True)
        aliases = [(alias, rid) for rid, _, names_ in known for alias in names_]
        self._aliases = {_key(alias): rid for alias, rid in aliases}
        self._generic = re.compile(
            rf"\b(?P<type>{_alternation(n for n, _ in names)})(?:\s+republik\s+indonesia)?\s*"
            r"(?:no(?:mor)?\.?\s*)?(?P<number>\d{1,4})"
            r"(?:\s*(?:/|tahun|thn|th\.?)\s*(?P<year>\d{4}))?\b",
            re.IGNORECASE,
        )
        self._alias = (
            re.compile(rf"\b(?:{_alternation(a for a, _ in aliases)})\b", re.IGNORECASE)
            if aliases
            else None
        )

    def find(self, text: str) -> list[RegulationRef]:
        """Every regulation ``text`` names, in order; where mentions overlap, the longer one,
        and at equal length the alias ("Perppu 1/2014" is the pack's UU 1/2015)."""
        found = []
        for m in self._generic.finditer(text):
            code, number, year = (
                self._codes[_key(m.group("type"))],
                int(m.group("number")),
                m.group("year"),
            )
            # "Perppu 1 Tahun 2014" is the pack's UU 1/2015 when "Perppu 1/2014" is its alias.
            known = self._aliases.get(_key(f"{code} {number}/{year}")) if year else None
            found.append(RegulationRef(code, str(number), year, m.start(), m.end(), known=known))
        if self._alias is not None:
            found += [
                RegulationRef(
                    "", "", None, m.start(), m.end(), known=self._aliases[_key(m.group())]
                )
                for m in self._alias.finditer(text)
            ]
        kept: list[RegulationRef] = []
        for ref in sorted(found, key=lambda r: (r.start, r.start - r.end, r.known is None)):
            if not kept or ref.start >= kept[-1].end:
                kept.append(ref)
        return kept

    def first(self, text: str) -> RegulationRef | None:
        found = self.find(text)
        return found[0] if found else None

    def resolve(self, regulation_id: str | None) -> str | None:
        """A known regulation for an id found in a text: the id itself, or for "PP 94/*" (no
        year) the one known regulation with that type and number; else None."""
        if regulation_id is None or not regulation_id.endswith("/*"):
            return regulation_id
        prefix = regulation_id[:-1]
        matches = [known for known in self.known_ids if known.startswith(prefix)]
        return matches[0] if len(matches) == 1 else None

    def heading_code(self, heading: str) -> str | None:
        """The code of the type an official text's heading names ("PERATURAN PEMERINTAH ...")."""
        folded = " ".join(heading.lower().split())
        for name in sorted(self._headings, key=len, reverse=True):
            if folded.startswith(name):
                return self._headings[name]
        return None

    def headings(self) -> list[str]:
        """The heading names (upper case, longest first), as official texts print them."""
        return [h.upper() for h in sorted(self._headings, key=len, reverse=True)]

    def in_file_name(self, name: str) -> RegulationRef | None:
        """A regulation named by a file name such as ``uu-7-2017.txt`` (one-word type names)."""
        pattern = rf"(?<![a-z])({'|'.join(self._one_word)})[-_ ](\d+)[-_ ](\d{{4}})"
        match = re.search(pattern, name.lower())
        if not match:
            return None
        number, year = str(int(match.group(2))), match.group(3)
        return RegulationRef(self._codes[match.group(1)], number, year, *match.span())


def _known_in(pack_dir: Path) -> list[Known]:
    """(id, type, aliases) of every regulation file, read without validating the whole pack."""
    known = []
    for path in sorted((pack_dir / "regulations").glob("*.yaml")):
        data = read_yaml(path) or {}
        if isinstance(data, dict) and data.get("id"):
            known.append((str(data["id"]), str(data.get("type", "")), data.get("aliases") or []))
    return known


@lru_cache(maxsize=8)
def regulation_names_in(pack_dir: Path) -> RegulationNames:
    """The parser for a pack directory (its lexicon and its regulation files), built once."""
    return RegulationNames(load_word_lists(pack_dir).regulation_types, _known_in(pack_dir))


def default_regulation_names() -> RegulationNames:
    """The parser of the packaged pack (ingest, which reads documents before any pack)."""
    return regulation_names_in(packaged_data_dir().resolve())


__all__ = [
    "RegulationNames",
    "RegulationRef",
    "default_regulation_names",
    "regulation_names_in",
]
