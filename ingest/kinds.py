"""What a file is taken to be: official regulation text, a socialisation report, or neither.

Official text, once ingested, is what answers quote, and a socialisation report is quoted as what
officials said; so anything else (an arisan note, a chat log) must not slip in under ``--kind
auto``. A regulation is recognised by its heading ("PERATURAN PEMERINTAH NOMOR 94 TAHUN 2021
TENTANG ...") and a Pasal 1; a socialisation report by talking about ASN neutrality and elections
and reading like a report of an event. Text that is neither needs an explicit ``--kind``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from ingest.regulation_parser import looks_like_regulation

# Words of the subject (ASN neutrality around elections); a report names at least two of them.
TOPIC_WORDS = frozenset({
    "asn", "pns", "pppk", "cpns", "aparatur", "netral", "netralitas", "pemilu", "pilkada",
    "pemilihan", "kampanye", "bawaslu", "kasn", "bkn", "caleg", "capres", "partai", "politik",
    "politisasi",
})  # fmt: skip
# Words of an event report (a socialisation, a talk, who said what); at least one.
REPORT_WORDS = frozenset({
    "sosialisasi", "narasumber", "acara", "bimtek", "seminar", "webinar", "rapat", "apel",
    "kegiatan", "menyampaikan", "disampaikan", "ujar", "kata", "menjelaskan", "mengatakan",
    "menegaskan", "dihadiri", "diikuti", "peserta",
})  # fmt: skip
MIN_TOPIC_WORDS = 2
_WORD = re.compile(r"[a-z]+")


class UnrecognisedDocumentError(ValueError):
    """``--kind auto`` could not tell what the text is; the message says how to ingest it."""


@dataclass(frozen=True)
class KindDecision:
    kind: str  # "regulation" | "transcript"
    reason: str  # shown in the ingest summary


def report_signals(text: str) -> tuple[set[str], set[str]]:
    """(topic words, report words) found in the first part of ``text``."""
    found = set(_WORD.findall(text[:20000].lower()))
    return found & TOPIC_WORDS, found & REPORT_WORDS


def decide_kind(text: str, requested: str) -> KindDecision:
    """The kind to read ``text`` as; ``requested`` is ``--kind`` (auto, regulation, transcript)."""
    if requested != "auto":
        return KindDecision(requested, f"--kind {requested}")
    if looks_like_regulation(text):
        return KindDecision("regulation", "regulation heading and Pasal 1")
    topic, report = report_signals(text)
    if len(topic) >= MIN_TOPIC_WORDS and report:
        shown = ", ".join(sorted(topic)[:3] + sorted(report)[:2])
        return KindDecision("transcript", f"socialisation report ({shown})")
    raise UnrecognisedDocumentError(
        "neither a recognisable regulation (no heading 'PERATURAN ... NOMOR ... TAHUN ...' with "
        "Pasal 1) nor a socialisation report on ASN neutrality; if it is one, ingest it with "
        "--kind regulation or --kind transcript"
    )
