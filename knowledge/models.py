"""Domain models shared by the knowledge pack, ingest, retrieval, answering and the bot.

The JSON shape of :class:`Answer` is a public contract (the CLI's ``--json``, batch mode and the
evaluation harness depend on it); change it only additively.
"""

from __future__ import annotations

from datetime import date
from enum import StrEnum
from typing import Literal, get_args

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

OWN_WORDS_MARKER = "(Rumusan kami)"
OWN_WORDS_MARKER_EN = "(Our wording)"
PACK_ID_PATTERN = r"^[a-z0-9][a-z0-9-]*$"


class Verdict(StrEnum):
    """What the law says about an act, or why no such verdict is given."""

    DILARANG = "dilarang"
    BOLEH = "boleh"
    BOLEH_BERSYARAT = "boleh_bersyarat"
    TIDAK_DIKETAHUI = "tidak_diketahui"
    DI_LUAR_CAKUPAN = "di_luar_cakupan"
    DITOLAK = "ditolak"


RULING_VERDICTS = (Verdict.DILARANG, Verdict.BOLEH, Verdict.BOLEH_BERSYARAT)


class Status(StrEnum):
    """Legal status of a regulation (or of one provision)."""

    BERLAKU = "berlaku"
    DIUBAH = "diubah"
    DICABUT = "dicabut"


class Audience(StrEnum):
    """Who a ruling applies to."""

    PNS = "PNS"
    CPNS = "CPNS"
    PPPK = "PPPK"
    ASN = "ASN"
    NON_ASN = "non-ASN"


def _clean(value: str | int | None) -> str | None:
    """Normalise a structural level to a non-empty string or None."""
    if value is None:
        return None
    text = str(value).strip()
    return text or None


def citation_label(
    regulation: str,
    *,
    pasal: str | None = None,
    ayat: str | None = None,
    huruf: str | None = None,
    angka: str | None = None,
    lampiran: str | None = None,
    row: str | None = None,
    penjelasan: bool = False,
) -> str:
    """Build the canonical citation label, e.g. ``PP 94/2021 Pasal 5 huruf n angka 1``.

    One function builds every label so that labels written in the pack, parsed by ingest and
    printed in answers always compare equal.
    """
    parts = [regulation]
    if penjelasan:
        parts.append("Penjelasan")
    if lampiran:
        parts.append(f"Lampiran {lampiran}")
    if row:
        parts.append(row)
    if pasal:
        parts.append(f"Pasal {pasal}")
    if ayat:
        parts.append(f"ayat ({ayat})")
    if huruf:
        parts.append(f"huruf {huruf}")
    if angka:
        parts.append(f"angka {angka}")
    return " ".join(parts)


class Provision(BaseModel):
    """One citable unit of a regulation at its exact level (Pasal/ayat/huruf/angka/Lampiran row).

    ``text`` is either the official wording (``official=True``, from an ingested document) or our
    own statement of its content (``official=False``, written in the knowledge pack).

    ``document=True`` marks a document-level citation: for an instrument whose articles we could
    not verify (a circular, a Perpres known only from reports), the provision names the document
    itself (label = the regulation id, e.g. ``SE MenPANRB 18/2023``) or, when its numbering was
    verified, one numbered part (``angka``/``huruf``, e.g. ``SE MenPANRB 1/2023 angka 4``). It
    must say so explicitly, so that a provision that merely forgot its Pasal is still rejected.
    """

    model_config = ConfigDict(extra="forbid")

    id: str | None = Field(
        default=None,
        pattern=PACK_ID_PATTERN,
        description="Short stable id (e.g. ``pp94-5-n-1``) that rulings use to cite the provision; "
        "the label stays what users see. Required in the pack, absent for ingested text.",
    )
    regulation: str
    pasal: str | None = None
    ayat: str | None = None
    huruf: str | None = None
    angka: str | None = None
    lampiran: str | None = None
    row: str | None = Field(
        default=None, description="Short name of a Lampiran row (ours, not official numbering)."
    )
    penjelasan: bool = False
    context: str | None = Field(
        default=None, description="Chapeau or surrounding text the provision depends on."
    )
    text: str
    official: bool = False
    status: Status = Status.BERLAKU
    status_note: str | None = None
    topics: list[str] = Field(default_factory=list)
    source: str = Field(description="Where the provision was checked (corpus file or URLs).")
    note: str | None = None
    document: bool = Field(
        default=False,
        description="Document-level citation (no Pasal/Lampiran): the whole instrument or a "
        "numbered part of it (angka/huruf), for instruments whose articles are unverified.",
    )
    # English forms (issue 15), loaded from the pack's ``en/`` overlays; citations stay Indonesian.
    text_en: str | None = None
    context_en: str | None = None
    note_en: str | None = None
    status_note_en: str | None = None

    @field_validator("pasal", "ayat", "huruf", "angka", "lampiran", "row", mode="before")
    @classmethod
    def _levels_are_strings(cls, value: str | int | None) -> str | None:
        return _clean(value)

    @field_validator("text", "source")
    @classmethod
    def _not_blank(cls, value: str) -> str:
        value = value.strip()
        if not value:
            raise ValueError("must not be empty")
        return value

    @model_validator(mode="after")
    def _has_a_level(self) -> Provision:
        if self.document:
            article_levels = (self.pasal, self.ayat, self.lampiran, self.row)
            if any(article_levels) or self.penjelasan:
                raise ValueError(
                    f"{self.regulation}: a document-level provision names no pasal, ayat, "
                    "lampiran, row or penjelasan (only an optional numbered part: angka/huruf)"
                )
            return self
        if not (self.pasal or self.lampiran):
            raise ValueError(
                f"{self.regulation}: a provision needs a pasal or a lampiran "
                "(or `document: true` for a document-level citation)"
            )
        return self

    @property
    def label(self) -> str:
        return citation_label(
            self.regulation,
            pasal=self.pasal,
            ayat=self.ayat,
            huruf=self.huruf,
            angka=self.angka,
            lampiran=self.lampiran,
            row=self.row,
            penjelasan=self.penjelasan,
        )

    def full_text(self) -> str:
        """Text with its chapeau, as shown to users and embedded for retrieval.

        Our own statements keep their "(Rumusan kami)" marker in front of the whole text.
        """
        if not self.context:
            return self.text
        return _with_context(self.text, self.context, OWN_WORDS_MARKER)

    def full_text_en(self) -> str | None:
        """The English form of :meth:`full_text`, when the pack has one."""
        if not self.text_en:
            return None
        return _with_context(self.text_en, self.context_en or self.context, OWN_WORDS_MARKER_EN)


def _with_context(text: str, context: str | None, marker: str) -> str:
    """``text`` after its chapeau, keeping an own-words marker in front of the whole."""
    if not context:
        return text
    if text.startswith(marker):
        return f"{marker} {context} {text[len(marker) :].strip()}"
    return f"{context} {text}"


class Regulation(BaseModel):
    """A regulation the knowledge pack (or an ingested document) covers."""

    model_config = ConfigDict(extra="forbid")

    id: str
    title: str
    type: str
    number: str
    year: int
    aliases: list[str] = Field(
        default_factory=list,
        description="Other names of this regulation in messages and documents ('UU Pemilu'); "
        "type-and-number forms ('UU No. 7 Tahun 2017') need none (lexicon.yaml regulation_types).",
    )
    date_in_force: date | None = None
    status: Status
    status_note: str | None = None
    replaces: list[str] = Field(default_factory=list)
    replaced_by: list[str] = Field(default_factory=list)
    amends: list[str] = Field(default_factory=list)
    amended_by: list[str] = Field(default_factory=list)
    source_url: str
    verified_against: list[str] = Field(min_length=1)
    notes: str | None = None
    provisions: list[Provision] = Field(default_factory=list)
    # English forms (issue 15), loaded from ``en/regulations/``.
    title_en: str | None = None
    notes_en: str | None = None
    status_note_en: str | None = None

    @model_validator(mode="before")
    @classmethod
    def _provisions_inherit_regulation(cls, data: object) -> object:
        """Provisions in a regulation file need not repeat the regulation id."""
        if isinstance(data, dict) and isinstance(data.get("provisions"), list):
            for provision in data["provisions"]:
                if isinstance(provision, dict):
                    provision.setdefault("regulation", data.get("id"))
        return data

    @field_validator("number", mode="before")
    @classmethod
    def _number_is_string(cls, value: str | int) -> str:
        return str(value)

    @model_validator(mode="after")
    def _provisions_belong_here(self) -> Regulation:
        for provision in self.provisions:
            if provision.regulation != self.id:
                raise ValueError(f"provision {provision.label} is filed under regulation {self.id}")
        if self.status is not Status.BERLAKU and not self.status_note:
            raise ValueError(f"{self.id}: status {self.status} needs a status_note")
        return self


Election = Literal["pemilu", "pilkada"]
Stage = Literal["bakal_calon", "calon", "any"]


class Ruling(BaseModel):
    """A concrete act and what the law says about it: the unit the answerer matches questions to."""

    model_config = ConfigDict(extra="forbid")

    id: str = Field(pattern=PACK_ID_PATTERN)
    act: str
    verdict: Literal["dilarang", "boleh", "boleh_bersyarat"]
    applies_to: list[Audience] = Field(min_length=1)
    election: list[Election] = Field(default_factory=lambda: list(get_args(Election)))
    stage: list[Stage] = Field(default_factory=lambda: list[Stage](["any"]))
    period: str = "kapan saja"
    conditions: str | None = None
    basis: list[str] = Field(
        min_length=1,
        description="Citation labels that must resolve (the pack file may name provision ids; "
        "the loader turns them into labels).",
    )
    sanction: str | None = Field(
        default=None, description="The sanction text, joined from the sanctions table entries."
    )
    sanction_by: str | None = Field(
        default=None, description="Who imposes it, joined from the sanctions table authorities."
    )
    sanction_ids: list[str] = Field(
        default_factory=list, description="The sanctions table entries the pack file names."
    )
    sanction_by_ids: list[str] = Field(
        default_factory=list, description="The sanctions table authorities the pack file names."
    )
    explanation: str
    examples: list[str] = Field(min_length=4)
    related: list[str] = Field(default_factory=list)
    notes: str | None = None
    unsettled: str | None = Field(
        default=None,
        description=(
            "Why the law does not settle this act yet (sources disagree, the deciding text is not "
            "verified). Netra then answers 'tidak diketahui' and offers `verdict` only as the "
            "cautious reading, with where to ask."
        ),
    )
    facets: dict[str, list[str]] = Field(
        default_factory=dict,
        description=(
            "The situations the ruling holds for (acts, targets, roles, actors; vocabulary in "
            "data/situation.yaml). Derived from the act and examples when absent."
        ),
    )
    topic: str
    # English forms (issue 15): from ``en/rulings/`` and the sanctions table.
    act_en: str | None = None
    period_en: str | None = None
    conditions_en: str | None = None
    explanation_en: str | None = None
    notes_en: str | None = None
    unsettled_en: str | None = None
    sanction_en: str | None = None
    sanction_by_en: str | None = None

    @property
    def answered_verdict(self) -> str:
        """The verdict Netra gives for this act: its own, or 'tidak_diketahui' when unsettled."""
        return "tidak_diketahui" if self.unsettled else self.verdict

    @field_validator("examples")
    @classmethod
    def _examples_not_blank(cls, value: list[str]) -> list[str]:
        cleaned = [v.strip() for v in value if v and v.strip()]
        if len(cleaned) != len(value):
            raise ValueError("examples must not contain empty strings")
        return cleaned


class SocialisationNote(BaseModel):
    """Our short summary of a socialisation event (the raw transcript is ingested separately)."""

    model_config = ConfigDict(extra="forbid")

    id: str = Field(pattern=PACK_ID_PATTERN)
    title: str
    organiser: str
    place: str
    date: str | None = None
    date_note: str | None = None
    speakers: list[str] = Field(default_factory=list)
    points: list[str] = Field(min_length=1)
    rules_cited: list[str] = Field(default_factory=list)
    topics: list[str] = Field(default_factory=list)
    source_file: str
    # English forms (issue 15), loaded from ``en/notes/``; lists match the Indonesian ones.
    title_en: str | None = None
    organiser_en: str | None = None
    place_en: str | None = None
    date_note_en: str | None = None
    speakers_en: list[str] | None = None
    points_en: list[str] | None = None


class Citation(BaseModel):
    """A provision cited by an answer; part of the Answer JSON contract."""

    label: str
    regulation: str
    pasal: str | None = None
    ayat: str | None = None
    huruf: str | None = None
    angka: str | None = None
    lampiran: str | None = None
    text: str
    status: Status
    source: str
    text_en: str | None = Field(
        default=None, description="Additive: an English statement of the content, when known."
    )

    @classmethod
    def from_provision(cls, provision: Provision) -> Citation:
        return cls(
            text_en=provision.full_text_en(),
            label=provision.label,
            regulation=provision.regulation,
            pasal=provision.pasal,
            ayat=provision.ayat,
            huruf=provision.huruf,
            angka=provision.angka,
            lampiran=provision.lampiran,
            text=provision.full_text(),
            status=provision.status,
            source=provision.source,
        )


class SourceRef(BaseModel):
    """A socialisation source (event note or transcript chunk) an answer points to."""

    title: str
    date: str | None = None
    excerpt: str


class Truncation(BaseModel):
    """How much of an over-long message was read (the rest was not looked at)."""

    chars_read: int = Field(ge=0)
    chars_total: int = Field(ge=0)
    note: str


SectionKind = Literal[
    "unsettled",  # why the law does not settle the act yet (text)
    "explanation",  # why the verdict holds (text)
    "cautious",  # the cautious reading of an unsettled act (verdict)
    "conditions",  # when a conditional permission holds (text)
    "scope",  # who, which election, which stage, when (text)
    "alternative",  # a close ruling with another verdict for another case (text=scope, verdict, act)
    "status",  # a cited regulation is amended/revoked (label=regulation, status, replacements, text)
    "note",  # the ruling's note (text)
    "report",  # where to report the act (text)
    "lookup",  # the text of the provision(s) a message names (label; the answer's citations)
    "notice",  # what Netra set aside in the message: instructions, unknown regulations (text)
    "message",  # an answer without a ruling: refusal, abstention, out of scope, guide (text)
]
AnswerKind = Literal["ruling", "lookup", "unknown", "out_of_scope", "declined", "guide"]


class Section(BaseModel):
    """One block of an answer's body, in reading order. Content only: the presenters add the
    labels ("Syarat/keadaan:", "Conditions:") and the verdict names in the answer's language."""

    kind: SectionKind
    text: str = ""
    verdict: Verdict | None = None
    act: str | None = None
    label: str | None = None
    status: Status | None = None
    replacements: list[str] = Field(default_factory=list)


class Answer(BaseModel):
    """What the engine returns for one question; its JSON is the stable public contract.

    ``answer`` is the answer rendered as plain text (:func:`knowledge.present.answer_text`);
    adapters render the structure (``kind``, ``verdict``, ``act``, ``sections``, ``citations``,
    ``sanctions``, ``sources``, ``parts``) and never read that text back.
    """

    question: str
    verdict: Verdict
    answer: str
    citations: list[Citation] = Field(default_factory=list)
    sanctions: list[str] = Field(default_factory=list)
    sources: list[SourceRef] = Field(default_factory=list)
    confidence: float = Field(ge=0.0, le=1.0)
    knowledge_version: str
    parts: list[Answer] = Field(
        default_factory=list,
        description="Additive: one sub-answer per question when a message asks several.",
    )
    truncated: Truncation | None = Field(
        default=None,
        description="Additive: set when the message was too long to read in full.",
    )
    # Additive (issues 15, 16): the structure every presenter renders.
    language: Literal["id", "en"] = Field(default="id", description="Language of the text.")
    kind: AnswerKind | None = Field(
        default=None,
        description="How the answer was reached (None: several parts, each with its own kind).",
    )
    act: str | None = Field(default=None, description="The conduct the verdict is about.")
    summary: str | None = Field(
        default=None, description="One or two sentences of explanation behind the verdict."
    )
    sections: list[Section] = Field(
        default_factory=list,
        description="Additive: the body in reading order (for several parts: the notes on the "
        "whole message; each part has its own sections).",
    )

    @property
    def english(self) -> bool:
        return self.language == "en"

    def to_json(self) -> str:
        return self.model_dump_json()


__all__ = [
    "RULING_VERDICTS",
    "Answer",
    "Audience",
    "Citation",
    "Provision",
    "Regulation",
    "Ruling",
    "Section",
    "SocialisationNote",
    "SourceRef",
    "Status",
    "Truncation",
    "Verdict",
    "citation_label",
]
