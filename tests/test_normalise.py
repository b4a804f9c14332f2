"""Hostile text normalises to what a reader sees (issue 13, part 5)."""

from __future__ import annotations

import unicodedata

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from knowledge.normalise import confusables, normalise

# Sixteen different characters that render as nothing (or nearly nothing) inside a word.
INVISIBLE = [
    "\u00ad",  # soft hyphen
    "\u200b",  # zero width space
    "\u200c",  # zero width non-joiner
    "\u200d",  # zero width joiner
    "\u2060",  # word joiner
    "\ufeff",  # byte order mark / zero width no-break space
    "\u200e",  # left-to-right mark
    "\u200f",  # right-to-left mark
    "\u202a",  # left-to-right embedding
    "\u202e",  # right-to-left override
    "\u2066",  # left-to-right isolate
    "\u2069",  # pop directional isolate
    "\u2061",  # function application (invisible operator)
    "\u2063",  # invisible separator
    "\u180e",  # Mongolian vowel separator
    "\u034f",  # combining grapheme joiner
    "\u3164",  # Hangul filler
    "\ufe0f",  # variation selector 16
    "\U000e0041",  # tag latin capital A
    "\u061c",  # Arabic letter mark
]

QUESTION = "Bolehkah PNS menjadi pengurus partai politik?"


def _insert_inside_words(text: str, mark: str) -> str:
    """Put ``mark`` after the second letter of every word longer than three letters."""
    return " ".join(w[:2] + mark + w[2:] if len(w) > 3 else w for w in text.split(" "))


def test_at_least_fifteen_distinct_invisible_characters_are_tested() -> None:
    assert len(set(INVISIBLE)) >= 15


@pytest.mark.parametrize("mark", INVISIBLE, ids=lambda m: f"U+{ord(m):04X}")
def test_an_invisible_character_inside_words_changes_nothing(mark: str) -> None:
    hostile = _insert_inside_words(QUESTION, mark)
    assert hostile != QUESTION
    assert normalise(hostile) == QUESTION


def test_all_invisible_characters_at_once_change_nothing() -> None:
    hostile = "".join(ch + "".join(INVISIBLE) for ch in QUESTION)
    assert normalise(hostile) == QUESTION


@pytest.mark.parametrize(
    ("hostile", "plain"),
    [
        ("PNS ikut kаmpаnуe раrtаi?", "PNS ikut kampanye partai?"),  # Cyrillic а у р
        ("ΡΝЅ boleh jadi саleg?", "PNS boleh jadi caleg?"),  # Greek Ρ Ν, Cyrillic Ѕ с а
        ("ＰＮＳ ｂｏｌｅｈ ｋａｍｐａｎｙｅ？", "PNS boleh kampanye?"),  # fullwidth
        ("𝐏𝐍𝐒 boleh 𝓀𝒶𝓂𝓅𝒶𝓃𝓎𝑒 𝕡𝕒𝕣𝕥𝕒𝕚", "PNS boleh kampanye partai"),  # mathematical alphanumerics
        ("ᴘɴꜱ ʙᴏʟᴇʜ ᴋᴀᴍᴘᴀɴʏᴇ", "pns boleh kampanye"),  # small capitals
        ("p̶a̶r̶t̶a̶i̶ dan k̷a̷m̷p̷a̷n̷y̷e̷", "partai dan kampanye"),  # strike-through combining marks
        ("ⓟⓐⓡⓣⓐⓘ", "partai"),  # circled letters
        ("pasal ٢٨٠ UU ٧/٢٠١٧", "pasal 280 UU 7/2017"),  # Arabic-Indic digits
        ("ıkut kampanye", "ikut kampanye"),  # dotless i
    ],
)
def test_look_alike_letters_read_as_ascii(hostile: str, plain: str) -> None:
    assert normalise(hostile) == plain


def test_whitespace_is_collapsed_but_line_breaks_are_kept() -> None:
    text = "  halo\u00a0\u00a0min\u3000\t saya PNS \r\n\r\n\u2028 boleh\u2003kampanye?  "
    assert normalise(text) == "halo min saya PNS\nboleh kampanye?"


def test_lone_surrogates_and_non_characters_are_dropped() -> None:
    text = "par\ud800tai \ufffdkam\uffffpanye\U0010ffff \ue000ok"
    assert normalise(text) == "partai kampanye ok"
    normalise(text).encode("utf-8")  # a lone surrogate would raise here


def test_ordinary_text_is_unchanged() -> None:
    for text in (
        QUESTION,
        "Can a civil servant join a party? (UU 20/2023, Pasal 9 ayat 2)",
        "email ke info@bawaslu.go.id, biaya Rp50.000 — 100% aman?",
    ):
        assert normalise(text) == text


def test_the_map_holds_only_single_characters_mapped_to_ascii() -> None:
    table = confusables()
    assert len(table) > 100
    for key, value in table.items():
        assert len(key) == 1 and not key.isascii()
        assert value.isascii() and value.isalnum()
        # reachable: normalise() looks keys up after NFKC and NFD
        assert unicodedata.normalize("NFD", unicodedata.normalize("NFKC", key)) == key


@settings(max_examples=400, deadline=None)
@given(st.text(max_size=60))
def test_normalise_is_idempotent(text: str) -> None:
    once = normalise(text)
    assert normalise(once) == once
    once.encode("utf-8")


@settings(max_examples=200, deadline=None)
@given(st.text(alphabet=st.sampled_from(INVISIBLE), max_size=5))
def test_any_run_of_invisible_characters_inside_a_word_vanishes(run: str) -> None:
    assert normalise(f"par{run}tai") == "partai"
