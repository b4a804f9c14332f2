"""HR-officer helpers: splitting a list of questions, and masking personal data.

Officers forward employees' questions or send a list (numbered lines or a ``.txt`` file). Each
question gets its own answer, and the reply never repeats the original sender's name or a NIP
(the 18-digit civil servant number, often written with spaces: ``19850101 201001 1 001``).
"""

from __future__ import annotations

import re

from knowledge.splitting import list_items

NIP_MASK = "[NIP disamarkan]"
NAME_MASK = "[nama disamarkan]"
MAX_BATCH = 50

# 18 digits, optionally separated by single spaces, dots or dashes; not part of a longer number.
_NIP = re.compile(r"(?<![\d])(?:\d[ .\-]?){17}\d(?![\d])")
_QUESTION_HINT = re.compile(r"\?|\b(boleh|bolehkah|apakah|bagaimana|gimana|kalau|jika)\b", re.I)


def mask_nip(text: str) -> str:
    return _NIP.sub(NIP_MASK, text)


def mask_name(text: str, name: str | None) -> str:
    """Replace the full name and each of its longer words (case-insensitive)."""
    if not name or not name.strip():
        return text
    words = sorted(
        {w for w in re.split(r"\s+", name.strip()) if len(w) >= 3}, key=len, reverse=True
    )
    text = re.sub(re.escape(name.strip()), NAME_MASK, text, flags=re.IGNORECASE)
    for word in words:
        text = re.sub(rf"(?<!\w){re.escape(word)}(?!\w)", NAME_MASK, text, flags=re.IGNORECASE)
    return (
        re.sub(rf"(?:{re.escape(NAME_MASK)}\s*)+", NAME_MASK + " ", text)
        .replace(NAME_MASK + " ,", NAME_MASK + ",")
        .strip()
    )


def mask_personal(text: str, name: str | None = None) -> str:
    return mask_name(mask_nip(text), name)


def split_numbered(text: str, limit: int | None = MAX_BATCH) -> list[str]:
    """The questions of a numbered list (``1. ...``, ``2) ...``); [] unless there are two or more.

    Unnumbered lines following a numbered one continue that question. ``limit=None`` keeps all
    (the caller then says how many it cut).
    """
    items = list_items(text).items
    return items[:limit] if len(items) >= 2 else []


def split_questions_file(text: str, limit: int | None = MAX_BATCH) -> list[str]:
    """Questions in an uploaded text file: a numbered list, else one question per line/paragraph."""
    numbered = split_numbered(text, limit)
    if numbered:
        return numbered
    blocks = [b.strip() for b in re.split(r"\n\s*\n", text) if b.strip()]
    if len(blocks) == 1 or all("\n" not in b for b in blocks):
        blocks = [line.strip() for line in text.splitlines() if line.strip()]
    questions = [re.sub(r"\s+", " ", b) for b in blocks]
    return [q for q in questions if len(q) >= 5 or _QUESTION_HINT.search(q)][:limit]


_SENTENCE_END = re.compile(r"(?<=[.?!])\s+|\n+")
_ASKING = re.compile(
    r"\?\s*$|^\s*(bolehkah|apakah|bagaimana|gimana|bisakah|dapatkah|kalau|jika|boleh|"
    r"can|may|is it|should|what|how)\b",
    re.IGNORECASE,
)
QUESTION_CHARS = 1500  # the questions kept from a long message, at most
SENTENCE_CHARS = 400  # a run-on "sentence" longer than this keeps only its end (the question)


def _tail(sentence: str) -> str:
    if len(sentence) <= SENTENCE_CHARS:
        return sentence
    return sentence[-SENTENCE_CHARS:].split(" ", 1)[-1]


def find_questions(text: str, limit: int) -> tuple[str, int] | None:
    """The question sentences of a message longer than ``limit`` (a pasted circular followed by
    "jadi boleh tidak?"), in their order, and how many characters were left out; None when the
    message is short enough or holds no recognisable question."""
    if len(text) <= limit:
        return None
    sentences = [_tail(s.strip()) for s in _SENTENCE_END.split(text) if s and s.strip()]
    asked = [i for i, s in enumerate(sentences) if _ASKING.search(s)]
    if not asked:
        return None
    kept: list[int] = []
    for index in reversed(asked):  # the question usually closes a pasted text: keep the last
        candidate = [index, *kept]
        if sum(len(sentences[i]) + 1 for i in candidate) > QUESTION_CHARS and kept:
            break
        kept = candidate
    # a short question leans on the sentence before it ("Itu isi surat edaran. Boleh ikut?")
    first = kept[0]
    if first > 0 and len(sentences[first]) < 80 and first - 1 not in kept:
        kept.insert(0, first - 1)
    question = " ".join(sentences[i] for i in sorted(set(kept)))[:QUESTION_CHARS]
    return question, max(len(text) - len(question), 0)
