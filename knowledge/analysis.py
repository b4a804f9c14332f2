"""Reading a user's message before retrieval: language, parts, audience, refusals, law look-ups.

Nothing here decides a verdict about conduct; it only classifies the message so the composer can
answer the right question, refuse what it must, and ignore instructions hidden in the text.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field

from knowledge.intent import IntentReader, read_intent
from knowledge.lexicon import WordLists, default_word_lists
from knowledge.normalise import normalise
from knowledge.regulation_ref import RegulationNames, default_regulation_names
from knowledge.situation import folded as situation_text
from knowledge.situation import negated
from knowledge.splitting import list_items
from knowledge.text import fold, words

# How far before a request for a pick the words reporting another's question may lie.
REPORTED_WINDOW = 40

_FORWARD_HEADER = re.compile(
    r"^\s*(forwarded from|diteruskan dari|fwd?:?)\s*[^:\n]{0,60}:\s*", re.IGNORECASE
)


def _asks_for_a_pick(text: str, lists: WordLists) -> bool:
    """Requests that Netra itself recommend a candidate: a strong rule beside the intent reader
    (crisp wording only, ``pick_request`` in lexicon.yaml; the trained reader holds paraphrases).
    Whether the message asks Netra to pick or recommend a candidate (refused), rather than
    asking whether doing so is allowed, or saying it is not done ("tanpa ngarahin pilih siapa")."""
    if any(p.search(text) for p in lists.asks_leave):
        return False
    lowered = text.lower()
    return any(
        not negated(lowered, m.start()) and not _reported(lowered, m.start(), lists)
        for p in lists.pick_request
        for m in p.finditer(lowered)
    )


def _reported(text: str, start: int, lists: WordLists) -> bool:
    """Whether the words before ``start`` report someone else's question ("suami nanya sy pilih
    siapa"): the asker tells what they were asked, they do not ask Netra."""
    before = text[max(0, start - REPORTED_WINDOW) : start]
    return any(p.search(before) for p in lists.reported_question)


def _asks_for_a_prediction(text: str, lists: WordLists) -> bool:
    """Whether the message asks Netra to predict who wins (outside its subject)."""
    return any(p.search(text) for p in lists.prediction_request)


_PASAL = re.compile(
    r"\b(?:pasal|psl|article)\s*(?P<pasal>\d{1,3}[a-z]?)\b"
    r"(?:\s*(?:ayat|paragraph)\s*\(?(?P<ayat>\d{1,2})\)?)?"
    r"(?:\s*(?:huruf|letter)\s*(?P<huruf>[a-z])\b)?"
    r"(?:\s*(?:angka|number|point)\s*(?P<angka>\d{1,2}))?",
    re.IGNORECASE,
)
_LOOKUP_INTENT = re.compile(
    r"\b(isi|isinya|bunyi|bunyinya|apa (isi|bunyi)|jelaskan|what does|say|text of|kutip|menyatakan|"
    r"mengatur|diatur|tentang apa|apa itu|itu apa|gimana|gmn|bagaimana)\b",
    re.IGNORECASE,
)


@dataclass
class LawReference:
    """A request for the text of a provision ("apa isi Pasal 5 PP 94/2021?")."""

    regulation: str | None
    pasal: str
    ayat: str | None = None
    huruf: str | None = None
    angka: str | None = None
    penjelasan: bool = False


@dataclass
class Analysis:
    """What the composer needs to know about a message."""

    original: str
    question: str
    english: bool
    parts: list[str] = field(default_factory=list)
    injection: bool = False
    campaign_help: bool = False
    # Asks how to evade supervision or hide a violation.
    evasion: bool = False
    # Asks Netra to predict who wins an election (outside its subject).
    prediction: bool = False
    in_domain: bool = True
    audiences: set[str] = field(default_factory=set)
    elections: set[str] = field(default_factory=set)
    stages: set[str] = field(default_factory=set)
    law_reference: LawReference | None = None
    # Regulations the message names ("PP 99/2030"), as "TYPE N/YYYY" (year "*" when not given).
    regulations: list[str] = field(default_factory=list)
    # One word or none that says what the question is about ("golput", "halo").
    contentless: bool = False


def regulations_named(text: str, names: RegulationNames) -> list[str]:
    """Every regulation the message names (by type and number, or by an alias)."""
    return list(dict.fromkeys(ref.id for ref in names.find(text)))


def law_reference(text: str, lists: WordLists, names: RegulationNames) -> LawReference | None:
    """A provision look-up, when the message names a Pasal and asks what it says."""
    match = _PASAL.search(text)
    if not match:
        return None
    regulation = names.first(text)
    asks_text = bool(_LOOKUP_INTENT.search(text))
    if not (regulation and (asks_text or len(lists.tokens(text)) <= 8)):
        return None
    return LawReference(
        regulation=regulation.id,
        pasal=match.group("pasal"),
        ayat=match.group("ayat"),
        huruf=(match.group("huruf") or "").lower() or None,
        angka=match.group("angka"),
        penjelasan="penjelasan" in fold(text) or "elucidation" in fold(text),
    )


_FOLLOW_ON = re.compile(
    r"\?\s+|\b(?:terus|trus|trs|lalu|lantas|and|then)\s+(?:kalau|kalo|klo|kl|if|what about|gimana|bagaimana)\b"
    r"|\b(?:dan|serta)\s+(?:kalau|kalo|klo|kl|bagaimana|gimana)\b",
    re.IGNORECASE,
)
# A follow-up this short ("kalau cuma komen?") is read with the subject of what came before.
FOLLOW_UP_TOKENS = 3


def _in_english(text: str, context: str | None, lists: WordLists) -> bool:
    """The message's language; a short follow-up with no Indonesian word in it ("what about just
    commenting?") keeps the language of the question it follows."""
    if lists.is_english(text):
        return True
    no_indonesian = not set(words(text)) & lists.indonesian_hints
    return bool(context) and no_indonesian and lists.is_english(context or "")


def continues_conversation(message: str, lists: WordLists) -> bool:
    """Whether a message leans on the question before it. A short one that neither opens like
    a follow-up nor names anything of the domain ("resep rendang yang enak gimana?") is read on
    its own, so it is not answered as more of the previous question."""
    if len(lists.tokens(message)) > FOLLOW_UP_TOKENS:
        return True  # long enough to stand alone: the context is not carried anyway
    text = fold(message)
    if any(pattern.search(text) for pattern in lists.continues_conversation):
        return True
    if set(words(message)) & lists.subject_words_folded:
        return True
    return bool(set(lists.tokens(message)) & lists.political_stems)


def carry_subject(previous: str, follow_up: str, lists: WordLists) -> str:
    """``follow_up`` with the subject words of ``previous`` appended, when it is short."""
    if len(lists.tokens(follow_up)) > FOLLOW_UP_TOKENS:
        return follow_up
    carried = [w for w in dict.fromkeys(words(previous)) if w in lists.subject_words]
    if not carried:
        return follow_up
    return f"{follow_up.strip()} ({' '.join(carried)})"


def _asks(piece: str, lists: WordLists) -> bool:
    """Whether a message's last piece is a question of its own, not a remark on the one before."""
    stripped = piece.strip()
    if stripped.endswith("?"):
        return True
    found = words(stripped)
    return bool(found) and (found[0] in lists.question_openers or found[-1] in lists.question_tags)


def split_parts(
    text: str, lists: WordLists | None = None, names_act: Callable[[str], bool] | None = None
) -> list[str]:
    """Several questions in one message -> one part each.

    Numbered lists (an HR officer's batch) split on the numbers; otherwise a message splits on
    question marks and on "terus kalau ..." style follow-ons; a last piece that does not ask
    anything ("? kan bukan asn") stays with its question as context. A short part that only makes
    sense with what came before ("kalau cuma komen?") carries the subject of the previous part;
    one that names no act at all ("sejak kapan?", "when exactly does that become OK?", by
    ``names_act``) asks more about the same act and is read with it.
    """
    lists = lists or default_word_lists()
    listed = list_items(text, bullets=True)
    pieces = [p for p in (listed.preamble, *listed.items) if p]
    if len(pieces) >= 2 and sum(1 for p in pieces if len(p) > 8) >= 2:
        return [p for p in pieces if len(p) > 3]
    pieces = [p.strip(" ,.;") for p in _FOLLOW_ON.split(text) if p and lists.tokens(p)]
    last_separator = list(_FOLLOW_ON.finditer(text))[-1:]
    if (
        len(pieces) >= 2
        and last_separator
        and last_separator[0].group().startswith("?")
        and not _asks(pieces[-1], lists)
    ):
        # "boleh jadi anggota partai? cuma anggota biasa" - the tail qualifies the question.
        pieces[-2:] = [f"{pieces[-2]}? {pieces[-1]}"]
    if len(pieces) < 2 or len(lists.tokens(pieces[0])) < 2 or len(text) > 1500:
        return [text.strip()]
    parts = [pieces[0]]
    for piece in pieces[1:]:
        if _same_question(piece, lists, names_act):
            parts[-1] = f"{parts[-1]}? {piece}"
        else:
            parts.append(carry_subject(parts[-1], piece, lists))
    return parts


def _political(question: str, lists: WordLists) -> bool:
    """Whether the message names something political (a civil-service candidate does not)."""
    text = question.lower()
    for pattern in lists.civil_service_candidate:
        text = pattern.sub("pns", text)
    return bool(set(lists.tokens(text)) & lists.political_stems)


def _same_question(piece: str, lists: WordLists, names_act: Callable[[str], bool] | None) -> bool:
    """A short piece that offers another answer ("hrs resign ga? ato cukup cuti?") or names no
    act of its own ("sejak kapan?"): more of the question before it. A longer one ("atau kalau
    ikut kampanye, boleh?") asks about something else and keeps its own verdict."""
    if len(lists.tokens(piece)) > FOLLOW_UP_TOKENS:
        return False
    found = words(piece.strip())
    if found and found[0] in lists.alternative_openers:
        return True
    return names_act is not None and not names_act(piece)


def analyse(
    message: str,
    *,
    context: str | None = None,
    reader: IntentReader | None = None,
    lists: WordLists | None = None,
    names: RegulationNames | None = None,
    names_act: Callable[[str], bool] | None = None,
) -> Analysis:
    """Classify a message. ``context`` is the previous question, for short follow-ups; the
    engine passes its pack's word lists and regulation names (the packaged ones otherwise), and
    ``names_act``, which says whether a text names an act (see :func:`split_parts`).

    The text is normalised first (invisible characters, look-alike letters), so hostile spelling
    never changes what is read; the intent reader then says what the message asks for and drops
    instructions aimed at the assistant, which are ignored rather than obeyed or refused.
    """
    lists = lists or default_word_lists()
    names = names or default_regulation_names()
    text = _FORWARD_HEADER.sub("", normalise(message))
    intent = read_intent(text, reader)
    injection = intent.injection
    cleaned = intent.question if injection else text
    if intent.kind == "injection_only":
        cleaned = ""  # nothing but instructions: declined, with no question to answer
    folded = situation_text(cleaned)
    if context and not continues_conversation(cleaned, lists):
        context = None
    question = carry_subject(context, cleaned, lists) if context else cleaned
    return Analysis(
        original=message,
        question=question,
        english=_in_english(text, context, lists),
        parts=split_parts(question, lists, names_act),
        injection=injection,
        campaign_help=intent.kind == "campaign_help" or _asks_for_a_pick(text, lists),
        prediction=_asks_for_a_prediction(text, lists),
        evasion=intent.kind == "evasion",
        in_domain=_political(question, lists),
        audiences=lists.matching(lists.audiences, folded),
        elections=lists.matching(lists.elections, folded),
        stages=lists.matching(lists.stages, folded),
        law_reference=law_reference(cleaned, lists, names),
        regulations=regulations_named(cleaned, names),
        contentless=not context and intent.kind == "contentless",
    )
