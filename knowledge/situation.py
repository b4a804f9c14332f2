"""A message read as a typed situation: who acts, what they do, for whom, in which role, and what
the message asks for.

Why: a verdict depends on the facts of the situation, not on which catalogue example a question
happens to resemble. "Membagikan postingan KPU" and "membagikan postingan caleg" share the act and
differ in the object; "melayani caleg di puskesmas" is a public duty, not support. The vocabulary
lives in ``knowledge/data/situation.yaml``; the same vocabulary reads every ruling's act and
example phrasings, so each ruling declares the facets it holds for (see :func:`ruling_facets`), and
the decision (``knowledge/decision.py``) drops candidate rulings that contradict the situation.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from functools import cached_property, lru_cache
from pathlib import Path
from typing import Any

import yaml

from knowledge.lexicon import load_word_lists
from knowledge.models import Ruling
from knowledge.normalise import normalise
from knowledge.text import fold

SINGLE_FACETS = ("actor", "target", "role", "asks")
NON_ASN_ACTORS = frozenset({"pensiunan", "honorer", "pelamar", "tni_polri", "warga"})
ASN_ACTORS = frozenset({"pns", "cpns", "pppk"})
# Regional heads are elected officials, not ASN; a ruling about them needs them named, while an
# ASN ruling stays open to a question that names one ("bupati minta kami memutasi pejabat").
OFFICIAL_ACTORS = frozenset({"kepala_daerah"})
SPECIFIC_ACTORS = NON_ASN_ACTORS | OFFICIAL_ACTORS | {"cpns", "pppk"}
# A ruling holds an act named in its act text, or in at least this share of its examples (one
# example alone mentioning "kantor" does not make a ruling about office facilities).
EXAMPLE_SHARE_FOR_ACT = 0.25
EXAMPLE_SHARE_FOR_TARGET = 0.2
# Families that mark scope only: their members do not stand for one another.
SCOPE_FAMILIES = frozenset({"election_only", "contextual", "own_regime", "partisan"})
# How far after an absorbing act's words an absorbed act still belongs to it ("ngajak tetangga
# satu RT milih dia").
ABSORB_CHARS = 40
# Targets that are a partisan object as such (a neutral message is one that names none).
PARTISAN_OBJECTS = frozenset({"candidate", "party"})
# Facets a ruling may require of the situation (``requires_<name>`` in its explicit facets).
REQUIRABLE = ("actors", "targets", "roles", "acts")


@dataclass(frozen=True)
class Lexicon:
    """Compiled situation vocabulary: facet -> value -> patterns, and act families."""

    single: Mapping[str, tuple[tuple[str, tuple[re.Pattern[str], ...]], ...]]
    acts: Mapping[str, tuple[re.Pattern[str], ...]]
    families: Mapping[str, frozenset[str]]
    # act -> acts that a mention of it takes in when they follow right after it (``absorbs``).
    absorbs: Mapping[str, frozenset[str]] = field(default_factory=dict)
    # abbreviation -> the word it stands for ("jd" -> "jadi"; single-word slang of lexicon.yaml).
    abbreviations: Mapping[str, str] = field(default_factory=dict)
    # Markers of an act told as background, and the acts (with the ask, or "any") that make such
    # acts leave the situation (``background`` in situation.yaml).
    background_markers: tuple[re.Pattern[str], ...] = ()
    background_undone_by: Mapping[str, str] = field(default_factory=dict)
    # What, before a status in its clause, says the status is another person's (``others_clause``).
    others_clause: tuple[re.Pattern[str], ...] = ()
    # What, just before a status, makes it a comparison that names no actor (``comparison``).
    comparison: tuple[re.Pattern[str], ...] = ()
    # ask -> acts a question with that ask also names (``asks_imply``: the lawful route resigns).
    asks_imply: Mapping[str, frozenset[str]] = field(default_factory=dict)
    # Words whose "-nya" the spelled-out reading keeps attached (``enclitic_kept``).
    enclitic_kept: frozenset[str] = frozenset()
    # Acts that describe another person when these words precede them (``described``).
    described_acts: frozenset[str] = frozenset()
    described_before: tuple[re.Pattern[str], ...] = ()
    described_after: tuple[re.Pattern[str], ...] = ()
    # Acts that, held inwardly ("dukung dalam hati"), are not done at all (``inward``).
    inward_acts: frozenset[str] = frozenset()
    inward_markers: tuple[re.Pattern[str], ...] = ()
    # Words just before an act that make it the category the asker asks about, not an act they
    # do ("nonton debat, jangan-jangan itu dihitung ikut kampanye?") (``classified``).
    classified_before: tuple[re.Pattern[str], ...] = ()
    # Events that the election organisers hold are not campaigns ("jalan sehat yg diadain KPU")
    # when these words follow them (``organiser_hosted``).
    hosted_acts: frozenset[str] = frozenset()
    hosted_after: tuple[re.Pattern[str], ...] = ()
    # Acts that are another person's when every mention sits in a clause headed by that person
    # ("kakak sy nyaleg"), once the message names an act of the asker's too (``others_acts``).
    others_acts: frozenset[str] = frozenset()
    # Words just before an act that make it the subject matter of teaching or socialisation
    # ("sosialisasi netralitas, materinya larangan kampanye"), and the acts that must be named
    # for them to count (``topic``).
    topic_before: tuple[re.Pattern[str], ...] = ()
    topic_with: frozenset[str] = frozenset()

    def spell_out(self, text: str) -> str:
        """``text`` with every abbreviation replaced by the word it stands for, and the enclitic
        "-nya" set apart from a long word ("gambar capresnya" names a candidate)."""
        spelled = _WORD.sub(lambda m: self.abbreviations.get(m.group(), m.group()), text)
        return _ENCLITIC.sub(
            lambda m: m.group() if m.group(1) in self.enclitic_kept else f"{m.group(1)} nya",
            spelled,
        )

    @cached_property
    def vocabulary(self) -> dict[str, frozenset[str]]:
        """Every value each facet can take (read once: the pack validator checks every ruling's
        explicit facets against it)."""
        return {
            "acts": frozenset(self.acts),
            "targets": frozenset(v for v, _ in self.single["target"]),
            "roles": frozenset(v for v, _ in self.single["role"]),
            "actors": frozenset(v for v, _ in self.single["actor"]),
        }

    def family_of(self, act: str) -> frozenset[str]:
        """The families in which ``act`` stands for its fellow members (scope-only families such
        as ``election_only`` group acts by where they occur, not by what they mean)."""
        return frozenset(
            name
            for name, members in self.families.items()
            if act in members and name not in SCOPE_FAMILIES
        )


@dataclass(frozen=True)
class Situation:
    """What a message says about the act it asks about (``None``: the message does not say)."""

    actor: str | None = None
    target: str | None = None
    role: str | None = None
    asks: str = "may_i"
    acts: frozenset[str] = field(default_factory=frozenset)

    @property
    def non_asn(self) -> bool:
        return self.actor in NON_ASN_ACTORS


@dataclass(frozen=True)
class RulingFacets:
    """The situations a ruling holds for; an empty set means the ruling does not restrict it."""

    acts: frozenset[str]
    targets: frozenset[str]
    roles: frozenset[str]
    actors: frozenset[str]
    # When the ruling applies at all (explicit ``requires_*`` facets; a permission is narrow):
    # facet -> the values one of which the situation must show ("none": the message names none).
    requires: Mapping[str, frozenset[str]] = field(default_factory=dict)
    # Acts that show the ruling's condition is not met (explicit ``excludes_acts``): a permission
    # to lend a hall to every participant says nothing of lending it to one and refusing another.
    excludes: frozenset[str] = frozenset()

    def applies_to(self, situation: Situation) -> bool:
        """Whether the situation shows what the ruling requires (every ``requires_*`` facet) and
        nothing it excludes."""
        if situation.acts & self.excludes:
            return False
        shown: dict[str, frozenset[str]] = {
            "actors": frozenset({situation.actor or "none"}),
            "targets": frozenset({situation.target or "none"}),
            "roles": frozenset({situation.role or "none"}),
            "acts": situation.acts,
        }
        return all(shown[name] & values for name, values in self.requires.items())


def _compile(patterns: Iterable[str]) -> tuple[re.Pattern[str], ...]:
    return tuple(re.compile(p) for p in patterns)


_WORD = re.compile(r"[\w-]+")
# "-nya" after a stem of at least four letters ("capresnya", "partainya"; not "hanya", "punya").
_ENCLITIC = re.compile(r"\b(\w{4,}?)nya\b")


def load_lexicon(path: Path, slang: Mapping[str, str] | None = None) -> Lexicon:
    """Read ``situation.yaml`` (a pack file: adding a word is a data edit); ``slang`` (from
    ``lexicon.yaml``) supplies the abbreviations, its entries that stand for one word."""
    with path.open(encoding="utf-8") as handle:
        raw: dict[str, Any] = yaml.safe_load(handle)
    single = {
        facet: tuple((value, _compile(patterns)) for value, patterns in raw[facet].items())
        for facet in SINGLE_FACETS
    }
    acts = {act: _compile(patterns) for act, patterns in raw["acts"].items()}
    families = {name: frozenset(members) for name, members in raw.get("families", {}).items()}
    absorbs = {act: frozenset(others) for act, others in raw.get("absorbs", {}).items()}
    background = raw.get("background", {})
    undone_by = dict(background.get("undone_by", {}))
    asks_imply = {ask: frozenset(implied) for ask, implied in raw.get("asks_imply", {}).items()}
    inward = raw.get("inward", {})
    described = raw.get("described", {})
    hosted = raw.get("organiser_hosted", {})
    topic = raw.get("topic", {})
    named = set().union(*families.values(), *absorbs.values(), *asks_imply.values())
    _check_acts_known(path, set(acts), named | set(absorbs) | set(undone_by), raw)
    abbreviations = {
        short: word
        for short, word in (slang or {}).items()
        if short != word and len(word.split()) == 1 and word
    }
    return Lexicon(
        single,
        acts,
        families,
        absorbs,
        abbreviations,
        background_markers=_compile(background.get("markers", ())),
        background_undone_by=undone_by,
        others_clause=_compile(raw.get("others_clause", ())),
        comparison=_compile(raw.get("comparison", ())),
        asks_imply=asks_imply,
        enclitic_kept=frozenset(raw.get("enclitic_kept", ())),
        described_acts=frozenset(described.get("acts", ())),
        described_before=_compile(described.get("before", ())),
        described_after=_compile(described.get("after", ())),
        inward_acts=frozenset(inward.get("acts", ())),
        inward_markers=_compile(inward.get("markers", ())),
        classified_before=_compile(raw.get("classified", {}).get("before", ())),
        hosted_acts=frozenset(hosted.get("acts", ())),
        hosted_after=_compile(hosted.get("after", ())),
        others_acts=frozenset(raw.get("others_acts", ())),
        topic_before=_compile(topic.get("before", ())),
        topic_with=frozenset(topic.get("with_acts", ())),
    )


def _check_acts_known(path: Path, acts: set[str], named: set[str], raw: Mapping[str, Any]) -> None:
    """Every act a section of ``situation.yaml`` names must be defined under ``acts``."""
    named |= set(raw.get("others_acts", ()))
    for section, key in (
        ("inward", "acts"),
        ("described", "acts"),
        ("organiser_hosted", "acts"),
        ("topic", "with_acts"),
    ):
        named |= set(raw.get(section, {}).get(key, ()))
    if unknown := named - acts:
        raise ValueError(
            f"{path.name}: families, absorbs, background, asks_imply, inward, described, "
            f"organiser_hosted or topic name unknown acts: {sorted(unknown)}"
        )


@lru_cache(maxsize=4)
def lexicon_for(pack_dir: Path) -> Lexicon:
    return load_lexicon(pack_dir / "situation.yaml", load_word_lists(pack_dir).slang)


_PPPK = re.compile(r"\bpppk\b", re.IGNORECASE)


def folded(text: str) -> str:
    """The form every pattern is matched against ("pppk" is kept apart from "ppk" before
    ``fold`` shortens repeated letters)."""
    return fold(_PPPK.sub("p3k", normalise(text)))


def _first(patterns: tuple[tuple[str, tuple[re.Pattern[str], ...]], ...], text: str) -> str | None:
    for value, compiled in patterns:
        if any(p.search(text) for p in compiled):
            return value
    return None


def _target(patterns: tuple[tuple[str, tuple[re.Pattern[str], ...]], ...], text: str) -> str | None:
    """The first target the text names, other than to say it is absent: "tanpa gambar calon atau
    partai" names no candidate, and an object said to be absent is a neutral one ("jangan pilih
    paslon 1" is still about that candidate). ``neutral`` is the absence of a partisan object, so a
    candidate or party named outside the words that say so outranks it ("jingle kampanye paslon,
    ga nyebut nama"; but "without mentioning any candidate or party" stays neutral)."""

    def present(pattern: re.Pattern[str], outside: list[tuple[int, int]]) -> bool:
        return any(
            not _absent(text, m.start()) and not any(a <= m.start() < b for a, b in outside)
            for m in pattern.finditer(text)
        )

    named = [value for value, compiled in patterns if any(present(p, []) for p in compiled)]
    partisan = [(value, c) for value, c in patterns if value in PARTISAN_OBJECTS]
    if not named:
        mentioned = any(p.search(text) for _, compiled in partisan for p in compiled)
        return "neutral" if mentioned else None
    if named[0] != "neutral":
        return named[0]
    spans = [_with_list(text, m) for p in dict(patterns)["neutral"] for m in p.finditer(text)]
    return next(
        (value for value, compiled in partisan if any(present(p, spans) for p in compiled)),
        "neutral",
    )


def _absent(text: str, start: int) -> bool:
    """Whether the words just before ``start`` say that what follows is absent."""
    return bool(_ABSENT.search(_before(text, start)))


# The rest of a list that a phrase's last word begins ("calon atau partai", "candidate or party").
_LIST_TAIL = re.compile(
    r"(?:\s*(?:,|/|&|\batau\b|\bmaupun\b|\bdan\b|\bor\b|\band\b|\bnor\b)\s*[\w-]+)*"
)


def _with_list(text: str, match: re.Match[str]) -> tuple[int, int]:
    tail = _LIST_TAIL.match(text, match.end())
    return match.start(), tail.end() if tail else match.end()


def _earliest(
    patterns: tuple[tuple[str, tuple[re.Pattern[str], ...]], ...],
    text: str,
    skip: Callable[[int], bool] = lambda _start: False,
) -> str | None:
    """The value named first in the text: the actor of a question is its subject, which Indonesian
    and English put first ("saya polwan, ... debat capres"; "PNS boleh ke asrama TNI?"). Ties go to
    the value listed first. Mentions at a position ``skip`` rejects do not count."""
    best: tuple[int, int, str] | None = None
    for order, (value, compiled) in enumerate(patterns):
        for pattern in compiled:
            match = next((m for m in pattern.finditer(text) if not skip(m.start())), None)
            if match and (best is None or (match.start(), order) < best[:2]):
                best = (match.start(), order, value)
    return best[2] if best else None


# Where a clause begins: a background marker, or another person named, speaks only to what
# follows it in its own clause.
_CLAUSE_BREAK = re.compile(r"[.?!;,\n]|\b(tapi|tetapi|namun|skrg|sekarang|now|but)\b")


_PARENTHESIS = re.compile(r"\([^()]*\)?")


def _clause_start(text: str, start: int) -> int:
    """Where the clause holding position ``start`` begins. A parenthesis belongs to the clause it
    opens in: in "anak sy (mahasiswa, bukan ASN) jd relawan" the status and the act are the son's."""
    inside = [m.span() for m in _PARENTHESIS.finditer(text, 0, start)]
    breaks = [
        m.end()
        for m in _CLAUSE_BREAK.finditer(text, 0, start)
        if not any(a < m.start() < b for a, b in inside)
    ]
    return breaks[-1] if breaks else 0


def _clause_says(text: str, start: int, patterns: Iterable[re.Pattern[str]]) -> bool:
    """Whether the words of its clause before position ``start`` match one of ``patterns``
    (another person named, a background marker)."""
    clause = text[_clause_start(text, start) : start]
    return any(p.search(clause) for p in patterns)


# Someone asking about ASN from outside (a journalist): not an actor of their own.
OBSERVER = "observer"

# A status that opens with the askers themselves ("kami yg masih aktif") is theirs.
_FIRST_PERSON = re.compile(r"(kami|kita|saya|sy|aku|we|i)(2|\b)")
# ... unless it is a possessive after another person ("suami sy bukan ASN").
_OWNERS = frozenset({"teman", "temen", "kawan", "rekan", "atasan", "bos", "kantor"})


def _actor(lexicon: Lexicon, text: str) -> str | None:
    """The asker's status: the earliest one not said of another person or in a comparison
    ("suami sy bukan ASN (wiraswasta) ..., sy PNS" is a PNS; "dilayani kayak warga biasa" names
    no citizen). When only another person's status is named, that person is the one asked about."""
    patterns = lexicon.single["actor"]

    def comparison(start: int) -> bool:
        return any(p.search(_before(text, start)) for p in lexicon.comparison)

    def someone_elses(start: int) -> bool:
        if _FIRST_PERSON.match(text, start):
            before = text[:start].split()
            if not before or before[-1] not in lexicon.enclitic_kept | _OWNERS:
                return False  # "beliau ngajak kami yg masih aktif": the status names the askers
        return comparison(start) or _clause_says(text, start, lexicon.others_clause)

    actor = _earliest(patterns, text, someone_elses) or _earliest(patterns, text, comparison)
    if actor == OBSERVER:
        # "wartawan nih. PNS yg jd saksi partai melanggar gk?" asks about the PNS.
        asked_about = tuple(p for p in patterns if p[0] != OBSERVER)
        return _earliest(asked_about, text, comparison) or "warga"
    return actor


# "tanpa atribut", "ga ngajak milih", "without commenting": an act named only to say it is not
# done. "boleh ga like ...", "bisa gak ikut ..." ask a question instead: a negator right after a
# modal is a question tag, not a negation.
# A negation word, then at most one word, or a list whose items it all negates ("tanpa like,
# komen, share, atau subscribe"; "tanpa gambar calon atau partai": a head word may lead the list),
# or "ga ada (acara) X" ("no X at all").
_NEGATED = re.compile(
    r"(?<!boleh )(?<!bisa )(?<!aman )(?<!apa )(?<!kan )"
    r"\b(tanpa|tidak|tdk|tak|belum|blm|ga|gak|nggak|ngga|enggak|gk|ndak|bukan|jangan|without|not|no(?!\.?\s*(?:urut\b|\d))|never|nor"
    # ("bkn" is also the agency BKN: "lapor ke BKN soal kampanye" negates nothing)
    r"|(?<!ke )(?<!di )(?<!dari )(?<!dr )(?<!oleh )(?<!sama )(?<!sm )(?<!to )bkn)"
    # ("gk pernah share/komen": the list follows a "never")
    r"(?:\s+(?:pernah|sempat|mau))?"
    r"(?:\s+(?:gambar|foto|logo|nama|atribut|simbol|(?:me)?nyebut\w*|sebut|mention\w*|naming|any|pictures?"
    r"|photos?|logos?|names?|symbols?)(?=\s+[\w/&-]+\s*(?:,|/|&|\batau\b|\bmaupun\b|\bor\b|\bnor\b)))?"
    r"(?:(?:\s+[\w/&-]+)?\s*(?:,|/|&|\batau\b|\bmaupun\b|\bor\b|\bnor\b))*"
    r"(?:\s+(?:ada|pernah|sempat|sama sekali))?"
    # (a modal ends the negated part: "ga salah, bisa banding?" asks about appealing; so does an
    # aspect word opening a new clause: "SK blm turun, msh pengurus partai")
    r"(\s+(?!(?:bisa|boleh|apa|apakah|kan|gimana|gmn|harus|wajib|can|may|masih|msh|tetap|tetep|sudah|udah|udh|sdh|lalu|terus|trus|tapi|tp)\b)\w+)?(?:\s+|(?<=[/&,]))$"
)
_NEGATION_WINDOW = 60
# Negations that say an object is absent ("tanpa gambar calon", "ga ada nama partai"), unlike
# "jangan pilih paslon 1", which is about that candidate.
_ABSENT = re.compile(
    r"\b(tanpa|without|no(?!\.?\s*(?:urut\b|\d))|(tidak|tdk|ga|gak|nggak|ngga|gk|ndak|not|never)\s+"
    r"(ada|pakai|pake|memakai|menyebut\w*|nyebut\w*|sebut\w*|menampilkan|nampilin|mention\w*|nam(e|ing)|show\w*))"
    # (up to a next step: "ga pake nama asli, trus dukung caleg" names the candidate supported)
    r"\b(?:(?!\b(?:trus|terus|trs|lalu|kemudian|tapi|tp|namun|then|but)\b)[^.?!\n]){0,25}$"
)


def _before(text: str, start: int) -> str:
    """The words just before ``start`` that a negation of what follows must lie in."""
    return text[max(0, start - _NEGATION_WINDOW) : start]


def negated(text: str, start: int) -> bool:
    """Whether the words just before ``start`` in (lower-case) ``text`` say it is not done."""
    return bool(_NEGATED.search(_before(text, start)))


def _named(pattern: re.Pattern[str], text: str) -> bool:
    """Whether the text names the act, not only to say it is not done."""
    return any(not negated(text, m.start()) for m in pattern.finditer(text))


def acts_in(text: str, lexicon: Lexicon) -> frozenset[str]:
    """Every act the (folded) text names (and does not negate), except an act named only as part
    of another ("ngajak tetangga milih dia" invites to vote; it is not the asker's own voting)."""
    found = {
        act: [m.span() for p in compiled for m in p.finditer(text) if not negated(text, m.start())]
        for act, compiled in lexicon.acts.items()
    }
    named = {act for act, spans in found.items() if spans}
    for act, absorbed in lexicon.absorbs.items():
        reach = [(start, _reach_end(text, end)) for start, end in found.get(act, [])]
        for other in absorbed & named:
            if all(any(a <= start <= b for a, b in reach) for start, _ in found[other]):
                named.discard(other)
    for act in lexicon.described_acts & named:
        # "upacara ada menteri yg nyaleg": the minister stands; the asker attends a ceremony.
        mentions = found[act]
        if len(named) > 1 and all(_described(text, a, b, lexicon) for a, b in mentions):
            named.discard(act)
    for act in lexicon.inward_acts & named:
        # "dalam hati dukung satu capres": support held inwardly is a preference, not a statement.
        if all(_inward(text, start, lexicon) for start, _ in found[act]):
            named.discard(act)
    return frozenset(_not_done(named, found, text, lexicon))


def _not_done(
    named: set[str], found: Mapping[str, list[tuple[int, int]]], text: str, lexicon: Lexicon
) -> set[str]:
    """``named`` without the acts the text names but does not tell of as done: an event the
    organisers hold, what is taught or talked over, the category asked about."""

    def theirs(act: str) -> bool:
        return all(_clause_says(text, b, lexicon.others_clause) for b, _ in found[act])

    for act in lexicon.others_acts & named:
        # "kakak sy nyaleg. lebaran kumpul keluarga": the sibling stands; the asker visits (an
        # act of the asker's own is named; "istri sy nyalon, tetap PNS" asks about hers).
        if theirs(act) and any(not theirs(other) for other in named - {act}):
            named.discard(act)
    for act in lexicon.hosted_acts & named:
        # "jalan sehat yg diadain KPU": an event the organisers hold is voter education.
        if all(_followed_by(text, end, lexicon.hosted_after) for _, end in found[act]):
            named.discard(act)
    if named & lexicon.topic_with:
        # "sosialisasi netralitas, materinya larangan kampanye": the campaign is what is taught.
        topic = lexicon.topic_before
        named -= {a for a in named if all(_preceded_by(text, b, topic) for b, _ in found[a])}
    asked = lexicon.classified_before
    classified = {a for a in named if all(_preceded_by(text, b, asked) for b, _ in found[a])}
    if named - classified:
        # "nonton debat di rumah, jangan-jangan itu dihitung ikut kampanye?": the asker watches a
        # debate and asks whether that counts as campaigning; the category is not their act.
        named -= classified
    return named


def _followed_by(text: str, end: int, patterns: Iterable[re.Pattern[str]]) -> bool:
    """Whether the words right after ``end`` begin with one of ``patterns`` (the organisers as
    the event's host, another person's request)."""
    return any(p.match(text, end, end + _NEGATION_WINDOW) for p in patterns)


def _preceded_by(text: str, start: int, patterns: Iterable[re.Pattern[str]]) -> bool:
    """Whether the words just before ``start`` end in one of ``patterns`` (the subject matter of
    what is taught, the category asked about)."""
    before = _before(text, start)
    return any(p.search(before) for p in patterns)


# What ends an absorbing act's reach early: a clause break, or a next step ("hapus komen lama
# terus komen lagi" names a new comment).
_REACH_BREAK = re.compile(
    r"[.?!;,\n]|\b(tapi|tetapi|namun|terus|trus|trs|lalu|kemudian|habis itu|abis itu|then|but|and then)\b"
)


def _reach_end(text: str, end: int) -> int:
    """Where an absorbing act's words stop taking in what follows them."""
    stop = _REACH_BREAK.search(text, end, end + ABSORB_CHARS)
    return stop.start() if stop else end + ABSORB_CHARS


def _described(text: str, start: int, end: int, lexicon: Lexicon) -> bool:
    """Whether the act named at ``start``..``end`` describes another person ("temen yg nyaleg",
    "timses paslon minta data")."""
    if _preceded_by(text, start, lexicon.described_before):
        return True
    # "jadi timses paslon, minta izin atasan": the asker becomes the team that asks.
    return not _TAKEN_ON.search(_before(text, start)) and _followed_by(
        text, end, lexicon.described_after
    )


# Words just before a role that make it the asker's own ("jadi timses", "join the campaign team").
_TAKEN_ON = re.compile(
    r"\b(jadi|jd|menjadi|ikut|gabung|bergabung|masuk|sebagai|selaku|become|becoming|join\w*|be|as)\s+$"
)


def _inward(text: str, start: int, lexicon: Lexicon) -> bool:
    """Whether the clause holding position ``start`` says the act is held inwardly."""
    begin = _clause_start(text, start)
    stop = _CLAUSE_BREAK.search(text, start)
    clause = text[begin : stop.start() if stop else len(text)]
    return any(p.search(clause) for p in lexicon.inward_markers)


def _asker_acts(text: str, lexicon: Lexicon) -> bool:
    """Whether the (folded) text names an act of conduct in a clause that is not about another
    person: only then can a question about being implicated be about the asker's own act."""
    scene = lexicon.families.get("contextual", frozenset())
    for act, compiled in lexicon.acts.items():
        if act in scene:
            continue
        for pattern in compiled:
            for match in pattern.finditer(text):
                start = match.start()
                if not negated(text, start) and not _clause_says(
                    text, start, lexicon.others_clause
                ):
                    return True
    return False


def _in_background(text: str, start: int, lexicon: Lexicon) -> bool:
    """Whether the act named at ``start`` is told as background: a marker ("dulu pernah",
    "dituduh") precedes it in its clause."""
    return _clause_says(text, start, lexicon.background_markers)


def background_acts(text: str, lexicon: Lexicon) -> frozenset[str]:
    """The acts of the (folded) text whose every mention is told as background."""
    return frozenset(
        act
        for act, compiled in lexicon.acts.items()
        if (starts := [m.start() for p in compiled for m in p.finditer(text)])
        and all(_in_background(text, start, lexicon) for start in starts)
    )


def _undoes_background(acts: frozenset[str], asks: str, lexicon: Lexicon) -> bool:
    return any(
        act in acts and wanted in ("any", asks)
        for act, wanted in lexicon.background_undone_by.items()
    )


def read_situation(message: str, lexicon: Lexicon) -> Situation:
    """Read one question (already split from a multi-question message) as a situation.

    The vocabulary is written in standard spelling; users write "sy udh pensiun", "jd caleg".
    So the text is read twice, as written and with abbreviations spelled out (the single-word
    slang of ``lexicon.yaml``): acts named in either count, and a single-valued facet comes from
    the text as written unless only the spelled-out form names it."""
    text = folded(message)
    views = dict.fromkeys([text, lexicon.spell_out(text)])

    def first_of(read: Callable[[str], str | None], order: Iterable[str] = views) -> str | None:
        return next((value for view in order if (value := read(view)) is not None), None)

    asks = first_of(lambda t: _first(lexicon.single["asks"], t)) or "may_i"
    if asks == "implicated" and any(_asker_acts(view, lexicon) for view in views):
        # "sy ikut kampanye kemarin, apa sy jadi melanggar?": the asker's own act is the question.
        asks = "may_i"
    acts = frozenset().union(*(acts_in(view, lexicon) for view in views))
    acts |= lexicon.asks_imply.get(asks, frozenset())
    if _undoes_background(acts, asks, lexicon):
        # "dulu pernah like akun caleg, skrg mau unfollow": the undoing is what is asked.
        acts -= frozenset.intersection(*(background_acts(view, lexicon) for view in views))
    return Situation(
        # The actor is read spelled out first: "sy udh pensiun pns" is a retiree, not a PNS.
        actor=first_of(lambda t: _actor(lexicon, t), order=reversed(list(views))),
        target=first_of(lambda t: _target(lexicon.single["target"], t)),
        role=first_of(lambda t: _first(lexicon.single["role"], t)),
        asks=asks,
        acts=acts,
    )


def ruling_facets(ruling: Ruling, lexicon: Lexicon) -> RulingFacets:
    """The facets a ruling holds for: its explicit ``facets`` where given, else derived from its
    act text and example phrasings (an act the act text names, or one that a fair share of the
    examples name)."""
    texts = [folded(e) for e in ruling.examples]
    act_text = folded(ruling.act)
    derived_acts = set(acts_in(act_text, lexicon))
    counts: Counter[str] = Counter(a for t in texts for a in acts_in(t, lexicon))
    derived_acts |= {
        a for a, n in counts.items() if n >= max(1, EXAMPLE_SHARE_FOR_ACT * len(texts))
    }
    targets: Counter[str] = Counter()
    roles: Counter[str] = Counter()
    for text in [act_text, *texts]:
        target = _first(lexicon.single["target"], text)
        if target:
            targets[target] += 1
        role = _first(lexicon.single["role"], text)
        if role:
            roles[role] += 1
    threshold = max(1, EXAMPLE_SHARE_FOR_TARGET * (len(texts) + 1))
    derived_targets = {t for t, n in targets.items() if n >= threshold}
    derived_roles = {r for r, n in roles.items() if n >= threshold}
    # A ruling whose act names a specific status ("CPNS menjadi anggota partai", "Pensiunan ASN
    # ...") is about that status only; "PNS"/"ASN" in an act text is the general case.
    named = {
        v for v, compiled in lexicon.single["actor"] if any(p.search(act_text) for p in compiled)
    }
    # Regional heads are never derived: an act text names "calon bupati" as the candidate.
    derived_actors = (named & NON_ASN_ACTORS) or (
        named & (SPECIFIC_ACTORS - OFFICIAL_ACTORS) if "pns" not in named else set()
    )
    explicit = ruling.facets
    return RulingFacets(
        acts=frozenset(explicit.get("acts", derived_acts)),
        targets=frozenset(explicit.get("targets", derived_targets)),
        roles=frozenset(explicit.get("roles", derived_roles)),
        actors=frozenset(explicit.get("actors", derived_actors)),
        requires={
            name: frozenset(explicit[f"requires_{name}"])
            for name in REQUIRABLE
            if f"requires_{name}" in explicit
        },
        excludes=frozenset(explicit.get("excludes_acts", ())),
    )


def facet_problems(ruling: Ruling, lexicon: Lexicon) -> list[str]:
    """Explicit facets that name no known facet or value (a typo would silently never match)."""
    known = lexicon.vocabulary
    problems = []
    for key, values in ruling.facets.items():
        if key == "excludes_acts":
            problems += [
                f"{ruling.id}: {key} names unknown {v!r}" for v in values if v not in known["acts"]
            ]
            continue
        name = key.removeprefix("requires_")
        if name not in known or (key != name and name not in REQUIRABLE):
            problems.append(f"{ruling.id}: unknown facet {key!r}")
            continue
        allowed = known[name] | ({"none"} if key != name and name != "acts" else set())
        problems += [f"{ruling.id}: {key} names unknown {v!r}" for v in values if v not in allowed]
    return problems


def all_ruling_facets(rulings: Iterable[Ruling], lexicon: Lexicon) -> dict[str, RulingFacets]:
    return {ruling.id: ruling_facets(ruling, lexicon) for ruling in rulings}
