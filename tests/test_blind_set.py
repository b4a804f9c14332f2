"""The blind question set stays frozen and never leaks into what Netra learns from.

The set (tests/data/blind_questions.jsonl) was written by helpers who saw only the regulations
corpus, the personas and the categories; it is scored only as a whole. These tests fail if it is
edited after freezing, or if any of its questions appears in the catalogue's example phrasings,
the intent reader's training data or the vocabulary (situation.yaml, lexicon.yaml).
"""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

from knowledge.pack import default_pack_dir, load_pack
from knowledge.text import fold

BLIND = Path(__file__).parent / "data" / "blind_questions.jsonl"
FROZEN_SHA256 = "c31095293ab1474b5e4d71ce0053959eea662c58620f8b2e3adbec9ddecd9f30"
VERDICTS = {"dilarang", "boleh", "boleh_bersyarat", "tidak_diketahui", "di_luar_cakupan", "ditolak"}


def _questions() -> list[str]:
    rows = [json.loads(line) for line in BLIND.read_text(encoding="utf-8").splitlines() if line]
    assert all(row["verdict"] in VERDICTS for row in rows)
    return [row["question"] for row in rows]


def test_the_blind_set_is_frozen() -> None:
    assert hashlib.sha256(BLIND.read_bytes()).hexdigest() == FROZEN_SHA256
    assert len(_questions()) >= 300


def test_no_blind_question_reaches_the_catalogue_or_the_intent_data() -> None:
    blind = {fold(q).strip(" ?.!") for q in _questions()}
    pack = load_pack()
    examples = {fold(e).strip(" ?.!") for r in pack.rulings for e in r.examples}
    intent_dir = default_pack_dir() / "intent"
    training = {
        fold(json.loads(line)["text"]).strip(" ?.!")
        for path in intent_dir.glob("*.jsonl")
        for line in path.read_text(encoding="utf-8").splitlines()
        if line.strip()
    }
    vocabulary = fold(
        "\n".join(
            (default_pack_dir() / name).read_text(encoding="utf-8")
            for name in ("situation.yaml", "lexicon.yaml")
        )
    )
    assert not blind & examples
    assert not blind & training
    assert not [q for q in blind if len(q) > 20 and q in vocabulary]
