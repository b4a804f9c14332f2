"""A small detector of Indonesian text left in an English answer (issue 15 item 5).

Citations stay in their official Indonesian form ("SKB Netralitas 2022 Lampiran II bagian B
(disiplin): memasang spanduk atau baliho (bakal) calon"), so their spans are cut out first, and so
are short parenthesised glosses of an Indonesian legal term after its English ("dishonourable
dismissal (pemberhentian tidak dengan hormat)"). What remains must hold none of the common
Indonesian function words below (words that never occur in English prose, unlike names and terms
such as "Bawaslu" or "tim sukses").
"""

from __future__ import annotations

import re
from collections.abc import Iterable

_FUNCTION_WORDS_TEXT = """
yang dan tidak untuk dengan atau dalam pada dari ini itu adalah bagi oleh juga karena sebagai
akan bisa harus sudah belum masih hanya jika bila kami kita saya anda tersebut menurut tentang
secara namun tetapi serta agar supaya hingga telah ialah yaitu maupun apabila kepada terhadap
"""
FUNCTION_WORDS = frozenset(_FUNCTION_WORDS_TEXT.split())
_WORD = re.compile(r"[A-Za-z]+")
# Article references written inside a text ("Pasal 14 huruf i angka 4 jo. Pasal 8 ayat (4)").
_ARTICLE = re.compile(
    r"\b(?:Penjelasan )?Pasal \d+[A-Z]?(?:(?: ayat \(\d+\)(?:-\(\d+\))?)|(?: huruf [a-z])"
    r"|(?: angka \d+(?:-\d+)?)|(?: jo\.))*"
)


# A gloss: at most GLOSS_WORDS words in parentheses ("(dengan hormat)"), never a sentence.
GLOSS_WORDS = 6
_GLOSS = re.compile(rf"\((?:[^()\s]+\s?){{1,{GLOSS_WORDS}}}\)")


# A catalogue ruling id ("see ruling pakai-kendaraan-dinas-untuk-kampanye"): an identifier.
_RULING_ID = re.compile(r"\b[a-z0-9]+(?:-[a-z0-9]+){2,}\b")


def without_citations(text: str, labels: Iterable[str]) -> str:
    """``text`` without citation labels (longest first), article references, ruling ids and
    glosses."""
    for label in sorted(set(labels), key=len, reverse=True):
        text = text.replace(label, " ")
    return _GLOSS.sub(" ", _RULING_ID.sub(" ", _ARTICLE.sub(" ", text)))


def indonesian_words(text: str, labels: Iterable[str] = ()) -> list[str]:
    """The Indonesian function words in ``text`` outside citation spans, in order."""
    rest = without_citations(text, labels)
    return [word for word in _WORD.findall(rest) if word.lower() in FUNCTION_WORDS]


def indonesian_context(text: str, labels: Iterable[str] = (), width: int = 40) -> list[str]:
    """Each offending word with some text around it (for a readable failure message)."""
    rest = without_citations(text, labels)
    found = []
    for match in _WORD.finditer(rest):
        if match.group().lower() in FUNCTION_WORDS:
            start, end = max(0, match.start() - width), match.end() + width
            found.append(f"{match.group()!r} in …{' '.join(rest[start:end].split())}…")
    return found
