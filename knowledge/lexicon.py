"""The word lists of a knowledge pack (``lexicon.yaml``), loaded once per pack directory.

Why data: slang, stop words, language hints, the words that put a message in scope or carry its
subject into a follow-up, and the names of regulation types change as users and regulations do;
adding one is an edit of the pack, never of Python (issue 16). :class:`WordLists` compiles the
file and tokenises with it; the engine passes its pack's lists down (``KnowledgePack.word_lists``)
and adapters that have no pack use :func:`default_word_lists`.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from functools import cached_property, lru_cache
from importlib import resources
from pathlib import Path
from typing import Any

import yaml

from knowledge.text import stem, words

LEXICON_FILE = "lexicon.yaml"
# Bump when tokenisation changes in code (the lists' own changes are in the fingerprint).
TOKENIZER_REVISION = 2


def packaged_data_dir() -> Path:
    """The pack directory shipped inside the installed ``knowledge`` package."""
    return Path(str(resources.files("knowledge") / "data"))


def lexicon_path(pack_dir: Path | None = None) -> Path:
    """The pack's ``lexicon.yaml``; the packaged one when the pack has none."""
    path = (pack_dir or packaged_data_dir()) / LEXICON_FILE
    return path if path.exists() else packaged_data_dir() / LEXICON_FILE


@dataclass(frozen=True)
class RegulationType:
    """A type of regulation: its code in ids ("PP"), its heading in official texts and the other
    names texts and users give it."""

    code: str
    heading: str | None
    names: tuple[str, ...]

    @property
    def all_names(self) -> tuple[str, ...]:
        return (self.heading, *self.names) if self.heading else self.names


Patterns = tuple[tuple[str, re.Pattern[str]], ...]


def _patterns(data: Mapping[str, str] | None) -> Patterns:
    return tuple((name, re.compile(pattern)) for name, pattern in (data or {}).items())


def _words(data: Iterable[object] | None) -> frozenset[str]:
    return frozenset(str(word).lower() for word in data or ())


def _regexes(patterns: Iterable[str] | None) -> tuple[re.Pattern[str], ...]:
    return tuple(re.compile(p, re.IGNORECASE) for p in patterns or ())


@dataclass(frozen=True)
class WordLists:
    """The compiled contents of one ``lexicon.yaml`` (see the file for what each list does)."""

    slang: Mapping[str, str]
    stopwords: frozenset[str]
    english_hints: frozenset[str]
    indonesian_hints: frozenset[str]
    political_words: tuple[str, ...]
    not_political_words: tuple[str, ...]
    subject_words: frozenset[str]
    question_openers: frozenset[str]
    question_tags: frozenset[str]
    alternative_openers: frozenset[str]
    civil_service_candidate: tuple[re.Pattern[str], ...]
    continues_conversation: tuple[re.Pattern[str], ...]
    pick_request: tuple[re.Pattern[str], ...]
    reported_question: tuple[re.Pattern[str], ...]
    asks_leave: tuple[re.Pattern[str], ...]
    prediction_request: tuple[re.Pattern[str], ...]
    audiences: Patterns
    elections: Patterns
    stages: Patterns
    regulation_types: tuple[RegulationType, ...]

    @classmethod
    def from_data(cls, data: Mapping[str, Any]) -> WordLists:
        types = tuple(
            RegulationType(
                code=str(code),
                heading=str(entry["heading"]) if entry.get("heading") else None,
                names=tuple(str(n).lower() for n in entry.get("names") or ()),
            )
            for code, entry in (data.get("regulation_types") or {}).items()
        )
        return cls(
            slang={str(k).lower(): str(v or "").lower() for k, v in data["slang"].items()},
            stopwords=_words(data["stopwords"]),
            english_hints=_words(data.get("english_hints")),
            indonesian_hints=_words(data.get("indonesian_hints")),
            political_words=tuple(str(w) for w in data.get("political_words") or ()),
            not_political_words=tuple(str(w) for w in data.get("not_political_words") or ()),
            subject_words=_words(data.get("subject_words")),
            question_openers=_words(data.get("question_openers")),
            question_tags=_words(data.get("question_tags")),
            alternative_openers=_words(data.get("alternative_openers")),
            civil_service_candidate=_regexes(data.get("civil_service_candidate")),
            continues_conversation=_regexes(data.get("continues_conversation")),
            pick_request=_regexes(data.get("pick_request")),
            reported_question=_regexes(data.get("reported_question")),
            asks_leave=_regexes(data.get("asks_leave")),
            prediction_request=_regexes(data.get("prediction_request")),
            audiences=_patterns(data.get("audiences")),
            elections=_patterns(data.get("elections")),
            stages=_patterns(data.get("stages")),
            regulation_types=types,
        )

    @cached_property
    def fingerprint(self) -> str:
        """Changes whenever tokenisation would: cached BM25 tokens carry it and are rebuilt if
        stale."""
        material = repr((sorted(self.slang.items()), sorted(self.stopwords), TOKENIZER_REVISION))
        return hashlib.sha256(material.encode()).hexdigest()[:16]

    def expand(self, found: Iterable[str]) -> list[str]:
        """Replace slang/abbreviations/English by regulation vocabulary."""
        out: list[str] = []
        for word in found:
            replacement = self.slang.get(word)
            if replacement is None and "-" in word and word.replace("-", "") in self.slang:
                replacement = self.slang[word.replace("-", "")]
            if replacement is None:
                out.append(word)
            elif replacement:
                out.extend(replacement.split())
        return out

    def tokens(self, text: str) -> list[str]:
        """Tokens for BM25: words, slang expanded, stop words dropped, stemmed."""
        result: list[str] = []
        for word in self.expand(words(text)):
            pieces = (
                word.split("-") if "-" in word and not word.replace("-", "").isdigit() else [word]
            )
            result.extend(stem(part) for part in pieces if part and part not in self.stopwords)
        return result

    def is_english(self, text: str) -> bool:
        """Rough language guess: English when English function words dominate."""
        found = words(text)
        english = sum(1 for w in found if w in self.english_hints)
        indonesian = sum(1 for w in found if w in self.indonesian_hints)
        return english >= 2 and english > indonesian

    @cached_property
    def political_stems(self) -> frozenset[str]:
        """Stems that make a message a question about political neutrality."""
        political = frozenset(self.tokens(" ".join(self.political_words)))
        return political - frozenset(self.tokens(" ".join(self.not_political_words)))

    @cached_property
    def subject_words_folded(self) -> frozenset[str]:
        """The subject words as :func:`knowledge.text.words` reads them ("pppk" -> "ppk")."""
        return frozenset(w for subject in self.subject_words for w in words(subject))

    @staticmethod
    def matching(patterns: Patterns, text: str) -> set[str]:
        """The names of ``patterns`` (audiences, elections, stages) found in folded ``text``."""
        return {name for name, pattern in patterns if pattern.search(text)}


_YAML_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


def read_yaml(path: Path) -> Any:
    """One pack file; libyaml's loader parses the pack ~15x faster than the pure-Python one."""
    with path.open(encoding="utf-8") as handle:
        return yaml.load(handle, Loader=_YAML_LOADER)  # noqa: S506 - a safe loader


@lru_cache(maxsize=8)
def _load(path: Path, modified_ns: int, size: int) -> WordLists:
    del modified_ns, size  # part of the cache key only: an edited file is read again
    return WordLists.from_data(read_yaml(path))


def load_word_lists(pack_dir: Path | None = None) -> WordLists:
    """The word lists of ``pack_dir`` (the packaged pack by default), read once per version of
    the file."""
    path = lexicon_path(pack_dir).resolve()
    stat = path.stat()
    return _load(path, stat.st_mtime_ns, stat.st_size)


def default_word_lists() -> WordLists:
    """The packaged word lists, for adapters that have no pack at hand."""
    return load_word_lists(None)


def tokens(text: str) -> list[str]:
    """BM25 tokens with the packaged word lists (tests, adapters)."""
    return default_word_lists().tokens(text)


def is_english(text: str) -> bool:
    """The language guess with the packaged word lists (adapters without a pack)."""
    return default_word_lists().is_english(text)


__all__ = [
    "LEXICON_FILE",
    "RegulationType",
    "WordLists",
    "default_word_lists",
    "is_english",
    "lexicon_path",
    "load_word_lists",
    "packaged_data_dir",
    "read_yaml",
    "tokens",
]
