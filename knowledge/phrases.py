"""Every fixed user-facing text of an answer, in Indonesian and English.

The composer picks the message texts (refusals, abstentions, notes) in the answer's language;
the presenters (:mod:`knowledge.present`, ``bot/formatting.py``, ``bot/short.py``) add the
verdict names, labels, headings and the disclaimer. Nothing else writes user-facing words, so
translating Netra means translating this file (``tests/test_phrases.py`` checks every phrase has
both forms and the same placeholders in each).

A :class:`Phrase` is a pair; ``phrase.text(en)`` is the form for an English (``True``) or an
Indonesian (``False``) answer. Placeholders are ``str.format`` fields.
"""

from __future__ import annotations

from typing import NamedTuple

from knowledge.models import Verdict


class Phrase(NamedTuple):
    """One fixed text in both languages."""

    id: str
    en: str

    def text(self, en: bool) -> str:
        return self.en if en else self.id

    def format(self, en: bool, **fields: object) -> str:
        return self.text(en).format(**fields)


# --- the verdict, as the first words of an answer ----------------------------------------------
VERDICT = {
    Verdict.DILARANG: Phrase("Tidak boleh (dilarang)", "Not allowed"),
    Verdict.BOLEH: Phrase("Boleh", "Allowed"),
    Verdict.BOLEH_BERSYARAT: Phrase("Boleh, dengan syarat", "Allowed, with conditions"),
    Verdict.TIDAK_DIKETAHUI: Phrase("Belum dapat dipastikan", "Cannot be determined"),
    Verdict.DI_LUAR_CAKUPAN: Phrase("Di luar cakupan Netra", "Outside Netra's scope"),
    Verdict.DITOLAK: Phrase("Permintaan tidak dapat dilayani", "Request declined"),
}

DISCLAIMER = Phrase(
    "Ini bukan nasihat hukum resmi. Untuk kepastian, tanyakan ke BKPSDM/bagian kepegawaian "
    "instansi Anda, BKN, atau Bawaslu.",
    "This is not official legal advice. For certainty, ask your agency's BKPSDM/HR office, "
    "BKN, or Bawaslu.",
)

# --- messages the composer answers with (no ruling behind them) --------------------------------
DECLINED = {
    "campaign": Phrase(
        "Netra tidak membantu kegiatan kampanye dan tidak menilai calon mana pun. Netra hanya "
        "menjelaskan apa yang boleh dan tidak boleh dilakukan ASN.",
        "Netra does not help any campaign and does not judge candidates. It can tell you what "
        "ASN may and may not do.",
    ),
    "evasion": Phrase(
        "Netra tidak membantu menghindari pengawasan atau menyembunyikan pelanggaran. Kewajiban "
        "netral berlaku di mana pun dan kapan pun, juga lewat akun pribadi atau di luar jam kerja. "
        "Silakan tanyakan perbuatan yang ingin Anda ketahui hukumnya.",
        "Netra does not help anyone evade supervision or hide a violation. The duty of neutrality "
        "applies everywhere and at any time, including private accounts and off duty. Ask about "
        "the act you want to know the rules for.",
    ),
    "injection": Phrase(
        "Instruksi di dalam pertanyaan tidak mengubah aturan. Silakan tanyakan perbuatan yang "
        "ingin Anda ketahui hukumnya.",
        "Instructions inside a question do not change the rules; ask about a concrete act instead.",
    ),
}
NOT_ASN = {
    "tni_polri": Phrase(
        "Anggota TNI dan Polri bukan ASN; Netra hanya menjawab untuk ASN. Netralitas TNI dan Polri "
        "diatur undang-undang dan peraturan institusinya sendiri: tanyakan ke bagian hukum atau "
        "personalia satuan Anda.",
        "Members of the TNI and Polri are not civil servants (ASN); Netra covers ASN only. Their "
        "neutrality is governed by their own laws and their institutions' rules: ask your unit's "
        "legal or personnel office.",
    ),
    "warga": Phrase(
        "Netra hanya menjawab pertanyaan tentang ASN (PNS, CPNS, PPPK). Bagi warga yang bukan ASN, "
        "aturan kampanye UU Pemilu/UU Pilkada yang berlaku umum dapat ditanyakan ke KPU atau "
        "Bawaslu setempat.",
        "Netra only answers for civil servants (PNS, CPNS, PPPK). Citizens who are not ASN can ask "
        "the local KPU or Bawaslu about the general campaign rules of the election laws.",
    ),
}
TNI_POLRI_DO_NOT_VOTE = Phrase(
    "Dalam Pemilu, anggota TNI dan Polri tidak menggunakan hak memilih.",
    "In elections, TNI and Polri members do not use their right to vote.",
)
WHERE_TO_ASK = Phrase(
    "Silakan tanyakan ke BKPSDM/bagian kepegawaian instansi Anda, BKN, atau Bawaslu setempat.",
    "Please ask your agency's BKPSDM/HR office, BKN, or the local Bawaslu.",
)
GUIDE = Phrase(
    'Tanyakan satu perbuatan yang konkret, misalnya: "Bolehkah PNS memberi like pada postingan '
    'caleg?", "Guru PPPK boleh ikut kampanye saat libur?", "Istri saya nyaleg DPRD, bolehkah '
    'saya mendampinginya?"',
    "Ask Netra about one concrete act, for example: \"Can a civil servant like a candidate's "
    'post?", "May a PPPK teacher attend a campaign rally on a day off?", "My wife is running for '
    'the DPRD: may I accompany her?"',
)
OUT_OF_DOMAIN = Phrase(
    "Netra hanya menjawab pertanyaan tentang netralitas ASN dalam pemilu dan pilkada (misalnya: "
    "boleh tidaknya ikut kampanye, memberi like, menjadi anggota partai).",
    "Netra only answers questions about civil servants' (ASN) political neutrality around "
    "elections.",
)
CANNOT_DETERMINE = Phrase(
    "Netra belum dapat memastikan jawabannya dari peraturan yang dikenalnya. Ketentuan yang "
    "paling dekat tercantum di bawah. {where_to_ask}",
    "I cannot determine this reliably from the regulations I know. The closest provisions are "
    "listed below. {where_to_ask}",
)
NOT_IN_CATALOGUE = Phrase(
    "Perbuatan yang Anda tanyakan tidak tercakup dalam katalog perbuatan yang dikenal Netra, "
    "sehingga Netra tidak menebak dari perbuatan lain. {message}",
    "The act you describe is not one Netra's catalogue of conduct covers, so it will not guess "
    "from a different act. {message}",
)

# --- notes on what Netra set aside in a message (shown after the label NOTE) --------------------
INSTRUCTIONS_IGNORED = Phrase(
    "instruksi di dalam pesan diabaikan; aturan tidak berubah karenanya.",
    "instructions inside the message were ignored; the rules do not change.",
)
UNKNOWN_REGULATIONS = Phrase(
    "Netra tidak mengenal {names}; jawaban hanya berdasar peraturan yang dikenalnya. Periksa "
    "nomor dan status peraturan itu ke BKPSDM.",
    "Netra does not know {names}; the answer rests only on the regulations it knows. Check the "
    "regulation's number and status with BKPSDM.",
)
MESSAGE_CUT = Phrase(
    "Catatan: pesan Anda panjang ({total} karakter); Netra hanya membaca {read} karakter "
    "pertama. Kirim satu pertanyaan per pesan agar terjawab lengkap.",
    "Note: your message is long ({total} characters); Netra read only the first {read}. Send "
    "one question per message for a full answer.",
)
SANCTION_IMPOSED_BY = Phrase("{sanction} (dijatuhkan oleh {by})", "{sanction} (imposed by {by})")

# --- labels of an answer's sections (knowledge.models.Section) ---------------------------------
RULING_HEADLINE = Phrase("{verdict}: {act}.", "{verdict}: {act}.")
UNSETTLED = Phrase("Mengapa belum pasti: ", "Why it is open: ")
CAUTIOUS = Phrase(
    "Sikap paling hati-hati sampai ada kepastian: {verdict}.",
    "Cautious reading until it is settled: {verdict}.",
)
CONDITIONS = Phrase("Syarat/keadaan: ", "Conditions: ")
APPLIES_TO = Phrase("Berlaku bagi: ", "Applies to: ")
DIFFERENT_CASE = Phrase(
    "Kasus lain — {scope}: {verdict} ({act}).", "Different case — {scope}: {verdict} ({act})."
)
NOTE = Phrase("Catatan: ", "Note: ")
WHERE_TO_REPORT = Phrase("Ke mana melapor: ", "Where to report: ")
LOOKUP = Phrase("Isi {label}:", "Text of {label}:")
STATUS = Phrase("{regulation} berstatus {status}", "{regulation} is {status}")
STATUS_REPLACED = Phrase("; lihat penggantinya {replacements}", "; see {replacements}")
STAGE = {  # the stage of an election a ruling holds for ("any" needs no words)
    "bakal_calon": Phrase("tahap bakal calon", "prospective-candidate stage"),
    "calon": Phrase("tahap calon", "candidate stage"),
}
STATUS_WORD = {
    "berlaku": Phrase("berlaku", "in force"),
    "diubah": Phrase("diubah", "amended"),
    "dicabut": Phrase("dicabut", "revoked"),
}

# --- headings of the rendered answer (terminal, Telegram) --------------------------------------
LEGAL_BASIS = Phrase("Dasar hukum", "Legal basis")
SANCTION = Phrase("Sanksi", "Sanction")
FROM_EVENTS = Phrase("Dari sosialisasi", "From socialisation events")
CONFIDENCE = Phrase("keyakinan", "confidence")
KNOWLEDGE = Phrase("pengetahuan", "knowledge")
MAIN_BASIS = Phrase("Dasar utama", "Main basis")
CLOSEST_PROVISION = Phrase("Ketentuan terdekat", "Closest provision")
QUESTIONS_IN_MESSAGE = Phrase("{n} pertanyaan dalam pesan Anda", "{n} questions in your message")


def all_phrases() -> dict[str, Phrase]:
    """Every phrase by a dotted name (tests check that none lacks a language)."""
    found: dict[str, Phrase] = {}
    for name, value in globals().items():
        if isinstance(value, Phrase):
            found[name] = value
        elif isinstance(value, dict):
            found.update(
                {f"{name}.{key}": item for key, item in value.items() if isinstance(item, Phrase)}
            )
    return found
