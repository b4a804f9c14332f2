"""Normalising hostile text before any analysis, so that what a person reads is what Netra reads.

A soft hyphen or U+2060 inside "partai", a Cyrillic "а" in "kampanye" or a fullwidth "ＰＮＳ" is
invisible to a reader but breaks every word match downstream, and a prohibited act could then be
answered as allowed. :func:`normalise` removes that difference and nothing else: it keeps case,
punctuation and line breaks (analysis uses them) and does not stem or expand slang (see
``knowledge.text`` for that).

Steps, in order:

1. drop code points that are not characters: lone surrogates, non-characters, U+FFFD/U+FFFC;
2. NFKC (fullwidth, mathematical alphanumerics, ligatures, circled letters, superscripts);
3. map the remaining look-alike letters to ASCII from ``data/confusables.yaml``, and digits of any
   script to ASCII digits;
4. drop combining marks (Zalgo, strike-through), every format character (category Cf: soft hyphen,
   ZWSP/ZWJ/ZWNJ, word joiner, BOM, bidi marks and isolates, tag characters) and the other
   invisible or default-ignorable characters (variation selectors, Hangul fillers, braille blank,
   invisible operators), and control characters other than tab and newline;
5. collapse whitespace: runs of spaces (any Unicode space) become one space, runs of line breaks one
   newline, and each line is stripped.

The result is a fixed point: ``normalise(normalise(t)) == normalise(t)``.

Usage::

    from knowledge.normalise import normalise
    normalise("bolehkah PNS ikut par\\u00adtai?")  # -> "bolehkah PNS ikut partai?"
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache
from pathlib import Path

import yaml

CONFUSABLES_FILE = Path(__file__).parent / "data" / "confusables.yaml"

# Invisible characters that are not in category Cf (those are dropped by category). Sources:
# Unicode Default_Ignorable_Code_Point (DerivedCoreProperties.txt) plus blank-looking letters.
_IGNORABLE_RANGES: tuple[tuple[int, int], ...] = (
    (0x034F, 0x034F),  # combining grapheme joiner
    (0x115F, 0x1160),  # Hangul choseong/jungseong fillers
    (0x17B4, 0x17B5),  # Khmer inherent vowels
    (0x180B, 0x180F),  # Mongolian free variation selectors
    (0x2800, 0x2800),  # braille pattern blank
    (0x3164, 0x3164),  # Hangul filler
    (0xFE00, 0xFE0F),  # variation selectors
    (0xFFA0, 0xFFA0),  # halfwidth Hangul filler
    (0x1D159, 0x1D159),  # musical symbol null notehead
    (0x1D173, 0x1D17A),  # musical formatting characters
    (0xE0000, 0xE0FFF),  # tags and variation selectors supplement
)
_NOT_CHARACTERS = frozenset({0xFFFC, 0xFFFD})
_DROPPED_CATEGORIES = frozenset({"Cf", "Cs", "Co", "Cn", "Mn", "Me"})
_KEPT_CONTROLS = frozenset({"\n", "\t"})
_SPACES = re.compile(r"[^\S\n]+")
_LINE_BREAKS = re.compile(r"\s*\n\s*")


@lru_cache(maxsize=1)
def confusables() -> dict[str, str]:
    """The look-alike map from ``data/confusables.yaml`` (sections merged)."""
    sections = yaml.safe_load(CONFUSABLES_FILE.read_text(encoding="utf-8"))
    merged: dict[str, str] = {}
    for mapping in sections.values():
        merged.update({str(key): str(value) for key, value in mapping.items()})
    return merged


def _is_noncharacter(code: int) -> bool:
    return 0xFDD0 <= code <= 0xFDEF or (code & 0xFFFE) == 0xFFFE or code in _NOT_CHARACTERS


def _is_ignorable(char: str) -> bool:
    code = ord(char)
    if any(low <= code <= high for low, high in _IGNORABLE_RANGES):
        return True
    category = unicodedata.category(char)
    if category == "Cc":
        return char not in _KEPT_CONTROLS
    return category in _DROPPED_CATEGORIES


@lru_cache(maxsize=4096)
def _fold_char(char: str) -> str:
    """One NFKC-normalised character mapped to what a reader sees ('' when invisible)."""
    if char in (" ", "\n", "\t") or (char.isascii() and char.isprintable()):
        return char
    mapped = confusables().get(char)
    if mapped is not None:
        return mapped
    if unicodedata.category(char) == "Nd":
        return str(unicodedata.digit(char))
    if char in ("\r", "\u2028", "\u2029", "\x0b", "\x0c", "\x85"):
        return "\n"
    if _is_ignorable(char):
        return ""
    if char.isspace():
        return " "
    return char


def _valid_code_points(text: str) -> str:
    return "".join(
        ch for ch in text if not _is_noncharacter(ord(ch)) and not 0xD800 <= ord(ch) <= 0xDFFF
    )


def normalise(text: str) -> str:
    """``text`` as a reader sees it: NFKC, no invisible characters, look-alikes in ASCII."""
    composed = unicodedata.normalize("NFKC", _valid_code_points(text))
    decomposed = unicodedata.normalize("NFD", composed)  # splits base letters from their marks
    folded = unicodedata.normalize("NFC", "".join(_fold_char(ch) for ch in decomposed))
    spaced = _SPACES.sub(" ", folded)
    return _LINE_BREAKS.sub("\n", spaced).strip()
