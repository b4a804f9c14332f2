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


class _Walker:
    def __init__(self, identity: RegulationIdentity, tokens: list[str], source: str) -> None:
        self.identity = identity
        self.tokens = tokens
        self.source = source
        self.units: list[_Unit] = []
        self.warnings: list[str] = []
        self.mode = "preamble"  # preamble | body | skip | penjelasan_umum | penjelasan
        title = identity.title.upper()
        self.perppu_enacting = title.startswith("PENETAPAN") and "PENGGANTI UNDANG-UNDANG" in title
        self.row: str | None = "Batang Tubuh" if self.perppu_enacting else None
        self.note: str | None = None
        self.segment = 0
        self.last_pasal: tuple[int, str] | None = None
        self.amending = False
        self.target: str | None = None
        self.item = 0
        self.item_mentions: list[str] = []
        self.inner: _Unit | None = None  # amended Pasal being read (body or penjelasan)
        self.item_unit: _Unit | None = None
        self.pasal: _Unit | None = None
        self.ayat: _Unit | None = None
        self.huruf: _Unit | None = None
        self.angka: _Unit | None = None
        self.skipped_tail: list[str] = []
        self.roman_unit: _Unit | None = None
        self.roman_last = ""

    # -- unit management -----------------------------------------------------------------
    def current(self) -> _Unit | None:
        return self.angka or self.huruf or self.ayat or self.pasal

    def _new(self, parent: _Unit | None, **levels: str | None) -> _Unit:
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

    def open_pasal(self, number: str, *, penjelasan: bool, amends: str | None = None) -> None:
        self.close_all()
        unit = _Unit(
            pasal=number,
            penjelasan=penjelasan,
            row=self.row,
            note=self.note,
            amends_target=amends,
        )
        self.units.append(unit)
        self.pasal = unit

    def add_text(self, word: str) -> None:
        unit = self.current()
        if unit is not None:
            unit.tokens.append(word)
        elif self.mode in {"body", "penjelasan"} and self.units:
            self.skipped_tail.append(word)

    # -- helpers -----------------------------------------------------------------------------
    def tok(self, i: int) -> str:
        return self.tokens[i] if 0 <= i < len(self.tokens) else ""

    def ahead(self, i: int, count: int) -> str:
        return " ".join(self.tokens[i : i + count])

    def previous_ends_chapeau(self) -> bool:
        unit = self.current()
        if unit is None or not unit.tokens:
            return False
        last = unit.tokens[-1]
        return last.endswith(":") or last.lower() in _CHAPEAU_WORDS

    def is_reference(self, i: int, number_index: int) -> bool:
        before = self.tok(i - 1)
        after = self.tok(number_index + 1)
        number = self.tok(number_index)
        if before.lower() in _REF_BEFORE or before.endswith(","):
            return True
        if number.endswith((",", ";")):
            return True
        return after.rstrip(",.;") in _REF_AFTER or after.startswith(",")

    # -- main loop -----------------------------------------------------------------------------
    def run(self) -> None:
        i = 0
        tokens = self.tokens
        has_decision = any(t.startswith("MEMUTUSKAN") for t in tokens[:20000])
        if not has_decision:
            self.mode = "body"
        n = len(tokens)
        while i < n:
            word = tokens[i]
            consumed = self.step(i, word)
            i += consumed if consumed else 1
        if self.last_pasal is None and not self.amending:
            self.warnings.append("no Pasal found")

    def step(self, i: int, word: str) -> int:
        t = self.tokens
        # segment switches --------------------------------------------------------------
        if word.startswith("MEMUTUSKAN"):
            if self.mode == "preamble":
                self.mode = "body"
                return 1
            if self.perppu_enacting and self.segment == 0:
                self.segment = 1
                self.mode = "body"
                self.row = None
                self.note = "Lampiran: teks Perppu yang ditetapkan menjadi undang-undang"
                self.last_pasal = None
                self.close_all()
                return 1
        if self.mode == "preamble":
            return 1
        if word == "PENJELASAN" and self.tok(i + 1) == "ATAS":
            self.close_all()
            self.inner = None
            self.mode = "penjelasan_umum"
            self.last_pasal = None
            self.item = 0
            return 2
        if self.mode == "penjelasan_umum":
            if word == "II." and self.tok(i + 1) == "PASAL" and self.tok(i + 2) == "DEMI":
                self.mode = "penjelasan"
                return 4
            return 1
        if self.mode == "skip":
            return 1
        if (word == "Agar" and "setiap" in t[i + 1 : i + 3]) or (
            word in {"Ditetapkan", "Disahkan"} and self.tok(i + 1) == "di" and self.last_pasal
        ):
            self.close_all()
            self.mode = "skip"
            return 1
        if word == "TAMBAHAN" and self.ahead(i, 3) == "TAMBAHAN LEMBARAN NEGARA":
            self.close_all()
            self.mode = "skip"
            return 1
        if word == "LAMPIRAN" and self.tok(i + 1).isupper() and not self.perppu_enacting:
            self.close_all()
            self.mode = "skip"
            self.warnings.append("a Lampiran follows the body; it is not parsed")
            return 1
        if self.mode == "penjelasan":
            return self.step_penjelasan(i, word)
        return self.step_body(i, word)

    # -- body ---------------------------------------------------------------------------------
    def step_body(self, i: int, word: str) -> int:
        t = self.tokens
        if word == "BAB" and _ROMAN.match(self.tok(i + 1).rstrip(".")):
            if not self.amending:
                self.close_all()
            j = i + 2
            while j < len(t) and t[j].isupper() and t[j] not in {"(1)"} and t[j] != "BAB":
                j += 1
            return j - i
        if word in {"Bagian", "Paragraf"} and (
            _ORDINALS.match(self.tok(i + 1)) or self.tok(i + 1).isdigit()
        ):
            for j in range(i + 2, min(i + 16, len(t))):
                if t[j] == "Pasal":
                    return j - i
                if not (t[j][:1].isupper() or t[j] in {"dan", "atau", "yang", "di", "ke"}):
                    break
        if word == "Pasal":
            consumed = self.try_pasal(i)
            if consumed:
                return consumed
        if self.amending and self.roman_unit is not None and self.roman_unit.pasal == "I":
            consumed = self.try_item(i, word)
            if consumed:
                return consumed
        if self.pasal is not None:
            consumed = self.try_levels(i, word)
            if consumed:
                return consumed
        self.add_text(word)
        return 1

    def try_pasal(self, i: int) -> int:
        number_word = self.tok(i + 1)
        consumed = 2
        # "Pasal 1 1" (OCR split) -> "Pasal 11"
        follow = self.tok(i + 2)
        if (
            number_word.isdigit()
            and follow.isdigit()
            and len(follow) == 1
            and self.last_pasal is not None
            and self.last_pasal[0] + 1 == int(number_word + follow)
        ):
            number_word = number_word + follow
            consumed = 3
        roman = number_word.rstrip(".")
        if _ROMAN.match(roman) and not self.is_reference(i, i + consumed - 1):
            if "PERUBAHAN" in self.identity.title.upper():
                return self.try_roman_pasal(roman, consumed)
            if roman == "I":  # OCR: "Pasal I" for "Pasal 1"
                number_word = "1"
        match = _PASAL_NUMBER.match(number_word)
        if not match and not self.amending and re.fullmatch(r"[\dSOolIBZT]{1,3}", number_word):
            # OCR letters for digits ("Pasal S" = Pasal 5): accepted only as the expected number
            repaired = number_word.translate(_OCR_DIGITS)
            expected_now = (self.last_pasal[0] + 1) if self.last_pasal else 1
            if repaired.isdigit() and int(repaired) == expected_now:
                match = _PASAL_NUMBER.match(repaired)
        if not match or match.group(3) in {",", ";"}:
            return 0
        number = match.group(1) + match.group(2)
        opens_ayat = self.tok(i + consumed) == "(1)"
        if self.is_reference(i, i + consumed - 1) and not opens_ayat:
            return 0
        # amended Pasal inside "Pasal I" of an amending law
        if self.amending and self.item and number in self.item_mentions:
            self.item_mentions.remove(number)
            self.open_pasal(number, penjelasan=False, amends=self.target)
            self.inner = self.pasal
            return consumed
        if self.amending:
            return 0
        key = _pasal_key(number)
        expected = (self.last_pasal[0] + 1) if self.last_pasal else 1
        if key[1]:  # "22A": inserted Pasal (consolidated texts)
            if not self.last_pasal or key[0] != self.last_pasal[0]:
                return 0
        elif key[0] != expected:
            before = self.tok(i - 1)
            strong = (before.endswith((".", ";", ":")) or before.isupper()) and (
                self.tok(i + consumed)[:1].isupper() or _AYAT.match(self.tok(i + consumed))
            )
            if not (strong and expected < key[0] <= expected + 10):
                return 0
            self.warnings.append(f"gap in Pasal numbering: expected Pasal {expected}, got {number}")
        self.last_pasal = key
        self.open_pasal(number, penjelasan=False)
        return consumed

    def try_roman_pasal(self, roman: str, consumed: int) -> int:
        if (
            self.last_pasal is None
            and roman == "I"
            and self.mode == "body"
            and "PERUBAHAN" in self.identity.title.upper()
        ):
            self.amending = True
        if not self.amending:
            return 0
        expected = _int_to_roman(_roman_to_int(self.roman_last) + 1)
        if roman != expected:
            return 0
        self.roman_last = roman
        self.inner = None
        self.open_pasal(roman, penjelasan=False)
        self.roman_unit = self.pasal
        self.item = 0
        self.last_pasal = (0, roman)
        return consumed

    def try_item(self, i: int, word: str) -> int:
        match = _ANGKA.match(word)
        if not match or int(match.group(1)) != self.item + 1:
            return 0
        instruction = self.ahead(i + 1, 60)
        if not _INSTRUCTION.match(instruction):
            return 0
        roman_unit = self.roman_unit
        assert roman_unit is not None
        if self.item == 0 and self.target is None:
            self.target = reference_id(roman_unit.own_text())
            if self.target is None:
                self.warnings.append("amending law: the amended regulation was not recognised")
        self.item = int(match.group(1))
        self.close_all()
        self.pasal = roman_unit
        self.item_unit = self._new(roman_unit, angka=str(self.item))
        self.angka = self.item_unit
        stop = instruction.find(":")
        text = instruction if stop < 0 else instruction[: stop + 1]
        self.item_mentions = [m for m in _MENTIONED.findall(" " + text)]
        self.inner = None
        return 1

    def try_levels(self, i: int, word: str) -> int:
        previous = self.tok(i - 1).lower()
        if self.pasal is None or (self.amending and self.pasal.pasal == "I" and not self.inner):
            return 0
        ayat = _AYAT.match(word)
        if ayat and previous not in {"ayat", "dan", "atau", "dengan", "sampai"}:
            number, suffix = int(ayat.group(1)), ayat.group(2)
            last = self.ayat.ayat if self.ayat else None
            last_number = int(re.sub(r"\D", "", last)) if last else 0
            ok = (number == last_number + 1 and not suffix) or (
                suffix and number == last_number and last is not None
            )
            if ok and (last or number == 1):
                self.huruf = self.angka = None
                self.ayat = self._new(self.pasal, ayat=f"{number}{suffix}")
                return 1
        huruf = _HURUF.match(word)
        if huruf and previous not in {"huruf"}:
            letter = huruf.group(1)
            if self.huruf is not None:
                expected = _next_letter(self.huruf.huruf or "a")
                if letter == expected or (letter == "I" and expected == "l"):
                    self.angka = None
                    parent = self.huruf.parent
                    self.huruf = self._new(parent, huruf=expected)
                    return 1
            elif letter == "a" and self.angka is None and self.previous_ends_chapeau():
                self.huruf = self._new(self.ayat or self.pasal, huruf="a")
                return 1
        angka = _ANGKA.match(word)
        follow = self.tok(i + 1)
        if (
            self.angka is not None
            and word.isdigit()
            and _ANGKA.match(follow)
            and int(word + follow[:-1]) == int(self.angka.angka or 0) + 1
        ):
            angka = re.match(r"^(\d+)$", word + follow[:-1])
            consumed = 2
        else:
            consumed = 1
        if angka and previous not in {"angka", "nomor"}:
            number = int(angka.group(1))
            if self.angka is not None and number == int(self.angka.angka or 0) + 1:
                parent = self.angka.parent
                self.angka = self._new(parent, angka=str(number))
                return consumed
            if number == 1 and self.angka is None and self.previous_ends_chapeau():
                parent = self.huruf or self.ayat or self.pasal
                self.angka = self._new(parent, angka="1")
                return consumed
        return 0

    # -- penjelasan ------------------------------------------------------------------------------
    def step_penjelasan(self, i: int, word: str) -> int:
        nxt = self.tok(i + 1)
        if word == "Pasal":
            number = nxt.rstrip(".")
            if _ROMAN.match(number) and self.amending:
                self.open_pasal(number, penjelasan=True)
                self.inner = None
                return 2
            match = _PASAL_NUMBER.match(nxt)
            if match and not self.is_reference(i, i + 1):
                number = match.group(1) + match.group(2)
                if self.amending:
                    if self.item:
                        self.open_pasal(number, penjelasan=True, amends=self.target)
                        self.inner = self.pasal
                        return 2
                else:
                    key = _pasal_key(number)
                    last = self.last_pasal[0] if self.last_pasal else 0
                    if last < key[0] <= last + 5 or (key[1] and key[0] == last):
                        self.last_pasal = key
                        self.open_pasal(number, penjelasan=True)
                        return 2
        if self.pasal is not None:
            if word == "Ayat" and _AYAT.match(nxt):
                self.huruf = self.angka = None
                self.ayat = self._new(self.pasal, ayat=nxt.strip("()"))
                return 2
            if word == "Huruf" and re.match(r"^[a-zI][0-9]?\.?$", nxt):
                letter = "l" if nxt.rstrip(".") == "I" else nxt.rstrip(".")
                self.angka = None
                self.huruf = self._new(self.ayat or self.pasal, huruf=letter)
                return 2
            if word == "Angka" and re.match(r"^\d{1,3}[a-z]?\.?$", nxt):
                number = nxt.rstrip(".")
                if self.amending and self.tok(i + 2) == "Pasal":
                    self.item = int(re.sub(r"\D", "", number) or 0)
                    self.close_all()
                    return 2
                self.angka = self._new(self.huruf or self.ayat or self.pasal, angka=number)
                return 2
        self.add_text(word)
        return 1


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
    walker = _Walker(identity, cleaned.split(), source)
    walker.run()
    provisions: list[Provision] = []
    warnings = list(walker.warnings)
    amends_map: dict[str, str] = {}
    explains: dict[str, str] = {}
    parts: dict[str, str] = {}
    seen: set[str] = set()
    for unit in walker.units:
        text_value = _tidy(unit.own_text())
        if not text_value and unit.parent is None and unit.children:
            # a Pasal that only contains ayat: its whole text, so the label still resolves
            text_value = _tidy(unit.whole_text())
        if not text_value:
            continue
        provision = Provision(
            regulation=identity.id,
            pasal=unit.pasal,
            ayat=unit.ayat,
            huruf=unit.huruf,
            angka=unit.angka,
            row=unit.row,
            penjelasan=unit.penjelasan,
            context=_context(unit),
            text=text_value,
            official=True,
            status=status,
            status_note=status_note,
            source=source,
            note=unit.note,
        )
        label = provision.label
        if unit.amends_target:
            provision.note = (
                f"Ketentuan perubahan atas {unit.amends_target} (dimuat dalam Pasal I)."
            )
        if label in seen:
            warnings.append(f"duplicate unit {label}: later copy ignored")
            continue
        seen.add(label)
        provisions.append(provision)
        if unit.amends_target:
            amends_map[label] = citation_label(
                unit.amends_target,
                pasal=unit.pasal,
                ayat=unit.ayat,
                huruf=unit.huruf,
                angka=unit.angka,
                penjelasan=unit.penjelasan,
            )
        if unit.penjelasan:
            explains[label] = citation_label(
                identity.id,
                row=unit.row,
                pasal=unit.pasal,
                ayat=unit.ayat,
                huruf=unit.huruf,
                angka=unit.angka,
            )
        if unit.note:
            parts[label] = "lampiran"
    if walker.skipped_tail and len(walker.skipped_tail) > 40:
        warnings.append(f"{len(walker.skipped_tail)} tokens outside any Pasal were not parsed")
    if not provisions:
        raise ParseError("no Pasal could be recognised in the text")
    _check_gaps(provisions, warnings, amends_map)
    return ParsedRegulation(
        identity=identity,
        provisions=provisions,
        warnings=warnings,
        amends=walker.target,
        amends_map=amends_map,
        explains=explains,
        parts=parts,
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
