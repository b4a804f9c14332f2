"""Hybrid retrieval: the in-memory catalogue search agrees with Chroma, and the lexical snapshot
(records, tokens, saved BM25 index) survives a restart or a damaged BM25 directory."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys

import numpy as np

from knowledge.lexicon import tokens
from knowledge.recent import Recent
from knowledge.retrieval import MEMORY_KINDS
from knowledge.text import TypoCorrector
from netra.wiring import open_engine


def test_in_memory_catalogue_search_matches_chroma(built_settings) -> None:
    retriever = open_engine(built_settings).retriever
    question = "boleh tidak pns like postingan caleg di instagram"
    vector = np.asarray(retriever.embed(question), dtype=np.float32)
    for kinds in (["ruling"], ["example"], sorted(MEMORY_KINDS)):
        fast = retriever.dense(vector, 10, kinds=kinds)
        slow = retriever._chroma_query(vector, 10, retriever._where(kinds, None))
        # Same similarities rank by rank (the hash embedder makes ties, whose order may differ),
        # and the same records above the last tied score.
        assert np.allclose([s for _, s in fast], [s for _, s in slow], atol=1e-4), kinds
        floor = fast[-1][1] + 1e-4
        assert {i for i, s in fast if s > floor} == {i for i, s in slow if s > floor}, kinds
        assert all(retriever.records[i].kind in kinds for i, _ in fast)


def test_other_kinds_are_filtered_correctly_and_absent_kinds_are_empty(built_settings) -> None:
    retriever = open_engine(built_settings).retriever
    vector = np.asarray(retriever.embed("apa isi pasal 5 pp 94/2021"), dtype=np.float32)
    hits = retriever.dense(vector, 5, kinds=["provision"])
    assert hits and all(retriever.records[i].kind == "provision" for i, _ in hits)
    assert retriever.dense(vector, 5, kinds=["transcript"]) == []
    assert retriever.lexical("kampanye", 5, kinds=["transcript"]) == []


def test_snapshot_and_bm25_are_reused_and_repaired(settings) -> None:
    first = open_engine(settings).retriever
    expected = first.lexical("foto bersama calon bupati", 10)
    assert expected

    again = open_engine(settings).retriever
    assert again.lexical("foto bersama calon bupati", 10) == expected

    for bm25_dir in (settings.data_dir / "lexical").glob("*/bm25"):
        shutil.rmtree(bm25_dir)
        bm25_dir.mkdir()
        (bm25_dir / "params.index.json").write_text("{broken", encoding="utf-8")
    repaired = open_engine(settings).retriever
    assert repaired.lexical("foto bersama calon bupati", 10) == expected


def test_a_message_with_several_questions_embeds_them_in_one_batch(built_settings) -> None:
    engine = open_engine(built_settings)
    calls: list[int] = []
    embed_queries = engine.embedder.embed_queries

    def counting(texts):  # type: ignore[no-untyped-def]
        calls.append(len(texts))
        return embed_queries(texts)

    engine.embedder.embed_queries = counting  # type: ignore[method-assign]
    message = "boleh ga pns like postingan caleg? terus kalau foto bareng capres gimana?"
    answer = engine.answer(message)
    assert len(engine.analyse(message).parts) == 2
    assert len(answer.parts) == 2
    assert calls[0] == 2 and sum(calls) == 2
    engine.answer(message)  # asked again: both questions come from the cache
    assert sum(calls) == 2


def test_remembered_query_tokens_and_typo_corrections_match_fresh_ones(built_settings) -> None:
    retriever = open_engine(built_settings).retriever
    question = "boleh ga pns ngelike postingn kampnye caleg"
    first = retriever.query_tokens(question)
    first.append("poisoned")  # callers get a copy: the remembered tokens stay intact
    again = retriever.query_tokens(question)
    assert "poisoned" not in again
    fresh = [t for t in retriever.typos(tokens(question)) if t in retriever.vocabulary]
    assert again == fresh
    fresh_corrector = TypoCorrector(retriever.vocabulary)
    words = tokens(question)
    assert retriever.typos(words) == fresh_corrector(words) == retriever.typos(words)


def test_recent_keeps_the_most_recently_used_entries() -> None:
    recent: Recent[str, int] = Recent(2)
    recent.put("a", 1)
    recent.put("b", 2)
    assert recent.get("a") == 1  # "a" is now the most recent
    recent.put("c", 3)  # so "b" goes
    assert "b" not in recent and recent.get("a") == 1 and recent.get("c") == 3
    assert len(recent) == 2


def test_a_typo_equally_close_to_two_words_is_corrected_the_same_in_every_process() -> None:
    """Ties go to the word first in alphabetical order, never to a set's hash order: the same
    question must get the same answer in every process."""
    script = (
        "from knowledge.text import TypoCorrector;"
        "print(TypoCorrector(['kampanye', 'kampanse', 'kampunya', 'kempanye']).correct('kampanxe'))"
    )
    seen = {
        subprocess.run(
            [sys.executable, "-c", script],
            env={**os.environ, "PYTHONHASHSEED": str(seed)},
            capture_output=True,
            text=True,
            check=True,
        ).stdout.strip()
        for seed in range(8)
    }
    assert seen == {"kampanse"}
