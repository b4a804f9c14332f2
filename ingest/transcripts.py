"""Socialisation transcripts (scraped news pages, notes): boilerplate out, metadata, chunks.

Web copies carry ads ("Iklan"), comment forms ("Tinggalkan Balasan"), banners, "Baca juga" links,
share buttons and tag lists; they would pollute retrieval, so whole lines matching them are
dropped. Metadata (title, place, date, organiser, speakers) is read from the usual shape of an
Indonesian news report: a dateline "PROBOLINGGO – ...", dates like "Kamis, 9 November 2023",
"Kamis (09/11/2023)" or "Selasa (28/1)" (no year: kept as a partial date), attributions
"ujar Putut", "kata X", "X menjelaskan". Chunks follow paragraph/sentence boundaries (langchain's
RecursiveCharacterTextSplitter) with overlap; a chunk that quotes one person carries ``speaker``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date

from langchain_text_splitters import RecursiveCharacterTextSplitter

from ingest.cleaning import normalize_unicode

CHUNK_SIZE = 900
CHUNK_OVERLAP = 150

MONTHS = {
    "januari": 1, "februari": 2, "pebruari": 2, "maret": 3, "april": 4, "mei": 5, "juni": 6,
    "juli": 7, "agustus": 8, "september": 9, "oktober": 10, "november": 11, "nopember": 11,
    "desember": 12,
}  # fmt: skip
MONTH_NAMES = ["", "Januari", "Februari", "Maret", "April", "Mei", "Juni", "Juli", "Agustus",
               "September", "Oktober", "November", "Desember"]  # fmt: skip
_DAYS = r"(?:Senin|Selasa|Rabu|Kamis|Jumat|Jum'at|Sabtu|Minggu|Ahad)"

_BOILERPLATE = [
    r"iklan",
    r"advertisement",
    r"tinggalkan (?:balasan|komentar)\b.*",
    r"alamat email anda tidak akan dipublikasikan.*",
    r"ruas yang wajib ditandai.*",
    r"(?:simpan nama|kirim komentar|balas|komentar|batal balas|beri komentar)\b.{0,60}",
    r"(?:banner\s*\d+\s*x\s*\d+\s*)+",
    r"baca juga\b.*",
    r"(?:baca|lihat) (?:berita|artikel) (?:lainnya|terkait)\b.*",
    r"(?:berita|artikel|postingan) (?:terkait|terbaru|populer|sebelumnya|berikutnya)\b.*",
    r"(?:bagikan|share|tweet|whatsapp|facebook|telegram|twitter|linkedin|copy link|salin tautan"
    r"|print|email)(?:\s*[:|/,]\s*\w*)*",
    r"(?:home|beranda|menu|navigasi|search|cari|login|masuk|daftar)(?:\s*[>»/|]\s*.*)?",
    r"(?:previous|next|sebelumnya|selanjutnya)(?: (?:post|artikel|berita))?\b.{0,80}",
    r"(?:penulis|editor|fotografer|reporter|pewarta|redaktur|foto)\s*:.*",
    r"(?:tags?|tagar|label)\s*:?.*",
    r"(?:sumber|source)\s*:\s*\S+\s*",
    r"[\W_]*",
    r"\d+\s*(?:views?|kali dibaca|dilihat|komentar)",
]
_BOILERPLATE_RE = re.compile(r"^(?:" + "|".join(_BOILERPLATE) + r")$", re.IGNORECASE)
_TAG_HEADER = re.compile(r"^(?:tags?|tagar|label|topik)\s*:?\s*$", re.IGNORECASE)

_DATELINE = re.compile(
    r"^([A-Z][A-Za-z]+(?:\s[A-Z][A-Za-z]+)?|[A-Z][A-Z ]{2,30})(?:\s*,\s*[\w.]+)?\s*[–—-]\s+\S"
)
_DATE_LONG = re.compile(
    rf"(?:{_DAYS},?\s*\(?)?(\d{{1,2}})\s+({'|'.join(MONTHS)})\s+(\d{{4}})", re.IGNORECASE
)
_DATE_NUMERIC = re.compile(rf"(?:{_DAYS}\s*)?\((\d{{1,2}})/(\d{{1,2}})(?:/(\d{{2,4}}))?\)")
_PLACE_AT = re.compile(
    r"\b(?:di|bertempat di)\s+(?:[A-Z][\w.]*\s){0,5}?((?:Kota|Kabupaten|Provinsi)\s[A-Z]\w+(?:\s[A-Z]\w+)?)"
)
_NAME = r"([A-Z][a-zA-Z.'’]+(?:\s(?:[A-Z][a-zA-Z.'’]+|bin|binti)){0,3})"
_ATTRIBUTION_AFTER = re.compile(
    r"[”\"]\s*[,.]?\s*(?:ujar|kata|tutur|ucap|imbuh|jelas|tegas|papar|tutup|ungkap|sambung|terang"
    r"|harap|pungkas|lanjut)(?:nya)?\b\s*"
    r"(?:(?:Plt\.|Pj\.|Ketua|Kepala|Wali Kota|Walikota|Bupati|Asisten)[^,]{0,40},\s*)?"
    r"(?:" + _NAME + r")?",
    re.IGNORECASE,
)
_ATTRIBUTION_VERB = re.compile(
    _NAME + r"(?:\s*\([^)]{0,120}\))?,?\s+(?:menjelaskan|mengatakan|menyampaikan|menegaskan"
    r"|mengungkapkan|menerangkan|mengimbau|menekankan|memaparkan|melengkapi)"
)
_NOT_NAMES = frozenset(
    [
        "Dalam",
        "Pada",
        "Ia",
        "Dia",
        "Beliau",
        "Menurutnya",
        "Sebagai",
        "Selain",
        "Hal",
        "Kegiatan",
        "Acara",
        "Sosialisasi",
        "Terakhir",
        "Senada",
        "Berbeda",
        "Jadi",
        "Karena",
        "Saya",
        "Kami",
        "Kita",
        "Mereka",
        "Pemerintah",
        "Kepala",
        "Ketua",
        "Asisten",
        "Bupati",
        "Wali",
        "Walikota",
        "Plt",
        "Pj",
        "Pemkesra",
        "Pemkab",
        "Pemkot",
    ]
)
_ORGANISER = re.compile(
    r"((?:[A-Z][\w\-]*|\([A-Za-z\-]+\)|dan|se-\w+)(?:\s(?:[A-Z][\w\-]*|\([A-Za-z\-]+\)|dan)){1,12})"
    r"\s+(?:kembali\s+)?(?:menyelenggarakan|menyelanggarakan|menggelar|gelar|mengadakan)\b"
)
_ORGANISER_BY = re.compile(
    r"\b(?:diadakan|diselenggarakan|digelar)\s+(?:oleh\s+)?([A-Z]\w+(?:\s[A-Z]\w+){0,5})"
)


@dataclass
class TranscriptChunk:
    index: int
    text: str
    speaker: str | None = None


@dataclass
class ParsedTranscript:
    title: str
    paragraphs: list[str]
    place: str | None = None
    date: str | None = None  # ISO yyyy-mm-dd when the year is known
    date_partial: str | None = None  # "mm-dd" when the text gives no year
    date_text: str | None = None
    organiser: str | None = None
    speakers: list[str] = field(default_factory=list)
    chunks: list[TranscriptChunk] = field(default_factory=list)
    removed_lines: int = 0


def strip_boilerplate(text: str) -> tuple[list[str], int]:
    """Paragraph lines without ads, comment forms, share bars, tag lists; and how many went."""
    lines = [line.strip() for line in normalize_unicode(text).split("\n")]
    kept: list[str] = []
    removed = 0
    in_tags = False
    for line in lines:
        if not line:
            in_tags = False
            continue
        if _TAG_HEADER.match(line):
            in_tags = True
            removed += 1
            continue
        if in_tags and len(line.split()) <= 4:
            removed += 1
            continue
        in_tags = False
        if _BOILERPLATE_RE.match(line) or (len(line) <= 3 and not line.isalnum()):
            removed += 1
            continue
        line = re.sub(r"(?:banner\s*\d+\s*x\s*\d+\s*)+", "", line, flags=re.IGNORECASE).strip()
        if line:
            kept.append(re.sub(r"\s+", " ", line))
    return kept, removed


def parse_date(text: str) -> tuple[str | None, str | None, str | None]:
    """(ISO date, partial "mm-dd", matched text) of the first event date in ``text``."""
    long_match = _DATE_LONG.search(text)
    numeric = _DATE_NUMERIC.search(text)
    candidates = []
    if long_match:
        candidates.append((long_match.start(), "long", long_match))
    if numeric:
        candidates.append((numeric.start(), "numeric", numeric))
    for _, kind, match in sorted(candidates, key=lambda c: c[0]):
        try:
            if kind == "long":
                day, month, year = (
                    int(match.group(1)),
                    MONTHS[match.group(2).lower()],
                    int(match.group(3)),
                )
                return date(year, month, day).isoformat(), None, match.group(0)
            day, month = int(match.group(1)), int(match.group(2))
            if not (1 <= month <= 12 and 1 <= day <= 31):
                continue
            if match.group(3):
                year = int(match.group(3))
                year = year + 2000 if year < 100 else year
                return date(year, month, day).isoformat(), None, match.group(0)
            return None, f"{month:02d}-{day:02d}", match.group(0)
        except ValueError:
            continue
    return None, None, None


def _clean_name(name: str | None) -> str | None:
    if not name:
        return None
    words = name.replace("’", "'").split()
    while words and (words[0].rstrip(".") in _NOT_NAMES or words[0].lower() == words[0]):
        words = words[1:]
    while words and (
        words[-1].rstrip(".,") in {"S", "ST", "M", "Si", "Sos"} or words[-1].islower()
    ):
        words = words[:-1]
    cleaned = " ".join(words).rstrip(".,")
    return cleaned if len(cleaned) >= 3 and cleaned[0].isupper() else None


_DEGREES = re.compile(
    r",?\s*\b(?:S|M|Dr|Drs|Ir|ST|SH|SE|MH|MM|MAP|MPA)\.(?:[A-Za-z]{1,6}\.?){0,2}(?=[\s,(]|$)"
    r"|,\s*(?:ST|SH|SE|MM|MH)\b"
)


def quote_speaker(paragraph: str, last_named: str | None) -> tuple[str | None, str | None]:
    """(speaker of a quote in this paragraph, a newly named person) — pronoun forms ("ujarnya")
    fall back to the last person named."""
    paragraph = _DEGREES.sub("", paragraph)
    has_quote = bool(re.search(r"[“”\"]", paragraph))
    after = _ATTRIBUTION_AFTER.search(paragraph)
    if after and has_quote:
        name = _clean_name(after.group(1))
        return (name or last_named), name
    verb = _ATTRIBUTION_VERB.search(paragraph)
    if verb:
        name = _clean_name(verb.group(1))
        return (name if has_quote else None), name
    return None, None


def parse_transcript(text: str, *, fallback_title: str) -> ParsedTranscript:
    """Clean a transcript and read its metadata and chunks."""
    paragraphs, removed = strip_boilerplate(text)
    if not paragraphs:
        raise ValueError("nothing left after removing boilerplate")
    title = paragraphs[0] if len(paragraphs[0]) <= 200 else fallback_title
    body = paragraphs[1:] if title == paragraphs[0] and len(paragraphs) > 1 else paragraphs
    joined = "\n".join(body)
    iso, partial, date_text = parse_date(joined)
    if iso is None and partial is None:
        iso, partial, date_text = parse_date(title)
    place = None
    for paragraph in body[:4]:
        match = _DATELINE.match(paragraph)
        if match and "." not in match.group(1):
            place = match.group(1).strip().title()
            break
    if place is None:
        at = _PLACE_AT.search(joined)
        place = at.group(1) if at else None
    organiser = None
    org = _ORGANISER.search(joined) or _ORGANISER_BY.search(joined)
    if org:
        organiser = org.group(1).strip()
        organiser = re.sub(r"^(?:Dalam|Pada|Kegiatan|Acara)\s+.*?,\s*", "", organiser)
    speakers: list[str] = []
    paragraph_speaker: list[str | None] = []
    last_named: str | None = None
    for paragraph in body:
        speaker, named = quote_speaker(paragraph, last_named)
        for found in re.finditer(r"narasumber[^.]*?,\s*" + _NAME, paragraph):
            candidate = _clean_name(found.group(1))
            if candidate and candidate not in speakers:
                speakers.append(candidate)
        if named:
            last_named = named
            if named not in speakers and not any(named in s for s in speakers):
                speakers.append(named)
        paragraph_speaker.append(speaker)
    parsed = ParsedTranscript(
        title=title,
        paragraphs=body,
        place=place,
        date=iso,
        date_partial=partial,
        date_text=date_text,
        organiser=organiser,
        speakers=speakers,
        removed_lines=removed,
    )
    parsed.chunks = chunk_paragraphs(body, paragraph_speaker)
    return parsed


def chunk_paragraphs(
    paragraphs: list[str], speakers: list[str | None], *, size: int = CHUNK_SIZE
) -> list[TranscriptChunk]:
    """Chunks at paragraph/sentence boundaries with overlap; a chunk whose quotes all come from
    one speaker carries that speaker."""
    splitter = RecursiveCharacterTextSplitter(
        chunk_size=size,
        chunk_overlap=CHUNK_OVERLAP,
        separators=["\n\n", "\n", ". ", "; ", ", ", " ", ""],
        keep_separator="end",
    )
    text = "\n\n".join(paragraphs)
    chunks: list[TranscriptChunk] = []
    for index, piece in enumerate(splitter.split_text(text)):
        piece = piece.strip()
        if not piece:
            continue
        quoted = {
            speaker
            for paragraph, speaker in zip(paragraphs, speakers, strict=True)
            if speaker and _overlaps(piece, paragraph)
        }
        chunks.append(
            TranscriptChunk(index, piece, next(iter(quoted)) if len(quoted) == 1 else None)
        )
    return chunks


def _overlaps(chunk: str, paragraph: str) -> bool:
    probe = paragraph[:80]
    return probe in chunk or chunk[:80] in paragraph


def format_date(iso: str | None, partial: str | None) -> str | None:
    """Human date in Indonesian ("9 November 2023", "28 Januari (tahun tidak disebut)")."""
    if iso:
        year, month, day = (int(x) for x in iso.split("-"))
        return f"{day} {MONTH_NAMES[month]} {year}"
    if partial:
        month, day = (int(x) for x in partial.split("-"))
        return f"{day} {MONTH_NAMES[month]} (tahun tidak disebut)"
    return None
