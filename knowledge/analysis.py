"""Reading a user's message before retrieval: language, parts, audience, refusals, law look-ups.

Nothing here decides a verdict about conduct; it only classifies the message so the composer can
answer the right question, refuse what it must, and ignore instructions hidden in the text.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from knowledge.intent import IntentReader, read_intent
from knowledge.normalise import normalise
from knowledge.situation import folded as situation_text
from knowledge.splitting import list_items
from knowledge.text import fold, is_english, tokens, words

# Requests that Netra itself recommend a candidate: a strong rule beside the intent reader, which
# reads the rest of what a message asks for (knowledge/intent.py). Crisp wording only; a regex
# does not hold on paraphrases, the trained reader does.
_RECOMMEND = re.compile(
    r"\b(siapa|mana|which|who)\b[^.?!\n]{0,40}\b(calon|capres|caleg|paslon|partai|candidate|party)\b"
    r"[^.?!\n]{0,30}\b(terbaik|paling bagus|bagus|layak|pantas|harus (saya )?pilih|"
    r"sebaiknya (saya )?pilih|best|should i vote|better|recommend)"
    r"|\b(calon|capres|cawapres|caleg|paslon|partai|cagub|cabup|candidate|party)\s+(mana|siapa|which)\b"
    r"[^.?!\n]{0,40}\b(terbaik|paling|bagus|layak|pantas|pilih|best|better|recommend)"
    r"|\b(pilih|coblos|vote for)\b[^.?!\n]{0,20}\b(siapa|who)\b"
    r"|\bwho should\b[^.?!\n]{0,40}\bvote for\b",
    re.IGNORECASE,
)

_FORWARD_HEADER = re.compile(
    r"^\s*(forwarded from|diteruskan dari|fwd?:?)\s*[^:\n]{0,60}:\s*", re.IGNORECASE
)

# Words that make a message a question about political neutrality. Civil-service words alone
# ("gaji ke-13 PNS", "cuti melahirkan") are out of Netra's scope.
POLITICAL_STEMS = frozenset(
    tokens(
        "netral netralitas kampanye calon capres cawapres caleg paslon cakada cagub cabup pemilu "
        "pilkada pilpres pileg partai parpol politik politis dukung dukungan pilih memilih coblos "
        "tps kpps pps panwas panwascam pengawas bawaslu kpu kasn deklarasi relawan timses baliho "
        "spanduk twibbon legislatif presiden bupati gubernur walikota petahana mutasi rotasi bansos "
        "golput dpt saksi nyaleg pendukung simpatisan jurkam independen perseorangan bacalon "
        "bacabup bacagub ktp pemenangan posko election campaign candidate party "
        "vote voting neutrality political politics incumbent president parliament regent mayor "
        "governor rally dpd dpr dprd"
    )
) - frozenset(tokens("pns asn pegawai negeri sipil"))
# A message that asks whether an act is allowed is a question about that act even when the act
# is recommending a candidate ("PNS youtuber kasih rekomendasi pilih siapa, boleh?").
_ASKS_MAY_I = re.compile(
    r"\b(boleh\w*|dilarang|melanggar|kena sanksi|diperbolehkan|allowed|permitted|can (i|a|an|we)|"
    r"may (i|a|an|we)|is it (ok|okay|legal|allowed))\b",
    re.IGNORECASE,
)
_NEGATED_PICK = re.compile(r"\b(tanpa|tidak|tak|ga|gak|nggak|without|not|never)\b\W+(\w+\W+){0,2}$")


def _asks_for_a_pick(text: str) -> bool:
    """Whether the message asks Netra to pick or recommend a candidate (refused), rather than
    asking whether doing so is allowed, or saying it is not done ("tanpa ngarahin pilih siapa")."""
    if _ASKS_MAY_I.search(text):
        return False
    return any(
        not _NEGATED_PICK.search(text[max(0, m.start() - 30) : m.start()])
        for m in _RECOMMEND.finditer(text)
    )


_LAW_REF = re.compile(
    r"\b(?P<type>uu|undang[- ]undang|law|pp|peraturan pemerintah|government regulation|perpres|"
    r"pkpu|skb)\s*"
    r"(?:no(?:mor)?\.?\s*)?(?P<number>\d{1,4})(?:\s*(?:/|tahun|thn|th\.?)\s*(?P<year>\d{4}))?\b",
    re.IGNORECASE,
)
_LAW_NAME = {
    "uu pemilu": "UU 7/2017",
    "undang-undang pemilu": "UU 7/2017",
    "uu asn": "UU 20/2023",
    "uu aparatur sipil negara": "UU 20/2023",
    "pp disiplin": "PP 94/2021",
    "pp kode etik": "PP 42/2004",
    "uu pilkada": "UU 10/2016",
    "skb netralitas": "SKB Netralitas 2022",
    "pp manajemen pppk": "PP 49/2018",
    "pp pppk": "PP 49/2018",
}
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
    in_domain: bool = True
    audiences: set[str] = field(default_factory=set)
    elections: set[str] = field(default_factory=set)
    stages: set[str] = field(default_factory=set)
    law_reference: LawReference | None = None
    # Regulations the message names ("PP 99/2030"), as "TYPE N/YYYY" (year "*" when not given).
    regulations: list[str] = field(default_factory=list)
    # One word or none that says what the question is about ("golput", "halo").
    contentless: bool = False


def _short_reference(match: re.Match[str]) -> str:
    kind = match.group("type").lower()
    short = {
        "undang-undang": "UU",
        "undang undang": "UU",
        "law": "UU",
        "peraturan pemerintah": "PP",
        "government regulation": "PP",
    }.get(kind, kind.upper() if kind in {"uu", "pp", "skb", "pkpu"} else kind.capitalize())
    # Without a year ("pp 94") the composer resolves the number against the known regulations.
    return f"{short} {int(match.group('number'))}/{match.group('year') or '*'}"


def regulations_named(text: str) -> list[str]:
    """Every regulation the message names by type and number."""
    return list(dict.fromkeys(_short_reference(m) for m in _LAW_REF.finditer(text)))


def _regulation_in(text: str) -> str | None:
    match = _LAW_REF.search(text)
    if match:
        return _short_reference(match)
    folded = fold(text)
    for name, regulation in _LAW_NAME.items():
        if name in folded:
            return regulation
    return None


def law_reference(text: str) -> LawReference | None:
    """A provision look-up, when the message names a Pasal and asks what it says."""
    match = _PASAL.search(text)
    if not match:
        return None
    regulation = _regulation_in(text)
    asks_text = bool(_LOOKUP_INTENT.search(text))
    if not (regulation and (asks_text or len(tokens(text)) <= 8)):
        return None
    return LawReference(
        regulation=regulation,
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
# How a final piece without "?" still shows it is a question: its first word or its last.
_OPENERS = """kalau kalo klo kl terus trus trs lalu gimana gmn bagaimana apa apakah bisa bolehkah boleh
siapa kemana kapan berapa mengapa kenapa knp what how can could may is are should who where when
why does do"""
_TAGS = "gmn gimana bagaimana ga gak gk nggak ngga enggak tidak ndak kah"
_QUESTION_OPENERS = frozenset(_OPENERS.split())
_QUESTION_TAGS = frozenset(_TAGS.split())
# A follow-up this short ("kalau cuma komen?") is read with the subject of what came before.
FOLLOW_UP_TOKENS = 3
# Words that carry the subject of a question into its follow-up: who, for whom, where.
SUBJECT_WORDS = frozenset(
    [
        "pns",
        "asn",
        "pppk",
        "p3k",
        "cpns",
        "honorer",
        "ppnpn",
        "caleg",
        "capres",
        "cawapres",
        "paslon",
        "cakada",
        "calon",
        "partai",
        "medsos",
        "ig",
        "instagram",
        "fb",
        "facebook",
        "tiktok",
        "wa",
        "whatsapp",
        "twitter",
        "postingan",
        "unggahan",
        "status",
        "pilkada",
        "pemilu",
        "kampanye",
        "istri",
        "suami",
    ]
)


_SUBJECT_FOLDED = frozenset(w for subject in SUBJECT_WORDS for w in words(subject))  # pppk -> ppk
# How a short message shows it continues the conversation: it opens like a follow-up ("kalau
# cuma komen?", "what about ...") or names a subject or political word of its own.
_CONTINUES = re.compile(
    r"^\W*(?:kalau|kalo|klo|kl|terus|trus|trs|lalu|lantas|tapi|tp|atau|cuma|cuman|hanya|misal|"
    r"misalnya|seandainya|jika|bila|apabila|(?:gimana|gmn|bagaimana|bgmn)\s+(?:kalau|kalo|klo|"
    r"dengan|dgn)|what about|how about|and|but|or|if|only|just|even)\b",
    re.IGNORECASE,
)
_ASKS_PERMISSION = re.compile(
    r"\b(?:boleh\w*|bisa|dilarang|melanggar|aman|allowed|permitted|ok(?:ay)?|fine)\b", re.IGNORECASE
)


def continues_conversation(message: str) -> bool:
    """Whether a message leans on the question before it. A short one that neither opens like
    a follow-up nor names anything of the domain ("resep rendang yang enak gimana?") is read on
    its own, so it is not answered as more of the previous question."""
    if len(tokens(message)) > FOLLOW_UP_TOKENS:
        return True  # long enough to stand alone: the context is not carried anyway
    text = fold(message)
    if _CONTINUES.search(text) or _ASKS_PERMISSION.search(text):
        return True
    return bool(set(words(message)) & _SUBJECT_FOLDED or set(tokens(message)) & POLITICAL_STEMS)


def carry_subject(previous: str, follow_up: str) -> str:
    """``follow_up`` with the subject words of ``previous`` appended, when it is short."""
    if len(tokens(follow_up)) > FOLLOW_UP_TOKENS:
        return follow_up
    carried = [w for w in dict.fromkeys(words(previous)) if w in SUBJECT_WORDS]
    if not carried:
        return follow_up
    return f"{follow_up.strip()} ({' '.join(carried)})"


def _asks(piece: str) -> bool:
    """Whether a message's last piece is a question of its own, not a remark on the one before."""
    stripped = piece.strip()
    if stripped.endswith("?"):
        return True
    folded = words(stripped)
    return bool(folded) and (folded[0] in _QUESTION_OPENERS or folded[-1] in _QUESTION_TAGS)


def split_parts(text: str) -> list[str]:
    """Several questions in one message -> one part each.

    Numbered lists (an HR officer's batch) split on the numbers; otherwise a message splits on
    question marks and on "terus kalau ..." style follow-ons; a last piece that does not ask
    anything ("? kan bukan asn") stays with its question as context. A short part that only makes
    sense with what came before ("kalau cuma komen?") carries the subject of the previous part.
    """
    listed = list_items(text, bullets=True)
    pieces = [p for p in (listed.preamble, *listed.items) if p]
    if len(pieces) >= 2 and sum(1 for p in pieces if len(p) > 8) >= 2:
        return [p for p in pieces if len(p) > 3]
    pieces = [p.strip(" ,.;") for p in _FOLLOW_ON.split(text) if p and tokens(p)]
    last_separator = list(_FOLLOW_ON.finditer(text))[-1:]
    if (
        len(pieces) >= 2
        and last_separator
        and last_separator[0].group().startswith("?")
        and not _asks(pieces[-1])
    ):
        # "boleh jadi anggota partai? cuma anggota biasa" - the tail qualifies the question.
        pieces[-2:] = [f"{pieces[-2]}? {pieces[-1]}"]
    if len(pieces) < 2 or len(tokens(pieces[0])) < 2 or len(text) > 1500:
        return [text.strip()]
    parts = [pieces[0]]
    for piece in pieces[1:]:
        parts.append(carry_subject(parts[-1], piece))
    return parts


def _audiences(folded: str) -> set[str]:
    found = set()
    if re.search(r"\b(pppk|p3k|perjanjian kerja)\b", folded):
        found.add("PPPK")
    if re.search(r"\bcpns\b|calon pegawai", folded):
        found.add("CPNS")
    if re.search(r"\b(pns|pegawai negeri)\b", folded):
        found.add("PNS")
    if re.search(r"\b(honorer|ppnpn|non[- ]?asn|tenaga kontrak|thl|outsourc)", folded):
        found.add("non-ASN")
    return found


def analyse(
    message: str, *, context: str | None = None, reader: IntentReader | None = None
) -> Analysis:
    """Classify a message. ``context`` is the previous question, for short follow-ups.

    The text is normalised first (invisible characters, look-alike letters), so hostile spelling
    never changes what is read; the intent reader then says what the message asks for and drops
    instructions aimed at the assistant, which are ignored rather than obeyed or refused.
    """
    text = _FORWARD_HEADER.sub("", normalise(message))
    intent = read_intent(text, reader)
    injection = intent.injection
    cleaned = intent.question if injection else text
    if intent.kind == "injection_only":
        cleaned = ""  # nothing but instructions: declined, with no question to answer
    campaign_help = intent.kind == "campaign_help" or _asks_for_a_pick(text)
    folded = situation_text(cleaned)
    if context and not continues_conversation(cleaned):
        context = None
    question = carry_subject(context, cleaned) if context else cleaned
    in_domain = bool(set(tokens(question)) & POLITICAL_STEMS)
    analysis = Analysis(
        original=message,
        question=question,
        english=is_english(text),
        parts=split_parts(question),
        injection=injection,
        campaign_help=campaign_help,
        evasion=intent.kind == "evasion",
        in_domain=in_domain,
        audiences=_audiences(folded),
        elections={
            e
            for e, pattern in (
                (
                    "pilkada",
                    r"pilkada|kepala daerah|cakada|bupati|gubernur|wali ?kota|pilbup|pilgub|pilwali|cagub|cabup",
                ),
                (
                    "pemilu",
                    r"pemilu|capres|cawapres|caleg|presiden|legislatif|dpr|dpd|pilpres|pileg",
                ),
            )
            if re.search(pattern, folded)
        },
        stages={
            s
            for s, pattern in (("bakal_calon", r"bakal calon|bacaleg|balon|bakal"),)
            if re.search(pattern, folded)
        },
        law_reference=law_reference(cleaned),
        regulations=regulations_named(cleaned),
        contentless=not context and intent.kind == "contentless",
    )
    return analysis
