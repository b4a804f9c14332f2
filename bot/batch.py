"""HR-officer helpers: splitting a list of questions, and masking personal data.

Officers forward employees' questions or send a list (numbered lines or a ``.txt`` file). Each
question gets its own answer, and the reply never repeats the original sender's name or a NIP
(the 18-digit civil servant number, often written with spaces: ``19850101 201001 1 001``).
"""

from __future__ import annotations

import re

NIP_MASK = "[NIP disamarkan]"
NAME_MASK = "[nama disamarkan]"
MAX_BATCH = 50

# 18 digits, optionally separated by single spaces, dots or dashes; not part of a longer number.
_NIP = re.compile(r"(?<![\d])(?:\d[ .\-]?){17}\d(?![\d])")
_NUMBERED = re.compile(r"^\s*(?:\(?(\d{1,3})[.)]|(\d{1,3})\s*[-:])\s+(.*\S)\s*$")
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


def split_numbered(text: str) -> list[str]:
    """The questions of a numbered list (``1. ...``, ``2) ...``); [] unless there are two or more.

    Unnumbered lines following a numbered one continue that question.
    """
    items: list[str] = []
    numbered = 0
    for line in text.splitlines():
        match = _NUMBERED.match(line)
        if match:
            items.append(match.group(3).strip())
            numbered += 1
        elif line.strip() and items:
            items[-1] = f"{items[-1]} {line.strip()}"
    return items[:MAX_BATCH] if numbered >= 2 else []


def split_questions_file(text: str) -> list[str]:
    """Questions in an uploaded text file: a numbered list, else one question per line/paragraph."""
    numbered = split_numbered(text)
    if numbered:
        return numbered
    blocks = [b.strip() for b in re.split(r"\n\s*\n", text) if b.strip()]
    if len(blocks) == 1 or all("\n" not in b for b in blocks):
        blocks = [line.strip() for line in text.splitlines() if line.strip()]
    questions = [re.sub(r"\s+", " ", b) for b in blocks]
    return [q for q in questions if len(q) >= 5 or _QUESTION_HINT.search(q)][:MAX_BATCH]
