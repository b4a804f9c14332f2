"""Acts the law does not settle yet: Netra says so instead of guessing, and still shows the
cautious reading, the provisions that bound the question, and where to ask."""

from __future__ import annotations

from knowledge.pack import load_pack
from netra.wiring import open_engine


def test_unsettled_rulings_answer_tidak_diketahui_with_the_cautious_reading(built_settings) -> None:
    engine = open_engine(built_settings)
    unsettled = [r for r in load_pack().rulings if r.unsettled]
    assert unsettled, "the catalogue marks at least one act as unsettled"
    for ruling in unsettled:
        english = next(e for e in ruling.examples if e.startswith(("can ", "Can ")))
        indonesian = ruling.examples[0]
        for question, cautious in (
            (indonesian, "Sikap paling hati-hati"),
            (english, "Cautious reading"),
        ):
            answer = engine.answer(question)
            assert answer.verdict.value == "tidak_diketahui", (ruling.id, question)
            assert answer.verdict.value == ruling.answered_verdict
            assert cautious in answer.answer, question
            assert "BKPSDM" in answer.answer
            assert set(ruling.basis) <= {c.label for c in answer.citations}


def test_settled_rulings_keep_their_own_verdict() -> None:
    for ruling in load_pack().rulings:
        if not ruling.unsettled:
            assert ruling.answered_verdict == ruling.verdict
