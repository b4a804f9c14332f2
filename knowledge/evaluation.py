"""Evaluation harness: run a question set through the engine and measure what users care about.

Metrics: verdict accuracy, citation hit rate (at least one expected citation cited), citation
precision (cited labels that match an expected one), abstain/refuse correctness, unresolved
citations (must be zero), latency percentiles, and the safety figures: harmful errors (a prohibited
act, or a request Netra must refuse, answered ``boleh``/``boleh_bersyarat``: the error that can cost
a user their career), abstentions (``tidak_diketahui`` where a ruling was expected) and the accuracy
of the answers that were not abstentions. A label "matches" an expected one when it is the
same provision or a more specific part of it (``Pasal 5 huruf n angka 1`` matches ``Pasal 5 huruf n``).
"""

from __future__ import annotations

import json
import time
from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Protocol

from knowledge.models import Answer, Provision

NON_RULING = {"tidak_diketahui", "di_luar_cakupan", "ditolak"}
RULING = frozenset({"dilarang", "boleh", "boleh_bersyarat"})
# Expected verdicts for which a permissive answer is harmful, and the permissive verdicts.
MUST_NOT_PERMIT = frozenset({"dilarang", "ditolak"})
PERMISSIVE = frozenset({"boleh", "boleh_bersyarat"})
ABSTAINED = "tidak_diketahui"


class Answering(Protocol):
    def answer(
        self, question: str, *, context: str | None = None, mode: str = "hybrid"
    ) -> Answer: ...

    def provisions(self) -> dict[str, Provision]: ...


@dataclass
class Case:
    id: str
    question: str
    verdict: str
    citations: list[str]
    category: str = ""
    lang: str = "id"


@dataclass
class CaseResult:
    case: Case
    verdict: str
    cited: list[str]
    latency_ms: float
    confidence: float

    @property
    def verdict_ok(self) -> bool:
        return self.verdict == self.case.verdict

    @property
    def hit(self) -> bool:
        return any(matches(c, e) for c in self.cited for e in self.case.citations)

    @property
    def harmful(self) -> bool:
        """A prohibited act or a request to refuse, answered as allowed."""
        return self.case.verdict in MUST_NOT_PERMIT and self.verdict in PERMISSIVE


@dataclass
class Report:
    mode: str
    questions: int
    verdict_accuracy: float
    citation_hit_rate: float
    citation_precision: float
    abstain_refuse_precision: float
    abstain_refuse_recall: float
    unresolved_citations: int
    harmful_errors: int
    harmful_items: int
    harmful_rate: float
    abstention_rate: float
    answered_accuracy: float
    latency_ms: dict[str, float]
    by_category: dict[str, float] = field(default_factory=dict)
    confusion: dict[str, dict[str, int]] = field(default_factory=dict)
    errors: list[dict[str, object]] = field(default_factory=list)
    harmful: list[dict[str, object]] = field(default_factory=list)
    source: str = ""

    def to_json(self) -> str:
        return json.dumps(asdict(self), ensure_ascii=False, indent=2)


def matches(cited: str, expected: str) -> bool:
    """Same provision, or a more specific part of the expected one."""
    return cited == expected or cited.startswith(expected + " ")


def load_cases(path: Path) -> list[Case]:
    cases = []
    with path.open(encoding="utf-8") as handle:
        for number, line in enumerate(handle, 1):
            if not line.strip():
                continue
            raw = json.loads(line)
            try:
                cases.append(
                    Case(
                        id=str(raw.get("id", number)),
                        question=raw["question"],
                        verdict=raw["verdict"],
                        citations=list(raw.get("citations", [])),
                        category=str(raw.get("category", "")),
                        lang=str(raw.get("lang", "id")),
                    )
                )
            except KeyError as error:
                raise ValueError(f"{path}:{number}: missing field {error}") from None
    return cases


def percentile(values: list[float], q: float) -> float:
    if not values:
        return 0.0
    ordered = sorted(values)
    index = min(len(ordered) - 1, max(0, round(q / 100 * (len(ordered) - 1))))
    return ordered[index]


def run_cases(engine: Answering, cases: Iterable[Case], mode: str = "hybrid") -> list[CaseResult]:
    results = []
    for case in cases:
        started = time.perf_counter()
        answer = engine.answer(case.question, mode=mode)
        took = (time.perf_counter() - started) * 1000
        results.append(
            CaseResult(
                case,
                answer.verdict.value,
                [c.label for c in answer.citations],
                took,
                answer.confidence,
            )
        )
    return results


def share(flags: list[bool], empty: float = 1.0) -> float:
    """The fraction of true flags (``empty`` when there are none)."""
    return sum(flags) / len(flags) if flags else empty


@dataclass(frozen=True)
class Safety:
    """Harmful errors (count, their denominator and share), abstentions where a ruling was
    expected, and the accuracy of every answer that was not an abstention."""

    harmful_errors: int
    harmful_items: int
    harmful_rate: float
    abstention_rate: float
    answered_accuracy: float


def safety_figures(results: list[CaseResult]) -> Safety:
    guarded = [r for r in results if r.case.verdict in MUST_NOT_PERMIT]
    return Safety(
        harmful_errors=sum(r.harmful for r in guarded),
        harmful_items=len(guarded),
        harmful_rate=share([r.harmful for r in guarded], 0.0),
        abstention_rate=share(
            [r.verdict == ABSTAINED for r in results if r.case.verdict in RULING], 0.0
        ),
        answered_accuracy=share([r.verdict_ok for r in results if r.verdict != ABSTAINED]),
    )


def _error_entry(r: CaseResult) -> dict[str, object]:
    return {
        "id": r.case.id,
        "question": r.case.question,
        "expected": r.case.verdict,
        "got": r.verdict,
        "expected_citations": r.case.citations,
        "cited": r.cited,
        "confidence": r.confidence,
    }


def summarise(results: list[CaseResult], provisions: dict[str, Provision], mode: str) -> Report:
    total = len(results) or 1
    with_citations = [r for r in results if r.case.citations and r.case.verdict not in NON_RULING]
    cited_pairs = [(r, c) for r in with_citations for c in r.cited]
    precise = sum(
        1 for r, c in cited_pairs if any(matches(c, e) or matches(e, c) for e in r.case.citations)
    )
    predicted_non = [r for r in results if r.verdict in NON_RULING]
    expected_non = [r for r in results if r.case.verdict in NON_RULING]
    by_category: dict[str, list[bool]] = defaultdict(list)
    confusion: dict[str, Counter[str]] = defaultdict(Counter)
    for r in results:
        by_category[r.case.category or "-"].append(r.verdict_ok)
        confusion[r.case.verdict][r.verdict] += 1
    latencies = [r.latency_ms for r in results]
    safety = safety_figures(results)
    return Report(
        mode=mode,
        questions=len(results),
        verdict_accuracy=sum(r.verdict_ok for r in results) / total,
        citation_hit_rate=share([r.hit for r in with_citations]),
        citation_precision=(precise / len(cited_pairs)) if cited_pairs else 1.0,
        abstain_refuse_precision=share([r.verdict == r.case.verdict for r in predicted_non]),
        abstain_refuse_recall=share([r.verdict == r.case.verdict for r in expected_non]),
        unresolved_citations=sum(1 for r in results for c in r.cited if c not in provisions),
        harmful_errors=safety.harmful_errors,
        harmful_items=safety.harmful_items,
        harmful_rate=safety.harmful_rate,
        abstention_rate=safety.abstention_rate,
        answered_accuracy=safety.answered_accuracy,
        latency_ms={
            "p50": percentile(latencies, 50),
            "p95": percentile(latencies, 95),
            "p99": percentile(latencies, 99),
            "mean": sum(latencies) / total,
        },
        by_category={k: sum(v) / len(v) for k, v in sorted(by_category.items())},
        confusion={k: dict(v) for k, v in sorted(confusion.items())},
        errors=[
            _error_entry(r)
            for r in results
            if not r.verdict_ok
            or (r.case.citations and r.case.verdict not in NON_RULING and not r.hit)
        ],
        harmful=[_error_entry(r) for r in results if r.harmful],
    )


def evaluate(engine: Answering, path: Path, mode: str = "hybrid") -> Report:
    cases = load_cases(path)
    report = summarise(run_cases(engine, cases, mode), engine.provisions(), mode)
    report.source = path.stem
    return report


def verdict_gap(first: Report, second: Report) -> float:
    """Verdict accuracy of the first set minus the second's, in percentage points (dev minus
    blind: how much of the first figure is fitted to that set)."""
    return round((first.verdict_accuracy - second.verdict_accuracy) * 100, 1)
