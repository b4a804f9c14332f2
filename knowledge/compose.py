"""Deterministic answer composition (no LLM): rulings give verdicts, provisions give citations.

For each question part the composer ranks conduct rulings by hybrid retrieval over their example
phrasings, adjusts for who/when the message names (PPPK vs PNS vs honorer, Pemilu vs Pilkada),
measures its confidence, and either answers from the best ruling (mentioning a close ruling with a
different verdict for another case), abstains with the closest provisions, or declines. Every
citation is built from a provision that exists in the index.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field, replace
from functools import cache

from knowledge import phrases
from knowledge.analysis import Analysis, LawReference
from knowledge.config import Settings
from knowledge.decision import (
    PROCEDURE_ACTS,
    DecisionConfig,
    also_answering,
    decide,
    explained_by,
)
from knowledge.models import (
    Answer,
    AnswerKind,
    Citation,
    Provision,
    Ruling,
    Section,
    SourceRef,
    Status,
    Verdict,
    citation_label,
)
from knowledge.pack import KnowledgePack
from knowledge.present import answer_text
from knowledge.recent import Recent
from knowledge.retrieval import Hit, HybridRetriever
from knowledge.situation import PARTISAN_OBJECTS, Situation, read_situation

SEVERITY = {
    Verdict.DILARANG: 5,
    Verdict.BOLEH_BERSYARAT: 4,
    Verdict.TIDAK_DIKETAHUI: 3,
    Verdict.BOLEH: 2,
    Verdict.DITOLAK: 1,
    Verdict.DI_LUAR_CAKUPAN: 0,
}
# Similarity scale of each embedding family: e5 cosine similarities are compressed near the top.
_PROHIBITION = re.compile(
    r"\b(dilarang|larangan|tidak boleh|dipidana|pidana|sanksi|hukuman disiplin|diberhentikan|"
    r"pemberhentian)\b",
    re.IGNORECASE,
)
DECISION = DecisionConfig()
NEAR_EXACT_WEIGHT = 0.5
# A question whose words are (almost) exactly those of one example phrasing is that example.
NEAR_EXACT_JACCARD = 0.8
NEAR_EXACT_LEXICAL_BONUS = 0.05
# e5's scale is for text embedded in its plain form (knowledge.embeddings.plain): without sentence
# punctuation the top similarity of a question sits about 0.013 lower (median over the dev
# questions, 0.887 -> 0.872), so the scale moved with it from (0.80, 0.93).
_DENSE_SCALE = {"e5": (0.787, 0.917), "default": (0.25, 0.85)}


@dataclass
class RulingScore:
    ruling: Ruling
    fused: float = 0.0
    dense: float = 0.0
    lexical_cover: float = 0.0
    jaccard: float = 0.0
    hits: int = 0
    scope: float = 0.0

    near_exact: float = 0.0

    @property
    def total(self) -> float:
        return self.fused + self.scope + self.near_exact


@dataclass
class Evidence:
    """What retrieval found for one question: the only sources a generative answer may use."""

    question: str
    rulings: list[Ruling]
    provisions: list[Provision]
    confidence: float


@dataclass
class PartResult:
    """The answer to one question part, before it becomes an :class:`Answer`."""

    question: str
    verdict: Verdict
    kind: AnswerKind | None
    confidence: float
    sections: list[Section] = field(default_factory=list)
    citations: list[Citation] = field(default_factory=list)
    sanctions: list[str] = field(default_factory=list)
    sources: list[SourceRef] = field(default_factory=list)
    ruling_id: str | None = None
    act: str | None = None
    summary: str | None = None


def _message(question: str, verdict: Verdict, kind: AnswerKind, text: str) -> PartResult:
    """A part answered by a fixed message (refusal, out of scope, guide), with certainty."""
    return PartResult(question, verdict, kind, 1.0, [Section(kind="message", text=text)])


class Composer:
    """Composes one :class:`Answer` from the pack, the retriever and the resolved provisions."""

    def __init__(
        self,
        pack: KnowledgePack,
        retriever: HybridRetriever,
        provisions: dict[str, Provision],
        settings: Settings,
        mode: str = "hybrid",
    ) -> None:
        self.pack = pack
        self.retriever = retriever
        self.provisions = provisions
        self.settings = settings
        self.mode = mode
        family = "e5" if "e5" in retriever.embed.embedder.id else "default"
        self._ranked: Recent[
            tuple[str, frozenset[str], frozenset[str], frozenset[str]], list[RulingScore]
        ] = Recent(128)
        self.dense_floor, self.dense_ceiling = _DENSE_SCALE[family]
        # A question is read once: the scope check, its part and an abstention share the reading.
        self._situations: Recent[str, Situation] = Recent(128)

    # --- entry point -------------------------------------------------------------------------
    def answer(self, question: str, analysis: Analysis) -> Answer:
        en = analysis.english
        situation = self.situation(analysis.question)
        in_domain = self._political(analysis, situation)
        if analysis.prediction and not situation.acts:
            # "Siapa yang bakal menang pilpres?" is not a question about what an ASN may do.
            return self._outside(question, en)
        if (analysis.campaign_help or analysis.evasion) and not in_domain:
            # A request to make or hide something with no election in it ("write a Python
            # function") is outside Netra's subject, not campaign help to refuse.
            return self._outside(question, en)
        if analysis.campaign_help:
            return self._declined(question, en, reason="campaign")
        if analysis.evasion:
            return self._declined(question, en, reason="evasion")
        if analysis.injection and not self.pack.word_lists.tokens(analysis.question):
            return self._declined(question, en, reason="injection")
        notes = self._notes(analysis)
        if analysis.law_reference is not None:
            looked_up = self._lookup(question, analysis.law_reference, en)
            if looked_up is not None:
                return looked_up
        if situation.actor == "tni_polri":
            return self._not_asn(question, en, notes, situation.actor)
        if analysis.contentless:
            return self._guide(question, analysis, notes)
        if not in_domain and not self._matches_catalogue(analysis.question, analysis):
            part = self._unknown(question, analysis, 0.0)
            return self._finish(question, replace(part, confidence=1.0, citations=[]), en, notes)
        if self.mode != "lexical":
            self.retriever.embed.prefetch(analysis.parts)
        parts = [self._answer_part(part, analysis) for part in analysis.parts]
        return self._combine(question, parts, analysis, notes)

    def situation(self, text: str) -> Situation:
        """The situation ``text`` describes (remembered for recent questions)."""
        situation = self._situations.get(text)
        if situation is None:
            situation = read_situation(text, self.pack.lexicon)
            self._situations.put(text, situation)
        return situation

    def _outside(self, question: str, en: bool) -> Answer:
        """The answer to a message outside Netra's subject."""
        text = phrases.OUT_OF_DOMAIN.text(en)
        return self._finish(
            question, _message(question, Verdict.DI_LUAR_CAKUPAN, "out_of_scope", text), en
        )

    def _political(self, analysis: Analysis, situation: Situation) -> bool:
        """Whether the message is about elections or political conduct: a political word, an act
        that only exists around elections, or a candidate or party as its object ("menangkan 02")."""
        election_only = self.pack.lexicon.families.get("election_only", frozenset())
        return (
            analysis.in_domain
            or bool(situation.acts & election_only)
            or situation.target in PARTISAN_OBJECTS
        )

    def _notes(self, analysis: Analysis) -> list[Section]:
        """Notes on what Netra set aside in the message (instructions, unknown regulations)."""
        en = analysis.english
        notes = []
        if analysis.injection:
            notes.append(Section(kind="notice", text=phrases.INSTRUCTIONS_IGNORED.text(en)))
        unknown = [
            r
            for r in analysis.regulations
            if self.pack.regulation_names.resolve(r) not in self.pack.regulations
        ]
        if unknown:
            names = ", ".join(unknown)
            notes.append(
                Section(kind="notice", text=phrases.UNKNOWN_REGULATIONS.format(en, names=names))
            )
        return notes

    def _not_asn(self, question: str, en: bool, notes: list[Section], actor: str) -> Answer:
        """TNI/Polri members and other citizens are not ASN: say so and point to their rules."""
        citations = self._citations(["UU 7/2017 Pasal 200"]) if actor == "tni_polri" else []
        text = phrases.NOT_ASN[actor].text(en)
        if citations:
            text += " " + phrases.TNI_POLRI_DO_NOT_VOTE.text(en)
        part = _message(question, Verdict.DI_LUAR_CAKUPAN, "out_of_scope", text)
        part.citations = citations
        return self._finish(question, part, en, notes)

    def _guide(self, question: str, analysis: Analysis, notes: list[Section]) -> Answer:
        """A one-word or contentless message: a short guide with example questions."""
        en = analysis.english
        verdict = Verdict.TIDAK_DIKETAHUI if analysis.in_domain else Verdict.DI_LUAR_CAKUPAN
        part = _message(question, verdict, "guide", phrases.GUIDE.text(en))
        return self._finish(question, part, en, notes)

    # --- one question ------------------------------------------------------------------------
    def rank_rulings(self, text: str, analysis: Analysis) -> list[RulingScore]:
        """Catalogue rulings for one question, best first (remembered for recent questions: an
        answer may rank the same text for the scope check, the part and the fallback)."""
        key = (
            text,
            frozenset(analysis.audiences),
            frozenset(analysis.elections),
            frozenset(analysis.stages),
        )
        ranked = self._ranked.get(key)
        if ranked is None:
            ranked = self._rank_rulings(text, analysis)
            self._ranked.put(key, ranked)
        return list(ranked)

    def _rank_rulings(self, text: str, analysis: Analysis) -> list[RulingScore]:
        hits = self.retriever.search(text, k=40, kinds=("example", "ruling"), mode=self.mode)
        query_tokens = set(self.retriever.query_tokens(text))
        scores: dict[str, RulingScore] = {}
        for hit in hits:
            ruling = self.pack.rulings_by_id.get(str(hit.record.metadata.get("ruling_id")))
            if ruling is None:
                continue
            score = scores.setdefault(ruling.id, RulingScore(ruling))
            if score.hits < 3:
                score.fused += hit.score * (1.0 if score.hits == 0 else 0.35)
            score.hits += 1
            if hit.dense is not None:
                score.dense = max(score.dense, hit.dense)
            if query_tokens:
                record_tokens = set(self.retriever.record_tokens(hit.record.id))
                shared = query_tokens & record_tokens
                score.lexical_cover = max(score.lexical_cover, len(shared) / len(query_tokens))
                if hit.record.kind == "example" and len(query_tokens | record_tokens) >= 2:
                    jaccard = len(shared) / len(query_tokens | record_tokens)
                    score.jaccard = max(score.jaccard, jaccard)
        for score in scores.values():
            score.scope = self._scope_bonus(score.ruling, analysis)
            # A question phrased almost exactly like one of a ruling's examples is that ruling:
            # rank fusion alone would let a ruling with several middling hits outrank it.
            score.near_exact = NEAR_EXACT_WEIGHT * max(0.0, score.dense - self.dense_ceiling)
            if score.jaccard >= NEAR_EXACT_JACCARD:
                score.near_exact += NEAR_EXACT_LEXICAL_BONUS * score.jaccard
        return sorted(scores.values(), key=lambda s: s.total, reverse=True)

    def unproposed(self, text: str, proposed: Sequence[RulingScore]) -> list[RulingScore]:
        """The catalogue's rulings that retrieval did not propose, closest first by their best
        dense similarity to the question (every catalogue record is scored in memory): when none
        of retrieval's proposals holds the question's act, the ruling that does is looked for
        here, whatever its wording."""
        if self.mode == "lexical":
            return []
        seen = {s.ruling.id for s in proposed}
        vector = self.retriever.embed(text)
        best: dict[str, float] = {}
        records = self.retriever.records
        for index, similarity in self.retriever.dense(
            vector, len(records), kinds=("example", "ruling")
        ):
            ruling_id = str(records[index].metadata.get("ruling_id"))
            if ruling_id not in seen and similarity > best.get(ruling_id, -1.0):
                best[ruling_id] = similarity
        scores = [
            RulingScore(self.pack.rulings_by_id[rid], dense=dense)
            for rid, dense in best.items()
            if rid in self.pack.rulings_by_id
        ]
        return sorted(scores, key=lambda s: s.dense, reverse=True)

    def _matches_catalogue(self, text: str, analysis: Analysis) -> bool:
        """A message without election words is still in scope if it is phrased almost exactly
        like a catalogue example ("min kalo cuma ngelike doang kena sanksi gk?")."""
        ranked = self.rank_rulings(text, analysis)
        return bool(ranked) and ranked[0].dense >= self.dense_ceiling

    def _scope_bonus(self, ruling: Ruling, analysis: Analysis) -> float:
        """Prefer rulings for the audience / election / stage the message names."""
        bonus = 0.0
        applies = {a.value for a in ruling.applies_to}
        for audience in analysis.audiences:
            if audience in applies or (audience != "non-ASN" and "ASN" in applies):
                bonus += 0.004
            else:
                bonus -= 0.006
        if (
            analysis.elections
            and set(ruling.election)
            and not (analysis.elections & set(ruling.election))
        ):
            bonus -= 0.004
        if "bakal_calon" in analysis.stages and "bakal_calon" in ruling.stage:
            bonus += 0.003
        return bonus

    def evidence(
        self, text: str, analysis: Analysis, *, rulings: int = 3, extra: int = 3
    ) -> Evidence:
        """Top candidate rulings with their basis provisions, plus the closest other provisions."""
        ranked = self.rank_rulings(text, analysis)[:rulings]
        labels = [label for score in ranked for label in score.ruling.basis]
        closest = self.retriever.search(text, k=extra, kinds=("provision",), mode=self.mode)
        labels += [str(hit.record.metadata.get("label")) for hit in closest]
        provisions = [
            self.provisions[label] for label in dict.fromkeys(labels) if label in self.provisions
        ]
        runner_up = ranked[1] if len(ranked) > 1 else None
        confidence = self.confidence(ranked[0], runner_up) if ranked else 0.0
        return Evidence(text, [s.ruling for s in ranked], provisions, confidence)

    def confidence(self, best: RulingScore, runner_up: RulingScore | None) -> float:
        span = self.dense_ceiling - self.dense_floor
        dense = min(max((best.dense - self.dense_floor) / span, 0.0), 1.0)
        margin = (
            1.0 if runner_up is None else min(max((best.total - runner_up.total) * 60, 0.0), 1.0)
        )
        value = 0.5 * dense + 0.35 * best.lexical_cover + 0.15 * margin
        return round(min(max(value, 0.0), 1.0), 3)

    def _answer_part(self, text: str, analysis: Analysis) -> PartResult:
        en = analysis.english
        situation = self.situation(text)
        proposed = self.rank_rulings(text, analysis)
        decision = decide(
            proposed,
            situation,
            self.pack.facets,
            self.pack.lexicon,
            DECISION,
            further=cache(lambda: self.unproposed(text, proposed)),
        )
        ranked = [s for s in decision.kept if isinstance(s, RulingScore)]
        if situation.actor == "warga" and situation.target != "family_candidate":
            ranked = []  # only the rulings for a candidate's relatives speak to other citizens
        if not ranked and situation.actor == "warga":
            # A citizen who is not ASN, and no ruling for non-ASN relatives of a candidate fits.
            not_asn = phrases.NOT_ASN["warga"].text(en)
            return _message(text, Verdict.DI_LUAR_CAKUPAN, "out_of_scope", not_asn)
        if not ranked:
            return self._unknown(text, analysis, 0.0, not_covered=decision.not_covered)
        best = ranked[0]
        # The margin measures doubt between answers: a runner-up of the same verdict is none.
        runner_up = next(
            (s for s in ranked[1:] if s.ruling.answered_verdict != best.ruling.answered_verdict),
            None,
        )
        confidence = self.confidence(best, runner_up)
        if confidence < self._confidence_floor(best, situation):
            return self._unknown(text, analysis, confidence)
        alternatives = [
            s.ruling
            for s in ranked[1:4]
            if s.ruling.answered_verdict != best.ruling.answered_verdict
            and best.total - s.total < 0.004
            and _scope(s.ruling) != _scope(best.ruling)
        ][:1]
        part = self._from_ruling(text, best.ruling, confidence, alternatives, en)
        known = {c.label for c in part.citations}
        for other in also_answering(ranked, situation, self.pack.facets, DECISION.also_answering):
            # The articles for the question's other acts ("pakai mobil dinas ke kampanye").
            added = [c for c in self._citations(other.ruling.basis) if c.label not in known]
            part.citations += added
            known |= {c.label for c in added}
        if situation.asks == "report":
            self._add_reporting(part, self.rank_rulings(text, analysis), en)
        return part

    def _confidence_floor(self, best: RulingScore, situation: Situation) -> float:
        """The least confidence an answer needs. Retrieval's confidence guards against a ruling
        about something else; a ruling that holds every act of conduct the question names is
        about this, so its wording may differ more (``DecisionConfig.explained_min_confidence``)."""
        if explained_by(self.pack.facets[best.ruling.id], situation, self.pack.lexicon):
            return min(self.settings.min_confidence, DECISION.explained_min_confidence)
        return self.settings.min_confidence

    def _add_reporting(self, part: PartResult, ranked: list[RulingScore], en: bool) -> None:
        """A "where do I report X?" answer states X's verdict and then where to report it: the
        best-ranked ruling about reporting as such supplies the route and its citations."""
        facets = self.pack.facets
        route = next(
            (
                s.ruling
                for s in ranked
                if s.ruling.id != part.ruling_id
                and "report" in facets[s.ruling.id].acts
                and facets[s.ruling.id].acts <= PROCEDURE_ACTS
            ),
            None,
        )
        if route is None:
            return
        explanation = pack_text(route, "explanation", en).strip()
        part.sections.append(Section(kind="report", text=explanation))
        known = {c.label for c in part.citations}
        part.citations += [c for c in self._citations(route.basis) if c.label not in known]

    def _from_ruling(
        self, text: str, ruling: Ruling, confidence: float, alternatives: list[Ruling], en: bool
    ) -> PartResult:
        citations = self._citations(self._basis(ruling))
        # issue 15: English forms of the pack's texts (``act_en`` ...) when present.
        explanation = pack_text(ruling, "explanation", en)
        sections = _ruling_sections(ruling, explanation, en)
        for other in alternatives:
            sections.append(
                Section(
                    kind="alternative",
                    text=_scope_text(other, en),
                    verdict=Verdict(other.answered_verdict),
                    act=pack_text(other, "act", en),
                )
            )
            citations += [c for c in self._citations(other.basis) if c not in citations]
        sections.extend(self.status_sections(citations, en))
        if ruling.notes:
            sections.append(Section(kind="note", text=pack_text(ruling, "notes", en).strip()))
        return PartResult(
            question=text,
            verdict=Verdict(ruling.answered_verdict),
            kind="ruling",
            confidence=confidence,
            sections=sections,
            citations=citations,
            sanctions=_sanctions(ruling, en),
            sources=self._sources(text, ruling, en),
            ruling_id=ruling.id,
            act=pack_text(ruling, "act", en),
            summary=first_sentences(explanation),
        )

    # --- citations and sources -----------------------------------------------------------------
    def _basis(self, ruling: Ruling) -> list[str]:
        """A ruling's own basis, then, for a prohibition that binds civil servants, the general
        duty of neutrality it rests on (pack.yaml ``general_basis``)."""
        binds_asn = {a.value for a in ruling.applies_to} & {"PNS", "CPNS", "PPPK"}
        if ruling.answered_verdict != "dilarang" or not binds_asn:
            return list(ruling.basis)
        return list(dict.fromkeys([*ruling.basis, *self.pack.general_basis]))

    def _citations(self, labels: list[str]) -> list[Citation]:
        """Citations for labels that resolve; unresolvable labels are dropped, never invented."""
        return [
            Citation.from_provision(self.provisions[label])
            for label in labels
            if label in self.provisions
        ]

    def status_sections(self, citations: list[Citation], en: bool) -> list[Section]:
        """Name the replacement whenever an answer relies on a revoked or amended regulation."""
        notes = []
        seen = set()
        for citation in citations:
            regulation = self.pack.regulations.get(citation.regulation)
            if regulation is None or regulation.id in seen:
                continue
            if regulation.status is not Status.BERLAKU or citation.status is not Status.BERLAKU:
                seen.add(regulation.id)
                notes.append(
                    Section(
                        kind="status",
                        label=regulation.id,
                        status=regulation.status,
                        replacements=[*regulation.replaced_by, *regulation.amended_by],
                        text=pack_text(regulation, "status_note", en),
                    )
                )
        return notes

    def _sources(self, text: str, ruling: Ruling, en: bool) -> list[SourceRef]:
        """A socialisation point when one is relevant: a note citing the same basis, or a chunk
        (a note in the answer's language when it has an English form)."""
        basis = set(ruling.basis) | {label.split(" Pasal")[0] for label in ruling.basis}
        refs: list[SourceRef] = []
        for note in self.pack.notes:
            if basis & set(note.rules_cited) or ruling.topic in note.topics:
                points = (note.points_en if en else None) or note.points
                point = _best_point(self.pack.word_lists.tokens, text, points)
                title = pack_text(note, "title", en)
                refs.append(SourceRef(title=title, date=note.date, excerpt=point))
                break
        # Only a close dense match qualifies, so the lexical side would be wasted work here.
        hits = (
            []
            if self.mode == "lexical"
            else self.retriever.search(text, k=3, kinds=("transcript",), mode="dense")
        )
        for hit in hits:
            if hit.dense is not None and hit.dense >= self.dense_floor + 0.6 * (
                self.dense_ceiling - self.dense_floor
            ):
                meta = hit.record.metadata
                refs.append(
                    SourceRef(
                        title=str(meta.get("title") or meta.get("doc_title") or "Sosialisasi"),
                        date=str(meta["date"]) if meta.get("date") else None,
                        excerpt=_excerpt(hit.record.text),
                    )
                )
                break
        return refs[:2]

    # --- other outcomes ------------------------------------------------------------------------
    def _unknown(
        self, text: str, analysis: Analysis, confidence: float, *, not_covered: bool = False
    ) -> PartResult:
        en = analysis.english
        political = self._political(analysis, self.situation(text))
        if not political and not self._matches_catalogue(text, analysis):
            message = phrases.OUT_OF_DOMAIN.text(en)
            part = _message(text, Verdict.DI_LUAR_CAKUPAN, "out_of_scope", message)
            part.confidence = round(1.0 - confidence, 3)
            return part
        closest = self.retriever.search(text, k=3, kinds=("provision",), mode=self.mode)
        citations = self._citations([str(h.record.metadata.get("label")) for h in closest])
        message = phrases.CANNOT_DETERMINE.format(en, where_to_ask=phrases.WHERE_TO_ASK.text(en))
        if not_covered:
            message = phrases.NOT_IN_CATALOGUE.format(en, message=message)
        sections = [Section(kind="message", text=message)]
        return PartResult(text, Verdict.TIDAK_DIKETAHUI, "unknown", confidence, sections, citations)

    def _declined(self, question: str, en: bool, *, reason: str) -> Answer:
        text = phrases.DECLINED[reason].text(en)
        return self._finish(question, _message(question, Verdict.DITOLAK, "declined", text), en)

    def _lookup(self, question: str, ref: LawReference, en: bool) -> Answer | None:
        """Return the provision(s) a law question names, if the index has them."""
        regulation = self.pack.regulation_names.resolve(ref.regulation)
        if regulation is None:
            return None
        wanted = citation_label(
            regulation,
            pasal=ref.pasal,
            ayat=ref.ayat,
            huruf=ref.huruf,
            angka=ref.angka,
            penjelasan=ref.penjelasan,
        )
        matches = [
            p
            for label, p in self.provisions.items()
            if (label == wanted or label.startswith(wanted + " "))
            and p.penjelasan == ref.penjelasan
        ]
        if not matches:
            return None
        matches.sort(key=lambda p: _level_key(p.label))
        citations = [Citation.from_provision(p) for p in matches[:12]]
        labels = {c.label for c in citations}
        votes = Counter(r.verdict for r in self.pack.rulings if labels & set(r.basis))
        if votes:
            verdict = Verdict(votes.most_common(1)[0][0])  # what the rulings resting on it say
        elif any(_PROHIBITION.search(p.full_text()) for p in matches):
            verdict = Verdict.DILARANG  # the provision itself is a prohibition or its sanction
        else:
            verdict = Verdict.TIDAK_DIKETAHUI
        sections = [Section(kind="lookup", label=wanted), *self.status_sections(citations, en)]
        part = PartResult(question, verdict, "lookup", 0.9, sections, citations)
        return self._finish(question, part, en)

    # --- assembling ------------------------------------------------------------------------------
    def _combine(
        self, question: str, parts: list[PartResult], analysis: Analysis, notes: list[Section]
    ) -> Answer:
        en = analysis.english
        parts = _distinct(parts)
        if len(parts) == 1:
            return self._finish(question, parts[0], en, notes)
        # The headline verdict is the strictest among the parts that were answered from a ruling;
        # a part Netra could not decide is reported in its own section, not in the headline.
        decided = [p.verdict for p in parts if p.ruling_id] or [p.verdict for p in parts]
        citations: list[Citation] = []
        for p in parts:
            citations += [c for c in p.citations if c.label not in {x.label for x in citations}]
        whole = PartResult(
            question=question,
            verdict=max(decided, key=lambda v: SEVERITY[v]),
            kind=None,  # each part has its own kind
            confidence=min(p.confidence for p in parts),
            citations=citations,
            sanctions=list(dict.fromkeys(s for p in parts for s in p.sanctions)),
            sources=[s for p in parts for s in p.sources][:2],
        )
        answer = self._answer_of(whole, en, notes)
        answer.parts = [self._answer_of(p, en) for p in parts]
        answer.answer = answer_text(answer)
        return answer

    def _finish(
        self, question: str, part: PartResult, en: bool, notes: Sequence[Section] = ()
    ) -> Answer:
        """The answer to the whole message from one part (``question`` is the message)."""
        return self._answer_of(replace(part, question=question), en, notes)

    def _answer_of(self, part: PartResult, en: bool, notes: Sequence[Section] = ()) -> Answer:
        answer = Answer(
            question=part.question,
            verdict=part.verdict,
            answer="",
            citations=part.citations,
            sanctions=part.sanctions,
            sources=part.sources,
            confidence=part.confidence,
            knowledge_version=self.pack.knowledge_version,
            language="en" if en else "id",
            kind=part.kind,
            act=part.act,
            summary=part.summary,
            sections=[*part.sections, *notes],
        )
        answer.answer = answer_text(answer)
        return answer


SUMMARY_CHARS = 320  # at most this much of an explanation makes the one-or-two-sentence summary


def first_sentences(text: str, limit: int = SUMMARY_CHARS) -> str:
    """The first two sentences of ``text`` (one when two would pass ``limit``)."""
    text = re.sub(r"\s+", " ", text).strip()
    sentences = re.split(r"(?<=[.!?])\s+(?=[A-Z0-9(\"“])", text)
    summary = sentences[0]
    if len(sentences) > 1 and len(summary) + 1 + len(sentences[1]) <= limit:
        summary = f"{summary} {sentences[1]}"
    return _excerpt(summary, limit)


def pack_text(item: object, name: str, en: bool) -> str:
    """A pack field in the answer's language: ``<name>_en`` for English when the pack has it."""
    english = getattr(item, f"{name}_en", None) if en else None
    return str(english or getattr(item, name) or "")


def _ruling_sections(ruling: Ruling, explanation: str, en: bool) -> list[Section]:
    """Why (and whether) the ruling's verdict holds, its conditions and whom it binds."""
    sections = []
    if ruling.unsettled:
        sections.append(Section(kind="unsettled", text=pack_text(ruling, "unsettled", en)))
    sections.append(Section(kind="explanation", text=explanation.strip()))
    if ruling.unsettled:
        sections.append(Section(kind="cautious", verdict=Verdict(ruling.verdict)))
    if ruling.conditions:
        conditions = pack_text(ruling, "conditions", en).strip()
        sections.append(Section(kind="conditions", text=conditions))
    sections.append(Section(kind="scope", text=_scope_text(ruling, en)))
    return sections


def _sanctions(ruling: Ruling, en: bool) -> list[str]:
    sanction = pack_text(ruling, "sanction", en)
    if not sanction:
        return []
    if ruling.sanction_by:
        by = pack_text(ruling, "sanction_by", en)
        return [phrases.SANCTION_IMPOSED_BY.format(en, sanction=sanction, by=by)]
    return [sanction]


def _distinct(parts: list[PartResult]) -> list[PartResult]:
    """Parts that resolved to the same ruling are one question asked twice: keep the first."""
    seen: set[str] = set()
    kept = []
    for part in parts:
        if part.ruling_id and part.ruling_id in seen:
            continue
        if part.ruling_id:
            seen.add(part.ruling_id)
        kept.append(part)
    return kept


def _scope(ruling: Ruling) -> tuple[frozenset[str], frozenset[str], frozenset[str]]:
    return (
        frozenset(a.value for a in ruling.applies_to),
        frozenset(ruling.election),
        frozenset(ruling.stage),
    )


def _scope_text(ruling: Ruling, en: bool) -> str:
    """Whom, which elections, which stage and when a ruling holds for ("PNS, CPNS; Pemilu")."""
    who = ", ".join(a.value for a in ruling.applies_to)
    when = " & ".join(e.capitalize() for e in ruling.election)
    stages = ", ".join(phrases.STAGE[s].text(en) for s in ruling.stage if s in phrases.STAGE)
    return "; ".join(x for x in (who, when, stages, pack_text(ruling, "period", en)) if x)


def _best_point(tokens: Callable[[str], list[str]], text: str, points: list[str]) -> str:
    query = set(tokens(text))
    return max(points, key=lambda p: len(query & set(tokens(p))))


def _excerpt(text: str, limit: int = 280) -> str:
    text = re.sub(r"\s+", " ", text).strip()
    return text if len(text) <= limit else text[: limit - 1].rsplit(" ", 1)[0] + "…"


def _level_key(label: str) -> list[tuple[int, str]]:
    return [(int(x), "") if x.isdigit() else (0, x) for x in re.findall(r"\d+|[a-z]+", label)]


__all__ = ["Composer", "Evidence", "Hit", "PartResult", "RulingScore", "pack_text"]
