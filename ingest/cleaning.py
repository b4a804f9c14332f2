"""Remove scanning noise from the text of official regulations before it is parsed.

JDIH/Setneg copies are OCR'd scans: every page repeats the header "PRESIDEN REPUBLIK INDONESIA"
(often misread: "PFTESIDEN", "REPUBUK INIX)NESIA"), a page number "-14-", a footer "SK No 202803 A"
(or a garbled one like ": il( i\\lo l(X.:"), and a catchword that repeats the first words of the
next page ("5. membuat ... 5. membuat"). Digits are misread too ("(21" for "(2)", "f ." for "1.",
"2Ol4" for 2014). The parser works on tokens, so everything here returns plain text with single
spaces where noise was cut out; the structure itself is left to the parser.
"""

from __future__ import annotations

import re
import unicodedata

# --- page headers, page numbers, footers ----------------------------------------------------
_W1 = r"P[A-Z.!]{1,4}(?:SIDEN|S!DEN|STDEN|SIDFN)"
_W2 = r"R[EF][A-Z|]{2,6}K"
_W3 = r"I[A-Z)(|]{5,9}A"
_HEADER = re.compile(rf"\b{_W1}(?:\s+{_W2}\s+{_W3})?\b(?!\s*,)")
_HEADER_SPACED = re.compile(
    rf"\b(?:[A-Z!.]{{1,5}}\s){{1,3}}[A-Z]{{0,3}}DEN\s+{_W2}\s+{_W3}\b(?!\s*,)"
)
_HEADER_TAIL = re.compile(rf"(?m)^\s*(?:{_W2}\s+{_W3}|K INDONESIA)\s*$")
_PAGE_NUMBER = re.compile(r"(?<!\S)-\s?(?=[\dtlIO]*\d)[\dtlIO]{1,3}\s?-(?!\S)")
_SK_FOOTER = re.compile(r"\bSK\s*No\.?\s*[\dOolI]{4,8}\s*[A-Z]?\b")

# --- OCR digit misreadings ----------------------------------------------------------------------
_AYAT_MISREAD = re.compile(r"\((\d{1,2}?)[1l](?=\s|$)")  # "(21" -> "(2)"
_AYAT_L = re.compile(r"\(l\)")
_ONE_MISREAD = re.compile(r"(?<!\S)f \.(?=\s)")  # "f ." -> "1."
_YEAR = re.compile(r"\b[12L][0-9OolIL]{3}\b")
_PASAL_GLUED = re.compile(r"\bPasa[lJI1]\s*(?=\d)")
_PASAL_L = re.compile(r"\bPasal [lLI] ?(\d)\b")  # "Pasal l4" -> "Pasal 14"
_PASAL_SPLIT = re.compile(
    r"\bPasal ([1-9]) ([0-9])(?= (?:\(1\)|Ayat|Huruf|Angka|Cukup|[A-Z][a-z]))"
)
_NUMBER_L = re.compile(r"\b(Pasal|ayat|angka|Nomor) (\d{1,3})([lIO])\b")
_NUMBER_DOT_WORD = re.compile(
    r"(?<!\S)(\d{1,2})\.(?=[A-Z][a-z])"
)  # "5.Manajemen" -> "5. Manajemen"

# --- catchwords: "Agar. . ." / "Pasal 3…" before the same words on the next page -------------
_DOTS = re.compile(r"\s?(?:\.\s?\.\s?\.|…)")

# --- garbled footers ------------------------------------------------------------------------------
_STRUCTURAL = re.compile(r"^(?:[a-z]\.|\d{1,3}\.|\(\d{1,2}[a-z]?\)|Pasal|BAB|Bagian|Paragraf)$")
_LEGIT = re.compile(r"^[“\"‘(\[]?[\w/\-.,;:%&+=]*[\w%][)\]”\"’]*[,.;:?]*[)\]”\"’]*$")
_STRONG_CHARS = re.compile(r"[<>^\\{}|!]")
_WORDLIKE = re.compile(r"^[“\"(]?[A-Za-z][a-z]{2,}[-/a-z]*[)”\"]?[,.;:]?$|^[A-Z]{2,}[,.;:]?$")
_SHORT_WORDS = frozenset({"di", "ke", "dan", "dari", "yang", "ini", "itu", "atau", "oleh", "pada"})
_PROTECTING = frozenset({"Huruf", "huruf", "Angka", "angka", "Ayat", "ayat", "Pasal", "BAB"})


def normalize_unicode(text: str) -> str:
    """NFC, unified line endings, no control characters, typographic quirks flattened."""
    text = unicodedata.normalize("NFC", text).replace("\r\n", "\n").replace("\r", "\n")
    text = text.replace("\u00a0", " ").replace("\u200b", "").replace("\ufeff", "")
    return "".join(ch for ch in text if ch in "\n\t" or unicodedata.category(ch)[0] != "C")


def _fix_year(match: re.Match[str]) -> str:
    token = match.group(0)
    if token.isdigit() or sum(ch.isdigit() for ch in token) < 2:
        return token
    return token.translate(str.maketrans("OolIL", "00111"))


def _is_strong_garbage(token: str) -> bool:
    if (
        _STRUCTURAL.match(token)
        or token in {"dan/atau", "(", ")"}
        or re.fullmatch(r"[:;,.\-–—]+", token)
    ):
        return False
    if _STRONG_CHARS.search(token) and not token.startswith(("“", '"')):
        return True
    if re.search(r"[lI1]\.?[lI]o|Nlo|NIO|Nl6|l\.l6|i'lr|l'lo", token):
        return True
    if re.fullmatch(r"[a-zA-Z]{1,2}lo", token):
        return True
    return not _LEGIT.match(token)


def _is_weak_garbage(token: str, previous: str | None) -> bool:
    if previous in _PROTECTING:
        return False
    if _STRUCTURAL.match(token) or _WORDLIKE.match(token) or token.lower() in _SHORT_WORDS:
        return False
    return len(token) <= 9


def remove_garbled_footers(tokens: list[str]) -> list[str]:
    """Drop runs of junk tokens around a clearly garbled one (an OCR'd page footer)."""
    drop = [False] * len(tokens)
    for i, token in enumerate(tokens):
        if not _is_strong_garbage(token):
            continue
        drop[i] = True
        j = i - 1
        while j >= 0 and i - j <= 6:
            prev = tokens[j - 1] if j else None
            if _is_strong_garbage(tokens[j]) or _is_weak_garbage(tokens[j], prev):
                drop[j] = True
                j -= 1
            else:
                break
        j = i + 1
        while j < len(tokens) and j - i <= 6:
            if _is_strong_garbage(tokens[j]) or _is_weak_garbage(tokens[j], tokens[j - 1]):
                drop[j] = True
                j += 1
            else:
                break
    return [t for t, d in zip(tokens, drop, strict=True) if not d]


def collapse_repeats(tokens: list[str]) -> list[str]:
    """Collapse a run of 2-5 tokens repeated at once (a page-turn catchword), e.g.
    ``b. menghadiri b. menghadiri`` or ``(2) Hukuman . (2) Hukuman``."""
    out: list[str] = []
    i = 0
    n = len(tokens)
    while i < n:
        skipped = False
        for length in (5, 4, 3, 2):
            if i + 2 * length > n + 1:
                continue
            first = tokens[i : i + length]
            for gap in (0, 1):
                start = i + length + gap
                if gap and (start > n or tokens[i + length] not in {".", ",", "-"}):
                    continue
                if tokens[start : start + length] == first:
                    i = start  # keep the second copy (it is followed by the real text)
                    skipped = True
                    break
            if skipped:
                break
        if not skipped:
            out.append(tokens[i])
            i += 1
    return out


def remove_catchwords(text: str) -> str:
    """``Agar. . . Agar setiap`` -> ``Agar setiap``: drop words + dots repeated just after."""
    pieces: list[str] = []
    position = 0
    for match in _DOTS.finditer(text):
        before = text[position : match.start()]
        after = text[match.end() : match.end() + 120].lstrip()
        words = before.split()
        cut = 0
        for count in range(min(5, len(words)), 0, -1):
            candidate = "".join(words[-count:])
            if candidate and after.replace(" ", "").startswith(candidate):
                cut = count
                break
        if cut:
            kept = before.rstrip()
            for _ in range(cut):
                kept = kept[: kept.rstrip().rfind(" ") + 1] if " " in kept.rstrip() else ""
            pieces.append(kept)
        else:
            pieces.append(text[position : match.end()])
        position = match.end()
    pieces.append(text[position:])
    return "".join(pieces)


def clean_regulation_text(text: str) -> str:
    """The regulation's text with page noise removed and OCR digit slips repaired.

    Line breaks carry no structure in these copies (many items share one line), so the result is
    a single space-separated string.
    """
    text = normalize_unicode(text)
    text = _HEADER_TAIL.sub(" ", text)
    text = _HEADER_SPACED.sub(" ", text)
    text = _HEADER.sub(" ", text)
    text = _PAGE_NUMBER.sub(" ", text)
    text = _SK_FOOTER.sub(" ", text)
    text = _PASAL_GLUED.sub("Pasal ", text)
    text = _PASAL_L.sub(r"Pasal 1\1", text)
    text = _PASAL_SPLIT.sub(r"Pasal \1\2", text)
    text = _NUMBER_L.sub(
        lambda m: f"{m.group(1)} {m.group(2)}{'0' if m.group(3) == 'O' else '1'}", text
    )
    text = _YEAR.sub(_fix_year, text)
    text = _AYAT_MISREAD.sub(lambda m: f"({m.group(1)})" if m.group(1) else m.group(0), text)
    text = _AYAT_L.sub("(1)", text)
    text = _ONE_MISREAD.sub("1.", text)
    text = _NUMBER_DOT_WORD.sub(r"\1. ", text)
    text = remove_catchwords(text)
    tokens = remove_garbled_footers(text.split())
    tokens = collapse_repeats(tokens)
    return " ".join(tokens)


_LINE_JUNK = re.compile(r"^[\s|,.;:•·\-–—_*#=]*$")


def clean_plain_lines(text: str) -> list[str]:
    """Lines of a plain document, stripped, without lines made only of punctuation."""
    return [
        line.strip() for line in normalize_unicode(text).split("\n") if not _LINE_JUNK.match(line)
    ]
