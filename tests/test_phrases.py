"""Every fixed user-facing text exists in Indonesian and in English (issue 15), with the same
placeholders in both, so an English user never meets an Indonesian-only sentence."""

from __future__ import annotations

import string

import pytest

from bot import texts
from knowledge.phrases import Phrase, all_phrases


def _fields(text: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(text) if name}


@pytest.mark.parametrize(("name", "phrase"), sorted(all_phrases().items()))
def test_every_answer_phrase_has_both_languages(name: str, phrase: Phrase) -> None:
    assert phrase.id.strip() and phrase.en.strip(), name
    assert _fields(phrase.id) == _fields(phrase.en), name


def test_the_phrase_registry_sees_grouped_phrases() -> None:
    names = set(all_phrases())
    assert {"DISCLAIMER", "VERDICT.dilarang", "DECLINED.campaign", "NOT_ASN.warga"} <= names


def test_every_bot_text_has_an_english_form() -> None:
    fixed = {
        name for name, value in vars(texts).items() if name.isupper() and isinstance(value, str)
    }
    assert fixed - set(texts.EN) == set()
    for name in fixed:
        assert _fields(texts.t(name)) == _fields(texts.t(name, en=True)), name
