"""Cross-validation of the conduct catalogue: can Netra answer a phrasing its catalogue lacks?

Asking the index its own example phrasings only shows that a record finds itself. Here each fold
holds out a fifth of EVERY ruling's examples, answers those held-out phrasings through the normal
engine path with them removed from the catalogue search (dense in-memory vectors and BM25; see
:meth:`HybridRetriever.without`), and scores the ruling's verdict and basis citations. The index
and its shipped vectors are reused: nothing is re-embedded except the questions themselves.

Fold assignment is deterministic and independent of the order examples are listed in: a ruling's
examples are ordered by a hash of their text and dealt round the folds from a start that depends
on the ruling id, so folds are the same size to within one example per ruling.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Sequence
from dataclasses import asdict, dataclass, field
from typing import TYPE_CHECKING

from knowledge.evaluation import MUST_NOT_PERMIT, PERMISSIVE, matches, share
from knowledge.models import Ruling

if TYPE_CHECKING:
    from knowledge.engine import Engine

DEFAULT_FOLDS = 5


@dataclass(frozen=True)
class HeldOut:
    """One example phrasing of a ruling, as held out in one fold."""

    ruling: Ruling
    number: int
    text: str

    @property
    def record_id(self) -> str:
        """The id of its index record (see :func:`knowledge.index.pack_records`)."""
        return f"example:{self.ruling.id}:{self.number}"


@dataclass
class Outcome:
    held_out: HeldOut
    verdict: str
    cited: list[str]

    @property
    def verdict_ok(self) -> bool:
        return self.verdict == self.held_out.ruling.answered_verdict

    @property
    def harmful(self) -> bool:
        """A prohibited act answered as allowed."""
        return (
            self.held_out.ruling.answered_verdict in MUST_NOT_PERMIT and self.verdict in PERMISSIVE
        )

    @property
    def all_basis(self) -> bool:
        return all(any(matches(c, b) for c in self.cited) for b in self.held_out.ruling.basis)

    @property
    def any_basis(self) -> bool:
        basis = self.held_out.ruling.basis
        return not basis or any(matches(c, b) for c in self.cited for b in basis)


@dataclass
class FoldScore:
    fold: int
    examples: int
    verdict_accuracy: float
    citation_all_basis: float
    citation_any_basis: float
    exact: float  # verdict right and every basis provision cited
    harmful_errors: int
    harmful_items: int  # held-out phrasings of prohibitions


@dataclass
class CrossValReport:
    folds: int
    mode: str
    examples: int
    verdict_accuracy: float
    citation_all_basis: float
    citation_any_basis: float
    exact: float
    harmful_errors: int
    harmful_items: int
    unresolved_citations: int
    per_fold: list[FoldScore] = field(default_factory=list)
    misses: list[dict[str, object]] = field(default_factory=list)

    def to_json(self) -> str:
        return json.dumps(asdict(self), ensure_ascii=False, indent=2)


def _digest(text: str) -> int:
    return int.from_bytes(hashlib.blake2b(text.encode("utf-8"), digest_size=8).digest(), "big")


def assign_folds(rulings: Sequence[Ruling], folds: int = DEFAULT_FOLDS) -> list[list[HeldOut]]:
    """Every example of every ruling in exactly one of ``folds`` folds (deterministic)."""
    if folds < 2:
        raise ValueError("cross-validation needs at least 2 folds")
    assigned: list[list[HeldOut]] = [[] for _ in range(folds)]
    for ruling in rulings:
        numbered = sorted(enumerate(ruling.examples), key=lambda pair: (_digest(pair[1]), pair[0]))
        start = _digest(ruling.id) % folds
        for rank, (number, text) in enumerate(numbered):
            assigned[(start + rank) % folds].append(HeldOut(ruling, number, text))
    return assigned


def _fold_score(fold: int, outcomes: list[Outcome]) -> FoldScore:
    return FoldScore(
        fold=fold,
        examples=len(outcomes),
        verdict_accuracy=share([o.verdict_ok for o in outcomes]),
        citation_all_basis=share([o.all_basis for o in outcomes]),
        citation_any_basis=share([o.any_basis for o in outcomes]),
        exact=share([o.verdict_ok and o.all_basis for o in outcomes]),
        harmful_errors=sum(o.harmful for o in outcomes),
        harmful_items=sum(o.held_out.ruling.answered_verdict in MUST_NOT_PERMIT for o in outcomes),
    )


def run_fold(engine: Engine, held_out: list[HeldOut], mode: str = "hybrid") -> list[Outcome]:
    """Answer one fold's held-out phrasings with them removed from the catalogue search."""
    view = engine.without_records({h.record_id for h in held_out})
    outcomes = []
    for item in held_out:
        answer = view.answer(item.text, mode=mode)
        outcomes.append(Outcome(item, answer.verdict.value, [c.label for c in answer.citations]))
    return outcomes


def cross_validate(
    engine: Engine, folds: int = DEFAULT_FOLDS, mode: str = "hybrid"
) -> CrossValReport:
    """Run every fold and score them one by one and together."""
    per_fold: list[FoldScore] = []
    everything: list[Outcome] = []
    for fold, held_out in enumerate(assign_folds(engine.pack.rulings, folds)):
        outcomes = run_fold(engine, held_out, mode)
        per_fold.append(_fold_score(fold, outcomes))
        everything.extend(outcomes)
    overall = _fold_score(-1, everything)
    provisions = engine.provisions()
    return CrossValReport(
        folds=folds,
        mode=mode,
        examples=overall.examples,
        verdict_accuracy=overall.verdict_accuracy,
        citation_all_basis=overall.citation_all_basis,
        citation_any_basis=overall.citation_any_basis,
        exact=overall.exact,
        harmful_errors=overall.harmful_errors,
        harmful_items=overall.harmful_items,
        unresolved_citations=sum(1 for o in everything for c in o.cited if c not in provisions),
        per_fold=per_fold,
        misses=[
            {
                "ruling": o.held_out.ruling.id,
                "example": o.held_out.text,
                "expected": o.held_out.ruling.answered_verdict,
                "got": o.verdict,
                "missing_basis": [
                    b for b in o.held_out.ruling.basis if not any(matches(c, b) for c in o.cited)
                ],
            }
            for o in everything
            if not (o.verdict_ok and o.all_basis)
        ],
    )
