"""Recover identity and structure of an Indonesian regulation from its (noisy) text.

The copies we get put several structural items on one line and break lines anywhere, so the
parser walks a *word stream* and recognises headings by their shape and by numbering:
Pasal numbers rise by one (which rejects references such as "sebagaimana dimaksud dalam Pasal 5"),
ayat "(n)", huruf "x." and angka "n." continue their list or open one after a chapeau ending in ":".

Each unit becomes a :class:`~knowledge.models.Provision` with ``official=True``; its ``text`` is the
unit's *own* words (for a huruf with angka children: the huruf's chapeau fragment) and ``context``
the chapeaus of its ancestors, so ``full_text()`` reads as a sentence. A Pasal that is only a
container (it opens directly with "(1)") gets the whole Pasal as text so its label still resolves.

Amending laws ("Pasal I ... 27. Ketentuan Pasal 71 diubah sehingga berbunyi sebagai berikut:") are
recognised: each amended Pasal is labelled under the amending law (``UU 10/2016 Pasal 71 ayat (1)``)
and linked to the provision it replaces (``amends`` = ``UU 1/2015 Pasal 71 ayat (1)``).

A law that enacts a Perppu (UU 1/2015) carries the whole Perppu as its Lampiran. That Lampiran is
what everybody (and the amending laws) cite as "UU 1/2015 Pasal 71", so its Pasal are labelled
``UU 1/2015 Pasal N`` (note "Lampiran: teks Perppu ..."); the enacting law's own two articles are
labelled with the row "Batang Tubuh" (``UU 1/2015 Batang Tubuh Pasal 1``) so nothing collides.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache
from itertools import pairwise

from ingest.cleaning import clean_regulation_text
from knowledge.models import Provision, Status, citation_label
from knowledge.regulation_ref import RegulationNames, default_regulation_names


@lru_cache(maxsize=4)
def _identity_pattern(names: RegulationNames) -> re.Pattern[str]:
    """The opening of an official text: "<TYPE> [REPUBLIK INDONESIA] NOMOR n TAHUN yyyy TENTANG
    <title>", the types being the ``heading`` names of lexicon.yaml; a minister's regulation
    names the ministry after "PERATURAN MENTERI"."""
    headings = [
        re.escape(heading) + (r" [A-Z ,]+?" if heading.endswith(" MENTERI") else "")
        for heading in names.headings()
    ]
    return re.compile(
        rf"({'|'.join(headings)})"
        r"(?: REPUBLIK INDONESIA)? NOMOR (\d+) TAHUN (\d{4}) TENTANG (.+?)"
        r"(?= DENGAN RAHMAT| Menimbang| MENIMBANG|$)"
    )


_ROMAN = re.compile(r"^(?=[IVXLC]+$)M{0,3}(CM|CD|D?C{0,3})(XC|XL|L?X{0,3})(IX|IV|V?I{0,3})$")
_PASAL_NUMBER = re.compile(r"^(\d{1,3})([A-Z]?)([.,;:]?)$")
_AYAT = re.compile(r"^\((\d{1,2})([a-z]?)\)\.?$")
_HURUF = re.compile(r"^([a-zI])\.$")
_ANGKA = re.compile(r"^(\d{1,3})\.$")
_INSTRUCTION = re.compile(
    r"^(?:Ketentuan|Di antara|Diantara|Pasal \S+ (?:dihapus|diubah)|Judul|Penjelasan|Setelah|"
    r"Menambahkan|Ditambahkan|Bab|BAB|Bagian|Paragraf|Lampiran|Mengubah|Menyisipkan)"
)
_MENTIONED = re.compile(r"\b(?:Pasal|pasal|dan|,)\s+(\d{1,3}[A-Z]?)\b")

# Words that, right before "Pasal N", make it a reference rather than a heading.
_REF_BEFORE = frozenset(
    [
        "dalam",
        "pada",
        "dan",
        "atau",
        "dengan",
        "sampai",
        "oleh",
        "ketentuan",
        "menurut",
        "berdasarkan",
        "terhadap",
        "di",
        "ke",
        "serta",
        "juga",
        "maupun",
        "yaitu",
        "dan/atau",
        "lihat",
        "sebagaimana",
        "dari",
        "kecuali",
        "melanggar",
        "mengenai",
        "tentang",
        "dimaksud",
        "diatur",
        "yakni",
        "antara",
        "bahwa,",
        "dengan,",
        "dan,",
        "atau,",
    ]
)
# Words that, right after "Pasal N", make it a reference.
_REF_AFTER = frozenset(
    [
        "ayat",
        "huruf",
        "angka",
        "dan",
        "atau",
        "sampai",
        "dan/atau",
        "undang-undang",
        "uud",
        "tidak",
        "yang",
        "diubah",
        "dihapus",
        "disisipkan",
        "tetap",
        "berbunyi",
        "sehingga",
    ]
)
_CHAPEAU_WORDS = frozenset({"meliputi", "atas", "berikut", "yaitu", "terdiri", "antara"})
_OCR_DIGITS = str.maketrans("SOolIBZT", "50011827")
_ORDINALS = re.compile(r"^Ke[a-z]+$")


class ParseError(ValueError):
    """The text is not recognisable as a regulation."""


@dataclass
class RegulationIdentity:
    """Type, number, year and title of a regulation, and its canonical id (``PP 94/2021``)."""

    type: str
    number: str
    year: int
    title: str

    @property
    def id(self) -> str:
        return f"{self.type} {self.number}/{self.year}"


@dataclass
class _Unit:
    pasal: str
    ayat: str | None = None
    huruf: str | None = None
    angka: str | None = None
    penjelasan: bool = False
    row: str | None = None
    amends_target: str | None = None
    note: str | None = None
    tokens: list[str] = field(default_factory=list)
    parent: _Unit | None = None
    children: list[_Unit] = field(default_factory=list)

    def own_text(self) -> str:
        return " ".join(self.tokens).strip()

    def whole_text(self) -> str:
        parts = [self.own_text(), *(child.whole_text() for child in self.children)]
        return " ".join(p for p in parts if p)

    def marker(self) -> str:
        if self.angka:
            return f"{self.angka}."
        if self.huruf:
            return f"{self.huruf}."
        if self.ayat:
            return f"({self.ayat})"
        return ""


@dataclass
class ParsedRegulation:
    """What the parser recovered from one document."""

    identity: RegulationIdentity
    provisions: list[Provision]
    warnings: list[str] = field(default_factory=list)
    amends: str | None = None
    amends_map: dict[str, str] = field(default_factory=dict)
    explains: dict[str, str] = field(default_factory=dict)
    parts: dict[str, str] = field(default_factory=dict)

    @property
    def id(self) -> str:
        return self.identity.id

    def pasal_numbers(self, *, penjelasan: bool = False, row: str | None = None) -> list[str]:
        """Pasal numbers of the body (or Penjelasan), in order, without amended inner Pasal."""
        seen: list[str] = []
        for p in self.provisions:
            if p.penjelasan != penjelasan or p.row != row or p.pasal is None:
                continue
            if self.amends_map.get(p.label):
                continue
            if p.pasal not in seen:
                seen.append(p.pasal)
        return seen

    def get(self, label: str) -> Provision | None:
        for p in self.provisions:
            if p.label == label:
                return p
        return None


# --- identity ---------------------------------------------------------------------------------


def parse_identity(
    text: str, filename: str | None = None, names: RegulationNames | None = None
) -> RegulationIdentity:
    """Type/number/year/title from the opening of a cleaned regulation text (file name fallback)."""
    names = names or default_regulation_names()
    head = re.sub(r"\s+", " ", text[:6000]).replace("UNDANG.UNDANG", "UNDANG-UNDANG")
    match = _identity_pattern(names).search(head)
    if match:
        title = match.group(4).strip().rstrip(".,")
        title = re.split(
            r" (?:DENGAN RAHMAT|PRESIDEN|Menimbang|MENIMBANG|bahwa"
            r"|(?:PERATURAN|UNDANG-UNDANG)[A-Z -]* REPUBLIK INDONESIA)",
            title,
        )[0]
        return RegulationIdentity(
            type=names.heading_code(match.group(1)) or match.group(1).title(),
            number=match.group(2),
            year=int(match.group(3)),
            title=title.title() if title.isupper() else title,
        )
    named = names.in_file_name(filename) if filename else None
    if named is not None and named.year:
        return RegulationIdentity(named.type, named.number, int(named.year), "")
    raise ParseError("no regulation identity (type, NOMOR, TAHUN) found in the opening text")


def looks_like_regulation(text: str) -> bool:
    """Cheap test used by ``--kind auto``."""
    head = re.sub(r"\s+", " ", normalize_head(text[:8000]))
    return bool(_identity_pattern(default_regulation_names()).search(head)) and bool(
        re.search(r"\bPasal\s+(?:1|I)\b", text[:400_000])
    )


def normalize_head(text: str) -> str:
    return text.replace("UNDANG.UNDANG", "UNDANG-UNDANG")


def reference_id(text: str) -> str | None:
    """The canonical id of the first regulation named in ``text`` with its type, number and year
    ("Undang-Undang Nomor 1 Tahun 2015 ..." -> "UU 1/2015")."""
    for ref in default_regulation_names().find(text):
        if ref.type and ref.year:
            return f"{ref.type} {ref.number}/{ref.year}"
    return None


# --- the word walker ---------------------------------------------------------------------------


def _pasal_key(number: str) -> tuple[int, str]:
    match = re.match(r"^(\d+)([A-Z]?)$", number)
    return (int(match.group(1)), match.group(2)) if match else (-1, "")


def _next_letter(letter: str) -> str:
    return chr(ord(letter) + 1)


class _Tokens:
    """The document's word stream, read by position (out of range reads as "")."""

    def __init__(self, words: list[str]) -> None:
        self.words = words

    def __len__(self) -> int:
        return len(self.words)

    def at(self, i: int) -> str:
        return self.words[i] if 0 <= i < len(self.words) else ""

    def ahead(self, i: int, count: int) -> str:
        return " ".join(self.words[i : i + count])

    def is_reference(self, i: int, number_index: int) -> bool:
        """Whether "Pasal N" at ``i`` (number at ``number_index``) cites a Pasal rather than
        heading one, judged by the words around it."""
        before = self.at(i - 1)
        after = self.at(number_index + 1)
        number = self.at(number_index)
        if before.lower() in _REF_BEFORE or before.endswith(","):
            return True
        if number.endswith((",", ";")):
            return True
        return after.rstrip(",.;") in _REF_AFTER or after.startswith(",")


@dataclass
class _Outline:
    """The units read so far and the open unit at each level: the tree being built."""

    units: list[_Unit] = field(default_factory=list)
    pasal: _Unit | None = None
    ayat: _Unit | None = None
    huruf: _Unit | None = None
    angka: _Unit | None = None
    skipped_tail: list[str] = field(default_factory=list)

    def current(self) -> _Unit | None:
        return self.angka or self.huruf or self.ayat or self.pasal

    def child(self, parent: _Unit | None, **levels: str | None) -> _Unit:
        """A new unit under ``parent`` (or the open Pasal), inheriting its levels."""
        base = parent or self.pasal
        assert base is not None
        unit = _Unit(
            pasal=base.pasal,
            ayat=base.ayat,
            huruf=base.huruf,
            angka=base.angka,
            penjelasan=base.penjelasan,
            row=base.row,
            amends_target=base.amends_target,
            note=base.note,
            parent=parent,
        )
        for key, value in levels.items():
            setattr(unit, key, value)
        if parent is not None:
            parent.children.append(unit)
        self.units.append(unit)
        return unit

    def close_all(self) -> None:
        self.pasal = self.ayat = self.huruf = self.angka = None

    def open_pasal(
        self,
        number: str,
        *,
        penjelasan: bool,
        row: str | None,
        note: str | None,
        amends: str | None = None,
    ) -> _Unit:
        self.close_all()
        unit = _Unit(pasal=number, penjelasan=penjelasan, row=row, note=note, amends_target=amends)
        self.units.append(unit)
        self.pasal = unit
        return unit

    def add_text(self, word: str, *, reading_provisions: bool) -> None:
        unit = self.current()
        if unit is not None:
            unit.tokens.append(word)
        elif reading_provisions and self.units:
            self.skipped_tail.append(word)

    def previous_ends_chapeau(self) -> bool:
        unit = self.current()
        if unit is None or not unit.tokens:
            return False
        last = unit.tokens[-1]
        return last.endswith(":") or last.lower() in _CHAPEAU_WORDS


@dataclass
class _Segment:
    """Which part of the document is being read (preamble | body | skip | penjelasan_umum |
    penjelasan), and the row and note its Pasal are labelled with."""

    mode: str = "preamble"
    perppu_enacting: bool = False
    row: str | None = None
    note: str | None = None
    index: int = 0

    @classmethod
    def for_identity(cls, identity: RegulationIdentity) -> _Segment:
        """A law enacting a Perppu labels its own articles "Batang Tubuh" (module docstring)."""
        title = identity.title.upper()
        enacting = title.startswith("PENETAPAN") and "PENGGANTI UNDANG-UNDANG" in title
        return cls(perppu_enacting=enacting, row="Batang Tubuh" if enacting else None)


@dataclass
class _Amendment:
    """Pasal I of an amending law: its numbered items and the Pasal each one amends."""

    active: bool = False
    target: str | None = None  # the regulation amended
    item: int = 0  # the numbered item being read
    mentions: list[str] = field(default_factory=list)  # Pasal numbers the item's heading names
    inner: _Unit | None = None  # amended Pasal being read (body or penjelasan)
    roman_unit: _Unit | None = None
    roman_last: str = ""

    def in_pasal_i(self) -> bool:
        return self.active and self.roman_unit is not None and self.roman_unit.pasal == "I"


class _Walker:
    """Reads the word stream once, step by step, into :class:`_Unit` s (see module docstring)."""

    def __init__(self, identity: RegulationIdentity, words: list[str]) -> None:
        self.identity = identity
        self.tokens = _Tokens(words)
        self.outline = _Outline()
        self.segment = _Segment.for_identity(identity)
        self.amendment = _Amendment()
        self.last_pasal: tuple[int, str] | None = None
        self.warnings: list[str] = []

    @property
    def units(self) -> list[_Unit]:
        return self.outline.units

    def open_pasal(self, number: str, *, penjelasan: bool, amends: str | None = None) -> _Unit:
        segment = self.segment
        return self.outline.open_pasal(
            number, penjelasan=penjelasan, row=segment.row, note=segment.note, amends=amends
        )

    def add_text(self, word: str) -> None:
        reading = self.segment.mode in {"body", "penjelasan"}
        self.outline.add_text(word, reading_provisions=reading)

    def _amending_law(self) -> bool:
        return "PERUBAHAN" in self.identity.title.upper()

    # -- main loop -----------------------------------------------------------------------------
    def run(self) -> None:
        words = self.tokens.words
        if not any(t.startswith("MEMUTUSKAN") for t in words[:20000]):
            self.segment.mode = "body"
        i, n = 0, len(words)
        while i < n:
            consumed = self.step(i, words[i])
            i += consumed if consumed else 1
        if self.last_pasal is None and not self.amendment.active:
            self.warnings.append("no Pasal found")

    def step(self, i: int, word: str) -> int:
        """Read the word at ``i``; returns how many words it took."""
        switched = self._switch_segment(i, word)
        if switched is not None:
            return switched
        if self.segment.mode == "penjelasan":
            return self.step_penjelasan(i, word)
        return self.step_body(i, word)

    # -- segments ------------------------------------------------------------------------------
    def _switch_segment(self, i: int, word: str) -> int | None:
        """Words that open or close a segment (consumed), words of a skipped segment (1), or
        None for a word the current segment reads."""
        mode = self.segment.mode
        if word.startswith("MEMUTUSKAN"):
            opened = self._decision(mode)
            if opened is not None:
                return opened
        if mode == "preamble":
            return 1
        if word == "PENJELASAN" and self.tokens.at(i + 1) == "ATAS":
            self._open_penjelasan()
            return 2
        if mode == "penjelasan_umum":
            at = self.tokens.at
            if word == "II." and at(i + 1) == "PASAL" and at(i + 2) == "DEMI":
                self.segment.mode = "penjelasan"
                return 4
            return 1
        if mode == "skip":
            return 1
        if self._body_ends(i, word):
            self.outline.close_all()
            self.segment.mode = "skip"
            return 1
        return None

    def _decision(self, mode: str) -> int | None:
        """ "MEMUTUSKAN": the body starts (or, in a law enacting a Perppu, the Perppu's)."""
        segment = self.segment
        if mode == "preamble":
            segment.mode = "body"
            return 1
        if segment.perppu_enacting and segment.index == 0:
            segment.index, segment.mode, segment.row = 1, "body", None
            segment.note = "Lampiran: teks Perppu yang ditetapkan menjadi undang-undang"
            self.last_pasal = None
            self.outline.close_all()
            return 1
        return None

    def _open_penjelasan(self) -> None:
        self.outline.close_all()
        self.amendment.inner = None
        self.segment.mode = "penjelasan_umum"
        self.last_pasal = None
        self.amendment.item = 0

    def _body_ends(self, i: int, word: str) -> bool:
        """The closing formula, the gazette notes or a Lampiran after the body."""
        words, at = self.tokens.words, self.tokens.at
        if (word == "Agar" and "setiap" in words[i + 1 : i + 3]) or (
            word in {"Ditetapkan", "Disahkan"} and at(i + 1) == "di" and self.last_pasal
        ):
            return True
        if word == "TAMBAHAN" and self.tokens.ahead(i, 3) == "TAMBAHAN LEMBARAN NEGARA":
            return True
        if word == "LAMPIRAN" and at(i + 1).isupper() and not self.segment.perppu_enacting:
            self.warnings.append("a Lampiran follows the body; it is not parsed")
            return True
        return False

    # -- body ---------------------------------------------------------------------------------
    def step_body(self, i: int, word: str) -> int:
        heading = self._skip_heading(i, word)
        if heading:
            return heading
        if word == "Pasal":
            consumed = self.try_pasal(i)
            if consumed:
                return consumed
        if self.amendment.in_pasal_i():
            consumed = self.try_item(i, word)
            if consumed:
                return consumed
        if self.outline.pasal is not None:
            consumed = self.try_levels(i, word)
            if consumed:
                return consumed
        self.add_text(word)
        return 1

    def _skip_heading(self, i: int, word: str) -> int:
        """BAB, Bagian and Paragraf headings: how many words they take (0: not a heading)."""
        words, at = self.tokens.words, self.tokens.at
        if word == "BAB" and _ROMAN.match(at(i + 1).rstrip(".")):
            if not self.amendment.active:
                self.outline.close_all()
            j = i + 2
            while (
                j < len(words)
                and words[j].isupper()
                and words[j] not in {"(1)"}
                and words[j] != "BAB"
            ):
                j += 1
            return j - i
        if word in {"Bagian", "Paragraf"} and (_ORDINALS.match(at(i + 1)) or at(i + 1).isdigit()):
            for j in range(i + 2, min(i + 16, len(words))):
                if words[j] == "Pasal":
                    return j - i
                if not (words[j][:1].isupper() or words[j] in {"dan", "atau", "yang", "di", "ke"}):
                    break
        return 0

    def try_pasal(self, i: int) -> int:
        """A "Pasal N" heading at ``i``: how many words it takes (0: a reference, not one)."""
        number_word, consumed = self._pasal_word(i)
        roman = number_word.rstrip(".")
        if _ROMAN.match(roman) and not self.tokens.is_reference(i, i + consumed - 1):
            if self._amending_law():
                return self.try_roman_pasal(roman, consumed)
            if roman == "I":  # OCR: "Pasal I" for "Pasal 1"
                number_word = "1"
        match = self._pasal_match(number_word)
        if not match or match.group(3) in {",", ";"}:
            return 0
        number = match.group(1) + match.group(2)
        opens_ayat = self.tokens.at(i + consumed) == "(1)"
        if self.tokens.is_reference(i, i + consumed - 1) and not opens_ayat:
            return 0
        amendment = self.amendment
        if amendment.active and amendment.item and number in amendment.mentions:
            # an amended Pasal inside "Pasal I" of an amending law
            amendment.mentions.remove(number)
            amendment.inner = self.open_pasal(number, penjelasan=False, amends=amendment.target)
            return consumed
        if amendment.active or not self._in_sequence(i, consumed, number):
            return 0
        self.last_pasal = _pasal_key(number)
        self.open_pasal(number, penjelasan=False)
        return consumed

    def _pasal_word(self, i: int) -> tuple[str, int]:
        """The number word after "Pasal" and how many words the heading takes; "Pasal 1 1" (an
        OCR split) reads as "Pasal 11" when 11 is the next number."""
        number_word, follow = self.tokens.at(i + 1), self.tokens.at(i + 2)
        if (
            number_word.isdigit()
            and follow.isdigit()
            and len(follow) == 1
            and self.last_pasal is not None
            and self.last_pasal[0] + 1 == int(number_word + follow)
        ):
            return number_word + follow, 3
        return number_word, 2

    def _pasal_match(self, number_word: str) -> re.Match[str] | None:
        match = _PASAL_NUMBER.match(number_word)
        if match or self.amendment.active or not re.fullmatch(r"[\dSOolIBZT]{1,3}", number_word):
            return match
        # OCR letters for digits ("Pasal S" = Pasal 5): accepted only as the expected number
        repaired = number_word.translate(_OCR_DIGITS)
        expected = (self.last_pasal[0] + 1) if self.last_pasal else 1
        if repaired.isdigit() and int(repaired) == expected:
            return _PASAL_NUMBER.match(repaired)
        return None

    def _in_sequence(self, i: int, consumed: int, number: str) -> bool:
        """Pasal numbers rise by one; "22A" follows 22; a short gap is accepted (with a warning)
        only where the heading is unmistakable."""
        key = _pasal_key(number)
        expected = (self.last_pasal[0] + 1) if self.last_pasal else 1
        if key[1]:  # "22A": inserted Pasal (consolidated texts)
            return bool(self.last_pasal) and key[0] == self.last_pasal[0]  # type: ignore[index]
        if key[0] == expected:
            return True
        at = self.tokens.at
        before = at(i - 1)
        strong = (before.endswith((".", ";", ":")) or before.isupper()) and (
            at(i + consumed)[:1].isupper() or _AYAT.match(at(i + consumed))
        )
        if not (strong and expected < key[0] <= expected + 10):
            return False
        self.warnings.append(f"gap in Pasal numbering: expected Pasal {expected}, got {number}")
        return True

    def try_roman_pasal(self, roman: str, consumed: int) -> int:
        """ "Pasal I", "Pasal II" of an amending law."""
        amendment = self.amendment
        if self.last_pasal is None and roman == "I" and self.segment.mode == "body":
            amendment.active = True
        if not amendment.active:
            return 0
        if roman != _int_to_roman(_roman_to_int(amendment.roman_last) + 1):
            return 0
        amendment.roman_last = roman
        amendment.inner = None
        amendment.roman_unit = self.open_pasal(roman, penjelasan=False)
        amendment.item = 0
        self.last_pasal = (0, roman)
        return consumed

    def try_item(self, i: int, word: str) -> int:
        """A numbered item of Pasal I ("27. Ketentuan Pasal 71 diubah ...:")."""
        amendment = self.amendment
        match = _ANGKA.match(word)
        if not match or int(match.group(1)) != amendment.item + 1:
            return 0
        instruction = self.tokens.ahead(i + 1, 60)
        if not _INSTRUCTION.match(instruction):
            return 0
        roman_unit = amendment.roman_unit
        assert roman_unit is not None
        if amendment.item == 0 and amendment.target is None:
            amendment.target = reference_id(roman_unit.own_text())
            if amendment.target is None:
                self.warnings.append("amending law: the amended regulation was not recognised")
        amendment.item = int(match.group(1))
        outline = self.outline
        outline.close_all()
        outline.pasal = roman_unit
        outline.angka = outline.child(roman_unit, angka=str(amendment.item))
        stop = instruction.find(":")
        heading = instruction if stop < 0 else instruction[: stop + 1]
        amendment.mentions = list(_MENTIONED.findall(" " + heading))
        amendment.inner = None
        return 1

    def try_levels(self, i: int, word: str) -> int:
        """An ayat "(n)", huruf "x." or angka "n." continuing its list or opening one."""
        outline = self.outline
        if outline.pasal is None or (
            self.amendment.active and outline.pasal.pasal == "I" and not self.amendment.inner
        ):
            return 0
        previous = self.tokens.at(i - 1).lower()
        return (
            self._try_ayat(word, previous)
            or self._try_huruf(word, previous)
            or self._try_angka(i, word, previous)
        )

    def _try_ayat(self, word: str, previous: str) -> int:
        ayat = _AYAT.match(word)
        if not ayat or previous in {"ayat", "dan", "atau", "dengan", "sampai"}:
            return 0
        outline = self.outline
        number, suffix = int(ayat.group(1)), ayat.group(2)
        last = outline.ayat.ayat if outline.ayat else None
        last_number = int(re.sub(r"\D", "", last)) if last else 0
        ok = (number == last_number + 1 and not suffix) or (
            suffix and number == last_number and last is not None
        )
        if not (ok and (last or number == 1)):
            return 0
        outline.huruf = outline.angka = None
        outline.ayat = outline.child(outline.pasal, ayat=f"{number}{suffix}")
        return 1

    def _try_huruf(self, word: str, previous: str) -> int:
        huruf = _HURUF.match(word)
        if not huruf or previous in {"huruf"}:
            return 0
        outline = self.outline
        letter = huruf.group(1)
        if outline.huruf is not None:
            expected = _next_letter(outline.huruf.huruf or "a")
            if letter == expected or (letter == "I" and expected == "l"):
                outline.angka = None
                outline.huruf = outline.child(outline.huruf.parent, huruf=expected)
                return 1
        elif letter == "a" and outline.angka is None and outline.previous_ends_chapeau():
            outline.huruf = outline.child(outline.ayat or outline.pasal, huruf="a")
            return 1
        return 0

    def _try_angka(self, i: int, word: str, previous: str) -> int:
        outline = self.outline
        angka = _ANGKA.match(word)
        follow = self.tokens.at(i + 1)
        consumed = 1
        if (
            outline.angka is not None
            and word.isdigit()
            and _ANGKA.match(follow)
            and int(word + follow[:-1]) == int(outline.angka.angka or 0) + 1
        ):  # "1 2." (an OCR split) for "12."
            angka = re.match(r"^(\d+)$", word + follow[:-1])
            consumed = 2
        if not angka or previous in {"angka", "nomor"}:
            return 0
        number = int(angka.group(1))
        if outline.angka is not None and number == int(outline.angka.angka or 0) + 1:
            outline.angka = outline.child(outline.angka.parent, angka=str(number))
            return consumed
        if number == 1 and outline.angka is None and outline.previous_ends_chapeau():
            parent = outline.huruf or outline.ayat or outline.pasal
            outline.angka = outline.child(parent, angka="1")
            return consumed
        return 0

    # -- penjelasan ------------------------------------------------------------------------------
    def step_penjelasan(self, i: int, word: str) -> int:
        """The Penjelasan's "Pasal N", "Ayat (n)", "Huruf x", "Angka n" headings."""
        nxt = self.tokens.at(i + 1)
        if word == "Pasal" and self._penjelasan_pasal(i, nxt):
            return 2
        if self.outline.pasal is not None and self._penjelasan_level(i, word, nxt):
            return 2
        self.add_text(word)
        return 1

    def _penjelasan_pasal(self, i: int, nxt: str) -> bool:
        amendment = self.amendment
        number = nxt.rstrip(".")
        if _ROMAN.match(number) and amendment.active:
            self.open_pasal(number, penjelasan=True)
            amendment.inner = None
            return True
        match = _PASAL_NUMBER.match(nxt)
        if not match or self.tokens.is_reference(i, i + 1):
            return False
        number = match.group(1) + match.group(2)
        if amendment.active:
            if not amendment.item:
                return False
            amendment.inner = self.open_pasal(number, penjelasan=True, amends=amendment.target)
            return True
        key = _pasal_key(number)
        last = self.last_pasal[0] if self.last_pasal else 0
        if not (last < key[0] <= last + 5 or (key[1] and key[0] == last)):
            return False
        self.last_pasal = key
        self.open_pasal(number, penjelasan=True)
        return True

    def _penjelasan_level(self, i: int, word: str, nxt: str) -> bool:
        outline = self.outline
        if word == "Ayat" and _AYAT.match(nxt):
            outline.huruf = outline.angka = None
            outline.ayat = outline.child(outline.pasal, ayat=nxt.strip("()"))
            return True
        if word == "Huruf" and re.match(r"^[a-zI][0-9]?\.?$", nxt):
            letter = "l" if nxt.rstrip(".") == "I" else nxt.rstrip(".")
            outline.angka = None
            outline.huruf = outline.child(outline.ayat or outline.pasal, huruf=letter)
            return True
        if word == "Angka" and re.match(r"^\d{1,3}[a-z]?\.?$", nxt):
            number = nxt.rstrip(".")
            if self.amendment.active and self.tokens.at(i + 2) == "Pasal":
                self.amendment.item = int(re.sub(r"\D", "", number) or 0)
                outline.close_all()
                return True
            parent = outline.huruf or outline.ayat or outline.pasal
            outline.angka = outline.child(parent, angka=number)
            return True
        return False


def _roman_to_int(roman: str) -> int:
    values = {"I": 1, "V": 5, "X": 10, "L": 50, "C": 100, "D": 500, "M": 1000}
    total = 0
    for index, char in enumerate(roman):
        value = values[char]
        if index + 1 < len(roman) and values[roman[index + 1]] > value:
            total -= value
        else:
            total += value
    return total


def _int_to_roman(number: int) -> str:
    pairs = [
        (1000, "M"),
        (900, "CM"),
        (500, "D"),
        (400, "CD"),
        (100, "C"),
        (90, "XC"),
        (50, "L"),
        (40, "XL"),
        (10, "X"),
        (9, "IX"),
        (5, "V"),
        (4, "IV"),
        (1, "I"),
    ]
    out = ""
    for value, symbol in pairs:
        while number >= value:
            out += symbol
            number -= value
    return out


# --- assembling provisions ------------------------------------------------------------------------


def _tidy(text: str) -> str:
    text = re.sub(r"\s+([,;:.)])", r"\1", text)
    text = re.sub(r"\(\s+", "(", text)
    return re.sub(r"\s{2,}", " ", text).strip()


def _context(unit: _Unit) -> str | None:
    chapeaus = []
    parent = unit.parent
    while parent is not None:
        own = _tidy(parent.own_text())
        if own and own.endswith(":"):
            chapeaus.append(own)
        parent = parent.parent
    return " ".join(reversed(chapeaus)) or None


def parse_regulation(
    text: str,
    *,
    source: str,
    status: Status = Status.BERLAKU,
    status_note: str | None = None,
    identity: RegulationIdentity | None = None,
) -> ParsedRegulation:
    """Parse one regulation's raw text into identity, provisions (official text) and warnings."""
    cleaned = clean_regulation_text(text)
    identity = identity or parse_identity(cleaned, source)
    walker = _Walker(identity, cleaned.split())
    walker.run()
    parsed = ParsedRegulation(
        identity=identity,
        provisions=[],
        warnings=list(walker.warnings),
        amends=walker.amendment.target,
    )
    stamp = _Stamp(identity.id, status, status_note, source)
    seen: set[str] = set()
    for unit in walker.units:
        provision = stamp.provision(unit)
        if provision is None:
            continue
        if provision.label in seen:
            parsed.warnings.append(f"duplicate unit {provision.label}: later copy ignored")
            continue
        seen.add(provision.label)
        parsed.provisions.append(provision)
        _link(parsed, unit, provision.label)
    skipped = walker.outline.skipped_tail
    if len(skipped) > SKIPPED_WORDS_WARNING:
        parsed.warnings.append(f"{len(skipped)} tokens outside any Pasal were not parsed")
    if not parsed.provisions:
        raise ParseError("no Pasal could be recognised in the text")
    _check_gaps(parsed.provisions, parsed.warnings, parsed.amends_map)
    return parsed


# More words than this outside any Pasal (after the first) are worth a warning.
SKIPPED_WORDS_WARNING = 40


@dataclass(frozen=True)
class _Stamp:
    """What every provision of one parsed document carries: regulation, status, source."""

    regulation: str
    status: Status
    status_note: str | None
    source: str

    def provision(self, unit: _Unit) -> Provision | None:
        """The unit as a provision (None when it has no text of its own)."""
        text_value = _tidy(unit.own_text())
        if not text_value and unit.parent is None and unit.children:
            # a Pasal that only contains ayat: its whole text, so the label still resolves
            text_value = _tidy(unit.whole_text())
        if not text_value:
            return None
        note = unit.note
        if unit.amends_target:
            note = f"Ketentuan perubahan atas {unit.amends_target} (dimuat dalam Pasal I)."
        return Provision(
            regulation=self.regulation,
            pasal=unit.pasal,
            ayat=unit.ayat,
            huruf=unit.huruf,
            angka=unit.angka,
            row=unit.row,
            penjelasan=unit.penjelasan,
            context=_context(unit),
            text=text_value,
            official=True,
            status=self.status,
            status_note=self.status_note,
            source=self.source,
            note=note,
        )


def _link(parsed: ParsedRegulation, unit: _Unit, label: str) -> None:
    """Record what the provision amends, which Pasal a Penjelasan explains, and the Lampiran."""
    if unit.amends_target:
        parsed.amends_map[label] = _unit_label(unit.amends_target, unit, penjelasan=unit.penjelasan)
    if unit.penjelasan:
        parsed.explains[label] = _unit_label(parsed.id, unit, row=unit.row)
    if unit.note:
        parsed.parts[label] = "lampiran"


def _unit_label(
    regulation: str, unit: _Unit, *, penjelasan: bool = False, row: str | None = None
) -> str:
    """The citation label of ``unit``'s levels under ``regulation``."""
    return citation_label(
        regulation,
        pasal=unit.pasal,
        ayat=unit.ayat,
        huruf=unit.huruf,
        angka=unit.angka,
        penjelasan=penjelasan,
        row=row,
    )


def _check_gaps(provisions: list[Provision], warnings: list[str], amends: dict[str, str]) -> None:
    numbers = sorted(
        {
            (p.row or "", int(p.pasal))
            for p in provisions
            if p.pasal and p.pasal.isdigit() and not p.penjelasan and p.label not in amends
        }
    )
    for (row, a), (row_b, b) in pairwise(numbers):
        if row == row_b and b != a + 1:
            warnings.append(f"Pasal numbering jumps from {a} to {b}")
