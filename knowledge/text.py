"""Indonesian text normalisation for lexical retrieval and question analysis.

Users write "min aku pns, boleh ga sih like postingan capres di ig?"; regulations write
"PNS dilarang memberikan dukungan kepada calon Presiden". Normalising both sides the same way
(folded words, affixes stemmed with Sastrawi, unknown words mapped to the closest known word, and
with the pack's word lists slang expanded and stop words dropped: :class:`knowledge.lexicon.
WordLists`) lets BM25 match them. This module holds no word lists of its own.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from functools import lru_cache

from Sastrawi.Stemmer.StemmerFactory import StemmerFactory

from knowledge.recent import Recent

_WORD = re.compile(r"[a-z0-9]+(?:[-/][a-z0-9]+)*")
_REPEAT = re.compile(r"(.)\1{2,}")
_stemmer = StemmerFactory().create_stemmer()


def fold(text: str) -> str:
    """Lower-case, strip accents and zero-width characters, collapse repeated letters."""
    text = unicodedata.normalize("NFKD", text)
    text = "".join(ch for ch in text if not unicodedata.combining(ch))
    text = text.replace("\u200b", "").replace("\u200c", "").replace("\u200d", "")
    return _REPEAT.sub(r"\1\1", text.lower())


@lru_cache(maxsize=200_000)
def stem(word: str) -> str:
    """Sastrawi stem of one word (cached: stemming is the slow part of tokenising)."""
    if len(word) <= 3 or not word.isalpha():
        return word
    return str(_stemmer.stem(word)) or word


# "pp fb" / "dp wa" is a profile picture, while "PP 94/2021" is a government regulation.
_PROFILE_PICTURE = re.compile(
    r"\b(pp|dp|poto profil|profpic)\s+(?=(fb|ig|wa|facebook|instagram|whatsapp|tiktok|twitter|medsos)\b)"
)


def words(text: str) -> list[str]:
    """Folded words of ``text``, with reduplication (``calon-calon``) collapsed."""
    result = []
    for word in _WORD.findall(_PROFILE_PICTURE.sub("foto profil ", fold(text))):
        if "-" in word:
            left, _, right = word.partition("-")
            if left == right:
                word = left
        result.append(word)
    return result


class TypoCorrector:
    """Maps unknown query tokens to the closest vocabulary token (edit distance <= 1 or 2).

    Built from the index vocabulary; candidate lookup is bucketed by first letter and length so
    a query costs microseconds, not a scan of the vocabulary.
    """

    def __init__(self, vocabulary: Iterable[str]) -> None:
        self.vocabulary = {v for v in vocabulary if len(v) >= 4 and v.isalpha()}
        self._buckets: dict[tuple[str, int], list[str]] = {}
        # Sorted, so that of two equally close words the same one wins in every process (a set's
        # order changes with the hash seed, and with it a corrected token and an answer).
        for word in sorted(self.vocabulary):
            self._buckets.setdefault((word[0], len(word)), []).append(word)
        self._seen: Recent[str, str] = Recent(50_000)  # unknown words recur: correct each once

    def correct(self, token: str) -> str:
        if len(token) < 5 or token in self.vocabulary or not token.isalpha():
            return token
        closest = self._seen.get(token)
        if closest is None:
            closest = self._closest(token)
            self._seen.put(token, closest)
        return closest

    def _closest(self, token: str) -> str:
        limit = 1 if len(token) < 8 else 2
        best, best_distance = token, limit + 1
        for length in range(len(token) - limit, len(token) + limit + 1):
            for candidate in self._buckets.get((token[0], length), ()):
                distance = _bounded_distance(token, candidate, limit)
                if distance < best_distance:
                    best, best_distance = candidate, distance
        return best

    def __call__(self, query_tokens: list[str]) -> list[str]:
        return [self.correct(t) for t in query_tokens]


def _bounded_distance(a: str, b: str, limit: int) -> int:
    """Levenshtein distance, giving up (returning limit + 1) once it exceeds ``limit``."""
    if abs(len(a) - len(b)) > limit:
        return limit + 1
    previous = list(range(len(b) + 1))
    for i, ca in enumerate(a, 1):
        current = [i]
        for j, cb in enumerate(b, 1):
            current.append(min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (ca != cb)))
        if min(current) > limit:
            return limit + 1
        previous = current
    return previous[-1]
