"""Issue 15 item 5: a question in English gets the whole answer in English; citations keep their
official Indonesian form. Checked on the CLI's JSON answer for the English dev questions."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from knowledge.pack import load_pack
from tests.indonesian_words import indonesian_context, indonesian_words
from tests.test_cli import run

DEV = Path(__file__).parent / "data" / "dev_questions.jsonl"


def english_dev_questions() -> list[str]:
    rows = [json.loads(line) for line in DEV.read_text(encoding="utf-8").splitlines() if line]
    return [row["question"] for row in rows if row.get("lang") == "en"]


@pytest.fixture(scope="module")
def citation_labels() -> list[str]:
    pack = load_pack()
    return [*pack.provisions, *pack.regulations]


def answer_texts(payload: dict[str, Any]) -> str:
    """Everything a user reads of an Answer: text, sanctions, sources, citation statements."""
    texts = [payload["answer"], *payload["sanctions"], payload.get("summary") or ""]
    texts += [f"{s['title']} {s['excerpt']}" for s in payload["sources"]]
    texts += [c["text_en"] or c["text"] for c in payload["citations"]]
    texts += [answer_texts(part) for part in payload.get("parts", [])]
    return "\n".join(texts)


def test_the_detector_sees_indonesian_outside_citations_only() -> None:
    label = "SKB Netralitas 2022 Lampiran II bagian B (disiplin): memasang spanduk atau baliho"
    assert (
        indonesian_words(f"Not allowed under {label} and PP 94/2021 Pasal 5 huruf n", [label]) == []
    )
    assert indonesian_words("dishonourable dismissal (pemberhentian tidak dengan hormat)") == []
    assert indonesian_words("PNS dilarang ikut kampanye dan memakai atribut") == ["dan"]
    assert indonesian_words("(yang boleh dan tidak boleh untuk PNS dalam masa kampanye)") != []


def test_english_dev_questions_get_english_json_answers(tmp_path, citation_labels) -> None:
    questions = english_dev_questions()
    assert len(questions) >= 10
    result = run(["ask", "-"], tmp_path / "d", input_="\n".join(questions) + "\n")
    payloads = [json.loads(line) for line in result.stdout.splitlines()]
    assert len(payloads) == len(questions)
    for question, payload in zip(questions, payloads, strict=True):
        assert payload["language"] == "en", question
        found = indonesian_context(answer_texts(payload), citation_labels)
        assert not found, f"{question!r}: Indonesian outside citations: {found[:3]}"
        assert all(c["text_en"] for c in payload["citations"]), question


def test_ask_json_in_english_keeps_the_official_citation_labels(tmp_path, citation_labels) -> None:
    question = "Can a civil servant attend a campaign rally of a presidential candidate?"
    result = run(["ask", "--json", question], tmp_path / "d")
    payload = json.loads(result.stdout)
    assert payload["verdict"] == "dilarang" and payload["language"] == "en"
    labels = [c["label"] for c in payload["citations"]]
    assert "PP 94/2021 Pasal 5 huruf n angka 1" in labels
    assert payload["sanctions"] and payload["sanctions"][0].startswith("The level of")
    assert not indonesian_context(answer_texts(payload), citation_labels)
