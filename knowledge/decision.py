"""Choosing the ruling that answers a question: retrieval proposes, the situation disposes.

Retrieval ranks catalogue rulings by how much their phrasings resemble the question. That is a
good proposal and a poor judge: "bagikan postingan KPU" resembles "bagikan postingan caleg", and
"datang ke nikahan anak caleg" resembles "datang ke kampanye caleg". So the decision:

1. drops candidates that contradict the situation (a ruling about candidates' content for a
   question about the election organisers' content; an ASN-only ruling for a retiree);
2. keeps only candidates that hold an act the question names (when it names one). If none does,
   the catalogue does not cover the act and Netra says it cannot determine it — never a
   confident ruling about something else;
3. prefers, among what is left, rulings made for the specific situation the question names
   (a candidate in the family, an incumbent acting as an official, a public-service duty, an ad
   hoc election body, a non-ASN actor).

All tuning lives in :class:`DecisionConfig`.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Protocol

from knowledge.models import Audience, Ruling
from knowledge.situation import (
    NON_ASN_ACTORS,
    OFFICIAL_ACTORS,
    Lexicon,
    RulingFacets,
    Situation,
)

NEUTRAL_TARGETS = frozenset({"organiser", "neutral"})
PARTISAN_TARGETS = frozenset(
    {"candidate", "party", "family_candidate", "self_candidate", "incumbent_official"}
)
# Targets, roles and actors specific enough that a ruling made for them beats a general one.
SPECIFIC_TARGETS = frozenset(
    {
        "family_candidate",
        "incumbent_official",
        "organiser",
        "neutral",
        "self_candidate",
        "official_content",
    }
)
SPECIFIC_ROLES = frozenset({"public_service", "adhoc_body"})
PERMISSIVE = frozenset({"boleh", "boleh_bersyarat"})
# Acts that are about the procedure around a violation rather than the conduct itself.
PROCEDURE_ACTS = frozenset(
    {"report", "appeal", "supervisor_ignores", "repeat_offence", "neutrality_duty"}
)
# Procedure acts that are a step the asker takes, which only their own rulings answer ("sy diemin
# aja": a superior who ignores a breach), unlike the duty itself or reporting, which the composer
# adds to any answer.
STEP_ACTS = frozenset({"appeal", "supervisor_ignores", "repeat_offence"})


@dataclass(frozen=True)
class DecisionConfig:
    """Named tuning of the decision (one place; see the module docstring)."""

    # How many of retrieval's best rulings the decision considers.
    candidates: int = 12
    # Whether a question naming an act no candidate holds is answered "cannot determine".
    abstain_when_act_not_covered: bool = True
    # At most this many rulings made for the question's specific circumstances are moved to the
    # front (in retrieval's order).
    specific_within: int = 3
    # Whether a "may I" question that names no act at all ("Persib menang?", "kapan pengumuman
    # PPPK?") is left unanswered unless it is phrased almost exactly like a catalogue example among the
    # first ``near_exact_within`` candidates: a verdict is always about an act.
    abstain_without_act: bool = True
    near_exact_within: int = 3
    # The least confidence an answer needs when its ruling holds every act of conduct the
    # question names (otherwise Settings.min_confidence): the situation vouches for it.
    explained_min_confidence: float = 0.1
    # How many further rulings, of the best one's verdict, may add their articles for acts of
    # conduct the best ruling does not hold.
    also_answering: int = 2
    # Whether a permission that leaves an act of conduct in the question unexplained, with no
    # prohibition holding that act either, is left unanswered rather than given: Netra never
    # permits what it cannot account for.
    abstain_when_permission_unexplained: bool = True


class Scored(Protocol):
    @property
    def ruling(self) -> Ruling: ...


@dataclass(frozen=True)
class Decision:
    """The candidates left after the situation checks, best first, and why any were dropped."""

    kept: list[Scored]
    not_covered: bool = False
    dropped: tuple[str, ...] = ()

    @property
    def best(self) -> Scored | None:
        return self.kept[0] if self.kept else None


def _non_asn(ruling: Ruling) -> bool:
    return Audience.NON_ASN in ruling.applies_to


def contradicts(ruling: Ruling, facets: RulingFacets, situation: Situation) -> bool:
    """Whether the ruling is about a different situation than the question's."""
    if not facets.applies_to(situation):
        return True  # a permission for family of a candidate, for a retiree, for KPU content ...
    if situation.non_asn and not _non_asn(ruling):
        return True
    if facets.actors and situation.actor and situation.actor not in facets.actors:
        return True  # a ruling about retirees for an honorer, about CPNS for a PNS
    if facets.actors & OFFICIAL_ACTORS and situation.actor not in facets.actors:
        return True  # a regional head's ruling needs a regional head
    if facets.actors and facets.actors <= NON_ASN_ACTORS and situation.actor not in facets.actors:
        return True  # a retiree's ruling needs a retiree: "pensiun bulan depan" is still ASN
    if (
        situation.actor in {"pns", "cpns", "pppk"}
        and _non_asn(ruling)
        and len(ruling.applies_to) == 1
    ):
        return True
    if (
        situation.target in NEUTRAL_TARGETS
        and facets.targets
        and not facets.targets & NEUTRAL_TARGETS
        and ruling.answered_verdict in PERMISSIVE
    ):
        return True  # a permission about candidates' content is not one about KPU's
    # (A prohibition is not dropped here for a neutral object: the situation reader already reads
    # "jingle kampanye paslon, ga nyebut nama" as a candidate's. A prohibition of partisan acts
    # only cannot override the permission made for neutral content: see ``_partisan_only``.)
    return bool(
        situation.target in PARTISAN_TARGETS
        and facets.targets
        and facets.targets <= NEUTRAL_TARGETS
    )


def covers(facets: RulingFacets, situation: Situation, lexicon: Lexicon) -> bool:
    """Whether the ruling holds an act the question names (or one of the same family). When the
    question names conduct, only that conduct counts: a ruling that shares just the scene ("di
    kantor", "jam kerja") with it is about something else."""
    if not situation.acts:
        return True
    wanted = (conduct(situation, lexicon) | (situation.acts & STEP_ACTS)) or situation.acts
    if facets.acts & wanted:
        return True
    families = {f for act in wanted for f in lexicon.family_of(act)}
    return any(lexicon.family_of(act) & families for act in facets.acts)


def conduct(situation: Situation, lexicon: Lexicon) -> frozenset[str]:
    """The acts of the question that are conduct to judge, not scene or procedure."""
    if situation.asks == "may_i_report":
        # "Boleh saya lapor atasan yang kampanye?" asks about reporting; the campaigning is the
        # reported person's conduct, not the asker's.
        return frozenset({"report"})
    if situation.asks == "implicated":
        # "Suami sy ketua DPC, apa sy ikut melanggar?": the relative's activity is theirs; the
        # question is whether it implicates the asker.
        return frozenset({"relative_active"})
    scene = lexicon.families.get("contextual", frozenset())
    return situation.acts - scene - PROCEDURE_ACTS


def explains(facets: RulingFacets, situation: Situation, lexicon: Lexicon) -> bool:
    """Whether a ruling holds every act of conduct the question names."""
    return conduct(situation, lexicon) <= facets.acts


def explained_by(facets: RulingFacets, situation: Situation, lexicon: Lexicon) -> bool:
    """Whether a ruling accounts for the question: it holds every act of conduct the question
    names, or, for a question that names only the scene ("can civil servants vote?"), every act
    the question names (procedure aside)."""
    if conduct(situation, lexicon):
        return explains(facets, situation, lexicon)
    scene = situation.acts - PROCEDURE_ACTS
    return bool(scene) and scene <= facets.acts


def _specific(situation: Situation) -> list[Callable[[Ruling, RulingFacets], bool]]:
    """Tests for rulings made for the specific circumstances the question names."""
    tests: list[Callable[[Ruling, RulingFacets], bool]] = []
    if situation.target in SPECIFIC_TARGETS:
        target = situation.target
        # A neutral object is specific only to a ruling about neutral objects: a partisan ruling
        # whose examples say "tanpa nyebut nama" once is not made for KPU content.
        neutral = target in NEUTRAL_TARGETS
        tests.append(
            lambda _r, f: (
                target in f.requires.get("targets", ())
                or (target in f.targets and not (neutral and f.targets - NEUTRAL_TARGETS))
            )
        )
    if situation.role in SPECIFIC_ROLES:
        role = situation.role
        tests.append(lambda _r, f: role in f.roles or role in f.acts)
    if situation.non_asn:
        tests.append(lambda r, _f: _non_asn(r))
    if situation.actor in OFFICIAL_ACTORS:
        actor = situation.actor
        tests.append(lambda _r, f: actor in f.actors)
    return tests


def decide(
    ranked: Sequence[Scored],
    situation: Situation,
    facets: Mapping[str, RulingFacets],
    lexicon: Lexicon,
    config: DecisionConfig,
    further: Callable[[], Sequence[Scored]] | None = None,
) -> Decision:
    """Filter and order retrieval's candidates by the situation (see the module docstring).
    ``further`` gives the catalogue's rulings that retrieval did not propose, closest first."""
    dropped: list[str] = []

    def beyond() -> list[Scored]:
        """Retrieval's candidates past the first ones, then the rest of the catalogue."""
        return [*ranked[config.candidates :], *(further() if further else ())]

    if _without_act(situation, ranked, config):
        return Decision([], dropped=("no act named",))
    kept = [s for s in ranked[: config.candidates] if _fits(s, situation, facets, lexicon, dropped)]
    if situation.target in NEUTRAL_TARGETS or any(
        s.ruling.answered_verdict in PERMISSIVE for s in kept
    ):
        # A ban for candidates or parties does not outweigh a permission in a question that directs
        # nothing at any ("ikut pelatihan Bawaslu hari Sabtu" is not campaigning on a day off),
        # and never answers one about the organisers' or neutral content (a KPU debate is not a
        # campaign rally): then no ruling may be left, and Netra says it cannot determine it.
        banned = [s for s in kept if _bans_partisan_only(s, situation, facets, lexicon)]
        dropped += [f"{s.ruling.id}: no partisan object" for s in banned]
        kept = [s for s in kept if s not in banned]
    kept = _reported_conduct_first(kept, situation, facets)
    if not kept:
        # None of the first candidates holds an act of the question: one further down that holds
        # one itself (not only one of its family) answers. Retrieval ranks by wording, and a short
        # or English question can word an act unlike its ruling's examples ("can a civil servant
        # volunteer for a candidate?"). Past retrieval's list, the rest of the catalogue (closest
        # first): which ruling holds the act is a fact of the catalogue, not of the wording.
        kept = _holding_situation(beyond(), situation, facets, lexicon)
    if not kept:
        not_covered = bool(situation.acts) and config.abstain_when_act_not_covered
        return Decision([], not_covered=not_covered, dropped=tuple(dropped))
    kept = _holders_first(kept, beyond, situation, facets, lexicon)
    kept = _narrow_first(kept, situation, facets, lexicon)
    if further is not None and not _made_for(facets[kept[0].ruling.id], situation, lexicon):
        # Retrieval proposed no ruling made for the situation: one further down, or elsewhere
        # in the catalogue, whose stated condition the question names still answers.
        kept = _put_first(_named_for(beyond(), situation, facets, lexicon), kept)
    kept = _specific_first(kept, ranked, situation, facets, lexicon, config, further)
    # Last, so that no preference above can put a permission in front of a prohibition that
    # answers an act the permission does not explain.
    kept = _no_permission_by_default(
        kept, lambda: [*ranked[: config.candidates], *beyond()], situation, facets, lexicon
    )
    best = kept[0]
    if (
        config.abstain_when_permission_unexplained
        and best.ruling.answered_verdict in PERMISSIVE
        and not _permitted_together(kept, situation, facets, lexicon)
    ):
        return Decision([], not_covered=True, dropped=(*dropped, f"{best.ruling.id}: unexplained"))
    return Decision(kept, dropped=tuple(dropped))


def also_answering(
    kept: Sequence[Scored],
    situation: Situation,
    facets: Mapping[str, RulingFacets],
    limit: int,
) -> list[Scored]:
    """Rulings of the best one's verdict that answer the acts of conduct it does not hold ("pakai
    mobil dinas ke kampanye": attending a campaign, and using an official car): their articles
    belong in the answer too. Scene acts count here (the car is a scene for the decision, but an
    article of its own for the answer). At most ``limit``, in the decision's order."""
    if not kept:
        return []
    best = kept[0]
    left = situation.acts - PROCEDURE_ACTS - facets[best.ruling.id].acts
    found: list[Scored] = []
    for scored in kept[1:]:
        held = facets[scored.ruling.id].acts & left
        if held and scored.ruling.answered_verdict == best.ruling.answered_verdict:
            found.append(scored)
            left -= held
        if not left or len(found) >= limit:
            break
    return found


def _reported_conduct_first(
    kept: list[Scored], situation: Situation, facets: Mapping[str, RulingFacets]
) -> list[Scored]:
    """A "where do I report X?" question is answered with what the law says of X; where to
    report is added by the composer. A ruling about reporting as such would hide X's verdict."""
    reported = situation.acts - PROCEDURE_ACTS
    if situation.asks != "report" or not reported:
        return kept
    return [s for s in kept if facets[s.ruling.id].acts & reported] or kept


def _holding(
    ranked: Sequence[Scored],
    acts: frozenset[str],
    situation: Situation,
    facets: Mapping[str, RulingFacets],
    lexicon: Lexicon,
) -> list[Scored]:
    """The candidates, in order, that hold one of ``acts`` and fit the situation."""
    return [
        s
        for s in ranked
        if facets[s.ruling.id].acts & acts and _fits(s, situation, facets, lexicon, [])
    ]


def _holding_situation(
    ranked: Sequence[Scored],
    situation: Situation,
    facets: Mapping[str, RulingFacets],
    lexicon: Lexicon,
) -> list[Scored]:
    """The candidates, in order, that hold the question's acts of conduct; for a question that
    names only the scene ("can civil servants vote?", "datang ke kondangan anak caleg?"), those
    that hold every act it names, since any ruling may mention a scene in passing."""
    named = conduct(situation, lexicon)
    if named:
        return _holding(ranked, named, situation, facets, lexicon)
    scene = situation.acts - PROCEDURE_ACTS
    holding = [
        s
        for s in _holding(ranked, scene, situation, facets, lexicon)
        if explained_by(facets[s.ruling.id], situation, lexicon)
    ]
    # The ruling about the scene itself first: one about discriminating by voters' choices also
    # names a political preference, but "dalam hati dukung capres" is about the preference.
    return sorted(holding, key=lambda s: len(facets[s.ruling.id].acts - scene))


def _without_act(situation: Situation, ranked: Sequence[Scored], config: DecisionConfig) -> bool:
    """A may-I question naming no act, and not phrased almost exactly like a catalogue example."""
    if situation.acts or not config.abstain_without_act or situation.asks != "may_i":
        return False
    return not any(_near_exact(s) for s in ranked[: config.near_exact_within])


def _near_exact(scored: Scored) -> bool:
    """Whether retrieval found the question phrased almost exactly like one of the ruling's
    examples (its ``near_exact`` bonus; candidates without one never are)."""
    return float(getattr(scored, "near_exact", 0.0)) > 0.0


def _holders_first(
    kept: list[Scored],
    beyond: Callable[[], Sequence[Scored]],
    situation: Situation,
    facets: Mapping[str, RulingFacets],
    lexicon: Lexicon,
) -> list[Scored]:
    """When the best candidate shares only an act's family with the conduct the question names
    ("candidacy" and CLTN), the first candidate that holds a named act itself goes in front; when none does, the
    closest ruling further down or elsewhere in the catalogue that does. Why: whether the first
    candidates hold the act depends on wording at the edge of retrieval's list (a question mark
    moved "can a PNS run for regent?" from the candidacy rulings to the CLTN one), while which
    ruling holds an act is a fact of the catalogue."""
    named = conduct(situation, lexicon)
    if not named or facets[kept[0].ruling.id].acts & named:
        return kept
    holders = _holding(kept, named, situation, facets, lexicon)
    if not holders:
        holders = _holding(beyond(), named, situation, facets, lexicon)
    return _put_first(holders[0] if holders else None, kept)


def _narrow_first(
    kept: list[Scored],
    situation: Situation,
    facets: Mapping[str, RulingFacets],
    lexicon: Lexicon,
) -> list[Scored]:
    """A ruling made for exactly this situation answers it (see :func:`_made_for`)."""
    made_for = (s for s in kept if _made_for(facets[s.ruling.id], situation, lexicon))
    return _put_first(next(made_for, None), kept)


def _made_for(ruling_facets: RulingFacets, situation: Situation, lexicon: Lexicon) -> bool:
    """Whether a ruling is made for exactly this situation: it states when it applies
    (``requires_*``), applies here, and holds every act of conduct the question names ("istri
    saya caleg, boleh saya tetap nyoblos?" is the right to vote, not the spouse's campaign; a
    party's wing organisation is not the party, whatever the general membership ban says).
    A question that names only the scene (voting, an office, talk) gives a permission no conduct
    to explain: then it must hold every act the question names ("boleh nyoblos di TPS?" is the
    right to vote; "my supervisor told the office, vote for X" is not); procedure aside unless
    the question is about violations ("may I vote, or does my neutrality duty forbid it?" is the
    vote; "list the violations and their basis" is the duty)."""
    if not ruling_facets.requires:
        return False
    if not conduct(situation, lexicon):
        named = situation.acts if _about_violations(situation) else situation.acts - PROCEDURE_ACTS
        return named <= ruling_facets.acts
    return explains(ruling_facets, situation, lexicon)


def _specific_first(
    kept: list[Scored],
    ranked: Sequence[Scored],
    situation: Situation,
    facets: Mapping[str, RulingFacets],
    lexicon: Lexicon,
    config: DecisionConfig,
    further: Callable[[], Sequence[Scored]] | None,
) -> list[Scored]:
    """Rulings made for the specific circumstances the question names go first. They are worth
    looking for further down than the general candidates: retrieval ranks by wording, and the
    wording is the general act's. Past retrieval's list, only a ruling made for exactly this
    situation (:func:`_made_for`) is taken from the rest of the catalogue."""
    for test in _specific(situation):
        specific = [
            s
            for s in ranked
            if test(s.ruling, facets[s.ruling.id]) and _fits(s, situation, facets, lexicon, [])
        ]
        if not specific and further is not None:
            specific = [
                s
                for s in further()
                if test(s.ruling, facets[s.ruling.id])
                and _made_for(facets[s.ruling.id], situation, lexicon)
                and _fits(s, situation, facets, lexicon, [])
            ]
        specific = specific[: config.specific_within]
        # Among them, the ruling that holds more of the acts the question names fits it better.
        specific.sort(key=lambda s: -len(facets[s.ruling.id].acts & situation.acts))
        if specific:
            kept = specific + [s for s in kept if s not in specific]
    return kept


def _put_first(scored: Scored | None, kept: list[Scored]) -> list[Scored]:
    """``kept`` with ``scored`` (when there is one) moved or added to the front."""
    if scored is None:
        return kept
    return [scored] + [s for s in kept if s.ruling.id != scored.ruling.id]


def _named_for(
    candidates: Sequence[Scored],
    situation: Situation,
    facets: Mapping[str, RulingFacets],
    lexicon: Lexicon,
) -> Scored | None:
    """The first ruling among ``candidates`` made for this situation whose stated condition the
    question names ("rotasi pejabat dengan persetujuan tertulis Mendagri"): the condition is in the
    words, so it answers however its examples are worded. A condition is a required act that no
    prohibition among ``candidates`` holds: "izinkan" is required by the permission to lend
    facilities to every campaign alike, but deciding in a candidate's favour is a prohibited act,
    not a condition."""
    prohibited = frozenset().union(
        *(facets[s.ruling.id].acts for s in candidates if s.ruling.answered_verdict == "dilarang")
    )
    for scored in candidates:
        ruling_facets = facets[scored.ruling.id]
        required = ruling_facets.requires.get("acts", frozenset())
        if (
            (required & situation.acts) - prohibited
            and _made_for(ruling_facets, situation, lexicon)
            and _fits(scored, situation, facets, lexicon, [])
        ):
            return scored
    return None


def _no_permission_by_default(
    kept: list[Scored],
    candidates: Callable[[], Sequence[Scored]],
    situation: Situation,
    facets: Mapping[str, RulingFacets],
    lexicon: Lexicon,
) -> list[Scored]:
    """A permission for one part of a question does not license another part: when the best
    ruling permits, and the question names an act that the permitting ruling does not hold but a
    prohibiting candidate does ("datang deklarasi lalu salam dua jari"), the prohibition answers.
    Why: telling someone a prohibited act is allowed is the worst error Netra can make."""
    best = kept[0]
    if best.ruling.answered_verdict not in PERMISSIVE:
        return kept
    unexplained = conduct(situation, lexicon) - facets[best.ruling.id].acts
    if not unexplained:
        return kept
    # Looked for in all of retrieval's candidates, then the rest of the catalogue: the permitting
    # ruling's wording may have pushed the prohibition down or out.
    prohibiting = [
        s
        for s in _holding(candidates(), unexplained, situation, facets, lexicon)
        if s is not best
        and s.ruling.answered_verdict == "dilarang"
        and not _partisan_only(facets[s.ruling.id], situation, lexicon)
    ]
    return _put_first(prohibiting[0] if prohibiting else None, kept)


def _permitted_together(
    kept: Sequence[Scored],
    situation: Situation,
    facets: Mapping[str, RulingFacets],
    lexicon: Lexicon,
) -> bool:
    """Whether every act of conduct in the question is held by a permission that applies to it
    ("like dan share postingan KPU yang ngajak ke TPS": sharing the organisers' content and
    inviting people to vote are each permitted). No prohibition holds any of them by now: one
    would have been put first (``_no_permission_by_default``)."""
    held: set[str] = set()
    for scored in kept:
        if scored.ruling.answered_verdict in PERMISSIVE:
            held |= facets[scored.ruling.id].acts
    return conduct(situation, lexicon) <= held


def _bans_partisan_only(
    scored: Scored, situation: Situation, facets: Mapping[str, RulingFacets], lexicon: Lexicon
) -> bool:
    """A prohibition that holds only for partisan objects, in a question that names none. A
    question about neutrality's duty, procedure, sanctions or basis is about violations as such."""
    return (
        scored.ruling.answered_verdict == "dilarang"
        and not (situation.acts & PROCEDURE_ACTS or _about_violations(situation))
        and _partisan_only(facets[scored.ruling.id], situation, lexicon)
    )


def _about_violations(situation: Situation) -> bool:
    """Whether the question asks about violations as such: their sanction, basis or reporting."""
    return situation.asks in ("sanction", "basis", "report")


def _partisan_only(facets: RulingFacets, situation: Situation, lexicon: Lexicon) -> bool:
    """A prohibition of an act done for candidates or parties, in a question that directs no act
    at any: its object is the organisers' or a neutral one (a KPU "jalan sehat" is not a campaign
    rally), or it names no candidate or party and no act that is partisan in itself (the
    ``partisan`` family: campaigning, party membership, declaring support ...). "Jadi narasumber
    seminar demokrasi" is speaking, and the ban on speaking at campaigns cannot speak to it."""
    if not (facets.targets and facets.targets <= PARTISAN_TARGETS):
        return False
    if situation.target in NEUTRAL_TARGETS:
        return True
    partisan_acts = lexicon.families.get("partisan", frozenset())
    return situation.target is None and not situation.acts & partisan_acts


def _fits(
    scored: Scored,
    situation: Situation,
    facets: Mapping[str, RulingFacets],
    lexicon: Lexicon,
    dropped: list[str],
) -> bool:
    ruling_facets = facets[scored.ruling.id]
    if contradicts(scored.ruling, ruling_facets, situation):
        dropped.append(f"{scored.ruling.id}: situation")
        return False
    if not covers(ruling_facets, situation, lexicon):
        dropped.append(f"{scored.ruling.id}: act")
        return False
    if _outside_regime(ruling_facets, situation, lexicon):
        dropped.append(f"{scored.ruling.id}: regime")
        return False
    return True


def _outside_regime(facets: RulingFacets, situation: Situation, lexicon: Lexicon) -> bool:
    """Whether the question is under a law of its own (a village-head election is governed by the
    Villages law, not by the Pemilu and Pilkada rules) that the ruling does not hold: the general
    bans name candidates for President, parliament and regional head, so they cannot answer it."""
    regime = situation.acts & lexicon.families.get("own_regime", frozenset())
    return bool(regime) and not regime <= facets.acts
