"""The load benchmark's judgement of the answers one chat received (benchmarks/bench_bot_load.py)."""

from __future__ import annotations

import importlib.util
from pathlib import Path

BENCH = Path(__file__).resolve().parents[1] / "benchmarks" / "bench_bot_load.py"
spec = importlib.util.spec_from_file_location("bench_bot_load", BENCH)
assert spec is not None and spec.loader is not None
bench = importlib.util.module_from_spec(spec)
spec.loader.exec_module(bench)

CAMPAIGN, PARTY, FOLLOW_UP = bench.QUESTIONS[0], bench.QUESTIONS[3], "kalau cuma komen?"
EXPECTED = {
    (None, CAMPAIGN): "❌ kampanye",
    (None, PARTY): "❌ partai",
    (CAMPAIGN, FOLLOW_UP): "❌ komentar",
}


def answer(headline: str, quoting: int | None = None) -> dict:
    reply = {"text": f"{headline}\nbody", "reply_markup": {"inline_keyboard": []}}
    if quoting is not None:
        reply["reply_parameters"] = {"message_id": quoting}
    return reply


def ledger() -> bench.ChatLedger:
    sent = [(11, CAMPAIGN, 0.0), (12, FOLLOW_UP, 0.0), (13, PARTY, 0.0)]
    return bench.ChatLedger(sent, EXPECTED)


def test_quoted_and_unquoted_answers_in_order_are_attributed_and_checked() -> None:
    chat = ledger()
    chat.take(answer("❌ kampanye"), 1.0)  # unquoted: the earliest question
    chat.take({"text": "first part of a long answer"}, 1.5)
    chat.take(answer("❌ komentar", quoting=12), 2.0)
    chat.take(answer("❌ partai", quoting=13), 3.0)
    result = bench.new_result()
    chat.add_to(result)
    assert chat.complete and result["missing"] == 0 and result["out_of_order"] == 0
    assert result["latencies"] == [1.0, 2.0, 3.0]
    counts = result["attribution"]
    assert [counts[k] for k in ("quoted", "unquoted", "parts", "checked")] == [2, 1, 1, 3]
    assert counts["wrong_answer"] == counts["stray"] == counts["duplicate"] == 0


def test_disorder_wrong_stray_and_duplicate_answers_are_counted() -> None:
    chat = ledger()
    chat.take(answer("❌ partai", quoting=13), 1.0)
    chat.take(answer("❌ partai"), 2.0)  # unquoted, so taken for question 11: the wrong answer
    chat.take(answer("❌ partai", quoting=13), 3.0)
    chat.take(answer("❌ kampanye", quoting=99), 4.0)
    assert not chat.complete and chat.out_of_order() == 1
    counts = chat.counts
    assert (counts["wrong_answer"], counts["duplicate"], counts["stray"]) == (1, 1, 1)
    assert chat.wrong == [{"question": CAMPAIGN, "got": "❌ partai", "expected": "❌ kampanye"}]


def test_a_follow_up_after_a_short_message_is_not_checked() -> None:
    recipe = "resep rendang yang enak gimana?"
    chat = bench.ChatLedger([(21, recipe, 0.0), (22, FOLLOW_UP, 0.0)], EXPECTED)
    assert not bench.stands_alone(recipe) and bench.stands_alone(CAMPAIGN)
    assert chat.expected_headline(22) is None
